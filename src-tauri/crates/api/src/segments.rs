//! Segments: templates, saved segments, the live figures of a draft while it
//! is edited (count, sample, members, breakdowns, membership over time), a
//! person's timeline, overlap, and JSON export/import. Calls
//! `rebound-segments`. "As of" is the end of the given UTC day, or by default
//! the end of the last day of the events the segment is about
//! (`segments::resolve_as_of`), never the clock for a workspace that has events.

use std::path::PathBuf;

use chrono::NaiveDate;
use rebound_charts::ChartTheme;
use rebound_core::{Result, Workspace};
use rebound_segments::{
    self as segments, BreakdownOptions, Breakdowns, EngineReading, Member, MembersPage,
    MembershipChart, OverlapMatrix, PersonTimeline, SavedSegment, SegmentCount, SegmentDefinition,
    SegmentVocabulary, Template,
};

use crate::Ctx;

/// The moment a segment is evaluated at: the end of `day`, or the default.
pub async fn as_of(
    ctx: &Ctx<'_>,
    ws: &Workspace,
    definition: &SegmentDefinition,
    day: Option<NaiveDate>,
) -> Result<i64> {
    Ok(segments::resolve_as_of(ws, definition, day, ctx.now_micros()).await?)
}

pub async fn templates(_ctx: &Ctx<'_>) -> Result<Vec<Template>> {
    Ok(segments::templates())
}

/// Event types, properties and values the editor offers. Also starts reading
/// the workspace into the engine's memory, so the first live count does not
/// wait for it.
pub async fn vocabulary(ctx: &Ctx<'_>) -> Result<SegmentVocabulary> {
    let ws = ctx.current().await?;
    let warm = ws.clone();
    tokio::spawn(async move {
        if let Err(error) = segments::prepare(&warm).await {
            tracing::warn!(%error, "could not prepare the segment engine");
        }
    });
    Ok(segments::vocabulary(&ws).await?)
}

/// How far the read of the workspace into the engine's memory has got; null
/// when none is under way. The live count polls it while it waits.
pub async fn engine_reading(ctx: &Ctx<'_>) -> Result<Option<EngineReading>> {
    Ok(segments::reading(&ctx.current().await?))
}

/// Stops the read under way; the counts waiting for it end as cancelled.
pub async fn engine_cancel(ctx: &Ctx<'_>) -> Result<bool> {
    Ok(segments::cancel_reading(&ctx.current().await?))
}

pub async fn list(ctx: &Ctx<'_>) -> Result<Vec<SavedSegment>> {
    Ok(segments::list_segments(&ctx.current().await?).await?)
}

pub async fn get(ctx: &Ctx<'_>, id: i64) -> Result<SavedSegment> {
    Ok(segments::get_segment(&ctx.current().await?, id).await?)
}

/// Saves a new segment (`id` null) or replaces a saved one.
pub async fn save(
    ctx: &Ctx<'_>,
    id: Option<i64>,
    definition: SegmentDefinition,
) -> Result<SavedSegment> {
    let ws = ctx.current().await?;
    let at = ctx.now_micros();
    Ok(match id {
        Some(id) => segments::update_segment(&ws, id, &definition, at).await?,
        None => segments::create_segment(&ws, &definition, at).await?,
    })
}

pub async fn delete(ctx: &Ctx<'_>, id: i64) -> Result<()> {
    Ok(segments::delete_segment(&ctx.current().await?, id).await?)
}

/// How many people are in the segment, and why when nobody is.
pub async fn count(
    ctx: &Ctx<'_>,
    definition: SegmentDefinition,
    as_of_day: Option<NaiveDate>,
) -> Result<SegmentCount> {
    let ws = ctx.current().await?;
    let t = as_of(ctx, &ws, &definition, as_of_day).await?;
    Ok(segments::count_explained(&ws, &definition, t).await?)
}

/// A reproducible random sample of up to 100 members.
pub async fn sample(
    ctx: &Ctx<'_>,
    definition: SegmentDefinition,
    as_of_day: Option<NaiveDate>,
    size: u32,
    seed: u64,
) -> Result<Vec<Member>> {
    let ws = ctx.current().await?;
    let t = as_of(ctx, &ws, &definition, as_of_day).await?;
    Ok(segments::sample(&ws, &definition, t, size.min(100), seed).await?)
}

/// Members by id, a page (at most 500) at a time.
pub async fn members(
    ctx: &Ctx<'_>,
    definition: SegmentDefinition,
    as_of_day: Option<NaiveDate>,
    offset: u64,
    limit: u32,
) -> Result<MembersPage> {
    let ws = ctx.current().await?;
    let t = as_of(ctx, &ws, &definition, as_of_day).await?;
    Ok(segments::members(&ws, &definition, t, offset, limit.min(500)).await?)
}

pub async fn breakdowns(
    ctx: &Ctx<'_>,
    definition: SegmentDefinition,
    as_of_day: Option<NaiveDate>,
) -> Result<Breakdowns> {
    let ws = ctx.current().await?;
    let t = as_of(ctx, &ws, &definition, as_of_day).await?;
    Ok(segments::breakdowns(&ws, &definition, t, &BreakdownOptions::default()).await?)
}

/// Members at the end of each day from `from` to `to`, charted.
pub async fn membership(
    ctx: &Ctx<'_>,
    definition: SegmentDefinition,
    from: NaiveDate,
    to: NaiveDate,
    theme: ChartTheme,
) -> Result<MembershipChart> {
    let ws = ctx.current().await?;
    Ok(segments::membership_chart(&ws, &definition, from, to, theme).await?)
}

/// Pairwise overlap of every saved segment's audience.
pub async fn overlap(ctx: &Ctx<'_>, as_of_day: Option<NaiveDate>) -> Result<OverlapMatrix> {
    let ws = ctx.current().await?;
    let saved: Vec<SegmentDefinition> = segments::list_segments(&ws)
        .await?
        .into_iter()
        .map(|s| s.definition)
        .collect();
    let t = match as_of_day {
        Some(day) => segments::end_of_day(day),
        None => rebound_core::time::data_end(&ws, &[], ctx.now_micros()).await?,
    };
    Ok(segments::overlap(&ws, &saved, t).await?)
}

/// A person's events, newest first, a page at a time.
pub async fn person_timeline(
    ctx: &Ctx<'_>,
    person_id: i64,
    offset: u64,
    limit: u32,
) -> Result<PersonTimeline> {
    Ok(segments::person_timeline(&ctx.current().await?, person_id, offset, limit).await?)
}

/// Writes saved segments (all when `ids` is empty) to a JSON export file;
/// returns how many.
pub async fn export(ctx: &Ctx<'_>, ids: Vec<i64>, path: PathBuf) -> Result<usize> {
    Ok(segments::export_file(&ctx.current().await?, &ids, &path).await?)
}

/// Imports every segment of a JSON export file, or none.
pub async fn import(ctx: &Ctx<'_>, path: PathBuf) -> Result<Vec<SavedSegment>> {
    let ws = ctx.current().await?;
    Ok(segments::import_file(&ws, &path, ctx.now_micros()).await?)
}

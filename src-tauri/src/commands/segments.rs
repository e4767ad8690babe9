//! Segments: templates, saved segments, the live figures of a draft while it
//! is edited (count, sample, breakdowns, membership over time), a person's
//! timeline, overlap, and JSON export/import. Each command unpacks its
//! arguments and calls `rebound-segments`; "as of" is the end of the given
//! UTC day, or by default the end of the last day of the events the segment
//! is about (`segments::resolve_as_of`), never the clock for a workspace
//! that has events.

use std::path::PathBuf;

use chrono::NaiveDate;
use rebound_core::charts::ChartTheme;
use rebound_core::session::Session;
use rebound_segments::{
    self as segments, BreakdownOptions, Breakdowns, EngineReading, Member, MembersPage,
    MembershipChart, OverlapMatrix, PersonTimeline, SavedSegment, SegmentCount, SegmentDefinition,
    SegmentVocabulary, Template,
};
use tauri::State;

use crate::error::IpcResult;

async fn as_of(
    session: &Session,
    ws: &rebound_core::Workspace,
    definition: &SegmentDefinition,
    day: Option<NaiveDate>,
) -> IpcResult<i64> {
    let now = session.now().timestamp_micros();
    Ok(segments::resolve_as_of(ws, definition, day, now).await?)
}

#[tauri::command]
pub fn segment_templates() -> Vec<Template> {
    segments::templates()
}

#[tauri::command]
pub async fn segment_vocabulary(session: State<'_, Session>) -> IpcResult<SegmentVocabulary> {
    let ws = session.current().await?;
    // The segment editor asks for its vocabulary when it opens: read the
    // workspace into the engine's memory now, so the first live count does
    // not wait for it.
    let warm = ws.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(error) = segments::prepare(&warm).await {
            tracing::warn!(%error, "could not prepare the segment engine");
        }
    });
    Ok(segments::vocabulary(&ws).await?)
}

/// How far the read of the workspace into the engine's memory has got; null
/// when none is under way. The live count polls it while it waits.
#[tauri::command]
pub async fn segment_engine_reading(
    session: State<'_, Session>,
) -> IpcResult<Option<EngineReading>> {
    Ok(segments::reading(&session.current().await?))
}

/// Stops the read under way; the counts waiting for it end as cancelled.
#[tauri::command]
pub async fn segment_engine_cancel(session: State<'_, Session>) -> IpcResult<bool> {
    Ok(segments::cancel_reading(&session.current().await?))
}

#[tauri::command]
pub async fn segments_list(session: State<'_, Session>) -> IpcResult<Vec<SavedSegment>> {
    Ok(segments::list_segments(&session.current().await?).await?)
}

#[tauri::command]
pub async fn segment_get(session: State<'_, Session>, id: i64) -> IpcResult<SavedSegment> {
    Ok(segments::get_segment(&session.current().await?, id).await?)
}

/// Saves a new segment (`id` null) or replaces a saved one.
#[tauri::command]
pub async fn segment_save(
    session: State<'_, Session>,
    id: Option<i64>,
    definition: SegmentDefinition,
) -> IpcResult<SavedSegment> {
    let ws = session.current().await?;
    let at = session.now().timestamp_micros();
    Ok(match id {
        Some(id) => segments::update_segment(&ws, id, &definition, at).await?,
        None => segments::create_segment(&ws, &definition, at).await?,
    })
}

#[tauri::command]
pub async fn segment_delete(session: State<'_, Session>, id: i64) -> IpcResult<()> {
    Ok(segments::delete_segment(&session.current().await?, id).await?)
}

#[tauri::command]
pub async fn segment_count(
    session: State<'_, Session>,
    definition: SegmentDefinition,
    as_of_day: Option<NaiveDate>,
) -> IpcResult<SegmentCount> {
    let ws = session.current().await?;
    let t = as_of(&session, &ws, &definition, as_of_day).await?;
    Ok(segments::count_explained(&ws, &definition, t).await?)
}

#[tauri::command]
pub async fn segment_sample(
    session: State<'_, Session>,
    definition: SegmentDefinition,
    as_of_day: Option<NaiveDate>,
    size: u32,
    seed: u64,
) -> IpcResult<Vec<Member>> {
    let ws = session.current().await?;
    let t = as_of(&session, &ws, &definition, as_of_day).await?;
    Ok(segments::sample(&ws, &definition, t, size.min(100), seed).await?)
}

#[tauri::command]
pub async fn segment_members(
    session: State<'_, Session>,
    definition: SegmentDefinition,
    as_of_day: Option<NaiveDate>,
    offset: u64,
    limit: u32,
) -> IpcResult<MembersPage> {
    let ws = session.current().await?;
    let t = as_of(&session, &ws, &definition, as_of_day).await?;
    Ok(segments::members(&ws, &definition, t, offset, limit.min(500)).await?)
}

#[tauri::command]
pub async fn segment_breakdowns(
    session: State<'_, Session>,
    definition: SegmentDefinition,
    as_of_day: Option<NaiveDate>,
) -> IpcResult<Breakdowns> {
    let ws = session.current().await?;
    let t = as_of(&session, &ws, &definition, as_of_day).await?;
    Ok(segments::breakdowns(&ws, &definition, t, &BreakdownOptions::default()).await?)
}

#[tauri::command]
pub async fn segment_membership(
    session: State<'_, Session>,
    definition: SegmentDefinition,
    from: NaiveDate,
    to: NaiveDate,
    theme: ChartTheme,
) -> IpcResult<MembershipChart> {
    let ws = session.current().await?;
    Ok(segments::membership_chart(&ws, &definition, from, to, theme).await?)
}

/// Pairwise overlap of every saved segment's audience.
#[tauri::command]
pub async fn segments_overlap(
    session: State<'_, Session>,
    as_of_day: Option<NaiveDate>,
) -> IpcResult<OverlapMatrix> {
    let ws = session.current().await?;
    let saved: Vec<SegmentDefinition> = segments::list_segments(&ws)
        .await?
        .into_iter()
        .map(|s| s.definition)
        .collect();
    let now = session.now().timestamp_micros();
    let t = match as_of_day {
        Some(day) => segments::end_of_day(day),
        None => rebound_core::time::data_end(&ws, &[], now).await?,
    };
    Ok(segments::overlap(&ws, &saved, t).await?)
}

#[tauri::command]
pub async fn person_timeline(
    session: State<'_, Session>,
    person_id: i64,
    offset: u64,
    limit: u32,
) -> IpcResult<PersonTimeline> {
    let ws = session.current().await?;
    Ok(segments::person_timeline(&ws, person_id, offset, limit).await?)
}

/// Writes saved segments (all when `ids` is empty) to a JSON export file.
#[tauri::command]
pub async fn segments_export(
    session: State<'_, Session>,
    ids: Vec<i64>,
    path: PathBuf,
) -> IpcResult<usize> {
    Ok(segments::export_file(&session.current().await?, &ids, &path).await?)
}

/// Imports every segment of a JSON export file, or none.
#[tauri::command]
pub async fn segments_import(
    session: State<'_, Session>,
    path: PathBuf,
) -> IpcResult<Vec<SavedSegment>> {
    let ws = session.current().await?;
    let at = session.now().timestamp_micros();
    Ok(segments::import_file(&ws, &path, at).await?)
}

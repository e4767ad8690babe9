//! Experiments: the list, one experiment's analysis and its export, the
//! sample-size planner, figures typed in by hand, split tests read from an
//! imported ad report, and audience tests split from a segment's members.
//! Calls `rebound_core::{experiments, split_tests, audience_tests}`.

use std::path::PathBuf;

use chrono::NaiveDate;
use rebound_charts::ChartTheme;
use rebound_core::{Error, Result, Workspace};
use rebound_experiments::audience_tests::{self, ArmsCheck, AudienceArm, AudienceTestRequest};
use rebound_experiments::split_tests::{self, SplitOptions, SplitRequest};
use rebound_experiments::{
    self as experiments, ExperimentDetail, ExperimentExport, ExperimentListItem, ManualAnalysis,
    PlanRequest, PlanResult, PlannerDefaults,
};
use rebound_segments::SegmentDefinition;
use rebound_stats::ExperimentData;

use crate::Ctx;

pub async fn list(ctx: &Ctx<'_>) -> Result<Vec<ExperimentListItem>> {
    experiments::list(&ctx.current().await?).await
}

pub async fn detail(ctx: &Ctx<'_>, id: i64, theme: ChartTheme) -> Result<ExperimentDetail> {
    experiments::detail(&ctx.current().await?, id, theme).await
}

pub async fn export(ctx: &Ctx<'_>, id: i64, format: ExperimentExport, path: PathBuf) -> Result<()> {
    experiments::export(&ctx.current().await?, id, format, &path).await
}

pub async fn planner_defaults(ctx: &Ctx<'_>) -> Result<PlannerDefaults> {
    experiments::planner_defaults(&ctx.current().await?).await
}

pub async fn plan(_ctx: &Ctx<'_>, request: PlanRequest) -> Result<PlanResult> {
    experiments::plan(&request)
}

/// Figures typed in by hand (or read from a file), analysed like a stored test.
pub async fn analyze(
    _ctx: &Ctx<'_>,
    data: ExperimentData,
    theme: ChartTheme,
) -> Result<ManualAnalysis> {
    experiments::analyze_manual(&data, theme)
}

/// What an imported ad report offers to read as a split test.
pub async fn split_test_options(ctx: &Ctx<'_>, import_id: i64) -> Result<SplitOptions> {
    split_tests::options(&ctx.current().await?, import_id).await
}

/// Stores an imported ad report's split test as an experiment; returns its id.
pub async fn split_test_create(ctx: &Ctx<'_>, request: SplitRequest) -> Result<i64> {
    split_tests::create(&ctx.current().await?, &request, ctx.now_micros()).await
}

/// The day an audience test starts on by default: the day the segment
/// counts "as of" by default (the end of its events).
pub async fn audience_test_start(
    ctx: &Ctx<'_>,
    definition: &SegmentDefinition,
) -> Result<NaiveDate> {
    let ws = ctx.current().await?;
    let t = rebound_segments::resolve_as_of(&ws, definition, None, ctx.now_micros()).await?;
    Ok(rebound_core::time::as_of_day(t))
}

/// Splits a segment's members (a saved one or a template, as of the end of
/// the start day, the moment the segment counts "as of" that day) among the
/// request's arms and stores the test with each person's outcome; returns the
/// experiment's id. Nobody in the segment that day is an error that names the
/// day that has people.
/// The arms of an audience test as they are edited: shares and what is wrong.
pub async fn audience_arms_check(_ctx: &Ctx<'_>, arms: Vec<AudienceArm>) -> Result<ArmsCheck> {
    Ok(audience_tests::check_arms(&arms))
}

pub async fn audience_test_create(
    ctx: &Ctx<'_>,
    definition: SegmentDefinition,
    request: AudienceTestRequest,
) -> Result<i64> {
    request.validate()?;
    let ws = ctx.current().await?;
    let audience = rebound_segments::member_ids(&ws, &definition, request.assigned_at()).await?;
    if audience.is_empty() {
        return Err(nobody_at_start(&ws, &definition, &request).await);
    }
    audience_tests::create(&ws, &request, &audience, ctx.now_micros()).await
}

/// Why an audience test has nobody to split, and the start day that has
/// people, as the Segments screen offers it.
async fn nobody_at_start(
    ws: &Workspace,
    definition: &SegmentDefinition,
    request: &AudienceTestRequest,
) -> Error {
    let nobody = format!(
        "{} has nobody in it at the end of {}",
        request.subject_label, request.start
    );
    let hint = rebound_segments::count_explained(ws, definition, request.assigned_at())
        .await
        .ok()
        .and_then(|c| c.zero)
        .and_then(|z| z.suggestion);
    Error::InvalidInput(match hint {
        Some(s) => format!(
            "{nobody}; {} at the end of {} — start the test on {}",
            s.members, s.day, s.day
        ),
        None => format!("{nobody}: there is no one to split"),
    })
}

/// Writes an audience test's arms (one person per row) as CSV.
pub async fn audience_test_export_arms(ctx: &Ctx<'_>, id: i64, path: PathBuf) -> Result<()> {
    let csv = audience_tests::arms_csv(&ctx.current().await?, id).await?;
    std::fs::write(&path, csv).map_err(Error::io("write", &path))
}

use std::path::PathBuf;

use rebound_core::audience_tests::{self, AudienceTestRequest};
use rebound_core::charts::ChartTheme;
use rebound_core::experiments::{
    self, ExperimentDetail, ExperimentExport, ExperimentListItem, ManualAnalysis, PlanRequest,
    PlanResult, PlannerDefaults,
};
use rebound_core::session::Session;
use rebound_core::split_tests::{self, SplitOptions, SplitRequest};
use rebound_segments::SegmentDefinition;
use rebound_stats::ExperimentData;
use tauri::State;

use crate::error::IpcResult;

#[tauri::command]
pub async fn experiments_list(session: State<'_, Session>) -> IpcResult<Vec<ExperimentListItem>> {
    Ok(experiments::list(&session.current().await?).await?)
}

#[tauri::command]
pub async fn experiment_detail(
    session: State<'_, Session>,
    id: i64,
    theme: ChartTheme,
) -> IpcResult<ExperimentDetail> {
    Ok(experiments::detail(&session.current().await?, id, theme).await?)
}

#[tauri::command]
pub async fn experiment_export(
    session: State<'_, Session>,
    id: i64,
    format: ExperimentExport,
    path: PathBuf,
) -> IpcResult<()> {
    Ok(experiments::export(&session.current().await?, id, format, &path).await?)
}

#[tauri::command]
pub async fn planner_defaults(session: State<'_, Session>) -> IpcResult<PlannerDefaults> {
    Ok(experiments::planner_defaults(&session.current().await?).await?)
}

#[tauri::command]
pub fn experiment_plan(request: PlanRequest) -> IpcResult<PlanResult> {
    Ok(experiments::plan(&request)?)
}

#[tauri::command]
pub fn experiment_analyze(data: ExperimentData, theme: ChartTheme) -> IpcResult<ManualAnalysis> {
    Ok(experiments::analyze_manual(&data, theme)?)
}

/// What an imported ad report offers to read as a split test.
#[tauri::command]
pub async fn split_test_options(
    session: State<'_, Session>,
    import_id: i64,
) -> IpcResult<SplitOptions> {
    Ok(split_tests::options(&session.current().await?, import_id).await?)
}

/// Stores an imported ad report's split test as an experiment; returns its id.
#[tauri::command]
pub async fn split_test_create(
    session: State<'_, Session>,
    request: SplitRequest,
) -> IpcResult<i64> {
    let now = session.now().timestamp_micros();
    Ok(split_tests::create(&session.current().await?, &request, now).await?)
}

/// Splits a segment's members (a saved one or a template, as of the end of
/// the start day, the moment the segment counts "as of" that day) among the
/// request's arms and stores the test with each person's outcome; returns the
/// experiment's id.
#[tauri::command]
pub async fn audience_test_create(
    session: State<'_, Session>,
    definition: SegmentDefinition,
    request: AudienceTestRequest,
) -> IpcResult<i64> {
    let ws = session.current().await?;
    let audience = rebound_segments::member_ids(&ws, &definition, request.assigned_at()).await?;
    let now = session.now().timestamp_micros();
    Ok(audience_tests::create(&ws, &request, &audience, now).await?)
}

/// Writes an audience test's arms (one person per row) as CSV.
#[tauri::command]
pub async fn audience_test_export_arms(
    session: State<'_, Session>,
    id: i64,
    path: PathBuf,
) -> IpcResult<()> {
    let csv = audience_tests::arms_csv(&session.current().await?, id).await?;
    std::fs::write(&path, csv).map_err(|source| rebound_core::Error::Io {
        op: "write",
        path: path.clone(),
        source,
    })?;
    Ok(())
}

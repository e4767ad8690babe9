use std::path::PathBuf;

use rebound_core::charts::ChartTheme;
use rebound_core::experiments::{
    self, ExperimentDetail, ExperimentExport, ExperimentListItem, ManualAnalysis, PlanRequest,
    PlanResult, PlannerDefaults,
};
use rebound_core::session::Session;
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

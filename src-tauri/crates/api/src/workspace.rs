//! The app's workspace and settings: status at start, open, create, what a
//! workspace holds, the Dashboard, the demo workspace, jobs, theme and the
//! recent list. Calls `crate::session` and `rebound_dashboard`.

use std::path::PathBuf;

use crate::session::{AppStatus, DemoLoaded, DemoTarget, WorkspaceSummary, APP_DEMO_PEOPLE};
use rebound_charts::ChartTheme;
use rebound_core::settings::{AppSettings, Theme};
use rebound_core::store::WorkspaceInfo;
use rebound_core::Result;
use rebound_dashboard::{self as dashboard, Dashboard};

use crate::Ctx;

/// Opens the last workspace on first call and reports the app's state.
pub async fn app_status(ctx: &Ctx<'_>) -> Result<AppStatus> {
    let status = ctx.session()?.startup().await;
    ctx.mark_workspace_changed();
    Ok(status)
}

pub async fn open(ctx: &Ctx<'_>, path: PathBuf) -> Result<WorkspaceSummary> {
    let opened = ctx.session()?.open(&path).await?;
    ctx.mark_workspace_changed();
    Ok(opened)
}

pub async fn create(ctx: &Ctx<'_>, path: PathBuf) -> Result<WorkspaceSummary> {
    let created = ctx.session()?.create(&path).await?;
    ctx.mark_workspace_changed();
    Ok(created)
}

/// Rows per table, format version and size of the open workspace.
pub async fn info(ctx: &Ctx<'_>) -> Result<WorkspaceInfo> {
    ctx.current().await?.info().await
}

pub async fn dashboard(ctx: &Ctx<'_>, theme: ChartTheme) -> Result<Dashboard> {
    dashboard::dashboard(&ctx.current().await?, theme).await
}

/// Builds a demo workspace and opens it, with the context's progress and cancel.
pub async fn demo_load(
    ctx: &Ctx<'_>,
    target: DemoTarget,
    people: Option<u32>,
) -> Result<DemoLoaded> {
    let session = ctx.session()?;
    let result = session
        .load_demo(
            target,
            people.unwrap_or(APP_DEMO_PEOPLE),
            ctx.progress(),
            ctx.cancel(),
        )
        .await;
    // Whatever happened, the window shows what is open now.
    ctx.mark_workspace_changed();
    result
}

/// Asks a running job to stop. False when it had already finished.
pub async fn job_cancel(ctx: &Ctx<'_>, job_id: String) -> Result<bool> {
    Ok(ctx.session()?.cancel_job(&job_id))
}

pub async fn set_theme(ctx: &Ctx<'_>, theme: Theme) -> Result<AppSettings> {
    Ok(ctx.session()?.set_theme(theme))
}

/// Drops a workspace from the recent list (the file stays).
pub async fn forget_recent(ctx: &Ctx<'_>, path: PathBuf) -> Result<AppSettings> {
    let settings = ctx.session()?.forget_recent(&path);
    ctx.mark_workspace_changed();
    Ok(settings)
}

use std::path::PathBuf;

use rebound_core::session::{AppStatus, Session, WorkspaceSummary};
use rebound_core::store::WorkspaceInfo;
use tauri::{AppHandle, Runtime, State};

use crate::error::IpcResult;
use crate::window;

/// Opens the last workspace on first call and reports the app's state.
#[tauri::command]
pub async fn app_status<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
) -> IpcResult<AppStatus> {
    let status = session.startup().await;
    window::workspace_changed(&app, &session).await;
    Ok(status)
}

#[tauri::command]
pub async fn workspace_open<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    path: PathBuf,
) -> IpcResult<WorkspaceSummary> {
    let opened = session.open(&path).await?;
    window::workspace_changed(&app, &session).await;
    Ok(opened)
}

#[tauri::command]
pub async fn workspace_create<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    path: PathBuf,
) -> IpcResult<WorkspaceSummary> {
    let created = session.create(&path).await?;
    window::workspace_changed(&app, &session).await;
    Ok(created)
}

#[tauri::command]
pub async fn workspace_info(session: State<'_, Session>) -> IpcResult<WorkspaceInfo> {
    Ok(session.info().await?)
}

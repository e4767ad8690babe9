use std::path::PathBuf;

use rebound_core::session::Session;
use rebound_core::settings::{AppSettings, Theme};
use tauri::{AppHandle, Runtime, State};

use crate::window;

#[tauri::command]
pub fn settings_set_theme(session: State<'_, Session>, theme: Theme) -> AppSettings {
    session.set_theme(theme)
}

#[tauri::command]
pub async fn recent_forget<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    path: PathBuf,
) -> Result<AppSettings, crate::error::IpcError> {
    let settings = session.forget_recent(&path);
    window::workspace_changed(&app, &session).await;
    Ok(settings)
}

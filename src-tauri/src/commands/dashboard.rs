use rebound_core::charts::ChartTheme;
use rebound_core::dashboard::Dashboard;
use rebound_core::session::Session;
use tauri::State;

use crate::error::IpcResult;

#[tauri::command]
pub async fn dashboard(session: State<'_, Session>, theme: ChartTheme) -> IpcResult<Dashboard> {
    Ok(session.dashboard(theme).await?)
}

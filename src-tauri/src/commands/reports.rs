//! Analytics reports (GA4, Search Console, Google Ads Editor, A/B by day) as
//! their files had them, for Data › Reports. Each command calls
//! `rebound_core::reports`.

use rebound_core::reports::{self, ReportPage, ReportSummary};
use rebound_core::session::Session;
use tauri::State;

use crate::error::IpcResult;

#[tauri::command]
pub async fn reports_list(session: State<'_, Session>) -> IpcResult<Vec<ReportSummary>> {
    Ok(reports::list(&session.current().await?).await?)
}

#[tauri::command]
pub async fn report_rows(
    session: State<'_, Session>,
    import_id: i64,
    section: u32,
    offset: i64,
    limit: i64,
) -> IpcResult<ReportPage> {
    let ws = session.current().await?;
    Ok(reports::rows(&ws, import_id, section, offset, limit).await?)
}

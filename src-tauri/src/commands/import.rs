use std::path::PathBuf;

use rebound_core::import::{
    self, ImportInspection, ImportOutcome, ImportRecord, ImportRequest, RejectionPage,
};
use rebound_core::session::Session;
use rebound_core::Progress;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::IpcResult;

/// What a file is (format, evidence, preview) before importing it.
#[tauri::command]
pub async fn import_inspect(
    session: State<'_, Session>,
    path: PathBuf,
) -> IpcResult<ImportInspection> {
    Ok(import::inspect(&session.current().await?, &path).await?)
}

/// Imports one file, streaming progress; `job_id` names the job for `job_cancel`.
#[tauri::command]
pub async fn import_run(
    session: State<'_, Session>,
    request: ImportRequest,
    job_id: String,
    on_progress: Channel<Progress>,
) -> IpcResult<ImportOutcome> {
    let workspace = session.current().await?;
    let cancel = session.start_job(&job_id);
    let report = |p: &Progress| {
        // A closed channel means the window went away; the import goes on.
        let _ = on_progress.send(p.clone());
    };
    let result = import::run(&workspace, &request, &report, &cancel).await;
    session.finish_job(&job_id);
    Ok(result?)
}

#[tauri::command]
pub async fn imports_list(session: State<'_, Session>) -> IpcResult<Vec<ImportRecord>> {
    Ok(import::list(&session.current().await?).await?)
}

#[tauri::command]
pub async fn import_undo(session: State<'_, Session>, id: i64) -> IpcResult<ImportRecord> {
    Ok(import::undo(&session.current().await?, id).await?)
}

#[tauri::command]
pub async fn import_rejections(
    session: State<'_, Session>,
    id: i64,
    offset: u32,
    limit: u32,
) -> IpcResult<RejectionPage> {
    Ok(import::rejections(&session.current().await?, id, offset, limit).await?)
}

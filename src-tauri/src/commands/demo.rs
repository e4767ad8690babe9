use rebound_core::session::{DemoLoaded, DemoTarget, Session, APP_DEMO_PEOPLE};
use rebound_core::Progress;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::error::IpcResult;
use crate::window;

/// Builds a demo workspace and opens it, streaming progress to the UI.
/// `job_id` names the job for [`job_cancel`].
#[tauri::command]
pub async fn demo_load<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    target: DemoTarget,
    people: Option<u32>,
    job_id: String,
    on_progress: Channel<Progress>,
) -> IpcResult<DemoLoaded> {
    let cancel = session.start_job(&job_id);
    let report = |p: &Progress| {
        // A closed channel means the window went away; the work goes on.
        let _ = on_progress.send(p.clone());
    };
    let result = session
        .load_demo(target, people.unwrap_or(APP_DEMO_PEOPLE), &report, &cancel)
        .await;
    session.finish_job(&job_id);
    window::workspace_changed(&app, &session).await;
    Ok(result?)
}

/// Asks a running job to stop. False when it had already finished.
#[tauri::command]
pub fn job_cancel(session: State<'_, Session>, job_id: String) -> bool {
    session.cancel_job(&job_id)
}

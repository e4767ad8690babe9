//! The app's Tauri commands, generated from `rebound_api::operations!`: one
//! per operation, each a single call to `rebound-api` in the session's
//! context. A `[job]` operation also takes the job id `job_cancel` stops it
//! by and the channel its progress streams through. After an operation that
//! opened, created or forgot a workspace, the window's title and menu follow.

use rebound_api::session::Session;
use rebound_api::types::*;
use rebound_api::Ctx;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::error::IpcResult;
use crate::window;

macro_rules! tauri_commands {
    ($( $name:ident => $([$flag:ident])? $module:ident :: $func:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty ; )*) => {
        $( tauri_commands!(@one $name [$($flag)?] $module $func ($($arg : $ty),*) $ret); )*

        /// The invoke handler with every command.
        pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
    (@one $name:ident [job] $module:ident $func:ident ($($arg:ident : $ty:ty),*) $ret:ty) => {
        // One parameter per IPC argument, as the operation table names them.
        #[allow(clippy::too_many_arguments)]
        #[tauri::command]
        pub async fn $name<R: Runtime>(
            app: AppHandle<R>,
            session: State<'_, Session>,
            $($arg: $ty,)*
            job_id: String,
            on_progress: Channel<Progress>,
        ) -> IpcResult<$ret> {
            // A closed channel means the window went away; the work goes on.
            let report = move |p: &Progress| drop(on_progress.send(p.clone()));
            let ctx = Ctx::app(&session).with_job(Some(job_id)).with_progress(&report);
            let result = rebound_api::$module::$func(&ctx, $($arg),*).await;
            after(&app, &session, &ctx).await;
            Ok(result?)
        }
    };
    (@one $name:ident [] $module:ident $func:ident ($($arg:ident : $ty:ty),*) $ret:ty) => {
        // One parameter per IPC argument, as the operation table names them.
        #[allow(clippy::too_many_arguments)]
        #[tauri::command]
        pub async fn $name<R: Runtime>(
            app: AppHandle<R>,
            session: State<'_, Session>,
            $($arg: $ty,)*
        ) -> IpcResult<$ret> {
            let ctx = Ctx::app(&session);
            let result = rebound_api::$module::$func(&ctx, $($arg),*).await;
            after(&app, &session, &ctx).await;
            Ok(result?)
        }
    };
}

/// The window follows a change of workspace or of the recent list.
async fn after<R: Runtime>(app: &AppHandle<R>, session: &Session, ctx: &Ctx<'_>) {
    if ctx.workspace_changed() {
        window::workspace_changed(app, session).await;
    }
}

rebound_api::operations!(tauri_commands);

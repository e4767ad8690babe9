//! What every operation runs in: where the workspace comes from (the app's
//! session or the one file a CLI command opened), the clock, the app's
//! folders, and the progress and cancel of a long job.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::session::Session;
use chrono::{DateTime, Utc};
use rebound_core::paths::AppDirs;
use rebound_core::time::Clock;
use rebound_core::{CancelToken, Error, Progress, Result, Workspace};

/// Where an operation finds its workspace.
enum Home<'a> {
    /// The desktop app: whatever workspace the session has open.
    Session(&'a Session),
    /// A CLI command: the workspace file it opened, with its clock.
    Workspace { workspace: Workspace, dirs: AppDirs },
}

/// Progress of a job: nobody listens unless a caller says so.
fn silent(_: &Progress) {}

pub struct Ctx<'a> {
    home: Home<'a>,
    progress: &'a (dyn Fn(&Progress) + Send + Sync),
    cancel: CancelToken,
    job: Option<String>,
    workspace_changed: AtomicBool,
}

impl<'a> Ctx<'a> {
    /// The app's context: the session's workspace, clock and folders.
    pub fn app(session: &'a Session) -> Ctx<'a> {
        Ctx {
            home: Home::Session(session),
            progress: &silent,
            cancel: CancelToken::new(),
            job: None,
            workspace_changed: AtomicBool::new(false),
        }
    }

    /// A command-line context over one open workspace; the app's folders
    /// (for the SMTP settings) come from the environment.
    pub fn workspace(workspace: Workspace, dirs: AppDirs) -> Ctx<'static> {
        Ctx {
            home: Home::Workspace { workspace, dirs },
            progress: &silent,
            cancel: CancelToken::new(),
            job: None,
            workspace_changed: AtomicBool::new(false),
        }
    }

    /// Streams this operation's progress to `progress`.
    pub fn with_progress(mut self, progress: &'a (dyn Fn(&Progress) + Send + Sync)) -> Self {
        self.progress = progress;
        self
    }

    /// Cancels this operation when `cancel` is cancelled.
    pub fn with_cancel(mut self, cancel: CancelToken) -> Self {
        self.cancel = cancel;
        self
    }

    /// Registers the operation as the app's job `id`, so `job_cancel` stops
    /// it; the job ends when the context is dropped. Without a session the
    /// id is ignored.
    pub fn with_job(mut self, id: Option<String>) -> Self {
        if let (Some(id), Home::Session(session)) = (id, &self.home) {
            self.cancel = session.start_job(&id);
            self.job = Some(id);
        }
        self
    }

    /// The workspace to work on: the session's open one, or the CLI's.
    pub async fn current(&self) -> Result<Workspace> {
        match &self.home {
            Home::Session(session) => session.current().await,
            Home::Workspace { workspace, .. } => Ok(workspace.clone()),
        }
    }

    /// The app's session, for what only the app has (recent files, theme).
    pub fn session(&self) -> Result<&'a Session> {
        match self.home {
            Home::Session(session) => Ok(session),
            Home::Workspace { .. } => Err(Error::InvalidInput(
                "this operation belongs to the desktop app".into(),
            )),
        }
    }

    pub fn clock(&self) -> Clock {
        match &self.home {
            Home::Session(session) => session.clock(),
            Home::Workspace { workspace, .. } => workspace.clock(),
        }
    }

    /// "Now" by the clock passed in.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock())()
    }

    /// "Now" in microseconds since the epoch, as the domain stores times.
    pub fn now_micros(&self) -> i64 {
        self.now().timestamp_micros()
    }

    pub fn dirs(&self) -> &AppDirs {
        match &self.home {
            Home::Session(session) => session.dirs(),
            Home::Workspace { dirs, .. } => dirs,
        }
    }

    /// The file that keeps the user's SMTP settings.
    pub fn smtp_file(&self) -> PathBuf {
        rebound_sequences::smtp::settings_file(&self.dirs().config)
    }

    pub fn progress(&self) -> &(dyn Fn(&Progress) + Send + Sync) {
        self.progress
    }

    pub fn cancel(&self) -> &CancelToken {
        &self.cancel
    }

    /// Records that the open workspace or the recent list changed, so the
    /// app refreshes its title and menu.
    pub(crate) fn mark_workspace_changed(&self) {
        self.workspace_changed.store(true, Ordering::Relaxed);
    }

    /// Whether this operation opened, created or forgot a workspace.
    pub fn workspace_changed(&self) -> bool {
        self.workspace_changed.load(Ordering::Relaxed)
    }
}

impl Drop for Ctx<'_> {
    fn drop(&mut self) {
        if let (Some(id), Home::Session(session)) = (&self.job, &self.home) {
            session.finish_job(id);
        }
    }
}

//! The app's session: which workspace is open, the settings, and long jobs
//! that can be cancelled. The Tauri commands are one-line adapters over this,
//! so everything the window can do is tested here without a window.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;
use ts_rs::TS;

use rebound_charts::ChartTheme;
use rebound_core::paths::AppDirs;
use rebound_core::progress::CancelToken;
use rebound_core::settings::{AppSettings, Theme};
use rebound_core::store::{Workspace, WorkspaceInfo};
use rebound_core::{Error, ErrorPayload, Result};
use rebound_dashboard::{self as dashboard, Dashboard};
use rebound_demo::{self as demo, DemoOptions, DemoSummary, OnProgress};

/// Seed of the demo workspace the app builds, so every install shows the same shop.
pub const APP_DEMO_SEED: u64 = 2026;
/// People in the demo workspace the app builds: big enough to look real,
/// small enough to build in seconds on a laptop.
pub const APP_DEMO_PEOPLE: u32 = 20_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkspaceSummary {
    pub path: String,
    pub name: String,
    /// It holds Rebound's demo shop, so the app labels it sample data.
    pub has_demo_data: bool,
}

impl WorkspaceSummary {
    async fn of(workspace: &Workspace) -> WorkspaceSummary {
        WorkspaceSummary {
            path: workspace.path().display().to_string(),
            name: workspace.name(),
            // A workspace that cannot say is not labelled; its screens report the error.
            has_demo_data: rebound_dashboard::has_demo_data(workspace)
                .await
                .unwrap_or(false),
        }
    }
}

/// Everything the UI needs at start and after a workspace change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AppStatus {
    pub workspace: Option<WorkspaceSummary>,
    pub settings: AppSettings,
    pub default_workspace_path: String,
    pub demo_workspace_path: String,
    /// Folder proposed for new workspaces.
    pub documents_dir: String,
    /// No workspace file exists yet: the UI builds the default one with demo data.
    pub first_run: bool,
    /// Why the last workspace could not be reopened, if it could not.
    pub startup_error: Option<ErrorPayload>,
}

/// What "Load demo workspace" produced: the workspace it opened and what it wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DemoLoaded {
    pub workspace: WorkspaceSummary,
    pub demo: DemoSummary,
}

/// Which file "Load demo workspace" builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DemoTarget {
    /// The default workspace, on first run.
    Default,
    /// `Demo.rebound` in the app data folder, replaced each time.
    Demo,
}

pub use rebound_core::time::Clock;

pub struct Session {
    dirs: AppDirs,
    settings: Mutex<AppSettings>,
    workspace: RwLock<Option<Workspace>>,
    startup_error: Mutex<Option<ErrorPayload>>,
    jobs: Mutex<HashMap<String, CancelToken>>,
    clock: Clock,
}

impl Session {
    pub fn new(dirs: AppDirs, clock: Clock) -> Session {
        let settings = AppSettings::load(&dirs.settings_file());
        Session {
            dirs,
            settings: Mutex::new(settings),
            workspace: RwLock::new(None),
            startup_error: Mutex::new(None),
            jobs: Mutex::new(HashMap::new()),
            clock,
        }
    }

    /// The app's folders: workspaces, settings, the SMTP settings file.
    pub fn dirs(&self) -> &AppDirs {
        &self.dirs
    }

    /// The session's clock, handed to every workspace it opens.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The session's clock: "now" for evaluations and saved times.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn settings(&self) -> AppSettings {
        self.settings.lock().expect("settings lock").clone()
    }

    /// Opens the workspace used last (or the default one) if nothing is open.
    pub async fn startup(&self) -> AppStatus {
        let needs_open = self.workspace.read().await.is_none();
        if needs_open {
            let candidate = self
                .settings()
                .last_workspace()
                .or_else(|| Some(self.dirs.default_workspace()).filter(|p| p.is_file()));
            if let Some(path) = candidate {
                if let Err(error) = self.open(&path).await {
                    tracing::warn!(%error, "could not reopen the last workspace");
                    *self.startup_error.lock().expect("lock") = Some(ErrorPayload::from(&error));
                }
            }
        }
        self.status().await
    }

    pub async fn status(&self) -> AppStatus {
        let workspace = match self.workspace.read().await.as_ref() {
            Some(open) => Some(WorkspaceSummary::of(open).await),
            None => None,
        };
        let settings = self.settings();
        let first_run = workspace.is_none()
            && settings.recent.is_empty()
            && !self.dirs.default_workspace().exists();
        AppStatus {
            workspace,
            settings,
            default_workspace_path: self.dirs.default_workspace().display().to_string(),
            demo_workspace_path: self.dirs.demo_workspace().display().to_string(),
            documents_dir: dirs::document_dir()
                .or_else(dirs::home_dir)
                .unwrap_or_else(|| self.dirs.data.clone())
                .display()
                .to_string(),
            first_run,
            startup_error: self.startup_error.lock().expect("lock").clone(),
        }
    }

    /// The open workspace (a cheap handle to its connection pool).
    pub async fn current(&self) -> Result<Workspace> {
        self.workspace
            .read()
            .await
            .clone()
            .ok_or(Error::NoWorkspace)
    }

    pub async fn open(&self, path: &Path) -> Result<WorkspaceSummary> {
        let workspace = Workspace::open_with(path, self.clock).await?;
        Ok(self.switch_to(workspace).await)
    }

    pub async fn create(&self, path: &Path) -> Result<WorkspaceSummary> {
        let path = with_extension(path);
        let workspace = Workspace::create_with(&path, self.clock).await?;
        Ok(self.switch_to(workspace).await)
    }

    async fn switch_to(&self, workspace: Workspace) -> WorkspaceSummary {
        let summary = WorkspaceSummary::of(&workspace).await;
        let previous = self.workspace.write().await.replace(workspace);
        if let Some(previous) = previous {
            if previous.path() != Path::new(&summary.path) {
                previous.close().await;
            }
        }
        *self.startup_error.lock().expect("lock") = None;
        self.update_settings(|s| s.remember(Path::new(&summary.path), (self.clock)()));
        summary
    }

    fn update_settings(&self, change: impl FnOnce(&mut AppSettings)) {
        let mut settings = self.settings.lock().expect("settings lock");
        change(&mut settings);
        if let Err(error) = settings.save(&self.dirs.settings_file()) {
            // Settings are a convenience; failing to save them must not fail the action.
            tracing::warn!(%error, "could not save settings");
        }
    }

    pub fn set_theme(&self, theme: Theme) -> AppSettings {
        self.update_settings(|s| s.theme = theme);
        self.settings()
    }

    pub fn forget_recent(&self, path: &Path) -> AppSettings {
        self.update_settings(|s| s.forget(path));
        self.settings()
    }

    pub async fn info(&self) -> Result<WorkspaceInfo> {
        self.current().await?.info().await
    }

    pub async fn dashboard(&self, theme: ChartTheme) -> Result<Dashboard> {
        dashboard::dashboard(&self.current().await?, theme).await
    }

    /// Builds a demo workspace file and opens it. Whatever was open stays open
    /// if the build fails or is cancelled.
    pub async fn load_demo(
        &self,
        target: DemoTarget,
        people: u32,
        on_progress: OnProgress<'_>,
        cancel: &CancelToken,
    ) -> Result<DemoLoaded> {
        let path = match target {
            DemoTarget::Default => self.dirs.default_workspace(),
            DemoTarget::Demo => self.dirs.demo_workspace(),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("create the folder", parent))?;
        }
        let options = DemoOptions {
            people,
            seed: APP_DEMO_SEED,
            end_date: (self.clock)().date_naive(),
            currency: rebound_demo::CURRENCY.to_string(),
        };
        // The file is replaced by a rename; close it first if it is the open one.
        let open_here = {
            let guard = self.workspace.read().await;
            guard.as_ref().is_some_and(|w| w.path() == path)
        };
        if open_here {
            if let Some(w) = self.workspace.write().await.take() {
                w.close().await;
            }
        }
        let built = demo::build_file(&path, &options, on_progress, cancel).await;
        match built {
            Ok(summary) => {
                let workspace = self.open(&path).await?;
                Ok(DemoLoaded {
                    workspace,
                    demo: summary,
                })
            }
            Err(error) => {
                if open_here {
                    let _ = self.open(&path).await;
                }
                Err(error)
            }
        }
    }

    /// Registers a cancellable job under an id the UI chose.
    pub fn start_job(&self, id: &str) -> CancelToken {
        let token = CancelToken::new();
        self.jobs
            .lock()
            .expect("jobs lock")
            .insert(id.to_string(), token.clone());
        token
    }

    /// Asks a running job to stop; false when no such job is running.
    pub fn cancel_job(&self, id: &str) -> bool {
        match self.jobs.lock().expect("jobs lock").get(id) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    pub fn finish_job(&self, id: &str) {
        self.jobs.lock().expect("jobs lock").remove(id);
    }
}

/// New workspaces get the `.rebound` extension unless they have one.
fn with_extension(path: &Path) -> PathBuf {
    if path.extension().is_some() {
        path.to_path_buf()
    } else {
        path.with_extension(rebound_core::store::EXTENSION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn clock() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
    }

    fn session(home: &Path) -> Session {
        Session::new(AppDirs::under(home), clock)
    }

    #[tokio::test]
    async fn first_run_then_demo_then_reopen_on_next_start() {
        let home = tempfile::tempdir().unwrap();
        let s = session(home.path());
        let status = s.startup().await;
        assert!(status.first_run);
        assert!(status.workspace.is_none());
        assert_eq!(
            s.current().await.unwrap_err().code(),
            rebound_core::ErrorCode::NoWorkspace
        );

        let loaded = s
            .load_demo(DemoTarget::Default, 300, &|_| {}, &CancelToken::new())
            .await
            .unwrap();
        let (opened, summary) = (loaded.workspace, loaded.demo);
        assert_eq!(opened.name, "Default");
        assert_eq!(summary.last_day, "2026-11-20");
        let board = s.dashboard(ChartTheme::Light).await.unwrap();
        assert_eq!(board.kpis.people, 300);
        assert!(!board.is_empty);
        assert!(board.has_demo_data);

        // A new session (next app start) reopens the same workspace.
        let again = session(home.path());
        let status = again.startup().await;
        assert!(!status.first_run);
        let reopened = status.workspace.unwrap();
        assert_eq!(reopened.path, opened.path);
        assert!(opened.has_demo_data && reopened.has_demo_data);
        assert_eq!(status.settings.recent[0].opened_at, "2026-11-20T09:00:00Z");
    }

    #[tokio::test]
    async fn create_adds_the_extension_and_becomes_recent() {
        let home = tempfile::tempdir().unwrap();
        let s = session(home.path());
        let made = s.create(&home.path().join("Spring sale")).await.unwrap();
        assert!(made.path.ends_with("Spring sale.rebound"));
        assert_eq!(made.name, "Spring sale");
        assert!(!made.has_demo_data);
        let board = s.dashboard(ChartTheme::Dark).await.unwrap();
        assert!(board.is_empty);
        assert!(board.currencies.is_empty());
        assert!(!board.has_demo_data);
        assert_eq!(s.status().await.settings.recent[0].path, made.path);
        let err = s
            .create(&home.path().join("Spring sale.rebound"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::AlreadyExists);
        assert_eq!(
            s.current().await.unwrap().path(),
            Path::new(&made.path),
            "a failed create keeps the open workspace"
        );
    }

    #[tokio::test]
    async fn a_broken_last_workspace_is_reported_at_startup() {
        let home = tempfile::tempdir().unwrap();
        let s = session(home.path());
        let made = s.create(&home.path().join("w")).await.unwrap();
        drop(s);
        std::fs::write(&made.path, b"garbage that is not sqlite").unwrap();
        let status = session(home.path()).startup().await;
        assert!(status.workspace.is_none());
        assert_eq!(
            status.startup_error.unwrap().code,
            rebound_core::ErrorCode::NotAWorkspace
        );
    }

    #[tokio::test]
    async fn cancelled_demo_keeps_the_open_workspace() {
        let home = tempfile::tempdir().unwrap();
        let s = session(home.path());
        s.load_demo(DemoTarget::Demo, 200, &|_| {}, &CancelToken::new())
            .await
            .unwrap();
        let token = s.start_job("j1");
        assert!(s.cancel_job("j1"));
        assert!(!s.cancel_job("nope"));
        let err = s
            .load_demo(DemoTarget::Demo, 400, &|_| {}, &token)
            .await
            .unwrap_err();
        s.finish_job("j1");
        assert_eq!(err.code(), rebound_core::ErrorCode::Cancelled);
        let still = s.current().await.unwrap();
        assert_eq!(still.count("people").await.unwrap(), 200);
    }

    #[tokio::test]
    async fn theme_and_recent_list_persist() {
        let home = tempfile::tempdir().unwrap();
        let s = session(home.path());
        s.set_theme(Theme::Dark);
        let made = s.create(&home.path().join("a")).await.unwrap();
        s.forget_recent(Path::new(&made.path));
        let reloaded = session(home.path()).settings();
        assert_eq!(reloaded.theme, Theme::Dark);
        assert!(reloaded.recent.is_empty());
    }
}

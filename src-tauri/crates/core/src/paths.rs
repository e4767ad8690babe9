//! Where Rebound keeps its files on each OS. The app and the CLI share these
//! rules, so `rebound info` without `--workspace` reads the very file the app
//! shows.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// The app's identifier; also the name of its folders under the OS data and
/// config folders (the same folder Tauri's path resolver uses).
pub const APP_IDENTIFIER: &str = "app.rebound.desktop";

/// Environment variable that moves both folders under one directory
/// (portable installs, tests).
pub const HOME_ENV: &str = "REBOUND_HOME";

/// Environment variable naming the workspace the CLI works on.
pub const WORKSPACE_ENV: &str = "REBOUND_WORKSPACE";

/// The folders Rebound writes to outside workspace files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDirs {
    /// Default and demo workspaces.
    pub data: PathBuf,
    /// Settings: theme, recent workspaces.
    pub config: PathBuf,
}

impl AppDirs {
    /// The OS's folders, or `$REBOUND_HOME/{data,config}` when that is set.
    pub fn from_env() -> Result<AppDirs> {
        if let Some(home) = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
            return Ok(AppDirs::under(Path::new(&home)));
        }
        let data = dirs::data_dir().ok_or_else(|| {
            Error::InvalidInput("this system has no application data folder".into())
        })?;
        let config = dirs::config_dir()
            .ok_or_else(|| Error::InvalidInput("this system has no configuration folder".into()))?;
        Ok(AppDirs {
            data: data.join(APP_IDENTIFIER),
            config: config.join(APP_IDENTIFIER),
        })
    }

    pub fn under(home: &Path) -> AppDirs {
        AppDirs {
            data: home.join("data"),
            config: home.join("config"),
        }
    }

    /// The workspace the app opens when nothing else was opened before.
    pub fn default_workspace(&self) -> PathBuf {
        self.data.join("Default.rebound")
    }

    /// Where "Load demo workspace" builds its file.
    pub fn demo_workspace(&self) -> PathBuf {
        self.data.join("Demo.rebound")
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config.join("settings.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_lives_under_a_given_home() {
        let dirs = AppDirs::under(Path::new("/tmp/r"));
        assert_eq!(
            dirs.default_workspace(),
            Path::new("/tmp/r/data/Default.rebound")
        );
        assert_eq!(dirs.demo_workspace(), Path::new("/tmp/r/data/Demo.rebound"));
        assert_eq!(
            dirs.settings_file(),
            Path::new("/tmp/r/config/settings.json")
        );
    }
}

//! App settings kept outside workspaces: theme and recently opened files.
//! Stored as JSON in the config folder, written atomically (temp file, then
//! rename), so a crash mid-save leaves the previous settings intact.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

const MAX_RECENT: usize = 10;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecentWorkspace {
    pub path: String,
    pub name: String,
    /// RFC 3339, UTC.
    pub opened_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AppSettings {
    pub theme: Theme,
    /// Most recent first, at most ten, without duplicates.
    pub recent: Vec<RecentWorkspace>,
}

impl AppSettings {
    /// Reads settings; a missing or unreadable file gives the defaults, since
    /// losing a recent-files list must never stop the app from starting.
    pub fn load(path: &Path) -> AppSettings {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                tracing::warn!(%error, path = %path.display(), "settings file is damaged; using defaults");
                AppSettings::default()
            }),
            Err(_) => AppSettings::default(),
        }
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("create the folder", parent))?;
        }
        let json = serde_json::to_vec_pretty(self).expect("settings always serialise");
        let tmp = temp_sibling(path);
        std::fs::write(&tmp, json).map_err(Error::io("write", &tmp))?;
        std::fs::rename(&tmp, path).map_err(Error::io("replace", path))?;
        Ok(())
    }

    /// Puts `path` first in the recent list.
    pub fn remember(&mut self, path: &Path, opened_at: chrono::DateTime<chrono::Utc>) {
        let key = path.display().to_string();
        self.recent.retain(|r| r.path != key);
        self.recent.insert(
            0,
            RecentWorkspace {
                name: crate::store::display_name(path),
                path: key,
                opened_at: opened_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            },
        );
        self.recent.truncate(MAX_RECENT);
    }

    pub fn forget(&mut self, path: &Path) {
        let key = path.display().to_string();
        self.recent.retain(|r| r.path != key);
    }

    /// The workspace to reopen at start: the most recent one still on disk.
    pub fn last_workspace(&self) -> Option<PathBuf> {
        self.recent
            .iter()
            .map(|r| PathBuf::from(&r.path))
            .find(|p| p.is_file())
    }
}

fn temp_sibling(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc.with_ymd_and_hms(2026, 11, 1, h, 0, 0).unwrap()
    }

    #[test]
    fn recent_list_is_most_recent_first_unique_and_bounded() {
        let mut s = AppSettings::default();
        for i in 0..12 {
            s.remember(Path::new(&format!("/w/{i}.rebound")), at(i));
        }
        s.remember(Path::new("/w/5.rebound"), at(20));
        assert_eq!(s.recent.len(), 10);
        assert_eq!(s.recent[0].path, "/w/5.rebound");
        assert_eq!(s.recent[0].name, "5");
        assert_eq!(s.recent[0].opened_at, "2026-11-01T20:00:00Z");
        assert_eq!(
            s.recent.iter().filter(|r| r.path == "/w/5.rebound").count(),
            1
        );
        s.forget(Path::new("/w/5.rebound"));
        assert!(s.recent.iter().all(|r| r.path != "/w/5.rebound"));
    }

    #[test]
    fn save_and_load_round_trip_and_damage_falls_back_to_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cfg/settings.json");
        assert_eq!(AppSettings::load(&file), AppSettings::default());
        let mut s = AppSettings {
            theme: Theme::Dark,
            ..Default::default()
        };
        s.remember(Path::new("/w/a.rebound"), at(1));
        s.save(&file).unwrap();
        assert_eq!(AppSettings::load(&file), s);
        std::fs::write(&file, b"{not json").unwrap();
        assert_eq!(AppSettings::load(&file), AppSettings::default());
    }

    #[test]
    fn last_workspace_skips_files_that_are_gone() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.rebound");
        std::fs::write(&real, b"").unwrap();
        let mut s = AppSettings::default();
        s.remember(&real, at(1));
        s.remember(&dir.path().join("gone.rebound"), at(2));
        assert_eq!(s.last_workspace(), Some(real));
    }
}

//! The TypeScript side of every type that crosses the IPC boundary is
//! generated from these Rust types by ts-rs and committed in
//! `ui/src/bindings/`. This test regenerates them and fails when the
//! committed files drift; run it with `UPDATE_BINDINGS=1` to rewrite them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::TS;

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/bindings")
}

/// Every type the UI receives or sends. Types they refer to are exported with them.
fn export_all(dir: &Path) {
    let cfg = ts_rs::Config::new().with_out_dir(dir);
    macro_rules! export {
        ($($t:ty),* $(,)?) => {
            $( <$t>::export_all(&cfg).expect(concat!("export ", stringify!($t))); )*
        };
    }
    export!(
        crate::error::ErrorPayload,
        crate::progress::Progress,
        crate::session::AppStatus,
        crate::session::DemoTarget,
        crate::session::DemoLoaded,
        crate::session::WorkspaceSummary,
        crate::settings::Theme,
        crate::store::WorkspaceInfo,
        crate::dashboard::Dashboard,
        crate::charts::ChartTheme,
        crate::demo::DemoSummary,
        crate::experiments::ExperimentListItem,
        crate::experiments::ExperimentDetail,
        crate::experiments::ExperimentExport,
        crate::experiments::ManualAnalysis,
        crate::experiments::PlannerDefaults,
        crate::experiments::PlanRequest,
        crate::experiments::PlanResult,
        crate::import::ImportInspection,
        crate::import::ImportRequest,
        crate::import::ImportOutcome,
        crate::import::ImportRecord,
        crate::import::RejectionPage,
        crate::split_tests::SplitOptions,
        crate::split_tests::SplitRequest,
    );
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".ts") {
                files.insert(
                    name,
                    std::fs::read_to_string(entry.path())
                        .unwrap()
                        .replace("\r\n", "\n"),
                );
            }
        }
    }
    files
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    let generated = read_dir(fresh.path());
    assert!(
        generated.contains_key("Dashboard.ts"),
        "{:?}",
        generated.keys()
    );
    let committed_dir = committed_dir();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        // Only the top-level files are ours: `segments/` below is written by
        // rebound-segments' own bindings test.
        for name in read_dir(&committed_dir).keys() {
            let _ = std::fs::remove_file(committed_dir.join(name));
        }
        std::fs::create_dir_all(&committed_dir).unwrap();
        for (name, text) in &generated {
            std::fs::write(committed_dir.join(name), text).unwrap();
        }
        return;
    }
    let committed = read_dir(&committed_dir);
    let mut drift = Vec::new();
    for (name, text) in &generated {
        match committed.get(name) {
            None => drift.push(format!("{name} is missing")),
            Some(old) if old != text => drift.push(format!("{name} differs")),
            Some(_) => {}
        }
    }
    for name in committed.keys().filter(|n| !generated.contains_key(*n)) {
        drift.push(format!("{name} is no longer generated"));
    }
    assert!(
        drift.is_empty(),
        "ui/src/bindings is out of date with the Rust types ({}); run `make bindings`",
        drift.join(", ")
    );
}

//! The TypeScript side of every type that crosses the IPC boundary is
//! generated from these Rust types by ts-rs and committed in
//! `ui/src/bindings/`. This test regenerates them and fails when the
//! committed files drift; run it with `UPDATE_BINDINGS=1` to rewrite them.

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
        crate::progress::ProgressReport,
        crate::session::AppStatus,
        crate::session::DemoTarget,
        crate::session::DemoLoaded,
        crate::session::WorkspaceSummary,
        crate::settings::Theme,
        crate::store::WorkspaceInfo,
        crate::dashboard::Dashboard,
        crate::reports::ReportSummary,
        crate::reports::ReportPage,
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
        crate::audience_tests::AudienceTestRequest,
    );
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    let fresh = tempfile::tempdir().expect("temp dir");
    export_all(fresh.path());
    crate::ts_bindings::sync_bindings(fresh.path(), &committed_dir(), "Dashboard.ts");
}

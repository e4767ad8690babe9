//! The TypeScript side of every type that crosses the IPC boundary is
//! generated from these Rust types by ts-rs and committed in
//! `ui/src/bindings/`. This test regenerates them and fails when the
//! committed files drift; run it with `UPDATE_BINDINGS=1` to rewrite them.

// Every type the UI receives or sends. Types they refer to are exported with them.
rebound_core::bindings_test!("", "Dashboard.ts";
    rebound_core::error::ErrorPayload,
    rebound_core::progress::ProgressReport,
    crate::session::AppStatus,
    crate::session::DemoTarget,
    crate::session::DemoLoaded,
    crate::session::WorkspaceSummary,
    rebound_core::settings::Theme,
    rebound_core::store::WorkspaceInfo,
    rebound_dashboard::Dashboard,
    rebound_import::reports::ReportSummary,
    rebound_import::reports::ReportPage,
    rebound_charts::ChartTheme,
    rebound_demo::DemoSummary,
    rebound_experiments::ExperimentListItem,
    rebound_experiments::ExperimentDetail,
    rebound_experiments::ExperimentExport,
    rebound_experiments::ManualAnalysis,
    rebound_experiments::PlannerDefaults,
    rebound_experiments::PlanRequest,
    rebound_experiments::PlanResult,
    rebound_import::ImportInspection,
    rebound_import::ImportRequest,
    rebound_import::ImportOutcome,
    rebound_import::ImportRecord,
    rebound_import::RejectionPage,
    rebound_experiments::split_tests::SplitOptions,
    rebound_experiments::split_tests::SplitRequest,
    rebound_experiments::audience_tests::AudienceTestRequest,
    rebound_experiments::audience_tests::ArmsCheck,
);

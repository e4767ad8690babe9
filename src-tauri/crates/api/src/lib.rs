//! `rebound-api`: the one surface every caller uses. Each operation is one
//! typed use-case function, `area::operation(&Ctx, args…) -> Result<T>`,
//! listed once in [`operations!`]. The desktop app's Tauri commands are
//! generated from that list (one line each, `src-tauri/src/commands.rs`), the
//! UI's call layer `ui/src/bindings/api/commands.ts` is generated from it
//! (`typescript`, checked for drift by a test), and the CLI calls the same
//! functions. Neither the app nor the CLI holds use-case logic.
//!
//! Errors are `rebound_core::Error`: one `ErrorCode` set, the same over IPC
//! and in `--json`.

pub mod campaigns;
pub mod creatives;
mod ctx;
pub mod experiments;
pub mod import;
pub mod segments;
pub mod sequences;
pub mod session;
pub mod typescript;
pub mod workspace;

#[cfg(test)]
mod bindings;

pub use ctx::Ctx;
pub use rebound_core::{Error as ApiError, Result as ApiResult};
pub use session::Session;

/// Every type an operation takes or returns, so the code [`operations!`]
/// expands to can name them all with one `use rebound_api::types::*`.
pub mod types {
    pub use crate::session::{AppStatus, DemoLoaded, DemoTarget, WorkspaceSummary};
    pub use chrono::NaiveDate;
    pub use rebound_campaigns::model::DraftProblem;
    pub use rebound_campaigns::{
        AttributionQuery, AttributionReport, Campaign, CampaignDraft, CampaignStatus,
        CampaignSummary, ChartKpi, MetricsQuery, MetricsReport, OverMessagingQuery,
        OverMessagingReport, Plan, Table, WizardOptions,
    };
    pub use rebound_charts::ChartTheme;
    pub use rebound_core::settings::{AppSettings, Theme};
    pub use rebound_core::store::WorkspaceInfo;
    pub use rebound_core::Progress;
    pub use rebound_creatives::{
        AdFormat, CreativeFile, FormatSpec, ImageKind, LogoChoice, Preview, PreviewGrid,
        SavedTemplate, SuggestedPerson, TemplateDefinition, TokenHelp,
    };
    pub use rebound_dashboard::Dashboard;
    pub use rebound_experiments::audience_tests::{ArmsCheck, AudienceArm, AudienceTestRequest};
    pub use rebound_experiments::split_tests::{SplitOptions, SplitRequest};
    pub use rebound_experiments::{
        ExperimentDetail, ExperimentExport, ExperimentListItem, ManualAnalysis, PlanRequest,
        PlanResult, PlannerDefaults,
    };
    pub use rebound_import::reports::{ReportPage, ReportSummary};
    pub use rebound_import::{
        ImportInspection, ImportOutcome, ImportRecord, ImportRequest, RejectionPage,
    };
    pub use rebound_segments::{
        Breakdowns, EngineReading, Member, MembersPage, MembershipChart, OverlapMatrix,
        PersonTimeline, SavedSegment, SegmentCount, SegmentDefinition, SegmentVocabulary, Template,
    };
    pub use rebound_sequences::history::PreviewPerson;
    pub use rebound_sequences::{
        DryRun, DryRunOptions, Flow, FlowStatus, FlowTemplate, MessagePreview, SavedFlow,
        SendingRules, SmtpSettings,
    };
    pub use rebound_stats::ExperimentData;
    pub use std::path::PathBuf;
}

/// The table of operations: `command_name => area::function(args) -> T;`.
/// `[job]` marks an operation that reports progress and can be cancelled: its
/// caller names the job and listens to its progress. The table is handed to
/// `$callback!`, which the code it expands to must find in scope along with
/// `rebound_api::types::*`.
#[macro_export]
macro_rules! operations {
    ($callback:ident) => {
        $callback! {
            // The app and its workspace
            app_status => workspace::app_status() -> AppStatus;
            workspace_open => workspace::open(path: PathBuf) -> WorkspaceSummary;
            workspace_create => workspace::create(path: PathBuf) -> WorkspaceSummary;
            workspace_info => workspace::info() -> WorkspaceInfo;
            dashboard => workspace::dashboard(theme: ChartTheme) -> Dashboard;
            demo_load => [job] workspace::demo_load(target: DemoTarget, people: Option<u32>) -> DemoLoaded;
            job_cancel => workspace::job_cancel(job_id: String) -> bool;
            settings_set_theme => workspace::set_theme(theme: Theme) -> AppSettings;
            recent_forget => workspace::forget_recent(path: PathBuf) -> AppSettings;
            // Experiments
            experiments_list => experiments::list() -> Vec<ExperimentListItem>;
            experiment_detail => experiments::detail(id: i64, theme: ChartTheme) -> ExperimentDetail;
            experiment_export => experiments::export(id: i64, format: ExperimentExport, path: PathBuf) -> ();
            planner_defaults => experiments::planner_defaults() -> PlannerDefaults;
            experiment_plan => experiments::plan(request: PlanRequest) -> PlanResult;
            experiment_analyze => experiments::analyze(data: ExperimentData, theme: ChartTheme) -> ManualAnalysis;
            split_test_options => experiments::split_test_options(import_id: i64) -> SplitOptions;
            split_test_create => experiments::split_test_create(request: SplitRequest) -> i64;
            audience_arms_check => experiments::audience_arms_check(arms: Vec<AudienceArm>) -> ArmsCheck;
            audience_test_create => experiments::audience_test_create(definition: SegmentDefinition, request: AudienceTestRequest) -> i64;
            audience_test_export_arms => experiments::audience_test_export_arms(id: i64, path: PathBuf) -> ();
            // Imports and reports
            import_inspect => import::inspect(path: PathBuf) -> ImportInspection;
            import_run => [job] import::run(request: ImportRequest) -> ImportOutcome;
            imports_list => import::list() -> Vec<ImportRecord>;
            import_undo => import::undo(id: i64) -> ImportRecord;
            import_rejections => import::rejections(id: i64, offset: u32, limit: u32) -> RejectionPage;
            reports_list => import::reports() -> Vec<ReportSummary>;
            report_rows => import::report_rows(import_id: i64, section: u32, offset: i64, limit: i64) -> ReportPage;
            // Campaigns
            campaigns_list => campaigns::list() -> Vec<Campaign>;
            campaign_summaries => campaigns::summaries() -> Vec<CampaignSummary>;
            campaign_get => campaigns::get(id: i64) -> Campaign;
            campaign_wizard_options => campaigns::wizard_options() -> WizardOptions;
            campaign_check => campaigns::check(draft: CampaignDraft) -> Vec<DraftProblem>;
            campaign_plan => campaigns::plan(draft: CampaignDraft) -> Plan;
            campaign_save => campaigns::save(id: Option<i64>, draft: CampaignDraft) -> Campaign;
            campaign_set_status => campaigns::set_status(id: i64, status: CampaignStatus) -> Campaign;
            campaign_delete => campaigns::delete(id: i64) -> ();
            campaign_attach => campaigns::attach(campaign_id: i64, source_id: i64) -> Campaign;
            campaign_detach => campaigns::detach(source_id: i64) -> ();
            campaign_metrics => campaigns::metrics(query: MetricsQuery) -> MetricsReport;
            campaign_chart => campaigns::chart(query: MetricsQuery, currency: String, kpi: ChartKpi, theme: ChartTheme) -> String;
            campaign_chart_export => campaigns::chart_export(query: MetricsQuery, currency: String, kpi: ChartKpi, path: PathBuf) -> ();
            campaign_attribution => campaigns::attribution(query: AttributionQuery) -> AttributionReport;
            campaign_over_messaging => campaigns::over_messaging(query: OverMessagingQuery) -> OverMessagingReport;
            campaign_table_export => campaigns::table_export(table: Table, path: PathBuf) -> ();
            // Segments
            segment_templates => segments::templates() -> Vec<Template>;
            segment_vocabulary => segments::vocabulary() -> SegmentVocabulary;
            segment_engine_reading => segments::engine_reading() -> Option<EngineReading>;
            segment_engine_cancel => segments::engine_cancel() -> bool;
            segments_list => segments::list() -> Vec<SavedSegment>;
            segment_get => segments::get(id: i64) -> SavedSegment;
            segment_save => segments::save(id: Option<i64>, definition: SegmentDefinition) -> SavedSegment;
            segment_delete => segments::delete(id: i64) -> ();
            segment_count => segments::count(definition: SegmentDefinition, as_of_day: Option<NaiveDate>) -> SegmentCount;
            segment_sample => segments::sample(definition: SegmentDefinition, as_of_day: Option<NaiveDate>, size: u32, seed: u64) -> Vec<Member>;
            segment_members => segments::members(definition: SegmentDefinition, as_of_day: Option<NaiveDate>, offset: u64, limit: u32) -> MembersPage;
            segment_breakdowns => segments::breakdowns(definition: SegmentDefinition, as_of_day: Option<NaiveDate>) -> Breakdowns;
            segment_membership => segments::membership(definition: SegmentDefinition, from: NaiveDate, to: NaiveDate, theme: ChartTheme) -> MembershipChart;
            segments_overlap => segments::overlap(as_of_day: Option<NaiveDate>) -> OverlapMatrix;
            person_timeline => segments::person_timeline(person_id: i64, offset: u64, limit: u32) -> PersonTimeline;
            segments_export => segments::export(ids: Vec<i64>, path: PathBuf) -> usize;
            segments_import => segments::import(path: PathBuf) -> Vec<SavedSegment>;
            // Sequences
            sequence_templates => sequences::templates() -> Vec<FlowTemplate>;
            sequences_list => sequences::list() -> Vec<SavedFlow>;
            sequence_save => sequences::save(id: Option<i64>, flow: Flow, status: FlowStatus) -> SavedFlow;
            sequence_delete => sequences::delete(id: i64) -> ();
            sequence_rules => sequences::rules() -> SendingRules;
            sequence_rules_save => sequences::rules_save(rules: SendingRules) -> SendingRules;
            sequence_people => sequences::people(limit: u32) -> Vec<PreviewPerson>;
            sequence_preview => sequences::preview(flow: Flow, step_id: String, person_id: i64, variant: u32) -> MessagePreview;
            sequence_dry_run => [job] sequences::dry_run(flow: Flow, options: DryRunOptions) -> DryRun;
            sequence_export_json => sequences::export_json(flow: Flow, path: PathBuf) -> ();
            sequence_export_csv => sequences::export_csv(flow: Flow, options: DryRunOptions, path: PathBuf) -> u64;
            smtp_settings => sequences::smtp_settings() -> SmtpSettings;
            smtp_settings_save => sequences::smtp_settings_save(settings: SmtpSettings) -> SmtpSettings;
            sequence_send_test => sequences::send_test(flow: Flow, step_id: String, person_id: i64, variant: u32) -> String;
            // Creatives
            creative_formats => creatives::formats() -> Vec<FormatSpec>;
            creative_logos => creatives::logos() -> Vec<LogoChoice>;
            creative_tokens => creatives::tokens() -> Vec<TokenHelp>;
            creative_templates => creatives::templates() -> Vec<SavedTemplate>;
            creative_template_save => creatives::template_save(id: Option<i64>, definition: TemplateDefinition) -> SavedTemplate;
            creative_template_delete => creatives::template_delete(id: i64) -> ();
            creative_people => creatives::people(limit: u32, as_of_day: Option<NaiveDate>) -> Vec<SuggestedPerson>;
            creative_preview => creatives::preview(definition: TemplateDefinition, format: AdFormat, person_id: i64) -> Preview;
            creative_grid => creatives::grid(definition: TemplateDefinition, format: AdFormat, segment: SegmentDefinition, size: u32, seed: u64) -> PreviewGrid;
            creative_export => creatives::export(definition: TemplateDefinition, format: AdFormat, person_id: i64, path: PathBuf, kind: Option<ImageKind>, images: Option<PathBuf>, as_of_day: Option<NaiveDate>) -> CreativeFile;
            creative_images_folder => creatives::images_folder() -> Option<PathBuf>;
            creative_set_images_folder => creatives::set_images_folder(folder: Option<PathBuf>) -> ();
        }
    };
}

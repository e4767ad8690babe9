// Generated from src-tauri/crates/api/src/lib.rs (operations!) by the
// rebound-api typescript test; do not edit. `make bindings` rewrites it.

import type { AdFormat } from "../creatives/AdFormat";
import type { AppSettings } from "../AppSettings";
import type { AppStatus } from "../AppStatus";
import type { ArmsCheck } from "../ArmsCheck";
import type { AttributionQuery } from "../campaigns/AttributionQuery";
import type { AttributionReport } from "../campaigns/AttributionReport";
import type { AudienceArm } from "../AudienceArm";
import type { AudienceTestRequest } from "../AudienceTestRequest";
import type { Breakdowns } from "../segments/Breakdowns";
import type { Campaign } from "../campaigns/Campaign";
import type { CampaignDraft } from "../campaigns/CampaignDraft";
import type { CampaignStatus } from "../campaigns/CampaignStatus";
import type { CampaignSummary } from "../campaigns/CampaignSummary";
import type { ChartKpi } from "../campaigns/ChartKpi";
import type { ChartTheme } from "../ChartTheme";
import type { CreativeFile } from "../creatives/CreativeFile";
import type { Dashboard } from "../Dashboard";
import type { DemoLoaded } from "../DemoLoaded";
import type { DemoTarget } from "../DemoTarget";
import type { DraftProblem } from "../campaigns/DraftProblem";
import type { DryRun } from "../sequences/DryRun";
import type { DryRunOptions } from "../sequences/DryRunOptions";
import type { EngineReading } from "../segments/EngineReading";
import type { ExperimentData } from "../ExperimentData";
import type { ExperimentDetail } from "../ExperimentDetail";
import type { ExperimentExport } from "../ExperimentExport";
import type { ExperimentListItem } from "../ExperimentListItem";
import type { Flow } from "../sequences/Flow";
import type { FlowStatus } from "../sequences/FlowStatus";
import type { FlowTemplate } from "../sequences/FlowTemplate";
import type { FormatSpec } from "../creatives/FormatSpec";
import type { ImageKind } from "../creatives/ImageKind";
import type { ImportInspection } from "../ImportInspection";
import type { ImportOutcome } from "../ImportOutcome";
import type { ImportRecord } from "../ImportRecord";
import type { ImportRequest } from "../ImportRequest";
import type { LogoChoice } from "../creatives/LogoChoice";
import type { ManualAnalysis } from "../ManualAnalysis";
import type { Member } from "../segments/Member";
import type { MembersPage } from "../segments/MembersPage";
import type { MembershipChart } from "../segments/MembershipChart";
import type { MessagePreview } from "../sequences/MessagePreview";
import type { MetricsQuery } from "../campaigns/MetricsQuery";
import type { MetricsReport } from "../campaigns/MetricsReport";
import type { OverMessagingQuery } from "../campaigns/OverMessagingQuery";
import type { OverMessagingReport } from "../campaigns/OverMessagingReport";
import type { OverlapMatrix } from "../segments/OverlapMatrix";
import type { PersonTimeline } from "../segments/PersonTimeline";
import type { Plan } from "../campaigns/Plan";
import type { PlanRequest } from "../PlanRequest";
import type { PlanResult } from "../PlanResult";
import type { PlannerDefaults } from "../PlannerDefaults";
import type { Preview } from "../creatives/Preview";
import type { PreviewGrid } from "../creatives/PreviewGrid";
import type { PreviewPerson } from "../sequences/PreviewPerson";
import type { Progress } from "../Progress";
import type { RejectionPage } from "../RejectionPage";
import type { ReportPage } from "../ReportPage";
import type { ReportSummary } from "../ReportSummary";
import type { SavedFlow } from "../sequences/SavedFlow";
import type { SavedSegment } from "../segments/SavedSegment";
import type { SavedTemplate } from "../creatives/SavedTemplate";
import type { SegmentCount } from "../segments/SegmentCount";
import type { SegmentDefinition } from "../segments/SegmentDefinition";
import type { SegmentVocabulary } from "../segments/SegmentVocabulary";
import type { SendingRules } from "../sequences/SendingRules";
import type { SmtpSettings } from "../sequences/SmtpSettings";
import type { SplitOptions } from "../SplitOptions";
import type { SplitRequest } from "../SplitRequest";
import type { SuggestedPerson } from "../creatives/SuggestedPerson";
import type { Table } from "../campaigns/Table";
import type { Template } from "../segments/Template";
import type { TemplateDefinition } from "../creatives/TemplateDefinition";
import type { Theme } from "../Theme";
import type { TokenHelp } from "../creatives/TokenHelp";
import type { WizardOptions } from "../campaigns/WizardOptions";
import type { WorkspaceInfo } from "../WorkspaceInfo";
import type { WorkspaceSummary } from "../WorkspaceSummary";

/** Sends one command over IPC and resolves with its result. */
export type Invoke = <T>(command: string, args: Record<string, unknown>) => Promise<T>;
/** Makes the channel a job streams its progress through. */
export type ProgressChannel = (onProgress: (progress: Progress) => void) => unknown;

/** Every command the backend offers, by IPC name. */
export const COMMANDS = [
  "app_status",
  "workspace_open",
  "workspace_create",
  "workspace_info",
  "dashboard",
  "demo_load",
  "job_cancel",
  "settings_set_theme",
  "recent_forget",
  "experiments_list",
  "experiment_detail",
  "experiment_export",
  "planner_defaults",
  "experiment_plan",
  "experiment_analyze",
  "split_test_options",
  "split_test_create",
  "audience_arms_check",
  "audience_test_create",
  "audience_test_export_arms",
  "import_inspect",
  "import_run",
  "imports_list",
  "import_undo",
  "import_rejections",
  "reports_list",
  "report_rows",
  "campaigns_list",
  "campaign_summaries",
  "campaign_get",
  "campaign_wizard_options",
  "campaign_check",
  "campaign_plan",
  "campaign_save",
  "campaign_set_status",
  "campaign_delete",
  "campaign_attach",
  "campaign_detach",
  "campaign_metrics",
  "campaign_chart",
  "campaign_chart_export",
  "campaign_attribution",
  "campaign_over_messaging",
  "campaign_table_export",
  "segment_templates",
  "segment_vocabulary",
  "segment_engine_reading",
  "segment_engine_cancel",
  "segments_list",
  "segment_get",
  "segment_save",
  "segment_delete",
  "segment_count",
  "segment_sample",
  "segment_members",
  "segment_breakdowns",
  "segment_membership",
  "segments_overlap",
  "person_timeline",
  "segments_export",
  "segments_import",
  "sequence_templates",
  "sequences_list",
  "sequence_save",
  "sequence_delete",
  "sequence_rules",
  "sequence_rules_save",
  "sequence_people",
  "sequence_preview",
  "sequence_dry_run",
  "sequence_export_json",
  "sequence_export_csv",
  "smtp_settings",
  "smtp_settings_save",
  "sequence_send_test",
  "creative_formats",
  "creative_logos",
  "creative_tokens",
  "creative_templates",
  "creative_template_save",
  "creative_template_delete",
  "creative_people",
  "creative_preview",
  "creative_grid",
  "creative_export",
  "creative_images_folder",
  "creative_set_images_folder",
] as const;

export type Command = (typeof COMMANDS)[number];

/** One typed function per command; `invoke` and `channel` carry them. */
export function commands(invoke: Invoke, channel: ProgressChannel) {
  return {
    /** `workspace::app_status` */
    appStatus: (): Promise<AppStatus> =>
      invoke<AppStatus>("app_status", {  }),
    /** `workspace::open` */
    workspaceOpen: (path: string): Promise<WorkspaceSummary> =>
      invoke<WorkspaceSummary>("workspace_open", { path }),
    /** `workspace::create` */
    workspaceCreate: (path: string): Promise<WorkspaceSummary> =>
      invoke<WorkspaceSummary>("workspace_create", { path }),
    /** `workspace::info` */
    workspaceInfo: (): Promise<WorkspaceInfo> =>
      invoke<WorkspaceInfo>("workspace_info", {  }),
    /** `workspace::dashboard` */
    dashboard: (theme: ChartTheme): Promise<Dashboard> =>
      invoke<Dashboard>("dashboard", { theme }),
    /** `workspace::demo_load` */
    demoLoad: (target: DemoTarget, people: number | null, jobId: string, onProgress: (progress: Progress) => void): Promise<DemoLoaded> =>
      invoke<DemoLoaded>("demo_load", { target, people, jobId, onProgress: channel(onProgress) }),
    /** `workspace::job_cancel` */
    jobCancel: (jobId: string): Promise<boolean> =>
      invoke<boolean>("job_cancel", { jobId }),
    /** `workspace::set_theme` */
    settingsSetTheme: (theme: Theme): Promise<AppSettings> =>
      invoke<AppSettings>("settings_set_theme", { theme }),
    /** `workspace::forget_recent` */
    recentForget: (path: string): Promise<AppSettings> =>
      invoke<AppSettings>("recent_forget", { path }),
    /** `experiments::list` */
    experimentsList: (): Promise<Array<ExperimentListItem>> =>
      invoke<Array<ExperimentListItem>>("experiments_list", {  }),
    /** `experiments::detail` */
    experimentDetail: (id: number, theme: ChartTheme): Promise<ExperimentDetail> =>
      invoke<ExperimentDetail>("experiment_detail", { id, theme }),
    /** `experiments::export` */
    experimentExport: (id: number, format: ExperimentExport, path: string): Promise<null> =>
      invoke<null>("experiment_export", { id, format, path }),
    /** `experiments::planner_defaults` */
    plannerDefaults: (): Promise<PlannerDefaults> =>
      invoke<PlannerDefaults>("planner_defaults", {  }),
    /** `experiments::plan` */
    experimentPlan: (request: PlanRequest): Promise<PlanResult> =>
      invoke<PlanResult>("experiment_plan", { request }),
    /** `experiments::analyze` */
    experimentAnalyze: (data: ExperimentData, theme: ChartTheme): Promise<ManualAnalysis> =>
      invoke<ManualAnalysis>("experiment_analyze", { data, theme }),
    /** `experiments::split_test_options` */
    splitTestOptions: (importId: number): Promise<SplitOptions> =>
      invoke<SplitOptions>("split_test_options", { importId }),
    /** `experiments::split_test_create` */
    splitTestCreate: (request: SplitRequest): Promise<number> =>
      invoke<number>("split_test_create", { request }),
    /** `experiments::audience_arms_check` */
    audienceArmsCheck: (arms: Array<AudienceArm>): Promise<ArmsCheck> =>
      invoke<ArmsCheck>("audience_arms_check", { arms }),
    /** `experiments::audience_test_create` */
    audienceTestCreate: (definition: SegmentDefinition, request: AudienceTestRequest): Promise<number> =>
      invoke<number>("audience_test_create", { definition, request }),
    /** `experiments::audience_test_export_arms` */
    audienceTestExportArms: (id: number, path: string): Promise<null> =>
      invoke<null>("audience_test_export_arms", { id, path }),
    /** `import::inspect` */
    importInspect: (path: string): Promise<ImportInspection> =>
      invoke<ImportInspection>("import_inspect", { path }),
    /** `import::run` */
    importRun: (request: ImportRequest, jobId: string, onProgress: (progress: Progress) => void): Promise<ImportOutcome> =>
      invoke<ImportOutcome>("import_run", { request, jobId, onProgress: channel(onProgress) }),
    /** `import::list` */
    importsList: (): Promise<Array<ImportRecord>> =>
      invoke<Array<ImportRecord>>("imports_list", {  }),
    /** `import::undo` */
    importUndo: (id: number): Promise<ImportRecord> =>
      invoke<ImportRecord>("import_undo", { id }),
    /** `import::rejections` */
    importRejections: (id: number, offset: number, limit: number): Promise<RejectionPage> =>
      invoke<RejectionPage>("import_rejections", { id, offset, limit }),
    /** `import::reports` */
    reportsList: (): Promise<Array<ReportSummary>> =>
      invoke<Array<ReportSummary>>("reports_list", {  }),
    /** `import::report_rows` */
    reportRows: (importId: number, section: number, offset: number, limit: number): Promise<ReportPage> =>
      invoke<ReportPage>("report_rows", { importId, section, offset, limit }),
    /** `campaigns::list` */
    campaignsList: (): Promise<Array<Campaign>> =>
      invoke<Array<Campaign>>("campaigns_list", {  }),
    /** `campaigns::summaries` */
    campaignSummaries: (): Promise<Array<CampaignSummary>> =>
      invoke<Array<CampaignSummary>>("campaign_summaries", {  }),
    /** `campaigns::get` */
    campaignGet: (id: number): Promise<Campaign> =>
      invoke<Campaign>("campaign_get", { id }),
    /** `campaigns::wizard_options` */
    campaignWizardOptions: (): Promise<WizardOptions> =>
      invoke<WizardOptions>("campaign_wizard_options", {  }),
    /** `campaigns::check` */
    campaignCheck: (draft: CampaignDraft): Promise<Array<DraftProblem>> =>
      invoke<Array<DraftProblem>>("campaign_check", { draft }),
    /** `campaigns::plan` */
    campaignPlan: (draft: CampaignDraft): Promise<Plan> =>
      invoke<Plan>("campaign_plan", { draft }),
    /** `campaigns::save` */
    campaignSave: (id: number | null, draft: CampaignDraft): Promise<Campaign> =>
      invoke<Campaign>("campaign_save", { id, draft }),
    /** `campaigns::set_status` */
    campaignSetStatus: (id: number, status: CampaignStatus): Promise<Campaign> =>
      invoke<Campaign>("campaign_set_status", { id, status }),
    /** `campaigns::delete` */
    campaignDelete: (id: number): Promise<null> =>
      invoke<null>("campaign_delete", { id }),
    /** `campaigns::attach` */
    campaignAttach: (campaignId: number, sourceId: number): Promise<Campaign> =>
      invoke<Campaign>("campaign_attach", { campaignId, sourceId }),
    /** `campaigns::detach` */
    campaignDetach: (sourceId: number): Promise<null> =>
      invoke<null>("campaign_detach", { sourceId }),
    /** `campaigns::metrics` */
    campaignMetrics: (query: MetricsQuery): Promise<MetricsReport> =>
      invoke<MetricsReport>("campaign_metrics", { query }),
    /** `campaigns::chart` */
    campaignChart: (query: MetricsQuery, currency: string, kpi: ChartKpi, theme: ChartTheme): Promise<string> =>
      invoke<string>("campaign_chart", { query, currency, kpi, theme }),
    /** `campaigns::chart_export` */
    campaignChartExport: (query: MetricsQuery, currency: string, kpi: ChartKpi, path: string): Promise<null> =>
      invoke<null>("campaign_chart_export", { query, currency, kpi, path }),
    /** `campaigns::attribution` */
    campaignAttribution: (query: AttributionQuery): Promise<AttributionReport> =>
      invoke<AttributionReport>("campaign_attribution", { query }),
    /** `campaigns::over_messaging` */
    campaignOverMessaging: (query: OverMessagingQuery): Promise<OverMessagingReport> =>
      invoke<OverMessagingReport>("campaign_over_messaging", { query }),
    /** `campaigns::table_export` */
    campaignTableExport: (table: Table, path: string): Promise<null> =>
      invoke<null>("campaign_table_export", { table, path }),
    /** `segments::templates` */
    segmentTemplates: (): Promise<Array<Template>> =>
      invoke<Array<Template>>("segment_templates", {  }),
    /** `segments::vocabulary` */
    segmentVocabulary: (): Promise<SegmentVocabulary> =>
      invoke<SegmentVocabulary>("segment_vocabulary", {  }),
    /** `segments::engine_reading` */
    segmentEngineReading: (): Promise<EngineReading | null> =>
      invoke<EngineReading | null>("segment_engine_reading", {  }),
    /** `segments::engine_cancel` */
    segmentEngineCancel: (): Promise<boolean> =>
      invoke<boolean>("segment_engine_cancel", {  }),
    /** `segments::list` */
    segmentsList: (): Promise<Array<SavedSegment>> =>
      invoke<Array<SavedSegment>>("segments_list", {  }),
    /** `segments::get` */
    segmentGet: (id: number): Promise<SavedSegment> =>
      invoke<SavedSegment>("segment_get", { id }),
    /** `segments::save` */
    segmentSave: (id: number | null, definition: SegmentDefinition): Promise<SavedSegment> =>
      invoke<SavedSegment>("segment_save", { id, definition }),
    /** `segments::delete` */
    segmentDelete: (id: number): Promise<null> =>
      invoke<null>("segment_delete", { id }),
    /** `segments::count` */
    segmentCount: (definition: SegmentDefinition, asOfDay: string | null): Promise<SegmentCount> =>
      invoke<SegmentCount>("segment_count", { definition, asOfDay }),
    /** `segments::sample` */
    segmentSample: (definition: SegmentDefinition, asOfDay: string | null, size: number, seed: number): Promise<Array<Member>> =>
      invoke<Array<Member>>("segment_sample", { definition, asOfDay, size, seed }),
    /** `segments::members` */
    segmentMembers: (definition: SegmentDefinition, asOfDay: string | null, offset: number, limit: number): Promise<MembersPage> =>
      invoke<MembersPage>("segment_members", { definition, asOfDay, offset, limit }),
    /** `segments::breakdowns` */
    segmentBreakdowns: (definition: SegmentDefinition, asOfDay: string | null): Promise<Breakdowns> =>
      invoke<Breakdowns>("segment_breakdowns", { definition, asOfDay }),
    /** `segments::membership` */
    segmentMembership: (definition: SegmentDefinition, from: string, to: string, theme: ChartTheme): Promise<MembershipChart> =>
      invoke<MembershipChart>("segment_membership", { definition, from, to, theme }),
    /** `segments::overlap` */
    segmentsOverlap: (asOfDay: string | null): Promise<OverlapMatrix> =>
      invoke<OverlapMatrix>("segments_overlap", { asOfDay }),
    /** `segments::person_timeline` */
    personTimeline: (personId: number, offset: number, limit: number): Promise<PersonTimeline> =>
      invoke<PersonTimeline>("person_timeline", { personId, offset, limit }),
    /** `segments::export` */
    segmentsExport: (ids: Array<number>, path: string): Promise<number> =>
      invoke<number>("segments_export", { ids, path }),
    /** `segments::import` */
    segmentsImport: (path: string): Promise<Array<SavedSegment>> =>
      invoke<Array<SavedSegment>>("segments_import", { path }),
    /** `sequences::templates` */
    sequenceTemplates: (): Promise<Array<FlowTemplate>> =>
      invoke<Array<FlowTemplate>>("sequence_templates", {  }),
    /** `sequences::list` */
    sequencesList: (): Promise<Array<SavedFlow>> =>
      invoke<Array<SavedFlow>>("sequences_list", {  }),
    /** `sequences::save` */
    sequenceSave: (id: number | null, flow: Flow, status: FlowStatus): Promise<SavedFlow> =>
      invoke<SavedFlow>("sequence_save", { id, flow, status }),
    /** `sequences::delete` */
    sequenceDelete: (id: number): Promise<null> =>
      invoke<null>("sequence_delete", { id }),
    /** `sequences::rules` */
    sequenceRules: (): Promise<SendingRules> =>
      invoke<SendingRules>("sequence_rules", {  }),
    /** `sequences::rules_save` */
    sequenceRulesSave: (rules: SendingRules): Promise<SendingRules> =>
      invoke<SendingRules>("sequence_rules_save", { rules }),
    /** `sequences::people` */
    sequencePeople: (limit: number): Promise<Array<PreviewPerson>> =>
      invoke<Array<PreviewPerson>>("sequence_people", { limit }),
    /** `sequences::preview` */
    sequencePreview: (flow: Flow, stepId: string, personId: number, variant: number): Promise<MessagePreview> =>
      invoke<MessagePreview>("sequence_preview", { flow, stepId, personId, variant }),
    /** `sequences::dry_run` */
    sequenceDryRun: (flow: Flow, options: DryRunOptions, jobId: string, onProgress: (progress: Progress) => void): Promise<DryRun> =>
      invoke<DryRun>("sequence_dry_run", { flow, options, jobId, onProgress: channel(onProgress) }),
    /** `sequences::export_json` */
    sequenceExportJson: (flow: Flow, path: string): Promise<null> =>
      invoke<null>("sequence_export_json", { flow, path }),
    /** `sequences::export_csv` */
    sequenceExportCsv: (flow: Flow, options: DryRunOptions, path: string): Promise<number> =>
      invoke<number>("sequence_export_csv", { flow, options, path }),
    /** `sequences::smtp_settings` */
    smtpSettings: (): Promise<SmtpSettings> =>
      invoke<SmtpSettings>("smtp_settings", {  }),
    /** `sequences::smtp_settings_save` */
    smtpSettingsSave: (settings: SmtpSettings): Promise<SmtpSettings> =>
      invoke<SmtpSettings>("smtp_settings_save", { settings }),
    /** `sequences::send_test` */
    sequenceSendTest: (flow: Flow, stepId: string, personId: number, variant: number): Promise<string> =>
      invoke<string>("sequence_send_test", { flow, stepId, personId, variant }),
    /** `creatives::formats` */
    creativeFormats: (): Promise<Array<FormatSpec>> =>
      invoke<Array<FormatSpec>>("creative_formats", {  }),
    /** `creatives::logos` */
    creativeLogos: (): Promise<Array<LogoChoice>> =>
      invoke<Array<LogoChoice>>("creative_logos", {  }),
    /** `creatives::tokens` */
    creativeTokens: (): Promise<Array<TokenHelp>> =>
      invoke<Array<TokenHelp>>("creative_tokens", {  }),
    /** `creatives::templates` */
    creativeTemplates: (): Promise<Array<SavedTemplate>> =>
      invoke<Array<SavedTemplate>>("creative_templates", {  }),
    /** `creatives::template_save` */
    creativeTemplateSave: (id: number | null, definition: TemplateDefinition): Promise<SavedTemplate> =>
      invoke<SavedTemplate>("creative_template_save", { id, definition }),
    /** `creatives::template_delete` */
    creativeTemplateDelete: (id: number): Promise<null> =>
      invoke<null>("creative_template_delete", { id }),
    /** `creatives::people` */
    creativePeople: (limit: number, asOfDay: string | null): Promise<Array<SuggestedPerson>> =>
      invoke<Array<SuggestedPerson>>("creative_people", { limit, asOfDay }),
    /** `creatives::preview` */
    creativePreview: (definition: TemplateDefinition, format: AdFormat, personId: number): Promise<Preview> =>
      invoke<Preview>("creative_preview", { definition, format, personId }),
    /** `creatives::grid` */
    creativeGrid: (definition: TemplateDefinition, format: AdFormat, segment: SegmentDefinition, size: number, seed: number): Promise<PreviewGrid> =>
      invoke<PreviewGrid>("creative_grid", { definition, format, segment, size, seed }),
    /** `creatives::export` */
    creativeExport: (definition: TemplateDefinition, format: AdFormat, personId: number, path: string, kind: ImageKind | null, images: string | null, asOfDay: string | null): Promise<CreativeFile> =>
      invoke<CreativeFile>("creative_export", { definition, format, personId, path, kind, images, asOfDay }),
    /** `creatives::images_folder` */
    creativeImagesFolder: (): Promise<string | null> =>
      invoke<string | null>("creative_images_folder", {  }),
    /** `creatives::set_images_folder` */
    creativeSetImagesFolder: (folder: string | null): Promise<null> =>
      invoke<null>("creative_set_images_folder", { folder }),
  };
}

export type Commands = ReturnType<typeof commands>;

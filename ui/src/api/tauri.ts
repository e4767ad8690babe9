// The Backend over Tauri IPC. Command names and argument shapes mirror
// src-tauri/src/commands; the types come from the generated bindings.

import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, save } from "@tauri-apps/plugin-dialog";
import { campaignsOverTauri } from "./campaigns";
import { sequencesOverTauri } from "./sequences";
import { creativesOverTauri } from "./creatives";

import type { AppSettings } from "../bindings/AppSettings";
import type { AppStatus } from "../bindings/AppStatus";
import type { Dashboard } from "../bindings/Dashboard";
import type { DemoLoaded } from "../bindings/DemoLoaded";
import type { ExperimentDetail } from "../bindings/ExperimentDetail";
import type { ExperimentListItem } from "../bindings/ExperimentListItem";
import type { ImportInspection } from "../bindings/ImportInspection";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { ImportRecord } from "../bindings/ImportRecord";
import type { ManualAnalysis } from "../bindings/ManualAnalysis";
import type { PlannerDefaults } from "../bindings/PlannerDefaults";
import type { PlanResult } from "../bindings/PlanResult";
import type { Progress } from "../bindings/Progress";
import type { RejectionPage } from "../bindings/RejectionPage";
import type { ReportPage } from "../bindings/ReportPage";
import type { ReportSummary } from "../bindings/ReportSummary";
import type { SplitOptions } from "../bindings/SplitOptions";
import type { WorkspaceInfo } from "../bindings/WorkspaceInfo";
import type { WorkspaceSummary } from "../bindings/WorkspaceSummary";
import type { Breakdowns } from "../bindings/segments/Breakdowns";
import type { Member } from "../bindings/segments/Member";
import type { MembershipChart } from "../bindings/segments/MembershipChart";
import type { OverlapMatrix } from "../bindings/segments/OverlapMatrix";
import type { PersonTimeline } from "../bindings/segments/PersonTimeline";
import type { SavedSegment } from "../bindings/segments/SavedSegment";
import type { EngineReading } from "../bindings/segments/EngineReading";
import type { SegmentCount } from "../bindings/segments/SegmentCount";
import type { SegmentVocabulary } from "../bindings/segments/SegmentVocabulary";
import type { Template } from "../bindings/segments/Template";
import { type Backend, type MenuAction, toBackendError } from "./backend";

/** Exports the importer reads, for the file picker's filter. */
const IMPORT_EXTENSIONS = ["csv", "tsv", "txt", "json", "jsonl", "ndjson", "xml", "xlsx"];


async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toBackendError(raw);
  }
}

export function isTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

export const tauriBackend: Backend = {
  ...creativesOverTauri(call),
  ...campaignsOverTauri(call),
  ...sequencesOverTauri(call),
  kind: "tauri",
  appStatus: () => call<AppStatus>("app_status"),
  openWorkspace: (path) => call<WorkspaceSummary>("workspace_open", { path }),
  createWorkspace: (path) => call<WorkspaceSummary>("workspace_create", { path }),
  workspaceInfo: () => call<WorkspaceInfo>("workspace_info"),
  dashboard: (theme) => call<Dashboard>("dashboard", { theme }),
  loadDemo: (target, people, jobId, onProgress) => {
    const channel = new Channel<Progress>();
    channel.onmessage = onProgress;
    return call<DemoLoaded>("demo_load", { target, people, jobId, onProgress: channel });
  },
  cancelJob: (jobId) => call<boolean>("job_cancel", { jobId }),
  setTheme: (theme) => call<AppSettings>("settings_set_theme", { theme }),
  forgetRecent: (path) => call<AppSettings>("recent_forget", { path }),
  experiments: () => call<ExperimentListItem[]>("experiments_list"),
  experimentDetail: (id, theme) => call<ExperimentDetail>("experiment_detail", { id, theme }),
  exportExperiment: async (id, format, suggestedName) => {
    const path = await save({ defaultPath: suggestedName, filters: [{ name: format.toUpperCase(), extensions: [format] }] });
    if (typeof path !== "string") return false;
    await call<null>("experiment_export", { id, format, path });
    return true;
  },
  analyzeFigures: (data, theme) => call<ManualAnalysis>("experiment_analyze", { data, theme }),
  plannerDefaults: () => call<PlannerDefaults>("planner_defaults"),
  plan: (request) => call<PlanResult>("experiment_plan", { request }),
  splitTestOptions: (importId) => call<SplitOptions>("split_test_options", { importId }),
  createSplitTest: (request) => call<number>("split_test_create", { request }),
  createAudienceTest: (definition, request) => call<number>("audience_test_create", { definition, request }),
  exportAudienceTestArms: async (id, suggestedName) => {
    const path = await save({ defaultPath: suggestedName, filters: [{ name: "CSV", extensions: ["csv"] }] });
    if (typeof path !== "string") return false;
    await call<null>("audience_test_export_arms", { id, path });
    return true;
  },
  pickWorkspaceFile: async () => {
    const picked = await open({
      multiple: false,
      directory: false,
      filters: [{ name: "Rebound workspace", extensions: ["rebound"] }],
    });
    return typeof picked === "string" ? picked : null;
  },
  pickFolder: async (startIn) => {
    const picked = await open({ multiple: false, directory: true, defaultPath: startIn });
    return typeof picked === "string" ? picked : null;
  },
  inspectImport: (path) => call<ImportInspection>("import_inspect", { path }),
  runImport: (request, jobId, onProgress) => {
    const channel = new Channel<Progress>();
    channel.onmessage = onProgress;
    return call<ImportOutcome>("import_run", { request, jobId, onProgress: channel });
  },
  imports: () => call<ImportRecord[]>("imports_list"),
  undoImport: (id) => call<ImportRecord>("import_undo", { id }),
  importRejections: (id, offset, limit) => call<RejectionPage>("import_rejections", { id, offset, limit }),
  reports: () => call<ReportSummary[]>("reports_list"),
  reportRows: (importId, section, offset, limit) => call<ReportPage>("report_rows", { importId, section, offset, limit }),
  pickImportFiles: async () => {
    const picked = await open({
      multiple: true,
      directory: false,
      filters: [
        { name: "Exports (CSV, TSV, JSON lines, XML, Excel)", extensions: IMPORT_EXTENSIONS },
        { name: "All files", extensions: ["*"] },
      ],
    });
    if (picked === null) return [];
    return Array.isArray(picked) ? picked : [picked];
  },
  onFileDrag: (handler) =>
    getCurrentWebview().onDragDropEvent((event) => {
      const payload = event.payload;
      if (payload.type === "drop") handler({ kind: "drop", paths: payload.paths });
      else if (payload.type === "leave") handler({ kind: "leave" });
      else handler({ kind: "hover" });
    }),
  segmentTemplates: () => call<Template[]>("segment_templates"),
  segmentVocabulary: () => call<SegmentVocabulary>("segment_vocabulary"),
  segments: () => call<SavedSegment[]>("segments_list"),
  saveSegment: (id, definition) => call<SavedSegment>("segment_save", { id, definition }),
  deleteSegment: (id) => call<null>("segment_delete", { id }).then(() => undefined),
  segmentEngineReading: () => call<EngineReading | null>("segment_engine_reading"),
  segmentEngineCancel: () => call<boolean>("segment_engine_cancel"),
  segmentCount: (definition, asOfDay) => call<SegmentCount>("segment_count", { definition, asOfDay }),
  segmentSample: (definition, asOfDay, size, seed) => call<Member[]>("segment_sample", { definition, asOfDay, size, seed }),
  segmentBreakdowns: (definition, asOfDay) => call<Breakdowns>("segment_breakdowns", { definition, asOfDay }),
  segmentMembership: (definition, from, to, theme) => call<MembershipChart>("segment_membership", { definition, from, to, theme }),
  segmentsOverlap: (asOfDay) => call<OverlapMatrix>("segments_overlap", { asOfDay }),
  personTimeline: (personId, offset, limit) => call<PersonTimeline>("person_timeline", { personId, offset, limit }),
  exportSegments: async (ids, suggestedName) => {
    const path = await save({ defaultPath: suggestedName, filters: [{ name: "Rebound segments (JSON)", extensions: ["json"] }] });
    if (typeof path !== "string") return null;
    return call<number>("segments_export", { ids, path });
  },
  importSegments: async () => {
    const picked = await open({ multiple: false, directory: false, filters: [{ name: "Rebound segments (JSON)", extensions: ["json"] }] });
    if (typeof picked !== "string") return null;
    return call<SavedSegment[]>("segments_import", { path: picked });
  },
  onMenu: async (handler) => listen<MenuAction>("menu", (event) => handler(event.payload)),
};

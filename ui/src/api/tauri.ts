// The Backend over Tauri IPC: the generated call layer (bindings/api/commands.ts,
// from rebound-api's operation table) plus the native dialogs and events.
// No command name is typed here.

import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, save } from "@tauri-apps/plugin-dialog";
import { campaignsOverTauri } from "./campaigns";
import { sequencesOverTauri } from "./sequences";
import { creativesOverTauri } from "./creatives";
import { commands } from "../bindings/api/commands";

import type { Progress } from "../bindings/Progress";
import { type Backend, type MenuAction, toBackendError } from "./backend";

/** Exports the importer reads, for the file picker's filter. */
const IMPORT_EXTENSIONS = ["csv", "tsv", "txt", "json", "jsonl", "ndjson", "xml", "xlsx"];


/** Every command, typed, over Tauri IPC; errors become BackendErrors. */
const api = commands(
  async <T>(command: string, args: Record<string, unknown>): Promise<T> => {
    try {
      return await invoke<T>(command, args);
    } catch (raw) {
      throw toBackendError(raw);
    }
  },
  (onProgress) => {
    const channel = new Channel<Progress>();
    channel.onmessage = onProgress;
    return channel;
  },
);

export function isTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

export const tauriBackend: Backend = {
  ...creativesOverTauri(api),
  ...campaignsOverTauri(api),
  ...sequencesOverTauri(api),
  kind: "tauri",
  appStatus: api.appStatus,
  openWorkspace: api.workspaceOpen,
  createWorkspace: api.workspaceCreate,
  workspaceInfo: api.workspaceInfo,
  dashboard: api.dashboard,
  loadDemo: api.demoLoad,
  cancelJob: api.jobCancel,
  setTheme: api.settingsSetTheme,
  forgetRecent: api.recentForget,
  experiments: api.experimentsList,
  experimentDetail: api.experimentDetail,
  exportExperiment: async (id, format, suggestedName) => {
    const path = await save({ defaultPath: suggestedName, filters: [{ name: format.toUpperCase(), extensions: [format] }] });
    if (typeof path !== "string") return false;
    await api.experimentExport(id, format, path);
    return true;
  },
  analyzeFigures: api.experimentAnalyze,
  plannerDefaults: api.plannerDefaults,
  plan: api.experimentPlan,
  splitTestOptions: api.splitTestOptions,
  createSplitTest: api.splitTestCreate,
  checkAudienceArms: api.audienceArmsCheck,
  createAudienceTest: api.audienceTestCreate,
  exportAudienceTestArms: async (id, suggestedName) => {
    const path = await save({ defaultPath: suggestedName, filters: [{ name: "CSV", extensions: ["csv"] }] });
    if (typeof path !== "string") return false;
    await api.audienceTestExportArms(id, path);
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
  inspectImport: api.importInspect,
  runImport: api.importRun,
  imports: api.importsList,
  undoImport: api.importUndo,
  importRejections: api.importRejections,
  reports: api.reportsList,
  reportRows: api.reportRows,
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
  segmentTemplates: api.segmentTemplates,
  segmentVocabulary: api.segmentVocabulary,
  segments: api.segmentsList,
  saveSegment: api.segmentSave,
  deleteSegment: (id) => api.segmentDelete(id).then(() => undefined),
  segmentEngineReading: api.segmentEngineReading,
  segmentEngineCancel: api.segmentEngineCancel,
  segmentCount: api.segmentCount,
  segmentSample: api.segmentSample,
  segmentBreakdowns: api.segmentBreakdowns,
  segmentMembership: api.segmentMembership,
  segmentsOverlap: api.segmentsOverlap,
  personTimeline: api.personTimeline,
  exportSegments: async (ids, suggestedName) => {
    const path = await save({ defaultPath: suggestedName, filters: [{ name: "Rebound segments (JSON)", extensions: ["json"] }] });
    if (typeof path !== "string") return null;
    return api.segmentsExport(ids, path);
  },
  importSegments: async () => {
    const picked = await open({ multiple: false, directory: false, filters: [{ name: "Rebound segments (JSON)", extensions: ["json"] }] });
    if (typeof picked !== "string") return null;
    return api.segmentsImport(picked);
  },
  onMenu: async (handler) => listen<MenuAction>("menu", (event) => handler(event.payload)),
};

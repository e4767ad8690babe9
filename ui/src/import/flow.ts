// The import dialog as a state machine: files are inspected, reviewed (format
// override, column mapping), imported one after another, then reported on.
// Kept free of React and IPC so every transition is tested on its own.

import type { BackendError } from "../api/backend";
import type { Format } from "../bindings/Format";
import type { ImportInspection } from "../bindings/ImportInspection";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { ImportRequest } from "../bindings/ImportRequest";
import type { Progress } from "../bindings/Progress";
import { count, plural } from "../lib/format";
import { type MappingDraft, mappingProblems, toColumnMapping } from "./mapping";

export type FileState =
  | { status: "inspecting" }
  | { status: "unreadable"; error: BackendError }
  | { status: "ready" }
  | { status: "importing"; progress: Progress | null }
  | { status: "imported"; outcome: ImportOutcome }
  | { status: "failed"; error: BackendError }
  | { status: "cancelled" }
  | { status: "skipped" }
  /** Left out of this import because it still needed a choice (its format, its columns). */
  | { status: "left_out"; reason: string };

export interface FileEntry {
  path: string;
  name: string;
  inspection: ImportInspection | null;
  /** The format to import as: detected, or chosen by the person. */
  format: Format | null;
  /** A column mapping made in the mapping step (generic CSV/JSONL). */
  mapping: MappingDraft | null;
  /** The yes/no column chosen as the conversion of a per-person A/B file; null: the first. */
  conversion: string | null;
  state: FileState;
}

export type Phase = "review" | "mapping" | "importing" | "results";

export interface FlowState {
  phase: Phase;
  files: FileEntry[];
  /** The file whose columns are being mapped, and its format before, to go back to on cancel. */
  mapping: { path: string; previous: Format | null } | null;
  cancelling: boolean;
}

export type FlowAction =
  | { type: "add"; paths: readonly string[] }
  | { type: "remove"; path: string }
  | { type: "inspected"; path: string; inspection: ImportInspection }
  | { type: "inspect_failed"; path: string; error: BackendError }
  | { type: "choose_format"; path: string; format: Format }
  | { type: "choose_conversion"; path: string; column: string }
  | { type: "open_mapping"; path: string }
  | { type: "mapping_done"; path: string; draft: MappingDraft }
  | { type: "mapping_cancelled" }
  | { type: "start" }
  | { type: "file_started"; path: string }
  | { type: "progress"; path: string; progress: Progress }
  | { type: "file_imported"; path: string; outcome: ImportOutcome }
  | { type: "file_failed"; path: string; error: BackendError }
  | { type: "cancel" }
  | { type: "finished" };

export const GENERIC: readonly Format[] = ["generic_csv", "generic_jsonl"];

export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export function initialFlow(paths: readonly string[]): FlowState {
  return flowReducer({ phase: "review", files: [], mapping: null, cancelling: false }, { type: "add", paths });
}

/** The file needs a column mapping the person has not given yet. */
export function needsMapping(file: FileEntry): boolean {
  if (!file.inspection || file.format === null || !GENERIC.includes(file.format)) return false;
  if (file.mapping) return mappingProblems(file.mapping).length > 0;
  return file.inspection.saved_mapping === null;
}

/** Why this file cannot be imported as it stands, in words; null when it can. */
export function blocker(file: FileEntry): string | null {
  if (file.state.status !== "ready" || !file.inspection) return null;
  if (file.format === null || file.format === "unknown") return "Choose what kind of file this is.";
  if (needsMapping(file)) return "Map its columns first.";
  return null;
}

/** Files that will be imported when the person presses Import. */
export function importable(state: FlowState): FileEntry[] {
  return state.files.filter((f) => f.state.status === "ready" && blocker(f) === null);
}

/** Files that still need a choice; Import leaves them out and imports the others. */
function needingChoice(state: FlowState): FileEntry[] {
  return state.files.filter((f) => blocker(f) !== null);
}

export function canStart(state: FlowState): boolean {
  if (state.phase !== "review") return false;
  if (state.files.some((f) => f.state.status === "inspecting")) return false;
  return importable(state).length > 0;
}

/** The Import button's words: how many files it will import. */
export function startLabel(state: FlowState): string {
  const ready = importable(state).length;
  return state.files.length > 1 && ready > 0 ? `Import ${plural(ready, "file")}` : "Import";
}

/** What the review says beside the Import button: which file needs what, and that it is left out until then. */
export function reviewNote(state: FlowState): string {
  if (state.files.some((f) => f.state.status === "inspecting")) return "Reading files…";
  const waiting = needingChoice(state);
  const first = waiting[0];
  if (!first) return "";
  const others = importable(state).length > 0;
  if (others && waiting.length === 1) return `${first.name}: ${blocker(first) ?? ""} It is left out of this import until then.`;
  if (others) return `${first.name} and ${plural(waiting.length - 1, "other file")} need a choice first; they are left out of this import until then.`;
  return `${first.name}: ${blocker(first) ?? ""}${waiting.length > 1 ? ` (and ${count(waiting.length - 1)} more)` : ""}`;
}

/** The next file to import, or null when all are done. */
export function nextToImport(state: FlowState): FileEntry | null {
  if (state.phase !== "importing" || state.cancelling) return null;
  return state.files.find((f) => f.state.status === "ready" && blocker(f) === null) ?? null;
}

export function requestFor(file: FileEntry): ImportRequest {
  const inspection = file.inspection;
  if (!inspection) throw new Error(`${file.name} has not been inspected`);
  const override = file.format !== null && file.format !== inspection.detection.format ? file.format : null;
  const generic = file.format !== null && GENERIC.includes(file.format);
  const mapping = generic && file.mapping ? toColumnMapping(file.mapping, inspection.fingerprint) : null;
  const request: ImportRequest = { path: file.path, format: override, mapping, save_mapping: mapping !== null && (file.mapping?.remember ?? false) };
  return file.conversion !== null ? { ...request, conversion: file.conversion } : request;
}

function update(state: FlowState, path: string, change: (file: FileEntry) => FileEntry): FlowState {
  return { ...state, files: state.files.map((f) => (f.path === path ? change(f) : f)) };
}

export function flowReducer(state: FlowState, action: FlowAction): FlowState {
  switch (action.type) {
    case "add": {
      if (state.phase !== "review") return state;
      const known = new Set(state.files.map((f) => f.path));
      const fresh = action.paths.filter((p, i) => !known.has(p) && action.paths.indexOf(p) === i);
      const added: FileEntry[] = fresh.map((path) => ({ path, name: fileNameOf(path), inspection: null, format: null, mapping: null, conversion: null, state: { status: "inspecting" } }));
      return { ...state, files: [...state.files, ...added] };
    }
    case "remove":
      if (state.phase !== "review") return state;
      return { ...state, files: state.files.filter((f) => f.path !== action.path) };
    case "inspected":
      return update(state, action.path, (f) => ({
        ...f,
        name: action.inspection.file_name,
        inspection: action.inspection,
        format: action.inspection.detection.format,
        state: { status: "ready" },
      }));
    case "inspect_failed":
      return update(state, action.path, (f) => ({ ...f, state: { status: "unreadable", error: action.error } }));
    case "choose_conversion":
      return state.phase === "review" ? update(state, action.path, (f) => ({ ...f, conversion: action.column })) : state;
    case "choose_format": {
      const file = state.files.find((f) => f.path === action.path);
      if (!file || state.phase !== "review") return state;
      const next = update(state, action.path, (f) => ({ ...f, format: action.format }));
      const chosen = next.files.find((f) => f.path === action.path);
      // Choosing a generic format opens the mapping step straight away.
      if (chosen && needsMapping(chosen)) return { ...next, phase: "mapping", mapping: { path: action.path, previous: file.format } };
      return next;
    }
    case "open_mapping": {
      const file = state.files.find((f) => f.path === action.path);
      if (!file || state.phase !== "review") return state;
      return { ...state, phase: "mapping", mapping: { path: action.path, previous: file.format } };
    }
    case "mapping_done": {
      if (mappingProblems(action.draft).length > 0) return state;
      const next = update(state, action.path, (f) => ({
        ...f,
        mapping: action.draft,
        format: f.format !== null && GENERIC.includes(f.format) ? f.format : "generic_csv",
      }));
      return { ...next, phase: "review", mapping: null };
    }
    case "mapping_cancelled": {
      if (!state.mapping) return { ...state, phase: "review" };
      const { path, previous } = state.mapping;
      const next = update(state, path, (f) => (f.mapping ? f : { ...f, format: previous }));
      return { ...next, phase: "review", mapping: null };
    }
    case "start":
      if (!canStart(state)) return state;
      return {
        ...state,
        phase: "importing",
        cancelling: false,
        files: state.files.map((f) => {
          const reason = blocker(f);
          return reason === null ? f : { ...f, state: { status: "left_out", reason } };
        }),
      };
    case "file_started":
      return update(state, action.path, (f) => ({ ...f, state: { status: "importing", progress: null } }));
    case "progress":
      return update(state, action.path, (f) => (f.state.status === "importing" ? { ...f, state: { status: "importing", progress: action.progress } } : f));
    case "file_imported":
      return update(state, action.path, (f) => ({ ...f, state: { status: "imported", outcome: action.outcome } }));
    case "file_failed":
      return update(state, action.path, (f) => ({
        ...f,
        state: action.error.code === "cancelled" ? { status: "cancelled" } : { status: "failed", error: action.error },
      }));
    case "cancel":
      return state.phase === "importing" ? { ...state, cancelling: true } : state;
    case "finished":
      return {
        ...state,
        phase: "results",
        files: state.files.map((f) => (f.state.status === "ready" ? { ...f, state: { status: "skipped" } } : f)),
      };
  }
}

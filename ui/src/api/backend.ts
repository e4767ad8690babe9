// The one interface the UI uses to reach the backend. Inside the app it is
// Tauri IPC (tauri.ts); in a plain browser and in tests it is an in-memory
// fake (fake.ts), so screens can be developed and tested without a window.

import type { AppSettings } from "../bindings/AppSettings";
import type { ArmsCheck } from "../bindings/ArmsCheck";
import type { AudienceArm } from "../bindings/AudienceArm";
import type { AudienceTestRequest } from "../bindings/AudienceTestRequest";
import type { AppStatus } from "../bindings/AppStatus";
import type { ChartTheme } from "../bindings/ChartTheme";
import type { Dashboard } from "../bindings/Dashboard";
import type { DemoLoaded } from "../bindings/DemoLoaded";
import type { DemoTarget } from "../bindings/DemoTarget";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { ExperimentDetail } from "../bindings/ExperimentDetail";
import type { ExperimentExport } from "../bindings/ExperimentExport";
import type { ExperimentData } from "../bindings/ExperimentData";
import type { ExperimentListItem } from "../bindings/ExperimentListItem";
import type { ImportInspection } from "../bindings/ImportInspection";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { ImportRecord } from "../bindings/ImportRecord";
import type { ImportRequest } from "../bindings/ImportRequest";
import type { ManualAnalysis } from "../bindings/ManualAnalysis";
import type { PlannerDefaults } from "../bindings/PlannerDefaults";
import type { PlanRequest } from "../bindings/PlanRequest";
import type { PlanResult } from "../bindings/PlanResult";
import type { SplitOptions } from "../bindings/SplitOptions";
import type { SplitRequest } from "../bindings/SplitRequest";
import type { Progress } from "../bindings/Progress";
import type { RejectionPage } from "../bindings/RejectionPage";
import type { ReportPage } from "../bindings/ReportPage";
import type { ReportSummary } from "../bindings/ReportSummary";
import type { Theme } from "../bindings/Theme";
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
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import type { SegmentVocabulary } from "../bindings/segments/SegmentVocabulary";
import type { Template } from "../bindings/segments/Template";
import type { CampaignBackend } from "./campaigns";
import type { SequenceBackend } from "./sequences";
import type { CreativeBackend } from "./creatives";

/** A menu item chosen in the native menu bar. */
export interface MenuAction {
  action: string;
  path: string | null;
}

/**
 * Files dragged over the window: shown as an overlay while they hover,
 * imported when dropped.
 */
export type FileDrag = { kind: "hover" } | { kind: "leave" } | { kind: "drop"; paths: string[] };

/** An import's id (a row id, below 2^53 like every id crossing IPC). */
export type ImportId = ImportRecord["id"];

export interface Backend extends CreativeBackend, CampaignBackend, SequenceBackend {
  readonly kind: "tauri" | "browser";
  appStatus(): Promise<AppStatus>;
  openWorkspace(path: string): Promise<WorkspaceSummary>;
  createWorkspace(path: string): Promise<WorkspaceSummary>;
  workspaceInfo(): Promise<WorkspaceInfo>;
  dashboard(theme: ChartTheme): Promise<Dashboard>;
  loadDemo(
    target: DemoTarget,
    people: number | null,
    jobId: string,
    onProgress: (progress: Progress) => void,
  ): Promise<DemoLoaded>;
  cancelJob(jobId: string): Promise<boolean>;
  setTheme(theme: Theme): Promise<AppSettings>;
  forgetRecent(path: string): Promise<AppSettings>;
  experiments(): Promise<ExperimentListItem[]>;
  experimentDetail(id: number, theme: ChartTheme): Promise<ExperimentDetail>;
  /** Asks where to save (native dialog), then writes; false when the person cancels. */
  exportExperiment(id: number, format: ExperimentExport, suggestedName: string): Promise<boolean>;
  /** Analyses figures typed in by hand; nothing is stored. */
  analyzeFigures(data: ExperimentData, theme: ChartTheme): Promise<ManualAnalysis>;
  plannerDefaults(): Promise<PlannerDefaults>;
  plan(request: PlanRequest): Promise<PlanResult>;
  /** How an imported ad report can be read as a split test (variants, metrics). */
  splitTestOptions(importId: number): Promise<SplitOptions>;
  /** Stores an imported ad report's split test as an experiment; its id. */
  createSplitTest(request: SplitRequest): Promise<number>;
  /** The arms of an audience test as they are edited: each one's planned share (0 to 1) and what is wrong with them. */
  checkAudienceArms(arms: AudienceArm[]): Promise<ArmsCheck>;
  /** Splits a segment's members among arms and stores the test with each person's outcome; its id. */
  createAudienceTest(definition: SegmentDefinition, request: AudienceTestRequest): Promise<number>;
  /** Asks where to save (native dialog), then writes the test's arms as CSV; false when cancelled. */
  exportAudienceTestArms(id: number, suggestedName: string): Promise<boolean>;
  /** Native "open file" dialog; null when the person cancels. */
  pickWorkspaceFile(): Promise<string | null>;
  /** Native folder picker; null when the person cancels. */
  pickFolder(startIn: string): Promise<string | null>;
  /** Says what a file is (format, evidence, preview) before anything is written. */
  inspectImport(path: string): Promise<ImportInspection>;
  /** Imports one file; `cancelJob(jobId)` stops it and nothing is written. */
  runImport(request: ImportRequest, jobId: string, onProgress: (progress: Progress) => void): Promise<ImportOutcome>;
  /** The import history, newest first. */
  imports(): Promise<ImportRecord[]>;
  /** Removes everything an import wrote; its history row stays, as undone. */
  undoImport(id: ImportId): Promise<ImportRecord>;
  importRejections(id: ImportId, offset: number, limit: number): Promise<RejectionPage>;
  /** The analytics reports (GA4, Search Console, ...) of the complete imports, newest import first. */
  reports(): Promise<ReportSummary[]>;
  /** Rows `offset..offset + limit` of one report (a section of an import), cells as the file wrote them. */
  reportRows(importId: ImportId, section: number, offset: number, limit: number): Promise<ReportPage>;
  /** Native "open files" dialog for exports; empty when the person cancels. */
  pickImportFiles(): Promise<string[]>;
  /** Subscribes to files dragged over and dropped on the window. */
  onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void>;
  /** The seed's audiences, to start a segment from. */
  segmentTemplates(): Promise<Template[]>;
  /** Event names, categories, products, sources, countries... for the rule builder's pickers. */
  segmentVocabulary(): Promise<SegmentVocabulary>;
  segments(): Promise<SavedSegment[]>;
  /** Saves a new segment (id null) or replaces a saved one. */
  saveSegment(id: number | null, definition: SegmentDefinition): Promise<SavedSegment>;
  deleteSegment(id: number): Promise<void>;
  /** How far the read of the workspace into the segment engine's memory has got; null when none is under way. */
  segmentEngineReading(): Promise<EngineReading | null>;
  /** Stops that read: the counts waiting for it fail as cancelled. False when nothing was under way. */
  segmentEngineCancel(): Promise<boolean>;
  /** `asOfDay` is a UTC day, YYYY-MM-DD, evaluated at its end; null means now. */
  segmentCount(definition: SegmentDefinition, asOfDay: string | null): Promise<SegmentCount>;
  segmentSample(definition: SegmentDefinition, asOfDay: string | null, size: number, seed: number): Promise<Member[]>;
  segmentBreakdowns(definition: SegmentDefinition, asOfDay: string | null): Promise<Breakdowns>;
  segmentMembership(definition: SegmentDefinition, from: string, to: string, theme: ChartTheme): Promise<MembershipChart>;
  /** Pairwise overlap of every saved segment. */
  segmentsOverlap(asOfDay: string | null): Promise<OverlapMatrix>;
  /** One person's ids, devices and events on every device, newest first. */
  personTimeline(personId: number, offset: number, limit: number): Promise<PersonTimeline>;
  /** Asks where to save (native dialog), then writes; null when the person cancels, else how many. */
  exportSegments(ids: number[], suggestedName: string): Promise<number | null>;
  /** Asks for a file (native dialog) and imports all of its segments or none; null when cancelled. */
  importSegments(): Promise<SavedSegment[] | null>;
  /** Subscribes to native menu actions; returns the unsubscribe function. */
  onMenu(handler: (action: MenuAction) => void): Promise<() => void>;
}

/** An error from the backend, with the code the UI switches on. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.code = payload.code;
    this.name = "BackendError";
  }
}

// Keyed by ErrorCode so a code added in Rust fails type checking here until listed.
const KNOWN: Record<ErrorCode, true> = {
  workspace_not_found: true,
  not_found: true,
  not_a_workspace: true,
  workspace_too_new: true,
  already_exists: true,
  workspace_not_empty: true,
  no_workspace: true,
  invalid_input: true,
  cancelled: true,
  io: true,
  database: true,
  internal: true,
  unrecognised_format: true,
  wrong_format: true,
  needs_mapping: true,
  unreadable_file: true,
  bad_header: true,
  bad_row: true,
  invalid_plan: true,
  invalid_rule: true,
  invalid_segment_file: true,
  segment_not_found: true,
  segment_in_use: true,
  segment_cycle: true,
  invalid_range: true,
  person_not_found: true,
  invalid_template: true,
  unknown_ad_format: true,
  template_not_found: true,
  invalid_flow: true,
  invalid_flow_file: true,
  invalid_rules: true,
  flow_not_found: true,
  smtp: true,
};
const CODES = Object.keys(KNOWN) as readonly ErrorCode[];

/** Turns whatever a rejected call gave us into a BackendError. */
export function toBackendError(raw: unknown): BackendError {
  if (raw instanceof BackendError) return raw;
  if (typeof raw === "object" && raw !== null && "code" in raw && "message" in raw) {
    const { code, message } = raw as { code: unknown; message: unknown };
    if (typeof code === "string" && (CODES as readonly string[]).includes(code) && typeof message === "string") {
      return new BackendError({ code: code as ErrorCode, message });
    }
  }
  const message = raw instanceof Error ? raw.message : String(raw);
  return new BackendError({ code: "internal", message });
}

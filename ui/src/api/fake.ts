// An in-memory Backend for running the UI in a plain browser (`npm run dev`)
// and for component tests. It keeps the same rules as the real one where the
// UI depends on them (errors by code, recent list, empty new workspaces), and
// serves a small fixed sample shop instead of generating data.

import type { AppSettings } from "../bindings/AppSettings";
import type { ArmsCheck } from "../bindings/ArmsCheck";
import type { AudienceArm } from "../bindings/AudienceArm";
import type { AppStatus } from "../bindings/AppStatus";
import type { Dashboard } from "../bindings/Dashboard";
import type { ColumnMapping } from "../bindings/ColumnMapping";
import type { ImportRecord } from "../bindings/ImportRecord";
import type { WorkspaceSummary } from "../bindings/WorkspaceSummary";
import { type Backend, BackendError, type FileDrag, type MenuAction } from "./backend";
import { createFakeSegments } from "./fakeSegments";
import { createFakeCampaigns } from "./fakeCampaigns";
import { createFakeSequences } from "./fakeSequences";
import { createFakeCreatives } from "./fakeCreatives";
import { FAKE_DOWNLOADS, sampleHistory, sampleInspection, sampleRecord, sampleRejections } from "./fakeImports";
import { sampleReportPage, sampleReports } from "./fakeReports";
import { progressReport } from "./fakeProgress";

interface FakeWorkspace {
  /** Its path and name; whether it holds demo data is `demo`. */
  summary: Omit<WorkspaceSummary, "has_demo_data">;
  demo: boolean;
  /** Newest first, like `imports_list`. */
  imports: ImportRecord[];
  mappings: ColumnMapping[];
}

/** The fake's handle for tests: drag files over the window as the OS would. */
export interface FakeControls {
  drag(drag: FileDrag): void;
}

const DEFAULT_PATH = "/home/demo/.local/share/app.rebound.desktop/Default.rebound";
const DEMO_PATH = "/home/demo/.local/share/app.rebound.desktop/Demo.rebound";

/** The demo's rows in each table the workspace has (store.rs `TABLES`, in its order). */
const DEMO_ROWS: Record<string, number> = {
  imports: 1,
  import_rejections: 0,
  people: 1000,
  identities: 1_830,
  devices: 1_412,
  sessions: 5_260,
  events: 1000,
  products: 1000,
  segments: 0,
  campaigns: 1000,
  campaign_daily_metrics: 630,
  ad_metrics: 0,
  report_rows: 95,
  creatives: 0,
  sequences: 0,
  experiments: 1,
  experiment_variants: 2,
  experiment_exposures: 20_000,
  consent: 2_950,
};

/**
 * The backend's arms check (`audience_tests::check_arms`), for the browser
 * preview. `tests/contract/cases.json` holds both to the same answers.
 */
export function checkArms(arms: readonly AudienceArm[]): ArmsCheck {
  const total = arms.reduce((sum, a) => sum + a.weight, 0);
  const shares = arms.map((a) => (total > 0 ? a.weight / total : 0));
  const names = arms.map((a) => a.name.trim());
  const zero = arms.find((a) => a.weight === 0);
  const problem =
    arms.length < 2 || arms.length > 10 ? `a test needs 2 to 10 arms, not ${arms.length}`
    : names.some((n) => n === "") ? "every arm needs a name"
    : new Set(names).size !== names.length ? "arm names must differ"
    : zero ? `arm ${JSON.stringify(zero.name.trim())} has no share of the audience`
    : arms.filter((a) => a.is_control).length !== 1 ? "exactly one arm must be the control"
    : null;
  return { shares, problem };
}

function nameOf(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  return file.replace(/\.rebound$/, "");
}

export function sampleDashboard(name: string): Dashboard {
  const days = Array.from({ length: 30 }, (_, i) => {
    const date = new Date(Date.UTC(2026, 9, 2 + i));
    const revenue = 180_000 + ((i * 7919) % 90_000);
    return { day: date.toISOString().slice(0, 10), revenue_minor: revenue, orders: 20 + (i % 9) };
  });
  return {
    workspace_name: name,
    is_empty: false,
    has_demo_data: true,
    first_day: "2026-08-03",
    last_day: "2026-10-31",
    kpis: { people: 20_000, events: 201_344, orders: 1_204, buyers: 1_001, buyer_rate: 0.05 },
    currencies: [
      {
        currency: "USD",
        first_day: "2026-08-03",
        last_day: "2026-10-31",
        revenue_minor: 68_225_400,
        orders: 1_204,
        buyers: 1_001,
        revenue_last_30_minor: 23_110_000,
        revenue_previous_30_minor: 21_870_500,
        orders_last_30: 402,
        orders_previous_30: 388,
        has_previous_period: true,
        average_order_minor: 56_666,
        revenue_by_day: days,
        revenue_chart_svg: null,
        top_products: [
          { product_id: 1, external_id: "K7-BODY", title: "Kestrel K7 Full-Frame Mirrorless Camera", category: "Cameras", brand: "Kestrel", availability: "in_stock", units: 41, revenue_minor: 10_245_900 },
          { product_id: 2, external_id: "K-2470", title: "Kestrel 24-70mm f/2.8 Zoom Lens", category: "Lenses", brand: "Kestrel", availability: "in_stock", units: 33, revenue_minor: 6_266_700 },
          { product_id: 3, external_id: "VX100", title: "Vantage X100 Premium Compact Camera", category: "Cameras", brand: "Vantage", availability: "out_of_stock", units: 20, revenue_minor: 2_798_000 },
        ],
      },
    ],
  };
}

export function createFakeBackend(options: { firstRun?: boolean; delayMs?: number } = {}): Backend & FakeControls {
  const files = new Map<string, FakeWorkspace>();
  let current: FakeWorkspace | null = null;
  let settings: AppSettings = { theme: "system", recent: [] };
  const cancelled = new Set<string>();
  const menuHandlers = new Set<(a: MenuAction) => void>();
  const dragHandlers = new Set<(d: FileDrag) => void>();
  let importCounter = 10;
  const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const step = options.delayMs ?? 0;

  if (!options.firstRun) {
    files.set(DEFAULT_PATH, { summary: { path: DEFAULT_PATH, name: "Default" }, demo: true, imports: sampleHistory(), mappings: [] });
  }

  function summaryOf(ws: FakeWorkspace): WorkspaceSummary {
    return { ...ws.summary, has_demo_data: ws.demo };
  }

  function remember(summary: FakeWorkspace["summary"]) {
    settings = {
      ...settings,
      recent: [
        { path: summary.path, name: summary.name, opened_at: new Date(0).toISOString() },
        ...settings.recent.filter((r) => r.path !== summary.path),
      ].slice(0, 10),
    };
  }

  function open(path: string): WorkspaceSummary {
    const found = files.get(path);
    if (!found) throw new BackendError({ code: "workspace_not_found", message: `no workspace file at ${path}` });
    current = found;
    remember(found.summary);
    return summaryOf(found);
  }

  function workspace(): FakeWorkspace {
    if (!current) throw new BackendError({ code: "no_workspace", message: "no workspace is open" });
    return current;
  }

  function findImport(id: ImportRecord["id"]): ImportRecord {
    const found = workspace().imports.find((r) => String(r.id) === String(id));
    if (!found) throw new BackendError({ code: "invalid_input", message: `there is no import ${String(id)} in this workspace` });
    return found;
  }

  /** Rows per table: the demo's, plus what complete imports stored (and the history's own rows). */
  function tableRows(ws: FakeWorkspace, table: string): number {
    const imported = ws.imports
      .filter((r) => r.status === "complete")
      .flatMap((r) => r.stored)
      .filter((s) => s.what === table)
      .reduce((sum, s) => sum + s.count, 0);
    const history = table === "imports" ? ws.imports.length : 0;
    return (ws.demo ? (DEMO_ROWS[table] ?? 0) : 0) + imported + history;
  }

  function status(): AppStatus {
    return {
      workspace: current ? summaryOf(current) : null,
      settings,
      default_workspace_path: DEFAULT_PATH,
      demo_workspace_path: DEMO_PATH,
      documents_dir: "/home/demo/Documents",
      first_run: current === null && !files.has(DEFAULT_PATH),
      startup_error: null,
    };
  }

  return {
    kind: "browser",
    ...createFakeSegments(),
    ...createFakeCreatives(),
    ...createFakeCampaigns(),
    ...createFakeSequences(),
    async appStatus() {
      if (!current && files.has(DEFAULT_PATH)) open(DEFAULT_PATH);
      return status();
    },
    async openWorkspace(path) {
      return open(path);
    },
    async createWorkspace(path) {
      const full = /\.[A-Za-z0-9]+$/.test(path) ? path : `${path}.rebound`;
      if (files.has(full)) throw new BackendError({ code: "already_exists", message: `a file already exists at ${full}` });
      files.set(full, { summary: { path: full, name: nameOf(full) }, demo: false, imports: [], mappings: [] });
      return open(full);
    },
    async workspaceInfo() {
      if (!current) throw new BackendError({ code: "no_workspace", message: "no workspace is open" });
      const ws = current;
      return {
        path: current.summary.path,
        name: current.summary.name,
        schema_version: 20261126000000,
        file_size_bytes: current.demo ? 48_000_000 : 98_304,
        tables: Object.keys(DEMO_ROWS).map((table) => ({ table, rows: tableRows(ws, table) })),
      };
    },
    async dashboard() {
      if (!current) throw new BackendError({ code: "no_workspace", message: "no workspace is open" });
      if (!current.demo) {
        return {
          workspace_name: current.summary.name,
          is_empty: true,
          has_demo_data: false,
          first_day: null,
          last_day: null,
          kpis: { people: 0, events: 0, orders: 0, buyers: 0, buyer_rate: 0 },
          currencies: [],
        };
      }
      return sampleDashboard(current.summary.name);
    },
    async loadDemo(target, people, jobId, onProgress) {
      const total = people ?? 20_000;
      for (let done = 0; done <= total; done += total / 4) {
        if (cancelled.has(jobId)) throw new BackendError({ code: "cancelled", message: "cancelled; nothing was changed" });
        onProgress(progressReport({ stage: "Generating people and their events", done, total, unit: "people", elapsed_ms: done, bytes_done: null, bytes_total: null }));
        await delay(step);
      }
      const path = target === "default" ? DEFAULT_PATH : DEMO_PATH;
      files.set(path, { summary: { path, name: nameOf(path) }, demo: true, imports: [], mappings: [] });
      const workspace = open(path);
      return {
        workspace,
        demo: { people: total, devices: 0, identities: 0, sessions: 0, events: total * 10, products: 46, campaigns: 7, orders: 0, consent_records: 0, revenue_minor: 0, currency: "USD", first_day: "2026-08-03", last_day: "2026-10-31", seed: 2026, elapsed_ms: 10 },
      };
    },
    async cancelJob(jobId) {
      cancelled.add(jobId);
      return true;
    },
    async setTheme(theme) {
      settings = { ...settings, theme };
      return settings;
    },
    async forgetRecent(path) {
      settings = { ...settings, recent: settings.recent.filter((r) => r.path !== path) };
      return settings;
    },
    async experiments() {
      return [];
    },
    async experimentDetail(id) {
      throw new BackendError({ code: "not_found", message: `there is no experiment ${id} in this workspace` });
    },
    async exportExperiment() {
      return false;
    },
    async analyzeFigures() {
      throw new BackendError({ code: "internal", message: "the browser preview has no statistics engine; run the app" });
    },
    async plannerDefaults() {
      return { baseline_rate: 0.05, daily_traffic: 1000, source: "From the sample shop." };
    },
    async plan(request) {
      const rate = request.design.baseline.kind === "rate" ? request.design.baseline.rate : 0.1;
      const delta = rate * request.relative_mde;
      const n = Math.ceil((2 * 7.85 * rate * (1 - rate)) / (delta * delta));
      const total = n * request.design.variants;
      const days = request.design.daily_traffic ? Math.ceil(total / request.design.daily_traffic) : null;
      return {
        sample: { relative_mde: request.relative_mde, n_per_variant_exact: n, n_per_variant: n, total, alpha_per_comparison: request.design.alpha, days },
        mde: null,
      };
    },
    async splitTestOptions(importId) {
      const arms = [
        { name: "Ad set A", totals: [12000, 480] },
        { name: "Ad set B", totals: [11559, 469] },
      ];
      return {
        import_id: importId,
        file_name: "meta_split_test.csv",
        metrics: [
          { key: "impressions", label: "Impressions", total: 23559 },
          { key: "clicks", label: "Clicks", total: 949 },
        ],
        groupings: [{ by: "ad_set", arms }],
      };
    },
    async createSplitTest() {
      throw new BackendError({ code: "internal", message: "the browser preview has no statistics engine; run the app" });
    },
    async checkAudienceArms(arms) {
      return checkArms(arms);
    },
    async createAudienceTest() {
      throw new BackendError({ code: "internal", message: "the browser preview has no event log to read outcomes from; run the app" });
    },
    async exportAudienceTestArms() {
      return false;
    },
    async pickWorkspaceFile() {
      return null;
    },
    async pickFolder() {
      return null;
    },
    async inspectImport(path) {
      const ws = workspace();
      if (!path.includes(".")) throw new BackendError({ code: "unreadable_file", message: `cannot read ${path}: it is a folder, not a file; choose the export file inside it` });
      const inspection = sampleInspection(path);
      const saved = ws.mappings.find((m) => m.fingerprint === inspection.fingerprint) ?? null;
      const before = ws.imports.find((r) => r.file_name === inspection.file_name && r.status === "complete") ?? null;
      return { ...inspection, needs_mapping: inspection.needs_mapping && saved === null, saved_mapping: saved, already_imported: before };
    },
    async runImport(request, jobId, onProgress) {
      const ws = workspace();
      const inspection = sampleInspection(request.path);
      const format = request.format ?? inspection.detection.format;
      const generic = format === "generic_csv" || format === "generic_jsonl";
      const saved = ws.mappings.find((m) => m.fingerprint === inspection.fingerprint);
      if (generic && !request.mapping && !saved) {
        throw new BackendError({ code: "needs_mapping", message: `${inspection.file_name} is a generic CSV file: map its columns to event fields first` });
      }
      const before = ws.imports.find((r) => r.file_name === inspection.file_name && r.status === "complete");
      if (before) return { import: before, already_imported: true, rejections: [], elapsed_ms: 3 };
      const started = new Date();
      const record = sampleRecord((importCounter += 1), request.path, format, started, 8 * step + 40);
      const ticks = 8;
      for (let i = 0; i <= ticks; i += 1) {
        if (cancelled.has(jobId)) throw new BackendError({ code: "cancelled", message: `the import of ${inspection.file_name} was cancelled; nothing was written` });
        onProgress(progressReport({
          stage: i === 0 ? `Checking ${inspection.file_name}` : `Reading ${inspection.file_name}`,
          done: Math.round((record.rows_read * i) / ticks),
          total: null,
          unit: "rows",
          elapsed_ms: 40 + i * Math.max(step, 250),
          bytes_done: Math.round((inspection.byte_size * i) / ticks),
          bytes_total: inspection.byte_size,
        }));
        await delay(step);
      }
      if (request.save_mapping && request.mapping) {
        ws.mappings = [...ws.mappings.filter((m) => m.fingerprint !== request.mapping?.fingerprint), request.mapping];
      }
      // An undone import of the same file reuses its history row.
      ws.imports = [record, ...ws.imports.filter((r) => !(r.file_name === record.file_name && r.status === "undone"))];
      return { import: record, already_imported: false, rejections: sampleRejections(record).slice(0, 50), elapsed_ms: 8 * step + 40 };
    },
    async imports() {
      return [...workspace().imports];
    },
    async undoImport(id) {
      const record = findImport(id);
      if (record.status === "undone") throw new BackendError({ code: "invalid_input", message: `the import of ${record.file_name} is already undone` });
      const undone: ImportRecord = { ...record, status: "undone" };
      const ws = workspace();
      ws.imports = ws.imports.map((r) => (r === record ? undone : r));
      return undone;
    },
    async importRejections(id, offset, limit) {
      const all = sampleRejections(findImport(id));
      return { total: all.length, listed: all.length, rows: all.slice(offset, offset + limit) };
    },
    async reports() {
      return workspace().demo ? sampleReports().map((r) => r.summary) : [];
    },
    async reportRows(importId, section, offset, limit) {
      return sampleReportPage(workspace().demo ? sampleReports() : [], importId, section, offset, limit);
    },
    async pickImportFiles() {
      return [`${FAKE_DOWNLOADS}/google_ads_campaign_report_alltime_usd.csv`, `${FAKE_DOWNLOADS}/rees46_2019-Oct_head_sample.csv`];
    },
    async onFileDrag(handler) {
      dragHandlers.add(handler);
      return () => dragHandlers.delete(handler);
    },
    drag(drag) {
      for (const handler of dragHandlers) handler(drag);
    },
    async onMenu(handler) {
      menuHandlers.add(handler);
      return () => menuHandlers.delete(handler);
    },
  };
}

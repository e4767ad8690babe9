import { describe, expect, it } from "vitest";
import { BackendError } from "../api/backend";
import { sampleInspection, sampleRecord } from "../api/fakeImports";
import type { ImportInspection } from "../bindings/ImportInspection";
import { canStart, type FlowState, flowReducer, importable, initialFlow, needsMapping, nextToImport, requestFor, reviewNote, startLabel } from "./flow";
import { draftFor } from "./mapping";

const ADS = "/d/google_ads_campaign_report_alltime_usd.csv";
const EVENTS = "/d/events_export.csv";
const REES46 = "/d/rees46_2019-Oct_head_sample.csv";
const UNKNOWN = "/d/notes_2019.csv";

function inspection(path: string, over: Partial<ImportInspection> = {}): ImportInspection {
  return { ...sampleInspection(path), saved_mapping: null, already_imported: null, ...over };
}

function run(state: FlowState, ...actions: Parameters<typeof flowReducer>[1][]): FlowState {
  return actions.reduce(flowReducer, state);
}

describe("import flow", () => {
  it("sends the conversion column chosen for a per-person A/B file", () => {
    const CATS = "/d/cookie_cats.csv";
    const detection = { format: "ab_per_person" as const, confidence: 0.9, evidence: [], encoding: "UTF-8", delimiter: "," };
    let s = initialFlow([CATS]);
    s = run(s, { type: "inspected", path: CATS, inspection: inspection(CATS, { detection, conversion_choices: ["retention_1", "retention_7"] }) });
    expect(requestFor(s.files[0]!).conversion).toBeUndefined();
    s = run(s, { type: "choose_conversion", path: CATS, column: "retention_7" });
    expect(requestFor(s.files[0]!)).toEqual({ path: CATS, format: null, mapping: null, save_mapping: false, conversion: "retention_7" });
  });

  it("inspects files once each, then imports them one after another", () => {
    let s = initialFlow([ADS, ADS]);
    expect(s.files.map((f) => f.state.status)).toEqual(["inspecting"]);
    expect(canStart(s)).toBe(false);
    s = run(s, { type: "inspected", path: ADS, inspection: inspection(ADS) });
    expect(s.files[0]?.format).toBe("google_ads_report");
    expect(canStart(s)).toBe(true);
    expect(requestFor(s.files[0]!)).toEqual({ path: ADS, format: null, mapping: null, save_mapping: false });
    s = run(s, { type: "start" });
    expect(s.phase).toBe("importing");
    expect(nextToImport(s)?.path).toBe(ADS);
    const outcome = { import: sampleRecord(1, ADS, "google_ads_report", new Date(0), 10), already_imported: false, rejections: [], elapsed_ms: 10 };
    s = run(s, { type: "file_started", path: ADS }, { type: "file_imported", path: ADS, outcome });
    expect(nextToImport(s)).toBeNull();
    s = run(s, { type: "finished" });
    expect(s.phase).toBe("results");
    expect(s.files[0]?.state.status).toBe("imported");
  });

  it("asks for a column mapping for generic files, and blocks Import until given", () => {
    let s = run(initialFlow([EVENTS]), { type: "inspected", path: EVENTS, inspection: inspection(EVENTS) });
    expect(needsMapping(s.files[0]!)).toBe(true);
    expect(canStart(s)).toBe(false);
    s = run(s, { type: "open_mapping", path: EVENTS });
    expect(s.phase).toBe("mapping");
    const draft = draftFor("events_export.csv", { columns: { timestamp: "ts", event_name: "action", visitor_id: "anon_id" }, timestamp: { kind: "unix_seconds" } });
    s = run(s, { type: "mapping_done", path: EVENTS, draft });
    expect(s.phase).toBe("review");
    expect(canStart(s)).toBe(true);
    const request = requestFor(s.files[0]!);
    expect(request.mapping?.columns).toEqual({ timestamp: "ts", event_name: "action", visitor_id: "anon_id" });
    expect(request.mapping?.fingerprint).toBe(s.files[0]?.inspection?.fingerprint);
    expect(request.save_mapping).toBe(true);
  });

  it("a saved mapping is applied without asking", () => {
    const saved = { name: "Shop events", fingerprint: "x", columns: { timestamp: "ts" }, timestamp: { kind: "unix_seconds" as const }, currency: null, event_names: {} };
    const s = run(initialFlow([EVENTS]), { type: "inspected", path: EVENTS, inspection: inspection(EVENTS, { saved_mapping: saved, needs_mapping: false }) });
    expect(needsMapping(s.files[0]!)).toBe(false);
    expect(canStart(s)).toBe(true);
    expect(requestFor(s.files[0]!).mapping).toBeNull();
  });

  it("choosing Generic CSV opens the mapping step; cancelling it restores the format", () => {
    let s = run(initialFlow([ADS]), { type: "inspected", path: ADS, inspection: inspection(ADS) });
    s = run(s, { type: "choose_format", path: ADS, format: "generic_csv" });
    expect(s.phase).toBe("mapping");
    expect(s.mapping?.path).toBe(ADS);
    s = run(s, { type: "mapping_cancelled" });
    expect(s.phase).toBe("review");
    expect(s.files[0]?.format).toBe("google_ads_report");
    s = run(s, { type: "choose_format", path: ADS, format: "meta_ads_export" });
    expect(s.phase).toBe("review");
    expect(requestFor(s.files[0]!).format).toBe("meta_ads_export");
  });

  it("a cancel stops the queue: the current file is cancelled, the rest skipped", () => {
    let s = run(
      initialFlow([ADS, "/d/rees46_2019-Oct_head_sample.csv"]),
      { type: "inspected", path: ADS, inspection: inspection(ADS) },
      { type: "inspected", path: "/d/rees46_2019-Oct_head_sample.csv", inspection: inspection("/d/rees46_2019-Oct_head_sample.csv") },
      { type: "start" },
      { type: "file_started", path: ADS },
      { type: "cancel" },
    );
    expect(nextToImport(s)).toBeNull();
    s = run(s, { type: "file_failed", path: ADS, error: new BackendError({ code: "cancelled", message: "cancelled" }) }, { type: "finished" });
    expect(s.files.map((f) => f.state.status)).toEqual(["cancelled", "skipped"]);
  });

  it("files cannot be added once importing has started", () => {
    const s = run(initialFlow([ADS]), { type: "inspected", path: ADS, inspection: inspection(ADS) }, { type: "start" }, { type: "add", paths: [EVENTS] });
    expect(s.files).toHaveLength(1);
  });

  it("imports the other files when one needs a choice, and leaves that one out until it is made", () => {
    const unknown = inspection(UNKNOWN);
    let s = run(
      initialFlow([ADS, EVENTS, REES46]),
      { type: "inspected", path: ADS, inspection: inspection(ADS) },
      { type: "inspected", path: EVENTS, inspection: inspection(EVENTS) },
    );
    expect(canStart(s)).toBe(false);
    expect(reviewNote(s)).toBe("Reading files…");
    s = run(s, { type: "inspected", path: REES46, inspection: inspection(REES46) });
    expect(canStart(s)).toBe(true);
    expect(startLabel(s)).toBe("Import 2 files");
    expect(reviewNote(s)).toBe("events_export.csv: Map its columns first. It is left out of this import until then.");

    // An unrecognised file needs a choice too.
    const withUnknown = run(s, { type: "add", paths: [UNKNOWN] }, { type: "inspected", path: UNKNOWN, inspection: { ...unknown, detection: { ...unknown.detection, format: "unknown" } } });
    expect(startLabel(withUnknown)).toBe("Import 2 files");
    expect(reviewNote(withUnknown)).toBe("events_export.csv and 1 other file need a choice first; they are left out of this import until then.");

    s = run(s, { type: "start" });
    expect(s.phase).toBe("importing");
    expect(s.files.find((f) => f.path === EVENTS)?.state).toEqual({ status: "left_out", reason: "Map its columns first." });
    const outcome = (path: string) => ({ import: sampleRecord(1, path, "google_ads_report", new Date(0), 10), already_imported: false, rejections: [], elapsed_ms: 10 });
    expect(nextToImport(s)?.path).toBe(ADS);
    s = run(s, { type: "file_started", path: ADS }, { type: "file_imported", path: ADS, outcome: outcome(ADS) });
    expect(nextToImport(s)?.path).toBe(REES46);
    s = run(s, { type: "file_started", path: REES46 }, { type: "file_imported", path: REES46, outcome: outcome(REES46) });
    expect(nextToImport(s)).toBeNull();
    s = run(s, { type: "finished" });
    expect(s.files.map((f) => f.state.status)).toEqual(["imported", "left_out", "imported"]);
  });

  it("says Import for one file and names the file that needs a choice when nothing else can go", () => {
    const one = run(initialFlow([ADS]), { type: "inspected", path: ADS, inspection: inspection(ADS) });
    expect(startLabel(one)).toBe("Import");
    expect(reviewNote(one)).toBe("");
    const stuck = run(
      initialFlow([EVENTS, "/d/other_events.csv"]),
      { type: "inspected", path: EVENTS, inspection: inspection(EVENTS) },
      { type: "inspected", path: "/d/other_events.csv", inspection: inspection("/d/other_events.csv") },
    );
    expect(importable(stuck)).toHaveLength(0);
    expect(canStart(stuck)).toBe(false);
    expect(startLabel(stuck)).toBe("Import");
    expect(reviewNote(stuck)).toBe("events_export.csv: Map its columns first. (and 1 more)");
    expect(run(stuck, { type: "start" }).phase).toBe("review");
  });
});

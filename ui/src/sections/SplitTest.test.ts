import { describe, expect, it } from "vitest";
import type { ImportRecord } from "../bindings/ImportRecord";
import type { SplitOptions } from "../bindings/SplitOptions";
import { adReports, defaultMetrics } from "./SplitTest";

function record(id: number, format: ImportRecord["format"], status: ImportRecord["status"], rows: number): ImportRecord {
  return {
    id, file_name: `f${id}.csv`, path: `/f${id}.csv`, format, format_label: format, content_hash: "x", byte_size: 1,
    rows_read: rows, rows_imported: rows, rows_rejected: 0, rows_not_data: 0, started_at: "2026-11-27T00:00:00Z",
    finished_at: null, status, stored: [], period: null, title: null, note: null,
  };
}

describe("split tests from ad reports", () => {
  it("offers complete ad-report imports with rows only", () => {
    const all = [
      record(1, "meta_ads_export", "complete", 637),
      record(2, "meta_ads_export", "undone", 637),
      record(3, "google_ads_report", "complete", 12),
      record(4, "rees46_events", "complete", 100),
      record(5, "meta_ads_export", "complete", 0),
    ];
    expect(adReports(all).map((r) => r.id)).toEqual([1, 3]);
  });

  it("proposes impressions to clicks, else the first two metrics", () => {
    const options = (keys: string[]): SplitOptions => ({
      import_id: 1, file_name: "r.csv", groupings: [],
      metrics: keys.map((key) => ({ key, label: key, total: 1 })),
    });
    expect(defaultMetrics(options(["impressions", "reach", "clicks"]))).toEqual({ trials: "impressions", conversions: "clicks" });
    expect(defaultMetrics(options(["reach", "conversions"]))).toEqual({ trials: "reach", conversions: "conversions" });
    expect(defaultMetrics(options(["clicks"]))).toEqual({ trials: "clicks", conversions: "" });
  });
});

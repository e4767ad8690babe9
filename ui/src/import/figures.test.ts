import { describe, expect, it } from "vitest";
import type { Progress } from "../bindings/Progress";
import { sampleRecord } from "../api/fakeImports";
import { formatLeft, formatRate, importFigures, storedSummary } from "./figures";

const progress = (over: Partial<Progress>): Progress => ({
  stage: "Reading",
  done: 0,
  total: null,
  unit: "rows",
  elapsed_ms: 0,
  bytes_done: null,
  bytes_total: null,
  fraction: null,
  rate: null,
  remaining_ms: null,
  ...over,
});

describe("import figures", () => {
  it("formats rate and time left in words", () => {
    expect(formatRate(25_000)).toBe("25,000 rows/s");
    expect(formatRate(1_234_567)).toBe("1.2M rows/s");
    expect(formatRate(null)).toBe("—");
    expect(formatLeft(9_000)).toBe("about 9 s left");
    expect(formatLeft(125_000)).toBe("about 2 min 5 s left");
    expect(formatLeft(400)).toBe("less than a second left");
    expect(formatLeft(null)).toBe("—");
  });

  it("puts a progress report into the figures shown", () => {
    // As rebound_core::progress reports 17,434 rows and 1 of 4 MB in 2 s.
    const f = importFigures(
      progress({ done: 17_434, elapsed_ms: 2_000, bytes_done: 1_048_576, bytes_total: 4_194_304, fraction: 0.25, rate: 8_717, remaining_ms: 6_000 }),
    );
    expect(f.fraction).toBe(0.25);
    expect(f.rows).toBe("17,434 rows");
    expect(f.read).toBe("1.0 MB of 4.0 MB");
    expect(f.rate).toBe("8,717 rows/s");
    expect(f.left).toBe("about 6 s left");
    expect(importFigures(progress({ done: 10 })).fraction).toBeNull();
  });

  it("counts rows and what was stored with the right plural", () => {
    expect(importFigures(progress({ done: 1 })).rows).toBe("1 row");
    expect(importFigures(progress({ done: 1, unit: "people" })).rows).toBe("1 person");
    const record = sampleRecord(1, "/d/events_export.csv", "generic_csv", new Date(0), 10);
    const stored = [
      { what: "people", count: 1 },
      { what: "campaign_daily_metrics", count: 1 },
      { what: "categories", count: 1 },
      { what: "events", count: 2 },
      { what: "products", count: 0 },
    ];
    expect(storedSummary({ ...record, stored })).toBe("1 person, 1 campaign daily metric, 1 category, 2 events");
  });
});

import { describe, expect, it } from "vitest";
import { reportCell, reportPeriod, reportTotal } from "./cells";

describe("report cells", () => {
  it("names the period by its dates, or as the file names it", () => {
    expect(reportPeriod({ period_start: "2025-01-01", period_end: "2025-12-31", period_label: null })).toBe("Jan 1, 2025 – Dec 31, 2025");
    expect(reportPeriod({ period_start: "2025-03-04", period_end: "2025-03-04", period_label: "ignored" })).toBe("Mar 4, 2025");
    expect(reportPeriod({ period_start: null, period_end: null, period_label: "Last 3 months" })).toBe("Last 3 months");
    expect(reportPeriod({ period_start: "2025-01-01", period_end: null, period_label: null })).toBe("from Jan 1, 2025");
    expect(reportPeriod({ period_start: null, period_end: null, period_label: null })).toBeNull();
  });

  it("groups plain numbers in numeric columns and keeps everything else as written", () => {
    expect(reportCell("12688", true)).toBe("12,688");
    expect(reportCell("1.3862121708729378", true)).toBe("1.39");
    expect(reportCell("1,204.50", true)).toBe("1,204.5");
    expect(reportCell("-3", true)).toBe("-3");
    expect(reportCell("6.47%", true)).toBe("6.47%");
    expect(reportCell("0042", true)).toBe("0042");
    expect(reportCell("", true)).toBe("");
    expect(reportCell("12688", false)).toBe("12688");
  });

  it("writes totals like their column: blank when absent, a share where the cells are percentages", () => {
    expect(reportTotal(null, ["1", "2"])).toBe("");
    expect(reportTotal(41174, ["12688", "10182"])).toBe("41,174");
    expect(reportTotal(0.012345, ["1.20%", "", "1.25%"])).toBe("1.23%");
    expect(reportTotal(3, ["", ""])).toBe("3");
  });
});

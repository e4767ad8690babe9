import { describe, expect, it } from "vitest";
import { bytes, change, count, day, label, money } from "./format";

describe("format", () => {
  it("formats money from minor units in its own currency", () => {
    expect(money(19_942_115, "USD")).toMatch(/199,421/);
    expect(money(1_050, "USD")).toMatch(/10\.50/);
    expect(money(1_050, "JPY")).toMatch(/1,050/);
    expect(money(1_050, "EUR")).toMatch(/€/);
  });

  it("computes change only when there is a base", () => {
    expect(change(110, 100)).toBeCloseTo(0.1);
    expect(change(5, 0)).toBeNull();
  });

  it("formats counts, sizes, days and labels", () => {
    expect(count(1234567)).toBe("1,234,567");
    expect(bytes(1536)).toBe("1.5 KB");
    expect(day("2026-10-31")).toBe("Oct 31, 2026");
    expect(label("meta_ads")).toBe("Meta Ads");
    expect(label("remarketing")).toBe("Remarketing");
  });
});

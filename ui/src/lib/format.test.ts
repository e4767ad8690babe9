import { describe, expect, it } from "vitest";
import { asOfDay, bytes, change, count, day, eventLabel, figure, label, money, plural } from "./format";

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

  it("names events in words, counts with the right plural, and reads as-of instants as days", () => {
    expect(eventLabel("add_to_cart")).toBe("Added to cart");
    expect(eventLabel("view_item")).toBe("Viewed a product");
    expect(eventLabel("newsletter_signup")).toBe("Newsletter signup");
    expect(plural(1, "campaign")).toBe("1 campaign");
    expect(plural(13, "campaign")).toBe("13 campaigns");
    expect(plural(1_200, "person", "people")).toBe("1,200 people");
    // The end of 1 Oct 2019 is 2 Oct 00:00 UTC.
    expect(asOfDay(Date.UTC(2019, 9, 2) * 1000)).toBe("2019-10-01");
    expect(asOfDay(Date.UTC(2019, 9, 1, 14) * 1000)).toBe("2019-10-01");
  });

  it("chooses the plural by English rules: one for 1 only", () => {
    expect(plural(0, "file")).toBe("0 files");
    expect(plural(1, "file")).toBe("1 file");
    expect(plural(2, "file")).toBe("2 files");
    expect(plural(1, "person", "people")).toBe("1 person");
    expect(plural(0, "person", "people")).toBe("0 people");
    expect(plural(1, "entry", "entries")).toBe("1 entry");
    expect(plural(21, "campaign")).toBe("21 campaigns");
  });

  it("writes report figures grouped, with at most two decimals", () => {
    expect(figure(12688)).toBe("12,688");
    expect(figure(1.3862121708729378)).toBe("1.39");
    expect(figure(109.99814268545832)).toBe("110");
    expect(figure(-0.5)).toBe("-0.5");
  });
});

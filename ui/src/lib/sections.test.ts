import { describe, expect, it } from "vitest";
import { SECTIONS, nextAvailable, sectionForShortcut } from "./sections";

describe("sections", () => {
  it("lists every section of the design in order", () => {
    expect(SECTIONS.map((s) => s.label)).toEqual([
      "Dashboard", "Data", "Segments", "Creatives", "Sequences", "Campaigns", "Experiments", "Settings",
    ]);
  });

  it("opens only available sections by shortcut", () => {
    expect(sectionForShortcut("1")?.id).toBe("dashboard");
    expect(sectionForShortcut("3")?.id).toBe("segments");
    expect(sectionForShortcut("4")?.id).toBe("creatives");
    expect(sectionForShortcut("5")?.id).toBe("sequences");
    expect(sectionForShortcut("6")?.id).toBe("campaigns");
    expect(sectionForShortcut("7")?.id).toBe("experiments");
    expect(sectionForShortcut("8")?.id).toBe("settings");
    expect(sectionForShortcut("9")).toBeNull();
  });

  it("arrow navigation skips sections that are not available and wraps", () => {
    expect(nextAvailable("dashboard", 1)).toBe("data");
    expect(nextAvailable("data", 1)).toBe("segments");
    expect(nextAvailable("segments", 1)).toBe("creatives");
    expect(nextAvailable("creatives", 1)).toBe("sequences");
    expect(nextAvailable("sequences", 1)).toBe("campaigns");
    expect(nextAvailable("campaigns", 1)).toBe("experiments");
    expect(nextAvailable("experiments", 1)).toBe("settings");
    expect(nextAvailable("settings", 1)).toBe("dashboard");
    expect(nextAvailable("dashboard", -1)).toBe("settings");
  });
});

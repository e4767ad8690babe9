import { describe, expect, it } from "vitest";
import { armsProblem, daysBefore, shares } from "./AudienceTest";

const arm = (name: string, weight: number, is_control = false) => ({ name, weight, is_control });

describe("audience test arms", () => {
  it("accepts two or more named arms with positive weights", () => {
    expect(armsProblem([arm("Holdout", 10, true), arm("Treatment", 90)])).toBeNull();
  });

  it("says what is wrong with the arms", () => {
    expect(armsProblem([arm("Only", 1, true)])).toMatch(/two arms/);
    expect(armsProblem([arm("A", 1, true), arm(" ", 1)])).toMatch(/name/);
    expect(armsProblem([arm("A", 1, true), arm("A ", 1)])).toMatch(/differ/);
    expect(armsProblem([arm("A", 1, true), arm("B", 0)])).toMatch(/share/);
  });

  it("turns relative weights into shares", () => {
    expect(shares([arm("A", 1), arm("B", 3)])).toEqual([25, 75]);
    expect(shares([arm("A", 0), arm("B", 0)])).toEqual([0, 0]);
  });

  it("counts days back in UTC", () => {
    expect(daysBefore("2026-10-31", 20)).toBe("2026-10-11");
    expect(daysBefore("2026-03-01", 1)).toBe("2026-02-28");
  });
});

import { describe, expect, it } from "vitest";
import { draftFor, mappingProblems, toColumnMapping } from "./mapping";

describe("column mapping", () => {
  it("starts from the backend's suggestion", () => {
    const draft = draftFor("events_export.csv", { columns: { timestamp: "ts", event_name: "action" }, timestamp: { kind: "unix_millis" } });
    expect(draft).toEqual({ name: "events_export", columns: { timestamp: "ts", event_name: "action" }, timestamp: "unix_millis", currency: "USD", remember: true });
  });

  it("requires the time, the event and someone who did it", () => {
    const draft = draftFor("clicks.csv", { columns: {}, timestamp: { kind: "text_with_offset" } });
    expect(draft.name).toBe("clicks");
    expect(mappingProblems(draft)).toEqual([
      "Choose the column with the time.",
      "Choose the column with the event name.",
      "Choose at least one column that says who did it: visitor id, user id or e-mail.",
    ]);
    const complete = { ...draft, columns: { timestamp: "when", event_name: "what", email: "who" } };
    expect(mappingProblems(complete)).toEqual([]);
    expect(mappingProblems({ ...complete, currency: "dollars" })).toHaveLength(1);
  });

  it("becomes the ColumnMapping the backend expects", () => {
    const draft = draftFor("events.csv", { columns: { timestamp: "ts", event_name: "action", visitor_id: "anon_id" }, timestamp: { kind: "unix_seconds" } });
    expect(toColumnMapping({ ...draft, currency: "eur" }, "f00d")).toEqual({
      name: "events",
      fingerprint: "f00d",
      columns: { timestamp: "ts", event_name: "action", visitor_id: "anon_id" },
      timestamp: { kind: "unix_seconds" },
      currency: "EUR",
      event_names: {},
    });
  });
});

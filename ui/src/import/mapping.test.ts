import { describe, expect, it } from "vitest";
import { draftFor, guessTimestampFormat, mappingProblems, normalise, suggestColumns, toColumnMapping } from "./mapping";

describe("column mapping", () => {
  it("suggests REES46-style columns by name, each column once", () => {
    const header = ["event_time", "event_type", "product_id", "category_id", "category_code", "brand", "price", "user_id", "user_session"];
    expect(suggestColumns(header)).toEqual({
      timestamp: "event_time",
      event_name: "event_type",
      product_id: "product_id",
      category_id: "category_id",
      price: "price",
      user_id: "user_id",
      session_id: "user_session",
    });
  });

  it("reads camelCase, spaces and abbreviations", () => {
    expect(normalise("Visitor ID")).toBe("visitor_id");
    expect(normalise("orderId")).toBe("order_id");
    const suggested = suggestColumns(["ts", "anonymousId", "E-mail", "Event", "SKU", "Order ID", "utm_source", "Page URL", "Qty"]);
    expect(suggested).toMatchObject({
      timestamp: "ts",
      visitor_id: "anonymousId",
      email: "E-mail",
      event_name: "Event",
      product_id: "SKU",
      transaction_id: "Order ID",
      source: "utm_source",
      page: "Page URL",
      quantity: "Qty",
    });
  });

  it("leaves unknown columns unmapped", () => {
    expect(suggestColumns(["foo", "bar", "colour"])).toEqual({});
  });

  it("guesses how times are written from the values", () => {
    expect(guessTimestampFormat(["2019-10-01 00:00:00 UTC"])).toBe("text_with_offset");
    expect(guessTimestampFormat(["2026-03-01T09:30:00+01:00", "2026-03-01T09:31:00Z"])).toBe("text_with_offset");
    expect(guessTimestampFormat(["2026-03-01 09:30:00"])).toBe("text_utc");
    expect(guessTimestampFormat(["1711961400"])).toBe("unix_seconds");
    expect(guessTimestampFormat(["1711961400123"])).toBe("unix_millis");
    expect(guessTimestampFormat(["1711961400123456"])).toBe("unix_micros");
  });

  it("requires the time, the event and someone who did it", () => {
    const draft = draftFor("clicks.csv", ["when", "what", "who"], []);
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
    const draft = draftFor("events.csv", ["ts", "anon_id", "action"], [["1711961400", "a1", "pv"]]);
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

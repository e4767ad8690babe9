// The column-mapping step for generic CSV/JSONL files: which column holds
// which event field, how times are written, and whether the answer is kept
// as a profile. Suggestions are by column name only; the person confirms.

import type { ColumnMapping } from "../bindings/ColumnMapping";
import type { EventField } from "../bindings/EventField";
import type { TimestampFormat } from "../bindings/TimestampFormat";

export interface FieldInfo {
  field: EventField;
  label: string;
  hint: string;
  /** Column names that mean this field, normalised (lower case, `_` between words), best first. */
  names: readonly string[];
}

export const EVENT_FIELDS: readonly FieldInfo[] = [
  { field: "timestamp", label: "Time", hint: "When it happened", names: ["timestamp", "event_time", "event_timestamp", "time", "datetime", "date_time", "occurred_at", "created_at", "ts", "date"] },
  { field: "event_name", label: "Event name", hint: "view, cart, purchase…", names: ["event_name", "event_type", "event", "action", "activity", "type", "name"] },
  { field: "visitor_id", label: "Visitor id", hint: "Anonymous browser or device id", names: ["visitor_id", "visitorid", "anonymous_id", "anon_id", "client_id", "user_pseudo_id", "cookie_id", "distinct_id", "visitor"] },
  { field: "user_id", label: "User id", hint: "Logged-in customer id", names: ["user_id", "userid", "customer_id", "customerid", "member_id", "account_id", "uid", "user", "customer"] },
  { field: "email", label: "E-mail", hint: "Hashed before it is stored", names: ["email", "e_mail", "email_address", "mail"] },
  { field: "product_id", label: "Product id", hint: "SKU or item id", names: ["product_id", "productid", "item_id", "itemid", "sku", "product", "item"] },
  { field: "category_id", label: "Category id", hint: "", names: ["category_id", "categoryid", "category", "category_code"] },
  { field: "price", label: "Price", hint: "Unit price", names: ["price", "item_price", "unit_price", "amount", "value", "revenue"] },
  { field: "currency", label: "Currency", hint: "ISO code per row", names: ["currency", "currency_code"] },
  { field: "quantity", label: "Quantity", hint: "", names: ["quantity", "qty", "units", "count"] },
  { field: "session_id", label: "Session id", hint: "", names: ["session_id", "sessionid", "user_session", "session", "visit_id"] },
  { field: "transaction_id", label: "Order id", hint: "Transaction or order number", names: ["transaction_id", "transactionid", "order_id", "orderid", "order_number", "order"] },
  { field: "device", label: "Device", hint: "", names: ["device", "device_type", "device_category", "platform"] },
  { field: "source", label: "Source", hint: "utm_source, referrer", names: ["source", "utm_source", "traffic_source", "channel", "referrer", "medium"] },
  { field: "page", label: "Page", hint: "URL or path", names: ["page", "page_url", "page_location", "page_path", "url", "path"] },
];

export const TIMESTAMP_FORMATS: readonly { kind: TimestampFormat["kind"]; label: string; example: string }[] = [
  { kind: "text_with_offset", label: "Date and time with a zone", example: "2019-10-01 00:00:00 UTC, 2026-03-01T09:30:00+01:00" },
  { kind: "text_utc", label: "Date and time, in UTC", example: "2026-03-01 09:30:00" },
  { kind: "unix_seconds", label: "Unix seconds", example: "1711961400" },
  { kind: "unix_millis", label: "Unix milliseconds", example: "1711961400000" },
  { kind: "unix_micros", label: "Unix microseconds", example: "1711961400000000" },
];

/** What the person is filling in; becomes a `ColumnMapping` once complete. */
export interface MappingDraft {
  name: string;
  columns: Partial<Record<EventField, string>>;
  timestamp: TimestampFormat["kind"];
  currency: string;
  remember: boolean;
}

export function normalise(column: string): string {
  return column
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** How well a column name fits a field: 0 (not at all) to 100 (its first name). */
export function similarity(info: FieldInfo, column: string): number {
  const name = normalise(column);
  if (!name) return 0;
  const exact = info.names.indexOf(name);
  if (exact >= 0) return 100 - exact;
  // A known name as a whole word inside a longer one: "order_id_raw", "event_time_utc".
  const words = `_${name}_`;
  let best = 0;
  info.names.forEach((known, i) => {
    if (known.length >= 3 && words.includes(`_${known}_`)) best = Math.max(best, 50 - i);
  });
  return best;
}

/**
 * Suggests a column per field by name. Each column goes to at most one field,
 * the strongest matches first, so `event_time` is the time and `event_type`
 * the event name.
 */
export function suggestColumns(header: readonly string[]): Partial<Record<EventField, string>> {
  const pairs: { field: EventField; column: string; score: number }[] = [];
  for (const info of EVENT_FIELDS) {
    for (const column of header) {
      const score = similarity(info, column);
      if (score > 0) pairs.push({ field: info.field, column, score });
    }
  }
  pairs.sort((a, b) => b.score - a.score);
  const columns: Partial<Record<EventField, string>> = {};
  const used = new Set<string>();
  for (const { field, column } of pairs) {
    if (columns[field] !== undefined || used.has(column)) continue;
    columns[field] = column;
    used.add(column);
  }
  return columns;
}

/** Guesses how times are written from the first values of the time column. */
export function guessTimestampFormat(values: readonly string[]): TimestampFormat["kind"] {
  const sample = values.map((v) => v.trim()).filter((v) => v !== "");
  if (sample.length === 0) return "text_with_offset";
  if (sample.every((v) => /^\d+(\.\d+)?$/.test(v))) {
    const digits = Math.max(...sample.map((v) => v.split(".")[0]?.length ?? 0));
    if (digits >= 15) return "unix_micros";
    if (digits >= 12) return "unix_millis";
    return "unix_seconds";
  }
  const zoned = (v: string) => /(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i.test(v);
  return sample.every(zoned) ? "text_with_offset" : "text_utc";
}

/** A first draft for a file: suggested columns, guessed time format. */
export function draftFor(fileName: string, header: readonly string[], rows: readonly (readonly string[])[]): MappingDraft {
  const columns = suggestColumns(header);
  const timeIndex = columns.timestamp === undefined ? -1 : header.indexOf(columns.timestamp);
  const times = timeIndex < 0 ? [] : rows.map((r) => r[timeIndex] ?? "");
  return {
    name: fileName.replace(/\.[A-Za-z0-9]+$/, ""),
    columns,
    timestamp: guessTimestampFormat(times),
    currency: "USD",
    remember: true,
  };
}

/** A saved mapping, shown again for editing. */
export function draftFromSaved(saved: ColumnMapping): MappingDraft {
  return {
    name: saved.name,
    columns: { ...saved.columns },
    timestamp: saved.timestamp.kind,
    currency: saved.currency ?? "",
    remember: true,
  };
}

/** What is missing before the mapping can be used, in words; empty when complete. */
export function mappingProblems(draft: MappingDraft): string[] {
  const problems: string[] = [];
  if (!draft.columns.timestamp) problems.push("Choose the column with the time.");
  if (!draft.columns.event_name) problems.push("Choose the column with the event name.");
  if (!draft.columns.visitor_id && !draft.columns.user_id && !draft.columns.email) {
    problems.push("Choose at least one column that says who did it: visitor id, user id or e-mail.");
  }
  if (draft.currency.trim() !== "" && !/^[A-Za-z]{3}$/.test(draft.currency.trim())) {
    problems.push("The default currency is a three-letter code such as USD or EUR.");
  }
  if (draft.remember && draft.name.trim() === "") problems.push("Name the profile, to find it again.");
  return problems;
}

export function toColumnMapping(draft: MappingDraft, fingerprint: string): ColumnMapping {
  const columns: ColumnMapping["columns"] = {};
  for (const info of EVENT_FIELDS) {
    const column = draft.columns[info.field];
    if (column) columns[info.field] = column;
  }
  const currency = draft.currency.trim().toUpperCase();
  return {
    name: draft.name.trim() || "Column mapping",
    fingerprint,
    columns,
    timestamp: { kind: draft.timestamp },
    currency: currency === "" ? null : currency,
    event_names: {},
  };
}

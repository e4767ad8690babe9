// The column-mapping step for generic CSV/JSONL files: which column holds
// which event field, how times are written, and whether the answer is kept
// as a profile. The first draft is the backend's suggestion; the person confirms.

import type { ColumnMapping } from "../bindings/ColumnMapping";
import type { EventField } from "../bindings/EventField";
import type { MappingSuggestion } from "../bindings/MappingSuggestion";
import type { TimestampFormat } from "../bindings/TimestampFormat";

export interface FieldInfo {
  field: EventField;
  label: string;
  hint: string;
}

/** The fields in the order the mapping screen shows them. Which column fits which field is the backend's suggestion (`ImportInspection.suggested_mapping`). */
export const EVENT_FIELDS: readonly FieldInfo[] = [
  { field: "timestamp", label: "Time", hint: "When it happened" },
  { field: "event_name", label: "Event name", hint: "view, cart, purchase…" },
  { field: "visitor_id", label: "Visitor id", hint: "Anonymous browser or device id" },
  { field: "user_id", label: "User id", hint: "Logged-in customer id" },
  { field: "email", label: "E-mail", hint: "Hashed before it is stored" },
  { field: "product_id", label: "Product id", hint: "SKU or item id" },
  { field: "category_id", label: "Category id", hint: "" },
  { field: "price", label: "Price", hint: "Unit price" },
  { field: "currency", label: "Currency", hint: "ISO code per row" },
  { field: "quantity", label: "Quantity", hint: "" },
  { field: "session_id", label: "Session id", hint: "" },
  { field: "transaction_id", label: "Order id", hint: "Transaction or order number" },
  { field: "device", label: "Device", hint: "" },
  { field: "source", label: "Source", hint: "utm_source, referrer" },
  { field: "page", label: "Page", hint: "URL or path" },
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

/** A first draft for a file: the backend's suggested columns and time format. */
export function draftFor(fileName: string, suggestion: MappingSuggestion): MappingDraft {
  return {
    name: fileName.replace(/\.[A-Za-z0-9]+$/, ""),
    columns: { ...suggestion.columns },
    timestamp: suggestion.timestamp.kind,
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

// Sample files for the fake backend's importer: what inspecting and importing
// a few real-looking exports gives, so the import screens can be built and
// tested in a plain browser. Shapes match the Rust importer; numbers match the
// real files in ../shared/data/exports where one is named after them.

import type { Format } from "../bindings/Format";
import type { ImportInspection } from "../bindings/ImportInspection";
import type { ImportRecord } from "../bindings/ImportRecord";
import type { MappingSuggestion } from "../bindings/MappingSuggestion";
import type { Rejection } from "../bindings/Rejection";
import type { StoredCount } from "../bindings/StoredCount";

export const FAKE_DOWNLOADS = "/home/demo/Downloads";

interface Sample {
  format: Format;
  label: string;
  confidence: number;
  evidence: string[];
  byteSize: number;
  firstLines: string[];
  header: string[];
  rows: string[][];
  read: number;
  rejected: number;
  notData: number;
  stored: StoredCount[];
  title: string | null;
  period: ImportRecord["period"];
  note: string | null;
}

export const FORMAT_LABELS: Record<Format, string> = {
  rees46_events: "REES46 event log",
  retailrocket_events: "Retailrocket event log",
  ga4_big_query_ndjson: "GA4 BigQuery export (NDJSON)",
  ga4_report: "GA4 report download",
  ga4_exploration: "GA4 exploration download",
  google_ads_report: "Google Ads report",
  google_ads_editor: "Google Ads Editor export",
  meta_ads_export: "Meta Ads Manager export",
  search_console_performance: "Search Console performance export",
  search_console_filters: "Search Console filters file",
  shopify_orders: "Shopify order export",
  merchant_center_feed: "Google Merchant Center product feed",
  merchant_center_xml: "Google Merchant Center XML feed",
  meta_catalog: "Meta catalog CSV",
  contact_list: "contact list",
  ab_per_person: "A/B test results (one row per person)",
  ab_aggregate: "A/B test results (totals per variant)",
  generic_csv: "CSV file (needs a column mapping)",
  generic_jsonl: "JSON lines file (needs a column mapping)",
  xlsx: "Excel workbook",
  unknown: "unrecognised file",
};

const CHOOSABLE = (Object.keys(FORMAT_LABELS) as Format[]).filter((f) => f !== "xlsx" && f !== "unknown");

const REES46_HEADER = ["event_time", "event_type", "product_id", "category_id", "category_code", "brand", "price", "user_id", "user_session"];
const REES46_ROWS = [
  ["2019-10-01 00:00:00 UTC", "view", "44600062", "2103807459595387724", "", "shiseido", "35.79", "541312140", "72d76fde-8bb3-4e00-8c23-a032dfed738c"],
  ["2019-10-01 00:00:00 UTC", "view", "3900821", "2053013552326770905", "appliances.environment.water_heater", "aqua", "33.20", "554748717", "9333dfbd-b87a-4708-9857-6336556b0fcc"],
  ["2019-10-01 00:00:01 UTC", "view", "17200506", "2053013559792632471", "furniture.living_room.sofa", "", "543.10", "519107250", "566511c2-e2e3-422b-b695-cf8e6e792ca8"],
];
const ADS_HEADER = ["Campaign", "Campaign state", "Campaign type", "Clicks", "Impr.", "CTR", "Currency code", "Cost", "Conversions"];
const ADS_ROWS = [
  ["Brand - Search", "Enabled", "Search", "1,204", "18,330", "6.57%", "USD", "812.40", "96.00"],
  ["Remarketing - Display", "Enabled", "Display", "611", "240,118", "0.25%", "USD", "402.11", "31.00"],
  ["Shopping - All products", "Paused", "Shopping", "2,930", "101,772", "2.88%", "USD", "1,950.77", "142.50"],
];
const GENERIC_HEADER = ["ts", "anon_id", "customer_email", "action", "sku", "amount"];
const GENERIC_ROWS = [
  ["1711961400", "a-19f2", "", "pv", "", ""],
  ["1711961462", "a-19f2", "", "view", "SKU-2291", "89.00"],
  ["1711961530", "a-19f2", "jo@example.com", "purchase", "SKU-2291", "89.00"],
];

/** What the backend suggests for this file (`tests/contract/cases.json` holds both to it). */
const GENERIC_SUGGESTION: MappingSuggestion = {
  columns: { timestamp: "ts", visitor_id: "anon_id", email: "customer_email", event_name: "action", product_id: "sku", price: "amount" },
  timestamp: { kind: "unix_seconds" },
};

function lines(header: string[], rows: string[][], delimiter = ","): string[] {
  return [header, ...rows].map((r) => r.join(delimiter));
}

function sampleFor(name: string): Sample {
  const lower = name.toLowerCase();
  if (lower.includes("rees46")) {
    return {
      format: "rees46_events",
      label: FORMAT_LABELS.rees46_events,
      confidence: 0.98,
      evidence: [
        "line 1 is a REES46 header: event_time, event_type, product_id, category_id, category_code, brand, price, user_id, user_session",
        "event_time values end in ' UTC'",
      ],
      byteSize: 2_384_219,
      firstLines: lines(REES46_HEADER, REES46_ROWS),
      header: REES46_HEADER,
      rows: REES46_ROWS,
      read: 17_435,
      rejected: 1,
      notData: 0,
      stored: [
        { what: "events", count: 17_434 },
        { what: "people", count: 5_127 },
        { what: "products", count: 8_806 },
      ],
      title: null,
      period: null,
      note: null,
    };
  }
  if (lower.includes("google_ads") || lower.includes("campaign")) {
    return {
      format: "google_ads_report",
      label: FORMAT_LABELS.google_ads_report,
      confidence: 0.95,
      evidence: ["line 1 is a report title: 'Campaign report'", "line 2 states the period: 'All time'", "line 3 is a Google Ads header with 'Campaign', 'Cost', 'Impr.'"],
      byteSize: 3_214,
      firstLines: ["Campaign report", "All time", ...lines(ADS_HEADER, ADS_ROWS)],
      header: ADS_HEADER,
      rows: ADS_ROWS,
      read: 12,
      rejected: 0,
      notData: 5,
      stored: [{ what: "campaigns", count: 12 }],
      title: "Campaign report",
      period: { label: "All time", start: null, end: null },
      note: null,
    };
  }
  return {
    format: "generic_csv",
    label: FORMAT_LABELS.generic_csv,
    confidence: 0.6,
    evidence: ["line 1 looks like a header: 6 names, none of a known export", "rows have 6 comma-separated fields"],
    byteSize: 48_212,
    firstLines: lines(GENERIC_HEADER, GENERIC_ROWS),
    header: GENERIC_HEADER,
    rows: GENERIC_ROWS,
    read: 1_000,
    rejected: 7,
    notData: 0,
    stored: [
      { what: "events", count: 993 },
      { what: "people", count: 214 },
    ],
    title: null,
    period: null,
    note: null,
  };
}

function fingerprintOf(header: string[]): string {
  let hash = 0;
  for (const ch of header.join("\u0001")) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

export function sampleInspection(path: string): Omit<ImportInspection, "saved_mapping" | "already_imported"> {
  const file_name = path.split(/[\\/]/).pop() ?? path;
  const s = sampleFor(file_name);
  return {
    path,
    file_name,
    byte_size: s.byteSize,
    detection: { format: s.format, confidence: s.confidence, evidence: s.evidence, encoding: "UTF-8", delimiter: "," },
    format_label: s.label,
    choices: CHOOSABLE.map((format) => ({ format, label: FORMAT_LABELS[format] })),
    header: s.header,
    rows: s.rows,
    first_lines: s.firstLines,
    fingerprint: fingerprintOf(s.header),
    needs_mapping: s.format === "generic_csv",
    suggested_mapping: s.header === GENERIC_HEADER ? GENERIC_SUGGESTION : { columns: {}, timestamp: { kind: "text_with_offset" } },
    conversion_choices: s.format === "ab_per_person" ? yesNoColumns(s.header, s.rows) : [],
  };
}

/** As the backend finds them: columns whose previewed cells are all yes/no answers. */
function yesNoColumns(header: string[], rows: string[][]): string[] {
  const yesNo = /^(true|false|yes|no|1|0)$/i;
  return header.filter((_, i) => {
    const cells = rows.map((r) => r[i] ?? "").filter((c) => c.trim() !== "");
    return cells.length > 0 && cells.every((c) => yesNo.test(c.trim()));
  });
}

/** The history row an import of `path` as `format` leaves. */
export function sampleRecord(id: number, path: string, format: Format, startedAt: Date, elapsedMs: number): ImportRecord {
  const file_name = path.split(/[\\/]/).pop() ?? path;
  const s = sampleFor(file_name);
  return {
    id,
    file_name,
    path,
    format,
    format_label: FORMAT_LABELS[format],
    content_hash: fingerprintOf([path]).repeat(8),
    byte_size: s.byteSize,
    rows_read: s.read,
    rows_imported: s.read - s.rejected,
    rows_rejected: s.rejected,
    rows_not_data: s.notData,
    started_at: startedAt.toISOString(),
    finished_at: new Date(startedAt.getTime() + elapsedMs).toISOString(),
    status: "complete",
    stored: s.stored,
    period: s.period,
    title: s.title,
    note: s.note,
  };
}

/** Two earlier imports, so the history is not empty in the browser preview. */
export function sampleHistory(): ImportRecord[] {
  const meta: ImportRecord = {
    ...sampleRecord(2, `${FAKE_DOWNLOADS}/meta_ads_manager_export_dirty_ab_test.csv`, "meta_ads_export", new Date(Date.UTC(2026, 10, 20, 14, 5)), 840),
    rows_read: 9,
    rows_imported: 7,
    rows_rejected: 2,
    rows_not_data: 1,
    stored: [{ what: "campaigns", count: 4 }, { what: "campaign_daily_metrics", count: 7 }],
    period: { label: "2026-10-01 – 2026-10-31", start: "2026-10-01", end: "2026-10-31" },
  };
  const shopify: ImportRecord = {
    ...sampleRecord(1, `${FAKE_DOWNLOADS}/shopify_orders_export.csv`, "shopify_orders", new Date(Date.UTC(2026, 10, 12, 9, 41)), 1_920),
    rows_read: 52,
    rows_imported: 52,
    rows_rejected: 0,
    status: "undone",
    stored: [],
  };
  return [meta, shopify];
}

export function sampleRejections(record: ImportRecord): Rejection[] {
  const s = sampleFor(record.file_name);
  if (record.format === "rees46_events") {
    return [{ line: 17_436, column: "user_session", value: "", reason: "the row ends early: 8 of 9 columns (a truncated last line)" }];
  }
  return Array.from({ length: record.rows_rejected }, (_, i) => ({
    line: 2 + i * 17,
    column: s.header[i % Math.max(1, s.header.length)] ?? null,
    value: i % 2 === 0 ? "" : "n/a",
    reason: i % 2 === 0 ? "the value is empty" : "'n/a' is not a number",
  }));
}

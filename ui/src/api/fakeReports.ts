// Analytics reports for the fake backend: a GA4 pages report and a Search
// Console report by date, shaped as `reports_list` and `report_rows` give
// them (cells as the file wrote them, totals only for counts), so Data ›
// Reports can be built and tested in a plain browser. The GA4 rows are the
// first of ga4_report_pages_and_screens_buysheds_13col.csv.

import type { ReportPage } from "../bindings/ReportPage";
import type { ReportSummary } from "../bindings/ReportSummary";
import { BackendError } from "./backend";

interface Column {
  name: string;
  numeric: boolean;
  /** A count worth adding up (not a rate, an average or a position). */
  summed: boolean;
}

export interface SampleReport {
  summary: ReportSummary;
  rows: string[][];
}

const GA4_COLUMNS: Column[] = [
  { name: "Page path and screen class", numeric: false, summed: false },
  { name: "Views", numeric: true, summed: true },
  { name: "Active users", numeric: true, summed: true },
  { name: "Views per active user", numeric: true, summed: false },
  { name: "Average engagement time per active user", numeric: true, summed: false },
  { name: "Event count", numeric: true, summed: true },
  { name: "Engagement rate", numeric: true, summed: false },
];

const GA4_ROWS: string[][] = [
  ["/blog/post/how-to-lay-slab-base-for-sheds", "12688", "9153", "1.3862121708729378", "109.99814268545832", "41464", "0.62001524003048"],
  ["/blog/post/filling-large-planters-what-to-add-for-drainage", "10182", "8402", "1.2118543203999048", "85.70328493215901", "35341", "0.5548274802907751"],
  ["/blog/post/how-to-build-a-shed-base-on-uneven-ground", "6413", "5253", "1.2208261945554921", "71.89110984199505", "22216", "0.6838807991872672"],
  ["/blog/post/how-to-build-a-shed-base-with-concrete-blocks", "6328", "5121", "1.2356961530950985", "72.29505955867995", "21755", "0.6450665284257819"],
  ["/blog/post/running-power-adding-electricity-to-a-shed", "5563", "4679", "1.1889292583885445", "94.38448386407352", "19832", "0.681088229737389"],
];

const GSC_COLUMNS: Column[] = [
  { name: "Date", numeric: false, summed: false },
  { name: "Clicks", numeric: true, summed: true },
  { name: "Impressions", numeric: true, summed: true },
  { name: "CTR", numeric: true, summed: false },
  { name: "Position", numeric: true, summed: false },
];

/** 90 days of Search Console figures, more than one page of rows. */
const GSC_DAYS = 90;

function gscRows(): string[][] {
  return Array.from({ length: GSC_DAYS }, (_, i) => {
    const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
    const clicks = 160 + ((i * 37) % 90);
    const impressions = 12_000 + ((i * 4_111) % 7_500);
    const position = 25 + ((i * 13) % 110) / 10;
    return [day, String(clicks), String(impressions), `${((100 * clicks) / impressions).toFixed(2)}%`, position.toFixed(1)];
  });
}

function totals(columns: readonly Column[], rows: readonly string[][]): (number | null)[] {
  return columns.map((c, i) => (c.summed ? rows.reduce((sum, row) => sum + Number(row[i]), 0) : null));
}

/** Search Console's CTR of the totals: summed clicks over summed impressions. */
function withTotalCtr(sums: (number | null)[]): (number | null)[] {
  const [, clicks, impressions] = sums;
  return sums.map((sum, i) => (i === 3 && clicks != null && impressions ? clicks / impressions : sum));
}

function report(base: Omit<ReportSummary, "columns" | "rows" | "totals">, columns: Column[], rows: string[][], sums = totals(columns, rows)): SampleReport {
  return { summary: { ...base, columns: columns.map(({ name, numeric }) => ({ name, numeric })), rows: rows.length, totals: sums }, rows };
}

export function sampleReports(): SampleReport[] {
  const gsc = gscRows();
  const gscReport = report(
    {
      import_id: 4,
      file_name: "gsc_performance_chart.csv",
      source: "search_console",
      kind: "Search Console: date",
      title: null,
      section: 0,
      period_start: gsc[0]?.[0] ?? null,
      period_end: gsc[gsc.length - 1]?.[0] ?? null,
      period_label: null,
    },
    GSC_COLUMNS,
    gsc,
    withTotalCtr(totals(GSC_COLUMNS, gsc)),
  );
  const ga4Report = report(
    {
      import_id: 3,
      file_name: "ga4_report_pages_and_screens_buysheds_13col.csv",
      source: "ga4",
      kind: "GA4 report",
      title: "Pages and screens: Page path and screen class",
      section: 0,
      period_start: "2025-01-01",
      period_end: "2025-12-31",
      period_label: null,
    },
    GA4_COLUMNS,
    GA4_ROWS,
  );
  return [gscReport, ga4Report];
}

/** A page of one sample report, as `report_rows` gives it. */
export function sampleReportPage(reports: readonly SampleReport[], importId: number, section: number, offset: number, limit: number): ReportPage {
  const found = reports.find((r) => r.summary.import_id === importId && r.summary.section === section);
  if (!found) throw new BackendError({ code: "invalid_input", message: `import ${importId} has no report section ${section}` });
  const start = Math.max(0, offset);
  const size = Math.min(1000, Math.max(1, limit));
  return { columns: found.summary.columns, rows: found.rows.slice(start, start + size), total: found.rows.length, offset: start };
}

// How Data › Reports writes a report's period, cells and totals. Cells come as
// the file wrote them; numeric ones that are plain numbers are grouped
// ("12688" → "12,688"), the rest ("6.47%", "0042") are kept as written.

import type { ReportSummary } from "../bindings/ReportSummary";
import { day, dayRange, figure, percent } from "../lib/format";

/** The report's period in words: its dates, or the file's own name for it; null when it gives neither. */
export function reportPeriod(report: Pick<ReportSummary, "period_start" | "period_end" | "period_label">): string | null {
  const { period_start: start, period_end: end } = report;
  if (start && end) return dayRange(start, end);
  if (start) return `from ${day(start)}`;
  if (end) return `until ${day(end)}`;
  return report.period_label;
}

/** A plain number as written in a file ("12688", "-3.5", "1,204.50"), or null. Leading zeros mark a code, not a quantity. */
function plainNumber(text: string): number | null {
  const t = text.trim();
  if (/^-?0\d/.test(t)) return null;
  if (/^-?\d+(\.\d+)?$/.test(t) || /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ""));
  return null;
}

/** One cell for the screen. */
export function reportCell(text: string, numeric: boolean): string {
  if (!numeric) return text;
  const n = plainNumber(text);
  return n === null ? text : figure(n);
}

/**
 * A column's total for the screen; blank when the report has none. A total
 * of a column written as percentages (Search Console's CTR) is a fraction.
 */
export function reportTotal(total: number | null, cells: readonly string[]): string {
  if (total === null) return "";
  const written = cells.map((c) => c.trim()).filter((c) => c !== "");
  return written.length > 0 && written.every((c) => c.endsWith("%")) ? percent(total, 2) : figure(total);
}

// Numbers a person watches while a file imports, and reads afterwards:
// how far (bytes), how many rows, how fast, how long is left, as the
// backend works them out.

import type { ImportRecord } from "../bindings/ImportRecord";
import type { Progress } from "../bindings/Progress";
import { bytes, count, duration, pluralWord } from "../lib/format";

export interface ImportFigures {
  /** 0..1 of the file read, null until the size is known. */
  fraction: number | null;
  rows: string;
  read: string;
  rate: string;
  left: string;
}

export function formatRate(perSecond: number | null): string {
  if (perSecond === null) return "—";
  return `${count(Math.round(perSecond), { compact: true })} rows/s`;
}

export function formatLeft(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return "less than a second left";
  return `about ${duration(ms)} left`;
}

/**
 * A progress report in the words shown. How far along, the rate and the time
 * left come worked out from the backend (rebound_core::progress), the same
 * figures the CLI prints.
 */
export function importFigures(p: Progress): ImportFigures {
  const total = p.bytes_total ?? null;
  const done = p.bytes_done ?? 0;
  return {
    fraction: p.fraction,
    rows: countOf(p.done, p.unit || "rows"),
    read: total ? `${bytes(done)} of ${bytes(total)}` : bytes(done),
    rate: formatRate(p.rate),
    left: formatLeft(p.remaining_ms),
  };
}

/** "12 campaigns, 3 products": what an import stored, in words. */
export function storedSummary(record: ImportRecord): string {
  const parts = record.stored.filter((s) => s.count > 0).map((s) => countOf(s.count, s.what));
  return parts.length === 0 ? "nothing" : parts.join(", ");
}

/** "1 campaign daily metric", "12 campaigns": `what` is a plural table or unit name. */
function countOf(n: number, what: string): string {
  return `${count(n)} ${storedNoun(n, what)}`;
}

/** A plural table or unit name ("people", "campaign_daily_metrics") in words for `n` of them. */
export function storedNoun(n: number, what: string): string {
  return pluralWord(n, singular(what), what.replace(/_/g, " "));
}

function singular(what: string): string {
  const words = what.replace(/_/g, " ");
  if (words.endsWith("people")) return words.replace(/people$/, "person");
  if (words.endsWith("ies")) return words.replace(/ies$/, "y");
  return words.replace(/s$/, "");
}

/** Rows an import holds now: what undo would remove. */
export function rowsStored(record: ImportRecord): number {
  return record.stored.reduce((sum, s) => sum + s.count, 0);
}

// Numbers a person watches while a file imports, and reads afterwards:
// how far (bytes), how many rows, how fast, how long is left.

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

/** Rows per second, or null before there is enough to measure. */
export function rowsPerSecond(done: number, elapsedMs: number): number | null {
  if (elapsedMs < 200 || done <= 0) return null;
  return done / (elapsedMs / 1000);
}

/**
 * Time left from the share of bytes read so far, or null when that would be a
 * guess (too early, or already at the end).
 */
export function timeLeftMs(bytesDone: number, bytesTotal: number, elapsedMs: number): number | null {
  if (bytesTotal <= 0 || bytesDone <= 0 || bytesDone >= bytesTotal || elapsedMs < 500) return null;
  const fraction = bytesDone / bytesTotal;
  if (fraction < 0.01) return null;
  return (elapsedMs / fraction) * (1 - fraction);
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

export function importFigures(p: Progress): ImportFigures {
  const total = p.bytes_total ?? null;
  const done = p.bytes_done ?? 0;
  const fraction = total && total > 0 ? Math.min(1, done / total) : null;
  return {
    fraction,
    rows: countOf(p.done, p.unit || "rows"),
    read: total ? `${bytes(done)} of ${bytes(total)}` : bytes(done),
    rate: formatRate(rowsPerSecond(p.done, p.elapsed_ms)),
    left: formatLeft(total ? timeLeftMs(done, total, p.elapsed_ms) : null),
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

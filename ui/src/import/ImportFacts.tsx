import type { ImportRecord } from "../bindings/ImportRecord";
import { bytes, count, dateTime, day, duration, plural } from "../lib/format";
import { storedNoun } from "./figures";

function period(record: ImportRecord): string | null {
  const p = record.period;
  if (!p) return null;
  if (p.start && p.end && p.start !== p.end) return `${day(p.start)} – ${day(p.end)}`;
  if (p.start) return day(p.start);
  return p.label;
}

function elapsedMs(record: ImportRecord): number | null {
  if (!record.finished_at) return null;
  const ms = new Date(record.finished_at).getTime() - new Date(record.started_at).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** What one import read and stored, as a list of facts. */
export function ImportFacts({ record, elapsed }: { record: ImportRecord; elapsed?: number }) {
  const took = elapsed ?? elapsedMs(record);
  const when = period(record);
  return (
    <dl className="facts import-facts" data-testid="import-facts">
      <dt>Rows read</dt>
      <dd data-testid="fact-rows-read">
        {count(record.rows_read)} = <strong>{count(record.rows_imported)}</strong> imported + <strong>{count(record.rows_rejected)}</strong> rejected
      </dd>
      <dt>Not data</dt>
      <dd data-testid="fact-not-data">{plural(record.rows_not_data, "line")} of titles, headers and totals, skipped</dd>
      <dt>Stored</dt>
      <dd data-testid="fact-stored">
        {record.stored.length === 0 ? "Nothing" : (
          <ul className="stored-list">
            {record.stored.map((s) => (
              <li key={s.what}><strong>{count(s.count)}</strong> {storedNoun(s.count, s.what)}</li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Format</dt>
      <dd>{record.format_label}</dd>
      {record.title && <><dt>Title</dt><dd>{record.title}</dd></>}
      {when && <><dt>Period</dt><dd data-testid="fact-period">{when}</dd></>}
      {record.note && <><dt>Note in the file</dt><dd>{record.note}</dd></>}
      <dt>File</dt>
      <dd className="path-wrap" title={record.path}>{record.path} · {bytes(record.byte_size)}</dd>
      <dt>Imported</dt>
      <dd>{dateTime(record.started_at)}{took !== null ? ` · took ${took < 1000 ? `${Math.max(1, Math.round(took))} ms` : duration(took)}` : ""}</dd>
    </dl>
  );
}

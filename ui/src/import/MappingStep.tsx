import { useId, useState } from "react";
import type { EventField } from "../bindings/EventField";
import type { TimestampFormat } from "../bindings/TimestampFormat";
import type { FileEntry } from "./flow";
import { draftFor, draftFromSaved, EVENT_FIELDS, type MappingDraft, mappingProblems, TIMESTAMP_FORMATS } from "./mapping";

const REQUIRED: ReadonlySet<EventField> = new Set(["timestamp", "event_name"]);
const WHO: ReadonlySet<EventField> = new Set(["visitor_id", "user_id", "email"]);

/** Generic CSV/JSONL: say which column is which, once; optionally keep it for next time. */
export function MappingStep(props: { file: FileEntry; onDone: (draft: MappingDraft) => void; onCancel: () => void }) {
  const { file, onDone, onCancel } = props;
  const inspection = file.inspection;
  const header = inspection?.header ?? [];
  const rows = inspection?.rows ?? [];
  const [draft, setDraft] = useState<MappingDraft>(
    () =>
      file.mapping ??
      (inspection?.saved_mapping
        ? draftFromSaved(inspection.saved_mapping)
        : draftFor(file.name, inspection?.suggested_mapping ?? { columns: {}, timestamp: { kind: "text_with_offset" } })),
  );
  const [tried, setTried] = useState(false);
  const ids = useId();
  const problems = mappingProblems(draft);
  const setColumn = (field: EventField, column: string) =>
    setDraft((d) => {
      const columns = { ...d.columns };
      if (column === "") delete columns[field];
      else columns[field] = column;
      return { ...d, columns };
    });
  const submit = () => {
    setTried(true);
    if (problems.length === 0) onDone(draft);
  };
  return (
    <form
      className="mapping"
      data-testid="import-mapping"
      aria-label={`Map the columns of ${file.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="muted">
        Rebound reads <strong>{file.name}</strong> as events. Tell it which column holds what; the suggestions come from the column names.
      </p>
      {header.length > 0 ? (
        <div className="preview-scroll" role="region" aria-label="Preview of the first rows" tabIndex={0}>
          <table className="table preview" data-testid="import-preview">
            <thead>
              <tr>{header.map((h, i) => <th key={`${h}-${i}`} scope="col">{h}</th>)}</tr>
            </thead>
            <tbody>
              {rows.slice(0, 6).map((row, r) => (
                <tr key={r}>{header.map((_, c) => <td key={c}>{row[c] ?? ""}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">This file has no header row to preview.</p>
      )}
      <fieldset className="mapping-fields">
        <legend>Columns</legend>
        {EVENT_FIELDS.map((info) => {
          const id = `${ids}-${info.field}`;
          const required = REQUIRED.has(info.field);
          const who = WHO.has(info.field);
          return (
            <label key={info.field} className="mapping-field" htmlFor={id}>
              <span className="mapping-label">
                {info.label}
                {required && <span className="required" aria-hidden> *</span>}
                {who && <span className="muted small"> (one of three)</span>}
                {info.hint && <span className="muted small mapping-hint">{info.hint}</span>}
              </span>
              <select id={id} className="select" value={draft.columns[info.field] ?? ""} onChange={(e) => setColumn(info.field, e.target.value)} data-testid={`mapping-${info.field}`} aria-required={required}>
                <option value="">— not in this file —</option>
                {header.map((h) => <option key={h} value={h}>{h}</option>)}
              </select>
            </label>
          );
        })}
      </fieldset>
      <div className="mapping-options">
        <label className="field" htmlFor={`${ids}-ts`}>
          Times are written as
          <select id={`${ids}-ts`} className="select" value={draft.timestamp} onChange={(e) => setDraft((d) => ({ ...d, timestamp: e.target.value as TimestampFormat["kind"] }))} data-testid="mapping-timestamp-format">
            {TIMESTAMP_FORMATS.map((t) => <option key={t.kind} value={t.kind}>{t.label} — e.g. {t.example}</option>)}
          </select>
        </label>
        <label className="field" htmlFor={`${ids}-currency`}>
          Default currency
          <input id={`${ids}-currency`} value={draft.currency} maxLength={3} onChange={(e) => setDraft((d) => ({ ...d, currency: e.target.value.toUpperCase() }))} placeholder="USD" data-testid="mapping-currency" />
        </label>
        <label className="field" htmlFor={`${ids}-name`}>
          Profile name
          <input id={`${ids}-name`} value={draft.name} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} data-testid="mapping-name" />
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={draft.remember} onChange={(e) => setDraft((d) => ({ ...d, remember: e.target.checked }))} data-testid="mapping-remember" />
        Remember this mapping for files with the same columns
      </label>
      {problems.length > 0 && (
        <ul className={tried ? "mapping-problems field-error" : "mapping-problems muted"} role={tried ? "alert" : undefined} data-testid="mapping-problems">
          {problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
      <div className="modal-actions">
        <button type="button" className="button" onClick={onCancel} data-testid="mapping-cancel">Cancel</button>
        <button type="submit" className="button primary" data-testid="mapping-done">Use this mapping</button>
      </div>
    </form>
  );
}

import { AlertTriangle, CheckCircle2, FileText, Trash2 } from "lucide-react";
import { useId } from "react";
import type { Format } from "../bindings/Format";
import { ErrorNotice } from "../components/ErrorNotice";
import { bytes, dateTime, percent } from "../lib/format";
import { blocker, type FileEntry, GENERIC } from "./flow";

/** One chosen file before importing: what it is, why we think so, and a way to say otherwise. */
export function FileReview(props: {
  file: FileEntry;
  onFormat: (format: Format) => void;
  onConversion: (column: string) => void;
  onMapColumns: () => void;
  onRemove: () => void;
}) {
  const { file, onFormat, onConversion, onMapColumns, onRemove } = props;
  const inspection = file.inspection;
  const selectId = useId();
  return (
    <article className="card import-file" data-testid="import-file" aria-label={file.name}>
      <header className="import-file-header">
        <FileText size={18} aria-hidden className="muted" />
        <div className="import-file-title">
          <h3 className="cell-title" title={file.path}>{file.name}</h3>
          {inspection && <span className="muted small">{bytes(inspection.byte_size)} · {inspection.detection.encoding}</span>}
        </div>
        <button type="button" className="icon-button" aria-label={`Remove ${file.name}`} onClick={onRemove}>
          <Trash2 size={16} />
        </button>
      </header>
      {file.state.status === "inspecting" && <p className="muted" aria-busy="true">Reading the first lines…</p>}
      {file.state.status === "unreadable" && <ErrorNotice error={file.state.error} />}
      {inspection && file.state.status === "ready" && (
        <>
          <div className="import-detected">
            <div>
              <div className="kpi-title">Detected</div>
              <div className="import-format" data-testid="import-detected">
                {inspection.format_label}
                <span className={inspection.detection.confidence >= 0.8 ? "badge badge-good" : "badge badge-warn"}>
                  {percent(inspection.detection.confidence, 0)} sure
                </span>
              </div>
            </div>
            <label className="field import-override" htmlFor={selectId}>
              Import as
              <select id={selectId} className="select" value={file.format ?? "unknown"} onChange={(e) => onFormat(e.target.value as Format)} data-testid="import-format">
                {(file.format === null || file.format === "unknown") && <option value="unknown">Choose a format…</option>}
                {!inspection.choices.some((c) => c.format === inspection.detection.format) && inspection.detection.format !== "unknown" && (
                  <option value={inspection.detection.format}>{inspection.format_label}</option>
                )}
                {inspection.choices.map((c) => (
                  <option key={c.format} value={c.format}>{c.label}</option>
                ))}
              </select>
            </label>
          </div>
          {inspection.detection.evidence.length > 0 && (
            <ul className="evidence" aria-label="Why Rebound thinks so" data-testid="import-evidence">
              {inspection.detection.evidence.map((sentence) => (
                <li key={sentence}>{capitalise(sentence)}</li>
              ))}
            </ul>
          )}
          {inspection.already_imported && (
            <p className="notice notice-warn" role="status" data-testid="import-already">
              <AlertTriangle size={16} aria-hidden />
              <span>
                Already imported on {dateTime(inspection.already_imported.started_at)} — importing again does nothing.
              </span>
            </p>
          )}
          {inspection.conversion_choices.length > 1 && file.format === "ab_per_person" && (
            <label className="field import-conversion">
              A conversion is
              <select
                className="select"
                value={file.conversion ?? inspection.conversion_choices[0]}
                onChange={(e) => onConversion(e.target.value)}
                data-testid="import-conversion"
              >
                {inspection.conversion_choices.map((c) => (
                  <option key={c} value={c}>{c}</option>
                ))}
              </select>
              <span className="muted small">The yes/no column the test is read by; the experiment is named by it.</span>
            </label>
          )}
          <MappingStatus file={file} onMapColumns={onMapColumns} />
          {inspection.first_lines.length > 0 && (
            <details className="first-lines">
              <summary>First lines of the file</summary>
              <pre data-testid="import-first-lines">{inspection.first_lines.join("\n")}</pre>
            </details>
          )}
        </>
      )}
    </article>
  );
}

function MappingStatus({ file, onMapColumns }: { file: FileEntry; onMapColumns: () => void }) {
  const inspection = file.inspection;
  if (!inspection || file.format === null || !GENERIC.includes(file.format)) {
    const problem = blocker(file);
    return problem ? <p className="field-error" role="alert">{problem}</p> : null;
  }
  if (file.mapping) {
    return (
      <p className="import-mapping-status">
        <CheckCircle2 size={16} aria-hidden className="good" />
        <span>Columns mapped{file.mapping.remember ? `, kept as “${file.mapping.name}”` : ""}.</span>
        <button type="button" className="link" onClick={onMapColumns}>Change</button>
      </p>
    );
  }
  if (inspection.saved_mapping) {
    return (
      <p className="import-mapping-status" data-testid="import-saved-mapping">
        <CheckCircle2 size={16} aria-hidden className="good" />
        <span>The saved column mapping “{inspection.saved_mapping.name}” will be applied automatically.</span>
        <button type="button" className="link" onClick={onMapColumns}>Change</button>
      </p>
    );
  }
  return (
    <p className="import-mapping-status">
      <AlertTriangle size={16} aria-hidden className="warn" />
      <span>This file needs a column mapping: which column holds the time, the event and the person.</span>
      <button type="button" className="button" onClick={onMapColumns} data-testid="import-map-columns">Map columns…</button>
    </p>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

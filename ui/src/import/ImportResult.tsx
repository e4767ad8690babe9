import { AlertTriangle, Ban, CheckCircle2, Info } from "lucide-react";
import { useState } from "react";
import { ErrorNotice } from "../components/ErrorNotice";
import { dateTime, plural } from "../lib/format";
import type { FileEntry } from "./flow";
import { storedSummary } from "./figures";
import { ImportFacts } from "./ImportFacts";
import { AllRejections, RejectionRows } from "./RejectionsTable";

const FIRST_REJECTIONS = 5;

/** How one file's import went. */
export function ImportResult({ file }: { file: FileEntry }) {
  const [showAll, setShowAll] = useState(false);
  const state = file.state;
  if (state.status === "failed") {
    return (
      <article className="card import-result" data-testid="import-result" data-status="failed" aria-label={file.name}>
        <h3 className="import-result-title"><AlertTriangle size={18} aria-hidden className="bad" /> {file.name} was not imported</h3>
        <ErrorNotice error={state.error} />
      </article>
    );
  }
  if (state.status === "left_out") {
    return (
      <article className="card import-result" data-testid="import-result" data-status="left_out" aria-label={file.name}>
        <h3 className="import-result-title"><Ban size={18} aria-hidden className="muted" /> {file.name}: left out, nothing was written</h3>
        <p className="muted">{state.reason} Import it again to make that choice.</p>
      </article>
    );
  }
  if (state.status === "cancelled" || state.status === "skipped" || state.status === "unreadable") {
    return (
      <article className="card import-result" data-testid="import-result" data-status={state.status} aria-label={file.name}>
        <h3 className="import-result-title">
          <Ban size={18} aria-hidden className="muted" /> {file.name}:{" "}
          {state.status === "cancelled" ? "cancelled, nothing was written" : state.status === "skipped" ? "not imported (cancelled before its turn)" : "could not be read"}
        </h3>
      </article>
    );
  }
  if (state.status !== "imported") return null;
  const { outcome } = state;
  const record = outcome.import;
  if (outcome.already_imported) {
    return (
      <article className="card import-result" data-testid="import-result" data-status="already" aria-label={file.name}>
        <h3 className="import-result-title"><Info size={18} aria-hidden className="muted" /> {file.name} was already imported</h3>
        <p className="muted">The same file was imported on {dateTime(record.started_at)}; nothing was written again.</p>
      </article>
    );
  }
  const shown = outcome.rejections.slice(0, FIRST_REJECTIONS);
  return (
    <article className="card import-result" data-testid="import-result" data-status="imported" aria-label={file.name}>
      <h3 className="import-result-title">
        <CheckCircle2 size={18} aria-hidden className="good" /> {file.name}: stored {storedSummary(record)}
      </h3>
      <ImportFacts record={record} elapsed={outcome.elapsed_ms} />
      {record.rows_rejected > 0 && (
        <section className="import-rejections" aria-label="Rejected rows">
          <h4>
            {plural(record.rows_rejected, "rejected row")}
            {!showAll && record.rows_rejected > shown.length && <span className="muted"> — the first {shown.length}</span>}
          </h4>
          {showAll ? <AllRejections id={record.id} /> : <RejectionRows rows={shown} />}
          {!showAll && record.rows_rejected > shown.length && (
            <button type="button" className="link" onClick={() => setShowAll(true)} data-testid="show-all-rejections">
              See all rejected rows
            </button>
          )}
        </section>
      )}
    </article>
  );
}

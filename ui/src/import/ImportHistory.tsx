import { Undo2 } from "lucide-react";
import { useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ImportRecord } from "../bindings/ImportRecord";
import { ErrorNotice } from "../components/ErrorNotice";
import { Modal } from "../components/Modal";
import { count, dateTime, plural } from "../lib/format";
import { storedSummary } from "./figures";
import { ImportFacts } from "./ImportFacts";
import { AllRejections } from "./RejectionsTable";

const key = (record: ImportRecord) => String(record.id);

/** Every import into this workspace, newest first, each one undoable. */
export function ImportHistory({ records, onChanged }: { records: readonly ImportRecord[]; onChanged: () => void }) {
  const backend = useBackend();
  const [selected, setSelected] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<ImportRecord | null>(null);
  const [undoing, setUndoing] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const chosen = records.find((r) => key(r) === selected) ?? null;

  const undo = async (record: ImportRecord) => {
    setUndoing(true);
    setError(null);
    try {
      await backend.undoImport(record.id);
      onChanged();
    } catch (raw) {
      setError(toBackendError(raw));
    } finally {
      setUndoing(false);
      setConfirm(null);
    }
  };

  return (
    <>
      <div className="card" data-testid="import-history-card">
        <div className="card-header"><h2>Import history</h2><span className="muted small">Select an import to see its details and rejected rows</span></div>
        {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
        {records.length === 0 ? (
          <p className="muted" data-testid="import-history-empty">Nothing imported yet. Drag export files onto the window, or use Import files….</p>
        ) : (
          <table className="table history" data-testid="import-history">
            <thead>
              <tr>
                <th scope="col">File and format</th>
                <th scope="col">When</th>
                <th className="num" scope="col">Read</th>
                <th className="num" scope="col">Imported</th>
                <th className="num" scope="col">Rejected</th>
                <th scope="col">Status</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr
                  key={key(r)}
                  className={key(r) === selected ? "selectable selected" : "selectable"}
                  data-testid="import-history-row"
                  data-selected={key(r) === selected}
                  onClick={() => setSelected(key(r) === selected ? null : key(r))}
                >
                  <td className="file-cell">
                    <button type="button" className="link cell-link" title={r.path} onClick={(e) => { e.stopPropagation(); setSelected(key(r) === selected ? null : key(r)); }}>
                      {r.file_name}
                    </button>
                    <div className="cell-sub">{r.format_label}</div>
                  </td>
                  <td className="nowrap">{dateTime(r.started_at)}</td>
                  <td className="num">{count(r.rows_read)}</td>
                  <td className="num">{count(r.rows_imported)}</td>
                  <td className="num">{count(r.rows_rejected)}</td>
                  <td className="nowrap"><span className={`status status-${r.status === "complete" ? "active" : "draft"}`} data-testid="import-status">{r.status === "complete" ? "Imported" : "Undone"}</span></td>
                  <td className="num">
                    {r.status === "complete" && (
                      <button type="button" className="button small-button" onClick={(e) => { e.stopPropagation(); setConfirm(r); }} aria-label={`Undo import of ${r.file_name}`} data-testid="import-undo">
                        <Undo2 size={14} aria-hidden /> Undo
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {chosen && (
        <div className="card" data-testid="import-details" aria-label={`Import of ${chosen.file_name}`}>
          <div className="card-header">
            <h2>{chosen.file_name}</h2>
            <span className="muted small">{chosen.status === "undone" ? "Undone: what it stored was removed" : `Stored ${storedSummary(chosen)}`}</span>
          </div>
          <ImportFacts record={chosen} />
          {chosen.rows_rejected > 0 && (
            <>
              <h3>Rejected rows</h3>
              <AllRejections id={chosen.id} />
            </>
          )}
        </div>
      )}
      {confirm && (
        <Modal title="Undo this import?" onClose={() => !undoing && setConfirm(null)} testId="undo-confirm">
          <p>
            Undo import of <strong>{confirm.file_name}</strong>? Its {plural(confirm.rows_imported, "row")} will be removed
            {confirm.stored.length > 0 ? ` (${storedSummary(confirm)})` : ""}.
          </p>
          <p className="muted">The file stays in the history as undone, and can be imported again.</p>
          <div className="modal-actions">
            <button type="button" className="button" onClick={() => setConfirm(null)} disabled={undoing}>Keep it</button>
            <button type="button" className="button danger" onClick={() => void undo(confirm)} disabled={undoing} data-testid="undo-confirm-button">
              {undoing ? "Undoing…" : "Undo import"}
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}

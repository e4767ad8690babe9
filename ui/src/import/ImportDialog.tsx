import { Upload } from "lucide-react";
import { useCallback, useEffect, useReducer, useRef } from "react";
import { toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import { Modal } from "../components/Modal";
import { plural } from "../lib/format";
import { canStart, flowReducer, initialFlow, nextToImport, requestFor, reviewNote, startLabel } from "./flow";
import { FileReview } from "./FileReview";
import { ImportProgress } from "./ImportProgress";
import { ImportResult } from "./ImportResult";
import { MappingStep } from "./MappingStep";

let jobCounter = 0;

/**
 * The import flow for the files chosen or dropped: review what each file is,
 * map columns where needed, import them one after another, then the results.
 * `onClose(changed)` says whether anything was written.
 */
export function ImportDialog({ paths, onClose, onAddFiles }: { paths: readonly string[]; onClose: (changed: boolean) => void; onAddFiles: () => void }) {
  const backend = useBackend();
  const [state, dispatch] = useReducer(flowReducer, paths, initialFlow);
  const inspecting = useRef(new Set<string>());
  const running = useRef<{ path: string; jobId: string } | null>(null);

  // Files dropped or picked while the dialog is open join it.
  useEffect(() => {
    dispatch({ type: "add", paths });
  }, [paths]);

  // Inspect each new file once.
  useEffect(() => {
    for (const file of state.files) {
      if (file.state.status !== "inspecting" || inspecting.current.has(file.path)) continue;
      inspecting.current.add(file.path);
      backend.inspectImport(file.path).then(
        (inspection) => dispatch({ type: "inspected", path: file.path, inspection }),
        (e) => dispatch({ type: "inspect_failed", path: file.path, error: toBackendError(e) }),
      );
    }
  }, [backend, state.files]);

  // Import the files one after another.
  const next = nextToImport(state);
  const busy = state.files.some((f) => f.state.status === "importing");
  useEffect(() => {
    if (state.phase !== "importing" || busy || running.current) return;
    if (!next) {
      dispatch({ type: "finished" });
      return;
    }
    const jobId = `import-${(jobCounter += 1)}`;
    running.current = { path: next.path, jobId };
    dispatch({ type: "file_started", path: next.path });
    backend.runImport(requestFor(next), jobId, (progress) => dispatch({ type: "progress", path: next.path, progress })).then(
      (outcome) => {
        running.current = null;
        dispatch({ type: "file_imported", path: next.path, outcome });
      },
      (e) => {
        running.current = null;
        dispatch({ type: "file_failed", path: next.path, error: toBackendError(e) });
      },
    );
  }, [backend, state.phase, busy, next]);

  // Keyboard focus follows the step: the first column, Cancel while importing, Done at the end.
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const dialog = body.current?.closest<HTMLElement>("[role=dialog]");
    const target =
      state.phase === "mapping"
        ? dialog?.querySelector<HTMLElement>(".mapping select")
        : state.phase === "importing"
          ? dialog?.querySelector<HTMLElement>('[data-testid="import-cancel"]')
          : state.phase === "results"
            ? dialog?.querySelector<HTMLElement>('[data-testid="import-done"]')
            : null;
    target?.focus();
  }, [state.phase]);

  const cancel = useCallback(() => {
    dispatch({ type: "cancel" });
    const job = running.current;
    if (job) void backend.cancelJob(job.jobId);
  }, [backend]);

  const changed = state.files.some((f) => f.state.status === "imported" && !f.state.outcome.already_imported);
  const stateRef = useRef(state);
  stateRef.current = state;
  // Escape: leaves the mapping step, or closes when nothing is running.
  const onEscape = useCallback(() => {
    const s = stateRef.current;
    if (s.phase === "mapping") dispatch({ type: "mapping_cancelled" });
    else if (s.phase !== "importing") onClose(s.files.some((f) => f.state.status === "imported" && !f.state.outcome.already_imported));
  }, [onClose]);

  const mappingFile = state.mapping ? state.files.find((f) => f.path === state.mapping?.path) : undefined;
  const queue = state.files.filter((f) => f.state.status !== "unreadable" && f.state.status !== "left_out");
  const current = state.files.find((f) => f.state.status === "importing");

  const title =
    state.phase === "mapping" && mappingFile
      ? `Map the columns of ${mappingFile.name}`
      : state.phase === "importing"
        ? "Importing"
        : state.phase === "results"
          ? "Import finished"
          : state.files.length === 1
            ? "Import a file"
            : `Import ${plural(state.files.length, "file")}`;

  return (
    <Modal title={title} onClose={onEscape} testId="import-dialog" wide>
      <div className="import-body" ref={body}>
        {state.phase === "review" && (
          <>
            {state.files.length === 0 && <p className="muted">No files chosen.</p>}
            {state.files.map((file) => (
              <FileReview
                key={file.path}
                file={file}
                onFormat={(format) => dispatch({ type: "choose_format", path: file.path, format })}
                onConversion={(column) => dispatch({ type: "choose_conversion", path: file.path, column })}
                onMapColumns={() => dispatch({ type: "open_mapping", path: file.path })}
                onRemove={() => dispatch({ type: "remove", path: file.path })}
              />
            ))}
          </>
        )}
        {state.phase === "mapping" && mappingFile && (
          <MappingStep
            file={mappingFile}
            onDone={(draft) => dispatch({ type: "mapping_done", path: mappingFile.path, draft })}
            onCancel={() => dispatch({ type: "mapping_cancelled" })}
          />
        )}
        {state.phase === "importing" && (
          <>
            {current ? (
              <ImportProgress file={current} position={queue.indexOf(current) + 1} of={queue.filter((f) => f.state.status !== "skipped").length} />
            ) : (
              <p className="muted">Finishing…</p>
            )}
            {queue.length > 1 && (
              <ol className="import-queue" aria-label="Files">
                {queue.map((f) => (
                  <li key={f.path} data-status={f.state.status}>
                    <span>{f.name}</span>
                    <span className="muted small">{queueStatus(f.state.status)}</span>
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
        {state.phase === "results" && state.files.map((file) => <ImportResult key={file.path} file={file} />)}
      </div>
      {state.phase === "review" && (
        <div className="modal-actions import-actions">
          <button type="button" className="button" onClick={onAddFiles}>
            <Upload size={15} aria-hidden /> Add files…
          </button>
          <span className="muted small import-actions-note" role="status">
            {reviewNote(state)}
          </span>
          <button type="button" className="button" onClick={() => onClose(false)} data-testid="import-close">Cancel</button>
          <button type="button" className="button primary" disabled={!canStart(state)} onClick={() => dispatch({ type: "start" })} data-testid="import-start">
            {startLabel(state)}
          </button>
        </div>
      )}
      {state.phase === "importing" && (
        <div className="modal-actions">
          <button type="button" className="button" onClick={cancel} disabled={state.cancelling} data-testid="import-cancel">
            {state.cancelling ? "Cancelling…" : "Cancel"}
          </button>
        </div>
      )}
      {state.phase === "results" && (
        <div className="modal-actions">
          <button type="button" className="button primary" onClick={() => onClose(changed)} data-testid="import-done">Done</button>
        </div>
      )}
    </Modal>
  );
}

function queueStatus(status: string): string {
  switch (status) {
    case "ready":
      return "Waiting";
    case "importing":
      return "Importing…";
    case "imported":
      return "Done";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
    default:
      return "";
  }
}

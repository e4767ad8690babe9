import type { Progress } from "../bindings/Progress";
import { count, duration } from "../lib/format";
import { Modal } from "./Modal";

export interface Job {
  id: string;
  title: string;
  progress: Progress | null;
  cancelling: boolean;
}

/** Progress of long work, with a way out. */
export function JobProgress({ job, onCancel }: { job: Job; onCancel: () => void }) {
  const p = job.progress;
  // How far along and the time left come worked out from the backend
  // (rebound_core::progress), the same figures the CLI prints.
  const fraction = p?.fraction ?? null;
  const remaining = p?.remaining_ms ?? null;
  return (
    <Modal title={job.title} testId="job-progress">
      <p className="muted" data-testid="job-stage">{p?.stage ?? "Starting…"}</p>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}>
        <div className={fraction === null ? "progress-bar indeterminate" : "progress-bar"} style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
      </div>
      <div className="progress-figures">
        <span>{p && p.total ? `${count(p.done)} of ${count(p.total)} ${p.unit}` : "\u00a0"}</span>
        <span>{remaining !== null ? `about ${duration(remaining)} left` : p ? `${duration(p.elapsed_ms)} elapsed` : ""}</span>
      </div>
      <div className="modal-actions">
        <button type="button" className="button" onClick={onCancel} disabled={job.cancelling} data-testid="job-cancel">
          {job.cancelling ? "Cancelling…" : "Cancel"}
        </button>
      </div>
    </Modal>
  );
}

import type { FileEntry } from "./flow";
import { importFigures } from "./figures";

/** The file being imported: how far, how many rows, how fast, how long is left. */
export function ImportProgress({ file, position, of }: { file: FileEntry; position: number; of: number }) {
  const progress = file.state.status === "importing" ? file.state.progress : null;
  const figures = progress ? importFigures(progress) : null;
  const fraction = figures?.fraction ?? null;
  return (
    <div className="import-progress" data-testid="import-progress">
      <p className="import-progress-title">
        <strong>{file.name}</strong>
        {of > 1 && <span className="muted"> · file {position} of {of}</span>}
      </p>
      <p className="muted small" data-testid="import-stage">{progress?.stage ?? "Starting…"}</p>
      <div
        className="progress"
        role="progressbar"
        aria-label={`Importing ${file.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
      >
        <div className={fraction === null ? "progress-bar indeterminate" : "progress-bar"} style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
      </div>
      <dl className="import-figures">
        <div><dt>Rows so far</dt><dd data-testid="import-rows">{figures?.rows ?? "—"}</dd></div>
        <div><dt>Read</dt><dd data-testid="import-bytes">{figures?.read ?? "—"}</dd></div>
        <div><dt>Speed</dt><dd data-testid="import-rate">{figures?.rate ?? "—"}</dd></div>
        <div><dt>Time left</dt><dd data-testid="import-left">{figures?.left ?? "—"}</dd></div>
      </dl>
    </div>
  );
}

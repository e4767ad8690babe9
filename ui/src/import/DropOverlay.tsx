import { Upload } from "lucide-react";

/** Shown over the whole window while files are dragged over it. */
export function DropOverlay({ canImport }: { canImport: boolean }) {
  return (
    <div className="drop-overlay" data-testid="drop-overlay" role="status" aria-live="polite">
      <div className="drop-target">
        <Upload size={36} aria-hidden />
        <p className="drop-title">Drop to import</p>
        <p className="muted">
          {canImport
            ? "Event logs, ad and analytics reports, order exports, product feeds, contact lists, A/B results"
            : "Open or create a workspace first: imports go into the open workspace"}
        </p>
      </div>
    </div>
  );
}

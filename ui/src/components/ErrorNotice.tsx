import { AlertTriangle, X } from "lucide-react";
import type { BackendError } from "../api/backend";
import { nextStep } from "../lib/errors";

/** An error shown where it happened, with what to do next. */
export function ErrorNotice({ error, onDismiss }: { error: BackendError; onDismiss?: () => void }) {
  const hint = nextStep(error.code);
  return (
    <div className="notice notice-error" role="alert" data-testid="error-notice" data-code={error.code}>
      <AlertTriangle size={18} aria-hidden />
      <div className="notice-body">
        <p className="notice-message">{capitalise(error.message)}</p>
        {hint && <p className="notice-hint">{hint}</p>}
      </div>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          <X size={16} />
        </button>
      )}
    </div>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

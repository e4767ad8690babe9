// A short confirmation ("Saved …", "Report attached.") the person can dismiss.

import { X } from "lucide-react";

export function InfoNotice({ message, onDismiss, testId }: { message: string; onDismiss: () => void; testId?: string }) {
  return (
    <p className="notice notice-info" role="status" data-testid={testId}>
      {message}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <X size={14} aria-hidden />
      </button>
    </p>
  );
}

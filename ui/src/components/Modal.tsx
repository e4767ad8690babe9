import { type ReactNode, useEffect, useRef } from "react";

/** A dialog that traps attention: Escape closes it, focus starts inside. */
export function Modal(props: { title: string; onClose?: () => void; children: ReactNode; testId?: string; wide?: boolean }) {
  const { title, onClose, children, testId, wide } = props;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>("input, button, [tabindex]");
    first?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && onClose) onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop">
      <div ref={ref} className={wide ? "modal modal-wide" : "modal"} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2 className="modal-title">{title}</h2>
        {children}
      </div>
    </div>
  );
}

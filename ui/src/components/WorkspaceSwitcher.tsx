import { ChevronsUpDown, FilePlus2, FolderOpen, History, Sparkles } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import type { AppStatus } from "../bindings/AppStatus";

export interface WorkspaceActions {
  newWorkspace: () => void;
  openWorkspace: () => void;
  openRecent: (path: string) => void;
  loadDemo: () => void;
}

/** The open workspace, and a menu to switch: recent files, new, open, demo. */
export function WorkspaceSwitcher({ status, actions }: { status: AppStatus; actions: WorkspaceActions }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    window.addEventListener("mousedown", close);
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("mousedown", close);
      window.removeEventListener("keydown", onKey);
    };
  }, [open]);
  const run = (action: () => void) => () => {
    setOpen(false);
    action();
  };
  const others = status.settings.recent.filter((r) => r.path !== status.workspace?.path);
  return (
    <div className="switcher" ref={ref}>
      <button
        type="button"
        className="switcher-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="workspace-switcher"
        title={status.workspace?.path ?? "No workspace open"}
      >
        <span className="switcher-label">Workspace</span>
        <span className="switcher-name" data-testid="workspace-name">{status.workspace?.name ?? "None open"}</span>
        {status.workspace?.has_demo_data && (
          <span className="badge badge-neutral switcher-sample" data-testid="workspace-sample-data" title="This workspace holds Rebound's demo shop: every figure in it is sample data, not your own">
            Sample data
          </span>
        )}
        <ChevronsUpDown size={16} aria-hidden className="switcher-chevron" />
      </button>
      {open && (
        <div className="menu" role="menu" data-testid="workspace-menu">
          {others.length > 0 && <div className="menu-heading"><History size={14} aria-hidden /> Recent</div>}
          {others.map((r) => (
            <button key={r.path} type="button" role="menuitem" className="menu-item" onClick={run(() => actions.openRecent(r.path))} title={r.path} data-testid="recent-item" data-path={r.path}>
              <span>{r.name}</span>
              <span className="menu-item-path">{r.path}</span>
            </button>
          ))}
          {others.length > 0 && <div className="menu-separator" />}
          <button type="button" role="menuitem" className="menu-item" onClick={run(actions.newWorkspace)} data-testid="menu-new">
            <span><FilePlus2 size={15} aria-hidden /> New workspace…</span><kbd>Ctrl N</kbd>
          </button>
          <button type="button" role="menuitem" className="menu-item" onClick={run(actions.openWorkspace)} data-testid="menu-open">
            <span><FolderOpen size={15} aria-hidden /> Open workspace…</span><kbd>Ctrl O</kbd>
          </button>
          <button type="button" role="menuitem" className="menu-item" onClick={run(actions.loadDemo)} data-testid="menu-demo">
            <span><Sparkles size={15} aria-hidden /> Load demo workspace</span>
          </button>
        </div>
      )}
    </div>
  );
}

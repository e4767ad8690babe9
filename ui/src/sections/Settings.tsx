import { Monitor, Moon, Sun, Trash2 } from "lucide-react";
import { useEffect, useState } from "react";
import { useBackend } from "../api/context";
import type { AppStatus } from "../bindings/AppStatus";
import type { Theme } from "../bindings/Theme";

const THEMES: { id: Theme; label: string; icon: typeof Sun }[] = [
  { id: "system", label: "Match system", icon: Monitor },
  { id: "light", label: "Light", icon: Sun },
  { id: "dark", label: "Dark", icon: Moon },
];

/**
 * The open workspace's format (its newest migration), for support questions
 * only: a detail, never a headline. Null while unknown or when none is open.
 */
function useWorkspaceFormat(path: string | null): number | null {
  const backend = useBackend();
  const [version, setVersion] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    setVersion(null);
    if (path === null) return;
    // A failure leaves the detail out; the workspace's own screens report errors.
    backend.workspaceInfo().then(
      (info) => live && setVersion(info.schema_version),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [backend, path]);
  return version;
}

export function Settings(props: {
  status: AppStatus;
  onTheme: (theme: Theme) => void;
  onForget: (path: string) => void;
  onOpen: (path: string) => void;
}) {
  const { status } = props;
  const format = useWorkspaceFormat(status.workspace?.path ?? null);
  return (
    <section className="page" data-testid="settings">
      <header className="page-header"><div><h1>Settings</h1><p className="muted">Kept on this computer, outside your workspaces.</p></div></header>
      <div className="card">
        <div className="card-header"><h2>Appearance</h2></div>
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {THEMES.map((t) => {
            const Icon = t.icon;
            const checked = status.settings.theme === t.id;
            return (
              <button key={t.id} type="button" role="radio" aria-checked={checked} className={checked ? "segment checked" : "segment"} onClick={() => props.onTheme(t.id)} data-testid={`theme-${t.id}`}>
                <Icon size={16} aria-hidden /> {t.label}
              </button>
            );
          })}
        </div>
      </div>
      <div className="card">
        <div className="card-header"><h2>Workspaces</h2></div>
        <dl className="facts">
          <dt>Open now</dt><dd data-testid="settings-current">{status.workspace?.path ?? "None"}</dd>
          <dt>Default workspace</dt><dd>{status.default_workspace_path}</dd>
          <dt>Demo workspace</dt><dd>{status.demo_workspace_path}</dd>
        </dl>
        {format !== null && <p className="muted small" data-testid="settings-format">Workspace format version {format}</p>}
        <h3>Recent</h3>
        {status.settings.recent.length === 0 ? (
          <p className="muted">No recent workspaces.</p>
        ) : (
          <ul className="recent-list">
            {status.settings.recent.map((r) => (
              <li key={r.path}>
                <button type="button" className="link" onClick={() => props.onOpen(r.path)} title={`Open ${r.path}`}>{r.name}</button>
                <span className="muted small path">{r.path}</span>
                <button type="button" className="icon-button" aria-label={`Remove ${r.name} from recent workspaces`} onClick={() => props.onForget(r.path)}>
                  <Trash2 size={15} />
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="card">
        <div className="card-header"><h2>Keyboard</h2></div>
        <dl className="facts">
          <dt><kbd>Ctrl</kbd> + <kbd>1</kbd>…<kbd>8</kbd></dt><dd>Go to a section</dd>
          <dt><kbd>↑</kbd> <kbd>↓</kbd></dt><dd>Move between sections in the sidebar</dd>
          <dt><kbd>Ctrl</kbd> + <kbd>N</kbd> / <kbd>O</kbd></dt><dd>New / open workspace</dd>
          <dt><kbd>Esc</kbd></dt><dd>Close a dialog or menu</dd>
        </dl>
      </div>
    </section>
  );
}

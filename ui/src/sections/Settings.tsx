import { Monitor, Moon, Sun, Trash2 } from "lucide-react";
import type { AppStatus } from "../bindings/AppStatus";
import type { Theme } from "../bindings/Theme";

const THEMES: { id: Theme; label: string; icon: typeof Sun }[] = [
  { id: "system", label: "Match system", icon: Monitor },
  { id: "light", label: "Light", icon: Sun },
  { id: "dark", label: "Dark", icon: Moon },
];

export function Settings(props: {
  status: AppStatus;
  onTheme: (theme: Theme) => void;
  onForget: (path: string) => void;
  onOpen: (path: string) => void;
}) {
  const { status } = props;
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

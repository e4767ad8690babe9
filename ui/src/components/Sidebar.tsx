import logoUrl from "../../../assets/logo.svg";
import { type KeyboardEvent, useRef } from "react";
import type { AppStatus } from "../bindings/AppStatus";
import { SECTIONS, type SectionId, nextAvailable } from "../lib/sections";
import { type WorkspaceActions, WorkspaceSwitcher } from "./WorkspaceSwitcher";

/** Navigation: every section, the ones not yet available shown as such. */
export function Sidebar(props: {
  status: AppStatus;
  section: SectionId;
  onSection: (id: SectionId) => void;
  actions: WorkspaceActions;
}) {
  const list = useRef<HTMLElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const next = nextAvailable(props.section, event.key === "ArrowDown" ? 1 : -1);
    props.onSection(next);
    list.current?.querySelector<HTMLElement>(`[data-section="${next}"]`)?.focus();
  };
  return (
    <aside className="sidebar">
      <div className="brand">
        <img src={logoUrl} alt="" width={28} height={28} />
        <span>Rebound</span>
      </div>
      <WorkspaceSwitcher status={props.status} actions={props.actions} />
      <nav aria-label="Sections" ref={list} onKeyDown={onKeyDown}>
        <ul className="nav">
          {SECTIONS.map((s, i) => {
            const Icon = s.icon;
            const active = s.id === props.section;
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={active ? "nav-item active" : "nav-item"}
                  data-section={s.id}
                  data-testid={`nav-${s.id}`}
                  aria-current={active ? "page" : undefined}
                  aria-disabled={!s.available}
                  tabIndex={active ? 0 : -1}
                  title={s.available ? `${s.label} (Ctrl+${i + 1})` : `${s.label}: not yet available in this version. ${s.purpose}.`}
                  onClick={() => s.available && props.onSection(s.id)}
                >
                  <Icon size={18} aria-hidden />
                  <span className="nav-label">{s.label}</span>
                  {!s.available && <span className="nav-tag">Not yet available</span>}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="sidebar-footer muted small">Everything stays on this computer.</div>
    </aside>
  );
}

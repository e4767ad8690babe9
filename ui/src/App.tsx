import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { BackendError, toBackendError } from "./api/backend";
import { useBackend } from "./api/context";
import type { AppStatus } from "./bindings/AppStatus";
import type { DemoTarget } from "./bindings/DemoTarget";
import type { Theme } from "./bindings/Theme";
import { ErrorNotice } from "./components/ErrorNotice";
import { type Job, JobProgress } from "./components/JobProgress";
import { NewWorkspaceDialog } from "./components/NewWorkspaceDialog";
import { Sidebar } from "./components/Sidebar";
import { DropOverlay } from "./import/DropOverlay";
import { ImportDialog } from "./import/ImportDialog";
import { Dashboard } from "./sections/Dashboard";
import { Data } from "./sections/Data";
import { Experiments } from "./sections/Experiments";
import { Segments } from "./segments/Segments";
import { Creatives } from "./creatives/Creatives";
import { Campaigns } from "./campaigns/Campaigns";
import { Sequences } from "./sequences/Sequences";
import { Settings } from "./sections/Settings";
import { type SectionId, sectionForShortcut } from "./lib/sections";
import { useResolvedTheme } from "./lib/theme";

let jobCounter = 0;

export function App() {
  const backend = useBackend();
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [section, setSection] = useState<SectionId>("dashboard");
  const [revision, setRevision] = useState(0);
  const [dialog, setDialog] = useState<"new" | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [importPaths, setImportPaths] = useState<string[] | null>(null);
  const [dragging, setDragging] = useState(false);
  const chartTheme = useResolvedTheme(status?.settings.theme ?? "system");
  const started = useRef(false);
  const main = useRef<HTMLElement>(null);

  // Each section opens at its top, not where the previous one was scrolled to.
  useLayoutEffect(() => {
    if (main.current) main.current.scrollTop = 0;
  }, [section]);

  const refresh = useCallback(async () => {
    setStatus(await backend.appStatus());
    setRevision((r) => r + 1);
  }, [backend]);

  const loadDemo = useCallback(
    async (target: DemoTarget) => {
      const id = `demo-${(jobCounter += 1)}`;
      const title = target === "default" ? "Setting up your demo workspace" : "Loading the demo workspace";
      setError(null);
      setJob({ id, title, progress: null, cancelling: false });
      try {
        await backend.loadDemo(target, null, id, (progress) =>
          setJob((j) => (j && j.id === id ? { ...j, progress } : j)),
        );
        setSection("dashboard");
      } catch (raw) {
        const e = toBackendError(raw);
        if (e.code !== "cancelled") setError(e);
      } finally {
        setJob(null);
        await refresh();
      }
    },
    [backend, refresh],
  );

  const openPath = useCallback(
    async (path: string) => {
      setError(null);
      try {
        await backend.openWorkspace(path);
        setSection("dashboard");
      } catch (raw) {
        setError(toBackendError(raw));
      }
      await refresh();
    },
    [backend, refresh],
  );

  const openPicked = useCallback(async () => {
    const path = await backend.pickWorkspaceFile();
    if (path) await openPath(path);
  }, [backend, openPath]);

  const hasWorkspace = status?.workspace != null;
  const openImport = useCallback(
    (paths: readonly string[]) => {
      if (paths.length === 0) return;
      if (!hasWorkspace) {
        setError(new BackendError({ code: "no_workspace", message: "there is no workspace to import into" }));
        return;
      }
      setError(null);
      setImportPaths((open) => (open ? [...open, ...paths.filter((p) => !open.includes(p))] : [...paths]));
    },
    [hasWorkspace],
  );

  const pickImport = useCallback(async () => {
    try {
      openImport(await backend.pickImportFiles());
    } catch (raw) {
      setError(toBackendError(raw));
    }
  }, [backend, openImport]);

  const closeImport = useCallback(
    (changed: boolean) => {
      setImportPaths(null);
      if (changed) {
        setSection("data");
        void refresh();
      }
    },
    [refresh],
  );

  const actions = {
    newWorkspace: () => setDialog("new"),
    openWorkspace: () => void openPicked(),
    openRecent: (path: string) => void openPath(path),
    loadDemo: () => void loadDemo("demo"),
    importFiles: () => void pickImport(),
    importPaths: (paths: readonly string[]) => {
      if (!job) openImport(paths);
    },
  };
  const actionsRef = useRef(actions);
  actionsRef.current = actions;

  // Start: reopen the last workspace, or build the demo one on first run.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    backend.appStatus().then(
      (s) => {
        setStatus(s);
        if (s.first_run) void loadDemo("default");
      },
      (e) => setError(toBackendError(e)),
    );
  }, [backend, loadDemo]);

  // Native menu items do what the matching buttons do.
  useEffect(() => {
    let unlisten: (() => void) | null = null;
    void backend
      .onMenu((m) => {
        const a = actionsRef.current;
        if (m.action === "new_workspace") a.newWorkspace();
        else if (m.action === "open_workspace") a.openWorkspace();
        else if (m.action === "open_recent" && m.path) a.openRecent(m.path);
        else if (m.action === "load_demo") a.loadDemo();
        else if (m.action === "import_files") a.importFiles();
      })
      .then((u) => {
        unlisten = u;
      });
    return () => unlisten?.();
  }, [backend]);

  // Files dragged onto the window: an overlay while they hover, the import flow on drop.
  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let live = true;
    void backend
      .onFileDrag((drag) => {
        if (drag.kind === "hover") setDragging(true);
        else setDragging(false);
        if (drag.kind === "drop") actionsRef.current.importPaths(drag.paths);
      })
      .then((u) => {
        if (live) unlisten = u;
        else void u();
      });
    return () => {
      live = false;
      void unlisten?.();
    };
  }, [backend]);

  // Keyboard: Ctrl/Cmd + digit opens a section. In the app the native menu owns
  // Ctrl+N / Ctrl+O; in a plain browser they are handled here.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || job || dialog || importPaths) return;
      const target = sectionForShortcut(event.key);
      if (target) {
        event.preventDefault();
        setSection(target.id);
        return;
      }
      if (backend.kind === "browser" && event.key.toLowerCase() === "n") {
        event.preventDefault();
        setDialog("new");
      }
      if (backend.kind === "browser" && event.key.toLowerCase() === "i") {
        event.preventDefault();
        actionsRef.current.importFiles();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [backend, job, dialog, importPaths]);

  const setTheme = async (theme: Theme) => {
    const settings = await backend.setTheme(theme);
    setStatus((s) => (s ? { ...s, settings } : s));
  };
  const forget = async (path: string) => {
    const settings = await backend.forgetRecent(path);
    setStatus((s) => (s ? { ...s, settings } : s));
  };

  if (!status) {
    return (
      <div className="splash" data-testid="splash">
        {error ? <ErrorNotice error={error} /> : <p className="muted">Opening Rebound…</p>}
      </div>
    );
  }

  const startupError = status.startup_error ? toBackendError(status.startup_error) : null;
  return (
    <div className="shell" data-testid="app-shell">
      <Sidebar status={status} section={section} onSection={setSection} actions={actions} />
      <main className="content" id="main" ref={main}>
        {error && <div className="page-notice"><ErrorNotice error={error} onDismiss={() => setError(null)} /></div>}
        {!status.workspace ? (
          <section className="page" data-testid="no-workspace">
            <header className="page-header"><div><h1>No workspace open</h1></div></header>
            {startupError && <ErrorNotice error={startupError} />}
            <div className="empty card">
              <p className="muted">Open a workspace file, create a new one, or explore the demo shop.</p>
              <div className="row">
                <button type="button" className="button" onClick={actions.openWorkspace}>Open workspace…</button>
                <button type="button" className="button" onClick={actions.newWorkspace}>New workspace…</button>
                <button type="button" className="button primary" onClick={actions.loadDemo}>Load demo workspace</button>
              </div>
            </div>
          </section>
        ) : section === "dashboard" ? (
          <Dashboard revision={revision} chartTheme={chartTheme} onLoadDemo={actions.loadDemo} onImport={actions.importFiles} />
        ) : section === "data" ? (
          <Data revision={revision} onImport={actions.importFiles} onChanged={() => void refresh()} />
        ) : section === "segments" ? (
          <Segments revision={revision} chartTheme={chartTheme} />
        ) : section === "creatives" ? (
          <Creatives revision={revision} />
        ) : section === "sequences" ? (
          <Sequences revision={revision} />
        ) : section === "campaigns" ? (
          <Campaigns revision={revision} chartTheme={chartTheme} />
        ) : section === "experiments" ? (
          <Experiments revision={revision} chartTheme={chartTheme} />
        ) : section === "settings" ? (
          <Settings status={status} onTheme={(t) => void setTheme(t)} onForget={(p) => void forget(p)} onOpen={actions.openRecent} />
        ) : null}
      </main>
      {dialog === "new" && (
        <NewWorkspaceDialog
          startFolder={status.documents_dir}
          onClose={() => setDialog(null)}
          onCreated={() => {
            setDialog(null);
            setSection("dashboard");
            void refresh();
          }}
        />
      )}
      {importPaths && <ImportDialog paths={importPaths} onClose={closeImport} onAddFiles={actions.importFiles} />}
      {dragging && <DropOverlay canImport={hasWorkspace} />}
      {job && (
        <JobProgress
          job={job}
          onCancel={() => {
            setJob((j) => (j ? { ...j, cancelling: true } : j));
            void backend.cancelJob(job.id);
          }}
        />
      )}
    </div>
  );
}

import { FolderOpen } from "lucide-react";
import { type FormEvent, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import { ErrorNotice } from "./ErrorNotice";
import { Modal } from "./Modal";

function join(folder: string, name: string): string {
  const separator = folder.includes("\\") && !folder.includes("/") ? "\\" : "/";
  const trimmed = folder.replace(/[\\/]+$/, "");
  const file = name.trim().toLowerCase().endsWith(".rebound") ? name.trim() : `${name.trim()}.rebound`;
  return `${trimmed}${separator}${file}`;
}

/** File › New Workspace: a name and a folder, with a native folder picker. */
export function NewWorkspaceDialog(props: { startFolder: string; onCreated: () => void; onClose: () => void }) {
  const backend = useBackend();
  const [name, setName] = useState("Untitled workspace");
  const [folder, setFolder] = useState(props.startFolder);
  const [error, setError] = useState<BackendError | null>(null);
  const [busy, setBusy] = useState(false);
  const valid = name.trim().length > 0 && !/[\\/:*?"<>|]/.test(name) && folder.trim().length > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid) return;
    setBusy(true);
    setError(null);
    try {
      await backend.createWorkspace(join(folder, name));
      props.onCreated();
    } catch (raw) {
      setError(toBackendError(raw));
    } finally {
      setBusy(false);
    }
  }

  async function browse() {
    const picked = await backend.pickFolder(folder);
    if (picked) setFolder(picked);
  }

  return (
    <Modal title="New workspace" onClose={props.onClose} testId="new-workspace-dialog">
      <form onSubmit={submit} className="form">
        <p className="muted">A workspace is one file holding your imports, audiences and campaigns. It stays on this computer.</p>
        <label className="field">
          <span>Name</span>
          <input data-testid="new-workspace-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <label className="field">
          <span>Folder</span>
          <div className="field-row">
            <input data-testid="new-workspace-folder" value={folder} onChange={(e) => setFolder(e.target.value)} />
            <button type="button" className="button" onClick={browse}>
              <FolderOpen size={16} aria-hidden /> Choose…
            </button>
          </div>
        </label>
        {valid && (
          <p className="muted small" data-testid="new-workspace-path">
            Will be saved as <code>{join(folder, name)}</code>
          </p>
        )}
        {!valid && name.trim().length > 0 && <p className="field-error">A name cannot contain \ / : * ? " &lt; &gt; |</p>}
        {error && <ErrorNotice error={error} />}
        <div className="modal-actions">
          <button type="button" className="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" className="button primary" disabled={!valid || busy} data-testid="new-workspace-create">
            {busy ? "Creating…" : "Create workspace"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

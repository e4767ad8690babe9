import { Upload } from "lucide-react";
import { useEffect, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ImportRecord } from "../bindings/ImportRecord";
import type { WorkspaceInfo } from "../bindings/WorkspaceInfo";
import { ErrorNotice } from "../components/ErrorNotice";
import { ImportHistory } from "../import/ImportHistory";
import { bytes, count, label } from "../lib/format";

const DESCRIPTIONS: Record<string, string> = {
  imports: "Files brought in, and the demo data",
  import_rejections: "Rows an import could not use, with the reason",
  people: "People, stitched across devices and ids",
  identities: "Visitor ids, user ids, hashed e-mails",
  devices: "Phones, tablets and computers people used",
  sessions: "Visits, with source and landing page",
  events: "Views, carts, orders, e-mails, ad clicks",
  products: "The catalog",
  segments: "Saved audiences",
  campaigns: "Retargeting and remarketing campaigns",
  campaign_daily_metrics: "Daily results per campaign",
  creatives: "Ad templates",
  sequences: "Remarketing flows",
  experiments: "A/B tests",
  experiment_variants: "Variants and their totals",
  experiment_exposures: "Who saw which variant, and what they did",
  consent: "Consent per person and channel",
};

/** What the open workspace holds, table by table, and the files imported into it. */
export function Data({ revision, onImport, onChanged }: { revision: number; onImport: () => void; onChanged: () => void }) {
  const backend = useBackend();
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  const [imports, setImports] = useState<ImportRecord[]>([]);
  const [error, setError] = useState<BackendError | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all([backend.workspaceInfo(), backend.imports()]).then(
      ([i, history]) => {
        if (!live) return;
        setInfo(i);
        setImports(history);
      },
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, revision]);
  if (error) return <section className="page"><ErrorNotice error={error} /></section>;
  if (!info) return <section className="page" aria-busy="true" />;
  const total = info.tables.reduce((sum, t) => sum + t.rows, 0);
  return (
    <section className="page" data-testid="data">
      <header className="page-header">
        <div>
          <h1>Data</h1>
          <p className="muted">What the workspace <strong>{info.name}</strong> holds, and the files imported into it.</p>
        </div>
        <button type="button" className="button primary" onClick={onImport} data-testid="import-files">
          <Upload size={16} aria-hidden /> Import files…
        </button>
      </header>
      <div className="kpis kpis-3">
        <div className="card kpi"><div className="kpi-title">Rows in all</div><div className="kpi-value" data-testid="data-total">{count(total)}</div></div>
        <div className="card kpi"><div className="kpi-title">File size</div><div className="kpi-value">{bytes(info.file_size_bytes)}</div></div>
        <div className="card kpi"><div className="kpi-title">Workspace format</div><div className="kpi-value small-value">{info.schema_version}</div></div>
      </div>
      <ImportHistory records={imports} onChanged={onChanged} />
      <div className="card">
        <div className="card-header"><h2>Tables</h2><span className="muted small path" title={info.path}>{info.path}</span></div>
        <table className="table" data-testid="data-tables">
          <thead><tr><th>Table</th><th>Holds</th><th className="num">Rows</th></tr></thead>
          <tbody>
            {info.tables.map((t) => (
              <tr key={t.table}>
                <td className="cell-title">{label(t.table)}</td>
                <td className="muted">{DESCRIPTIONS[t.table] ?? ""}</td>
                <td className="num">{count(t.rows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

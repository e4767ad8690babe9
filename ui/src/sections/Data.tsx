import { Upload } from "lucide-react";
import { useEffect, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ImportRecord } from "../bindings/ImportRecord";
import type { WorkspaceInfo } from "../bindings/WorkspaceInfo";
import { ErrorNotice } from "../components/ErrorNotice";
import { ImportHistory } from "../import/ImportHistory";
import { bytes, count, label } from "../lib/format";
import { Reports } from "../reports/Reports";

/** Each table of the workspace in a marketer's words: what a row is, and where it came from. */
const TABLE_DESCRIPTIONS: Record<string, string> = {
  imports: "One row per file you imported (and one for the demo data), kept even after an undo.",
  import_rejections: "Rows of your imported files that could not be used, with the line, the value and the reason.",
  people: "One row per person in your event logs, orders and contact lists, stitched across their devices and ids.",
  identities: "The ids each person is known by in your files: visitor ids, customer ids and hashed e-mail addresses.",
  devices: "The phones, tablets and computers people used, as your event logs name them.",
  sessions: "Visits to your shop, with where they came from and the page they landed on.",
  events: "Everything people did, from your event logs and orders: product views, carts, purchases, e-mails and ad clicks.",
  products: "Your catalogue, from product feeds and the products in your orders and events.",
  segments: "The audiences you saved in Segments, each with its rules.",
  campaigns: "Your ad campaigns from Google Ads and Meta reports, and the ones you set up in Campaigns.",
  campaign_daily_metrics: "Each campaign's results per day (spend, clicks, conversions), from the daily rows of your ad reports.",
  ad_metrics: "Your ad reports' rows as the platform gave them: a campaign, ad group or ad over a day or the report's period.",
  report_rows: "The rows of your GA4, Search Console and other analytics reports, as the files had them (see Reports).",
  creatives: "The ad templates you made in Creatives.",
  sequences: "The e-mail, SMS and ad flows you built in Sequences.",
  experiments: "Your A/B tests: imported results, ad split tests and tests on your audiences.",
  experiment_variants: "The variants of each A/B test, with their totals.",
  experiment_exposures: "Who saw which variant of a test, and what they did afterwards.",
  consent: "Each person's consent per channel (e-mail, SMS, ads), from your contact lists and the marketing opt-in of Shopify orders.",
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
  const kept = imports.filter((r) => r.status === "complete").length;
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
        <div className="card kpi"><div className="kpi-title">Imports</div><div className="kpi-value" data-testid="data-imports">{count(kept)}</div></div>
      </div>
      <ImportHistory records={imports} onChanged={onChanged} />
      <Reports revision={revision} onImport={onImport} />
      <div className="card">
        <div className="card-header">
          <h2>Tables</h2>
          <span className="muted small">Everything the workspace file holds, table by table: <span className="path" title={info.path}>{info.path}</span></span>
        </div>
        <table className="table" data-testid="data-tables">
          <thead><tr><th>Table</th><th>Holds</th><th className="num">Rows</th></tr></thead>
          <tbody>
            {info.tables.map((t) => (
              <tr key={t.table}>
                <td className="cell-title">{label(t.table)}</td>
                <td className="muted">{TABLE_DESCRIPTIONS[t.table] ?? ""}</td>
                <td className="num">{count(t.rows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

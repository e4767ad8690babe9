// Reading a split test from an imported ad report (Meta Ads Manager, Google
// Ads): the person picks what the variants are, what counts as a trial and
// what as a conversion; the backend stores it as an experiment.

import { Megaphone } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ImportRecord } from "../bindings/ImportRecord";
import type { SplitBy } from "../bindings/SplitBy";
import type { SplitOptions } from "../bindings/SplitOptions";
import { ErrorNotice } from "../components/ErrorNotice";
import { count, percent } from "../lib/format";

const AD_REPORTS = new Set(["meta_ads_export", "google_ads_report"]);

const BY_LABEL: Record<SplitBy, string> = { ad_set: "Ad sets", ad: "Ads", campaign: "Campaigns" };

/** Ad-report imports that can hold a split test. */
export function adReports(imports: readonly ImportRecord[]): ImportRecord[] {
  return imports.filter((i) => i.status === "complete" && AD_REPORTS.has(i.format) && i.rows_imported > 0);
}

/** The default trial and conversion metrics: impressions → clicks when the report has them. */
export function defaultMetrics(options: SplitOptions): { trials: string; conversions: string } {
  const keys = options.metrics.map((m) => m.key);
  const trials = keys.includes("impressions") ? "impressions" : (keys[0] ?? "");
  const conversions = keys.includes("clicks") && trials !== "clicks" ? "clicks" : (keys.find((k) => k !== trials) ?? "");
  return { trials, conversions };
}

export function SplitTestFromReport({ revision, onCreated }: { revision: number; onCreated: (id: number) => void }) {
  const backend = useBackend();
  const [reports, setReports] = useState<ImportRecord[] | null>(null);
  const [importId, setImportId] = useState<number | null>(null);
  const [options, setOptions] = useState<SplitOptions | null>(null);
  const [by, setBy] = useState<SplitBy>("ad_set");
  const [trials, setTrials] = useState("");
  const [conversions, setConversions] = useState("");
  const [control, setControl] = useState("");
  const [error, setError] = useState<BackendError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    backend.imports().then(
      (all) => {
        if (!live) return;
        const found = adReports(all);
        setReports(found);
        setImportId((id) => (id !== null && found.some((r) => r.id === id) ? id : (found[0]?.id ?? null)));
      },
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, revision]);

  useEffect(() => {
    if (importId === null) {
      setOptions(null);
      return;
    }
    let live = true;
    backend.splitTestOptions(importId).then(
      (o) => {
        if (!live) return;
        setOptions(o);
        const first = o.groupings[0];
        setBy(first?.by ?? "ad_set");
        setControl(first?.arms[0]?.name ?? "");
        const d = defaultMetrics(o);
        setTrials(d.trials);
        setConversions(d.conversions);
      },
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, importId]);

  const grouping = useMemo(() => options?.groupings.find((g) => g.by === by) ?? null, [options, by]);
  const index = (key: string) => options?.metrics.findIndex((m) => m.key === key) ?? -1;
  const [ti, ci] = [index(trials), index(conversions)];
  const problem =
    !grouping ? "This report has fewer than two arms to compare."
    : ti < 0 || ci < 0 ? "Choose what counts as a trial and as a conversion."
    : ti === ci ? "Trials and conversions must be different metrics."
    : grouping.arms.some((a) => (a.totals[ci] ?? 0) > (a.totals[ti] ?? 0))
      ? "In some arm the conversions exceed the trials: choose a larger denominator."
      : null;

  async function create() {
    if (importId === null || problem) return;
    setBusy(true);
    try {
      const id = await backend.createSplitTest({ import_id: importId, by, trials, conversions, control: control || null, name: null });
      onCreated(id);
    } catch (e) {
      setError(toBackendError(e));
    } finally {
      setBusy(false);
    }
  }

  if (reports !== null && reports.length === 0) {
    return (
      <div className="card" data-testid="split-test">
        <div className="card-header"><h2><Megaphone size={16} aria-hidden /> Split test from an ad report</h2></div>
        <p className="muted">Import a Meta Ads Manager or Google Ads report (Data › Import files…) to read its ad sets or ads as the variants of a test.</p>
      </div>
    );
  }

  return (
    <div className="card" data-testid="split-test">
      <div className="card-header"><h2><Megaphone size={16} aria-hidden /> Split test from an ad report</h2></div>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      <div className="split-grid">
        <label className="field">
          <span>Report</span>
          <select value={importId ?? ""} onChange={(e) => setImportId(Number(e.target.value))} data-testid="split-report">
            {(reports ?? []).map((r) => (
              <option key={r.id} value={r.id}>{r.file_name}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Variants are</span>
          <select value={by} onChange={(e) => { const b = e.target.value as SplitBy; setBy(b); setControl(options?.groupings.find((g) => g.by === b)?.arms[0]?.name ?? ""); }}>
            {(options?.groupings ?? []).map((g) => (
              <option key={g.by} value={g.by}>{BY_LABEL[g.by]} ({g.arms.length})</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Trials</span>
          <select value={trials} onChange={(e) => setTrials(e.target.value)}>
            {(options?.metrics ?? []).map((m) => <option key={m.key} value={m.key}>{m.label}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Conversions</span>
          <select value={conversions} onChange={(e) => setConversions(e.target.value)}>
            {(options?.metrics ?? []).map((m) => <option key={m.key} value={m.key}>{m.label}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Control</span>
          <select value={control} onChange={(e) => setControl(e.target.value)}>
            {(grouping?.arms ?? []).map((a) => <option key={a.name} value={a.name}>{a.name}</option>)}
          </select>
        </label>
      </div>
      {grouping && ti >= 0 && ci >= 0 && (
        <table className="table">
          <thead><tr><th>Variant</th><th className="num">Trials</th><th className="num">Conversions</th><th className="num">Rate</th></tr></thead>
          <tbody>
            {grouping.arms.map((a) => {
              const t = a.totals[ti] ?? 0;
              const c = a.totals[ci] ?? 0;
              return (
                <tr key={a.name}>
                  <td>{a.name}{a.name === control && <span className="muted"> · control</span>}</td>
                  <td className="num">{count(t)}</td>
                  <td className="num">{count(c)}</td>
                  <td className="num">{t > 0 ? percent(c / t) : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {problem && options && <p className="field-error" role="alert">{problem}</p>}
      <div className="row">
        <button type="button" className="button primary" disabled={busy || problem !== null} onClick={() => void create()} data-testid="split-test-analyse">
          Analyse as a test
        </button>
      </div>
    </div>
  );
}

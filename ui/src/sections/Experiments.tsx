import { Download, FlaskConical, Plus, Sigma, Trash2 } from "lucide-react";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ChartTheme } from "../bindings/ChartTheme";
import type { Comparison } from "../bindings/Comparison";
import type { ExperimentCharts } from "../bindings/ExperimentCharts";
import type { ExperimentDetail } from "../bindings/ExperimentDetail";
import type { ExperimentReport } from "../bindings/ExperimentReport";
import type { Formula } from "../bindings/Formula";
import type { ManualAnalysis } from "../bindings/ManualAnalysis";
import type { ExperimentExport } from "../bindings/ExperimentExport";
import type { ExperimentListItem } from "../bindings/ExperimentListItem";
import type { PlannerDefaults } from "../bindings/PlannerDefaults";
import type { PlanResult } from "../bindings/PlanResult";
import { ErrorNotice } from "../components/ErrorNotice";
import { count, day, label, moneyOfMajor, percent, plural } from "../lib/format";
import { AudienceTest } from "./AudienceTest";
import { SplitTestFromReport } from "./SplitTest";

const DECISIONS: Record<string, { text: string; tone: string }> = {
  treatment_wins: { text: "A variant wins", tone: "good" },
  control_wins: { text: "Keep the control", tone: "bad" },
  no_clear_difference: { text: "No clear difference", tone: "neutral" },
  not_enough_data: { text: "Not enough data", tone: "neutral" },
  untrustworthy: { text: "Results not trustworthy", tone: "bad" },
};

function svgSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

function signedPercent(x: number | null | undefined): string {
  if (x === null || x === undefined) return "—";
  return `${x >= 0 ? "+" : "−"}${percent(Math.abs(x))}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return "—";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

/** Experiments: the stored A/B tests with honest statistics, and a planner. */
export function Experiments(props: { revision: number; chartTheme: ChartTheme }) {
  const backend = useBackend();
  const [items, setItems] = useState<ExperimentListItem[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    backend.experiments().then(
      (list) => {
        if (!live) return;
        setItems(list);
        setSelected((s) => (s !== null && list.some((i) => i.id === s) ? s : null));
      },
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, props.revision, reload]);

  return (
    <section className="page" data-testid="experiments">
      <header className="page-header">
        <div>
          <h1>Experiments</h1>
          <p className="muted">A/B tests read with the statistics a data scientist would sign, and a planner for the next one.</p>
        </div>
      </header>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      <div className="experiments-layout">
        <div className="card experiment-list">
          <div className="card-header"><h2>Tests in this workspace</h2></div>
          {items && items.length === 0 && <p className="muted">No experiments yet. Plan one with the planner.</p>}
          <ul className="list">
            {(items ?? []).map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  className={item.id === selected ? "list-item active" : "list-item"}
                  onClick={() => setSelected(item.id)}
                  data-testid="experiment-item"
                >
                  <FlaskConical size={16} aria-hidden />
                  <span className="list-item-body">
                    <span className="cell-title">{item.name}</span>
                    <span className="cell-sub">
                      <span className={`status status-${item.status === "finished" ? "completed" : item.status}`}>{label(item.status)}</span>
                      <span>{plural(item.variants, "variant")} · {count(item.units)} {item.unit_label}</span>
                      {item.started_on && item.ended_on && <span>{day(item.started_on)} – {day(item.ended_on)}</span>}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
        <Planner revision={props.revision} />
      </div>
      {selected !== null && <ExperimentView id={selected} chartTheme={props.chartTheme} />}
      <AudienceTest
        revision={props.revision + reload}
        onCreated={(id) => {
          setReload((r) => r + 1);
          setSelected(id);
        }}
      />
      <SplitTestFromReport
        revision={props.revision + reload}
        onCreated={(id) => {
          setReload((r) => r + 1);
          setSelected(id);
        }}
      />
      <FiguresByHand chartTheme={props.chartTheme} />
    </section>
  );
}

function ExperimentView({ id, chartTheme }: { id: number; chartTheme: ChartTheme }) {
  const backend = useBackend();
  const [detail, setDetail] = useState<ExperimentDetail | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setDetail(null);
    setError(null);
    backend.experimentDetail(id, chartTheme).then(
      (d) => live && setDetail(d),
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, id, chartTheme]);

  if (error) return <ErrorNotice error={error} />;
  if (!detail) return <div className="card" aria-busy="true"><p className="muted">Analysing…</p></div>;
  const { experiment } = detail;

  async function exportAs(format: ExperimentExport) {
    setExported(null);
    try {
      const safe = experiment.name.replace(/[^A-Za-z0-9 -]+/g, "").trim() || "experiment";
      const done = await backend.exportExperiment(experiment.id, format, `${safe}.${format}`);
      if (done) setExported(`Saved as ${format.toUpperCase()}.`);
    } catch (e) {
      setError(toBackendError(e));
    }
  }

  return (
    <ReportView
      title={experiment.name}
      unit={experiment.unit_label}
      currency={experiment.currency}
      hypothesis={experiment.hypothesis}
      report={detail.report}
      charts={detail.charts}
      formulas={detail.formulas}
      note={exported}
      actions={(["csv", "svg", "png"] as const).map((f) => (
        <button key={f} type="button" className="button" onClick={() => void exportAs(f)} title={f === "csv" ? "The per-variant table" : "The lift chart"}>
          <Download size={15} aria-hidden /> {f.toUpperCase()}
        </button>
      ))}
      testId="experiment-detail"
    />
  );
}

/** One analysis: verdict and caveats, the variants table, charts and formulas. */
function ReportView(props: {
  title: string;
  /** What the units are, in the plural ("people", "website clicks"). */
  unit: string;
  /** The currency of revenue per person, when the experiment has revenue. */
  currency: string | null;
  hypothesis: string | null;
  report: ExperimentReport;
  charts: ExperimentCharts;
  formulas: Formula[];
  note: string | null;
  actions: ReactNode;
  testId: string;
}) {
  const { report, charts } = props;
  const [showFormulas, setShowFormulas] = useState(false);
  const decision = DECISIONS[report.verdict.decision] ?? { text: label(report.verdict.decision), tone: "neutral" };
  const hasValue = report.variants.some((v) => v.value !== null);
  return (
    <div className="experiment-detail" data-testid={props.testId}>
      <div className={`card verdict verdict-${decision.tone}`} data-testid="experiment-verdict">
        <div className="verdict-top">
          <div>
            <div className="kpi-title">{props.title}</div>
            <h2 className="verdict-decision">{decision.text}</h2>
          </div>
          <div className="row">
            {props.formulas.length > 0 && (
              <button type="button" className="button" onClick={() => setShowFormulas(!showFormulas)} data-testid="show-formulas">
                <Sigma size={15} aria-hidden /> {showFormulas ? "Hide formulas" : "Show formulas"}
              </button>
            )}
            {props.actions}
          </div>
        </div>
        {props.hypothesis && <p className="muted">Hypothesis: {props.hypothesis}</p>}
        <p className="verdict-headline" data-testid="verdict-headline">{report.verdict.headline}</p>
        {report.verdict.caveats.length > 0 && (
          <ul className="caveats" data-testid="verdict-caveats">
            {report.verdict.caveats.map((c) => (
              <li key={c.code}><strong>{label(c.code)}.</strong> {c.message}</li>
            ))}
          </ul>
        )}
        {props.note && <p className="muted small">{props.note}</p>}
      </div>

      <div className="card">
        <div className="card-header">
          <h2>Variants</h2>
          <span className="muted small">
            {report.control} is the control · α = {report.alpha} ·{" "}
            {report.srm.neutral && report.srm.neutral.reason_code === "no_planned_split"
              ? <span data-testid="srm-not-checked" title={report.srm.neutral.message}>split not planned, so not checked for a sample ratio mismatch</span>
              : <>sample ratio check p = {pValue(report.srm.p_value)}{report.srm.flagged ? " (mismatch!)" : ""}</>}
          </span>
        </div>
        <table className="table" data-testid="experiment-variants">
          <thead>
            <tr>
              <th>Variant</th>
              <th className="num">{capitalised(props.unit)}</th>
              <th className="num">Converted</th>
              <th className="num">Rate</th>
              <th className="num">Lift (95% interval)</th>
              <th className="num">p (Holm)</th>
              <th className="num">Chance to beat control</th>
              <th className="num">Expected loss</th>
            </tr>
          </thead>
          <tbody>
            {report.variants.map((v) => (
              <tr key={v.name}>
                <td className="cell-title">{v.name}{v.is_control && <span className="badge badge-neutral">Control</span>}</td>
                <td className="num">{count(v.n)}</td>
                <td className="num">{v.conversions === null ? "—" : count(v.conversions)}</td>
                <td className="num">{v.rate === null ? "—" : percent(v.rate, 2)}</td>
                <LiftCells c={v.conversion} />
              </tr>
            ))}
          </tbody>
        </table>
        {hasValue && (
          <p className="muted small">
            Revenue per person:{" "}
            {report.variants
              .map((v) => `${v.name} ${v.mean === null ? "—" : props.currency ? moneyOfMajor(v.mean, props.currency) : v.mean.toFixed(2)}${v.value ? ` (${signedPercent(v.value.relative_lift)}, p = ${pValue(v.value.p_value)})` : ""}`)
              .join("; ")}
          </p>
        )}
      </div>

      <div className="columns columns-even">
        {charts.forest_svg && (
          <div className="card">
            <div className="card-header"><h2>Lift with its uncertainty</h2><span className="muted small">thin bar: valid even if you peeked</span></div>
            <img className="chart" alt="Relative lift of each variant with its interval" src={svgSource(charts.forest_svg)} data-testid="forest-plot" />
          </div>
        )}
        {charts.posterior_svg && (
          <div className="card">
            <div className="card-header"><h2>Where the true rate probably lies</h2><span className="muted small">posterior densities</span></div>
            <img className="chart" alt="Posterior densities of the conversion rates" src={svgSource(charts.posterior_svg)} />
          </div>
        )}
      </div>
      {charts.cumulative_svg && (
        <div className="card">
          <div className="card-header"><h2>Cumulative conversion over time</h2><span className="muted small">early swings are why peeking misleads</span></div>
          <img className="chart" alt="Cumulative conversion rate by day" src={svgSource(charts.cumulative_svg)} />
        </div>
      )}
      {showFormulas && (
        <div className="card" data-testid="formulas">
          <div className="card-header"><h2>How these numbers are computed</h2></div>
          <dl className="formulas">
            {props.formulas.map((f) => (
              <div key={f.method}>
                <dt>{f.title}</dt>
                <dd><code className="formula">{f.formula}</code><p className="muted">{f.explanation}</p></dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}

interface FigureRow {
  name: string;
  people: string;
  conversions: string;
}

/** Results typed in by hand (or copied from another tool), analysed the same way. */
function FiguresByHand({ chartTheme }: { chartTheme: ChartTheme }) {
  const backend = useBackend();
  const [rows, setRows] = useState<FigureRow[]>([
    { name: "Control", people: "", conversions: "" },
    { name: "Variant B", people: "", conversions: "" },
  ]);
  const [result, setResult] = useState<ManualAnalysis | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const parsed = rows.map((r) => ({ name: r.name.trim(), n: Number(r.people.replace(/[,\s]/g, "")), c: Number(r.conversions.replace(/[,\s]/g, "")) }));
  const valid =
    parsed.length >= 2 &&
    parsed.every((r) => r.name.length > 0 && Number.isInteger(r.n) && r.n > 0 && Number.isInteger(r.c) && r.c >= 0 && r.c <= r.n) &&
    new Set(parsed.map((r) => r.name)).size === parsed.length;

  const update = (i: number, field: keyof FigureRow, value: string) =>
    setRows((all) => all.map((r, j) => (j === i ? { ...r, [field]: value } : r)));

  async function run() {
    setError(null);
    try {
      const data = {
        variants: parsed.map((r) => ({ name: r.name, n: r.n, conversions: r.c, sum: null, sum_squares: null, covariate: null })),
        conversion_metric: "conversion",
        value_metric: null,
      };
      setResult(await backend.analyzeFigures(data, chartTheme));
    } catch (e) {
      setResult(null);
      setError(toBackendError(e));
    }
  }

  return (
    <>
      <div className="card" data-testid="figures-by-hand">
        <div className="card-header"><h2>Analyse results by hand</h2><span className="muted small">people and conversions per variant, first row is the control</span></div>
        <table className="table figures">
          <thead><tr><th>Variant</th><th className="num">People</th><th className="num">Converted</th><th /></tr></thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td><input aria-label={`Name of variant ${i + 1}`} data-testid={`figure-name-${i}`} value={r.name} onChange={(e) => update(i, "name", e.target.value)} /></td>
                <td className="num"><input aria-label={`People in variant ${i + 1}`} data-testid={`figure-people-${i}`} inputMode="numeric" value={r.people} onChange={(e) => update(i, "people", e.target.value)} /></td>
                <td className="num"><input aria-label={`Conversions in variant ${i + 1}`} data-testid={`figure-conversions-${i}`} inputMode="numeric" value={r.conversions} onChange={(e) => update(i, "conversions", e.target.value)} /></td>
                <td className="num">
                  {rows.length > 2 && (
                    <button type="button" className="icon-button" aria-label={`Remove variant ${i + 1}`} onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
                      <Trash2 size={15} />
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row">
          <button type="button" className="button" onClick={() => setRows((all) => [...all, { name: `Variant ${String.fromCharCode(65 + all.length)}`, people: "", conversions: "" }])}>
            <Plus size={15} aria-hidden /> Add variant
          </button>
          <button type="button" className="button primary" disabled={!valid} onClick={() => void run()} data-testid="figures-analyse">Analyse</button>
        </div>
        {!valid && rows.some((r) => r.people || r.conversions) && (
          <p className="field-error">Each variant needs a unique name, a whole number of people, and conversions between 0 and its people.</p>
        )}
        {error && <ErrorNotice error={error} />}
      </div>
      {result && (
        <ReportView title="Results entered by hand" unit="people" currency={null} hypothesis={null} report={result.report} charts={result.charts} formulas={[]} note={null} actions={null} testId="figures-result" />
      )}
    </>
  );
}

function LiftCells({ c }: { c: Comparison | null }) {
  if (!c) return <><td className="num muted">—</td><td className="num muted">—</td><td className="num muted">—</td><td className="num muted">—</td></>;
  if (c.neutral) return <td className="num muted" colSpan={4} title={c.neutral.message}>{c.neutral.message}</td>;
  const interval = c.relative_interval ? `${signedPercent(c.relative_interval.lower)} to ${signedPercent(c.relative_interval.upper)}` : "";
  return (
    <>
      <td className="num"><strong>{signedPercent(c.relative_lift)}</strong><div className="cell-sub cell-sub-right">{interval}</div></td>
      <td className="num">{pValue(c.p_value_holm ?? c.p_value)}</td>
      <td className="num">{c.chance_to_beat_control === null ? "—" : percent(c.chance_to_beat_control)}</td>
      <td className="num">{c.expected_loss === null ? "—" : `${(c.expected_loss * 100).toFixed(2)} pts`}</td>
    </>
  );
}

/** Sample size and duration for a new test, prefilled from the workspace. */
function Planner({ revision }: { revision: number }) {
  const backend = useBackend();
  const [defaults, setDefaults] = useState<PlannerDefaults | null>(null);
  const [baseline, setBaseline] = useState("5");
  const [mde, setMde] = useState("10");
  const [traffic, setTraffic] = useState("1000");
  const [variants, setVariants] = useState("2");
  const [result, setResult] = useState<PlanResult | null>(null);
  const [error, setError] = useState<BackendError | null>(null);

  useEffect(() => {
    backend.plannerDefaults().then((d) => {
      setDefaults(d);
      if (d.baseline_rate !== null) setBaseline((d.baseline_rate * 100).toFixed(2));
      if (d.daily_traffic !== null) setTraffic(Math.round(d.daily_traffic).toString());
    }, (e) => setError(toBackendError(e)));
  }, [backend, revision]);

  const request = useMemo(() => {
    const rate = Number(baseline) / 100;
    const effect = Number(mde) / 100;
    const perDay = Number(traffic);
    const k = Number.parseInt(variants, 10);
    if (!(rate > 0 && rate < 1) || !(effect > 0) || !(k >= 2)) return null;
    return {
      design: { baseline: { kind: "rate" as const, rate }, alpha: 0.05, power: 0.8, variants: k, daily_traffic: perDay > 0 ? perDay : null },
      relative_mde: effect,
      n_per_variant: null,
    };
  }, [baseline, mde, traffic, variants]);

  useEffect(() => {
    if (!request) {
      setResult(null);
      return;
    }
    let live = true;
    backend.plan(request).then(
      (r) => {
        if (live) {
          setResult(r);
          setError(null);
        }
      },
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, request]);

  return (
    <div className="card planner" data-testid="planner">
      <div className="card-header"><h2>Plan a new test</h2><span className="muted small">80% power · α = 0.05</span></div>
      <div className="planner-grid">
        <label className="field"><span>Baseline conversion (%)</span><input data-testid="planner-baseline" inputMode="decimal" value={baseline} onChange={(e) => setBaseline(e.target.value)} /></label>
        <label className="field"><span>Smallest lift worth finding (%)</span><input data-testid="planner-mde" inputMode="decimal" value={mde} onChange={(e) => setMde(e.target.value)} /></label>
        <label className="field"><span>People per day</span><input data-testid="planner-traffic" inputMode="numeric" value={traffic} onChange={(e) => setTraffic(e.target.value)} /></label>
        <label className="field"><span>Variants (with control)</span><input data-testid="planner-variants" inputMode="numeric" value={variants} onChange={(e) => setVariants(e.target.value)} /></label>
      </div>
      {defaults && <p className="muted small" data-testid="planner-source">{defaults.source}</p>}
      {error && <ErrorNotice error={error} />}
      {!request && <p className="field-error">Enter a baseline between 0 and 100%, a lift above 0% and at least 2 variants.</p>}
      {request && result && (
        <p className="planner-result" data-testid="planner-result">
          <strong>{count(result.sample.n_per_variant)}</strong> people per variant, {count(result.sample.total)} in all
          {result.sample.days !== null && <>, about <strong>{plural(result.sample.days, "day")}</strong></>}.
        </p>
      )}
    </div>
  );
}

// A campaign's dashboard (or all campaigns'): KPI cards with period-over-period
// deltas, the chart, the grouped table, attribution models side by side,
// over-messaging and ad frequency. One block per currency: figures in
// different currencies are never added.

import { ArrowDownRight, ArrowUpRight, Download } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ChartTheme } from "../bindings/ChartTheme";
import type { AttributionReport } from "../bindings/campaigns/AttributionReport";
import type { AttributionRow } from "../bindings/campaigns/AttributionRow";
import type { Campaign } from "../bindings/campaigns/Campaign";
import type { ChartKpi } from "../bindings/campaigns/ChartKpi";
import type { CurrencyBlock } from "../bindings/campaigns/CurrencyBlock";
import type { Grouping } from "../bindings/campaigns/Grouping";
import type { KpiDelta } from "../bindings/campaigns/KpiDelta";
import type { MetricsQuery } from "../bindings/campaigns/MetricsQuery";
import type { MetricsReport } from "../bindings/campaigns/MetricsReport";
import type { MetricsRow } from "../bindings/campaigns/MetricsRow";
import type { OverMessagingReport } from "../bindings/campaigns/OverMessagingReport";
import type { Table } from "../bindings/campaigns/Table";
import { ErrorNotice } from "../components/ErrorNotice";
import { count, money, percent, plural } from "../lib/format";
import { type Column, SortableTable } from "./SortableTable";

const GROUPINGS: { id: Grouping; label: string }[] = [
  { id: "day", label: "Day" },
  { id: "week", label: "Week" },
  { id: "month", label: "Month" },
  { id: "channel", label: "Channel" },
  { id: "campaign", label: "Campaign" },
];

const CHART_KPIS: { id: ChartKpi; label: string }[] = [
  { id: "cost", label: "Spend" },
  { id: "revenue", label: "Revenue" },
  { id: "clicks", label: "Clicks" },
  { id: "impressions", label: "Impressions" },
  { id: "conversions", label: "Conversions" },
  { id: "roas", label: "ROAS" },
  { id: "ctr", label: "CTR" },
  { id: "sends", label: "Sends" },
];

function shift(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const opt = (v: number | null, f: (x: number) => string) => (v === null ? "—" : f(v));
/** What a figure the imported report does not give reads as: never 0, $0.00 or 0.00×. */
export const ABSENT = "not in this report";
/** A reported sum, or ABSENT when no report in the period gives it. */
const sum = (v: number | null, f: (x: number) => string) => (v === null ? ABSENT : f(v));
/** A rate: ABSENT when a figure it is made of is not reported, "—" when only its denominator is 0. */
const rate = (v: number | null, f: (x: number) => string, ...parts: (number | null)[]) =>
  v !== null ? f(v) : parts.some((p) => p === null) ? ABSENT : "—";
const conv = (x: number) => count(Number(x.toFixed(2)));

function metricColumns(currency: string, by: Grouping): Column<MetricsRow>[] {
  const mo = (x: number) => money(x, currency);
  const pct = (x: number) => percent(x, 2);
  return [
    { key: "label", label: by === "campaign" ? "Campaign" : by === "channel" ? "Channel" : "Period", sort: (r) => r.key, text: (r) => r.label },
    { key: "impressions", label: "Impressions", numeric: true, sort: (r) => r.kpis.impressions, text: (r) => sum(r.kpis.impressions, count) },
    { key: "reach", label: "Reach", numeric: true, sort: (r) => r.kpis.reach, text: (r) => sum(r.kpis.reach, count) },
    { key: "clicks", label: "Clicks", numeric: true, sort: (r) => r.kpis.clicks, text: (r) => sum(r.kpis.clicks, count) },
    { key: "ctr", label: "CTR", numeric: true, sort: (r) => r.kpis.ctr, text: (r) => rate(r.kpis.ctr, pct, r.kpis.clicks, r.kpis.impressions) },
    { key: "cost", label: "Spend", numeric: true, sort: (r) => r.kpis.cost_minor, text: (r) => sum(r.kpis.cost_minor, mo) },
    { key: "cpc", label: "CPC", numeric: true, sort: (r) => r.kpis.cpc_minor, text: (r) => rate(r.kpis.cpc_minor, mo, r.kpis.cost_minor, r.kpis.clicks) },
    { key: "cpm", label: "CPM", numeric: true, sort: (r) => r.kpis.cpm_minor, text: (r) => rate(r.kpis.cpm_minor, mo, r.kpis.cost_minor, r.kpis.impressions) },
    { key: "conversions", label: "Conv.", numeric: true, sort: (r) => r.kpis.conversions, text: (r) => sum(r.kpis.conversions, conv) },
    { key: "cvr", label: "CVR", numeric: true, sort: (r) => r.kpis.cvr, text: (r) => rate(r.kpis.cvr, pct, r.kpis.conversions, r.kpis.clicks) },
    { key: "cpa", label: "CPA", numeric: true, sort: (r) => r.kpis.cpa_minor, text: (r) => rate(r.kpis.cpa_minor, mo, r.kpis.cost_minor, r.kpis.conversions) },
    { key: "revenue", label: "Revenue", numeric: true, sort: (r) => r.kpis.revenue_minor, text: (r) => sum(r.kpis.revenue_minor, mo) },
    { key: "roas", label: "ROAS", numeric: true, sort: (r) => r.kpis.roas, text: (r) => rate(r.kpis.roas, (x) => `${x.toFixed(2)}×`, r.kpis.revenue_minor, r.kpis.cost_minor) },
    { key: "roi", label: "ROI", numeric: true, sort: (r) => r.kpis.roi, text: (r) => rate(r.kpis.roi, (x) => percent(x, 0), r.kpis.revenue_minor, r.kpis.cost_minor) },
    { key: "sends", label: "Sends", numeric: true, sort: (r) => r.kpis.sends, text: (r) => sum(r.kpis.sends, count) },
    { key: "unsub", label: "Unsub.", numeric: true, sort: (r) => r.kpis.unsubscribe_rate, text: (r) => rate(r.kpis.unsubscribe_rate, pct, r.kpis.unsubscribes, r.kpis.sends) },
    { key: "bounce", label: "Bounce", numeric: true, sort: (r) => r.kpis.bounce_rate, text: (r) => rate(r.kpis.bounce_rate, pct, r.kpis.bounces, r.kpis.sends) },
  ];
}

/** Whether a rise is good news for this KPI (costs per result are better lower). */
const LOWER_IS_BETTER = new Set(["cpc", "cpm", "cpa", "cost", "unsubscribe_rate", "bounce_rate"]);

function Delta({ d }: { d: KpiDelta | undefined }) {
  if (!d || d.relative === null) return <span className="muted small">{d && d.previous === 0 && d.current ? "new this period" : "no earlier figure"}</span>;
  const up = d.relative >= 0;
  const good = LOWER_IS_BETTER.has(d.kpi) ? !up : up;
  return (
    <span className={good ? "delta up" : "delta down"} title={`previous period: ${d.previous ?? "—"}`}>
      {up ? <ArrowUpRight size={14} aria-hidden /> : <ArrowDownRight size={14} aria-hidden />}
      {percent(Math.abs(d.relative))}
    </span>
  );
}

function KpiCards({ block }: { block: CurrencyBlock }) {
  const k = block.totals;
  const c = block.currency;
  const d = (key: string) => block.deltas.find((x) => x.kpi === key);
  const mo = (x: number) => money(x, c);
  const pct2 = (x: number) => percent(x, 2);
  const roas = rate(k.roas, (x) => `${x.toFixed(2)}×`, k.revenue_minor, k.cost_minor);
  const roi = rate(k.roi, (x) => percent(x, 0), k.revenue_minor, k.cost_minor);
  const cards: { key: string; title: string; value: string; note?: string }[] = [];
  if (k.cost_minor !== null || k.impressions !== null || k.clicks !== null) {
    cards.push(
      { key: "cost", title: "Spend", value: sum(k.cost_minor, mo), note: `CPM ${rate(k.cpm_minor, mo, k.cost_minor, k.impressions)}` },
      { key: "impressions", title: "Impressions", value: sum(k.impressions, (x) => count(x, { compact: true })), note: `reach ${sum(k.reach, (x) => count(x, { compact: true }))}` },
      { key: "clicks", title: "Clicks", value: sum(k.clicks, count), note: `CTR ${rate(k.ctr, pct2, k.clicks, k.impressions)} · CPC ${rate(k.cpc_minor, mo, k.cost_minor, k.clicks)}` },
    );
  }
  cards.push(
    { key: "conversions", title: "Conversions", value: sum(k.conversions, (x) => count(Number(x.toFixed(1)))), note: k.conversions === null ? "the reports give results that are not conversions" : `CVR ${rate(k.cvr, pct2, k.conversions, k.clicks)} · CPA ${rate(k.cpa_minor, mo, k.cost_minor, k.conversions)}` },
    { key: "revenue", title: "Revenue", value: sum(k.revenue_minor, mo), note: k.revenue_minor === null ? "so no ROAS or ROI" : `ROAS ${roas} · ROI ${roi}` },
  );
  if (k.sends !== null && k.sends > 0) {
    cards.push(
      { key: "sends", title: "Messages sent", value: count(k.sends), note: `opened ${rate(k.open_rate, (x) => percent(x, 1), k.opens, k.sends)}` },
      { key: "unsubscribe_rate", title: "Unsubscribe rate", value: rate(k.unsubscribe_rate, pct2, k.unsubscribes, k.sends), note: `${sum(k.unsubscribes, count)} people` },
      { key: "bounce_rate", title: "Bounce rate", value: rate(k.bounce_rate, pct2, k.bounces, k.sends), note: `${sum(k.bounces, count)} bounced` },
    );
  }
  return (
    <div className="kpis campaign-kpis" data-testid={`kpis-${c}`}>
      {cards.map((card) => (
        <div className="card kpi" key={card.key} data-testid={`kpi-${card.key}`}>
          <div className="kpi-title">{card.title}</div>
          <div className={card.value === ABSENT ? "kpi-value kpi-absent" : "kpi-value"}>{card.value}</div>
          <div className="kpi-note"><Delta d={d(card.key)} /><span>{card.note}</span></div>
        </div>
      ))}
    </div>
  );
}

function attributionColumns(currency: string): Column<AttributionRow>[] {
  const conv = (f: (r: AttributionRow) => number) => (r: AttributionRow) => count(Number(f(r).toFixed(2)));
  const rev = (f: (r: AttributionRow) => number) => (r: AttributionRow) => money(f(r), currency);
  return [
    { key: "campaign", label: "Campaign", sort: (r) => r.campaign, text: (r) => r.campaign },
    { key: "last", label: "Last touch", numeric: true, sort: (r) => r.last_touch.conversions, text: conv((r) => r.last_touch.conversions) },
    { key: "first", label: "First touch", numeric: true, sort: (r) => r.first_touch.conversions, text: conv((r) => r.first_touch.conversions) },
    { key: "linear", label: "Linear", numeric: true, sort: (r) => r.linear.conversions, text: conv((r) => r.linear.conversions) },
    { key: "position", label: "Position-based", numeric: true, sort: (r) => r.position_based.conversions, text: conv((r) => r.position_based.conversions) },
    { key: "last_rev", label: "Revenue, last", numeric: true, sort: (r) => r.last_touch.revenue_minor, text: rev((r) => r.last_touch.revenue_minor) },
    { key: "first_rev", label: "Revenue, first", numeric: true, sort: (r) => r.first_touch.revenue_minor, text: rev((r) => r.first_touch.revenue_minor) },
    { key: "linear_rev", label: "Revenue, linear", numeric: true, sort: (r) => r.linear.revenue_minor, text: rev((r) => r.linear.revenue_minor) },
    { key: "position_rev", label: "Revenue, position", numeric: true, sort: (r) => r.position_based.revenue_minor, text: rev((r) => r.position_based.revenue_minor) },
  ];
}

export function CampaignDashboard(props: {
  campaign: Campaign | null;
  lastDay: string;
  chartTheme: ChartTheme;
  onExported: (what: string) => void;
}) {
  const backend = useBackend();
  const [to, setTo] = useState(props.lastDay);
  const [from, setFrom] = useState(shift(props.lastDay, -27));
  const [by, setBy] = useState<Grouping>("day");
  const [kpi, setKpi] = useState<ChartKpi>("cost");
  const [report, setReport] = useState<MetricsReport | null>(null);
  const [charts, setCharts] = useState<Record<string, string>>({});
  const [attribution, setAttribution] = useState<AttributionReport | null>(null);
  const [messaging, setMessaging] = useState<OverMessagingReport | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const campaignId = props.campaign?.id ?? null;
  const query: MetricsQuery = useMemo(() => ({ from, to, by, campaign_id: campaignId }), [from, to, by, campaignId]);

  useEffect(() => {
    let live = true;
    setError(null);
    backend
      .campaignMetrics(query)
      .then(async (r) => {
        if (!live) return;
        setReport(r);
        const svgs: Record<string, string> = {};
        for (const b of r.blocks) {
          if (b.rows.length > 0) svgs[b.currency] = await backend.campaignChart(query, b.currency, kpi, props.chartTheme);
        }
        if (live) setCharts(svgs);
      })
      .catch((e: unknown) => live && setError(toBackendError(e)));
    return () => {
      live = false;
    };
  }, [backend, query, kpi, props.chartTheme]);

  useEffect(() => {
    let live = true;
    backend
      .campaignAttribution({ from, to, lookback_days: 30 })
      .then((r) => live && setAttribution(r))
      .catch((e: unknown) => live && setError(toBackendError(e)));
    backend
      .campaignOverMessaging(from, to)
      .then((r) => live && setMessaging(r))
      .catch((e: unknown) => live && setError(toBackendError(e)));
    return () => {
      live = false;
    };
  }, [backend, from, to]);

  const exportTable = (table: Table, name: string) => {
    backend
      .exportTable(table, name)
      .then((done) => done && props.onExported(name))
      .catch((e: unknown) => setError(toBackendError(e)));
  };
  const exportChart = (currency: string, kind: "png" | "svg") => {
    const name = `${props.campaign?.name ?? "campaigns"} ${kpi} by ${by}.${kind}`;
    backend
      .exportCampaignChart(query, currency, kpi, kind, name)
      .then((done) => done && props.onExported(name))
      .catch((e: unknown) => setError(toBackendError(e)));
  };
  const slug = (props.campaign?.name ?? "all campaigns").replace(/[^\p{L}\p{N}]+/gu, "-").toLowerCase();

  return (
    <div className="campaign-dashboard" data-testid="campaign-dashboard">
      <div className="card dashboard-controls">
        <label className="field">
          <span>From</span>
          <input className="input" type="date" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} data-testid="metrics-from" />
        </label>
        <label className="field">
          <span>To</span>
          <input className="input" type="date" value={to} onChange={(e) => e.target.value && setTo(e.target.value)} data-testid="metrics-to" />
        </label>
        <div className="field">
          <span>By</span>
          <div className="segmented" role="radiogroup" aria-label="Group by">
            {GROUPINGS.map((g) => (
              <button key={g.id} type="button" role="radio" aria-checked={by === g.id} className={`segment${by === g.id ? " checked" : ""}`} onClick={() => setBy(g.id)} data-testid={`by-${g.id}`}>
                {g.label}
              </button>
            ))}
          </div>
        </div>
        <label className="field">
          <span>Chart</span>
          <select className="select" value={kpi} onChange={(e) => setKpi(e.target.value as ChartKpi)} data-testid="chart-kpi">
            {CHART_KPIS.map((k) => <option key={k.id} value={k.id}>{k.label}</option>)}
          </select>
        </label>
      </div>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      {report && (
        <p className="muted small" data-testid="metrics-period">
          {report.from} to {report.to}, compared with {report.previous_from} to {report.previous_to}.
          {report.mixed_currencies && " Several currencies: each has its own figures; they are never added together."}
        </p>
      )}
      {report?.warnings.map((w) => <p key={w} className="notice notice-warn small">{w}</p>)}
      {report && report.blocks.length === 0 && report.undated.length === 0 && (
        <div className="card empty" data-testid="metrics-empty">
          <p className="muted">No metrics for {props.campaign ? "this campaign" : "any campaign"} in this range. Import its ad or e-mail reports, or attach them below.</p>
        </div>
      )}
      {report?.blocks.map((b) => (
        <section key={b.currency} className="currency-block" data-testid={`block-${b.currency}`}>
          {report.blocks.length > 1 && <h2>In {b.currency}</h2>}
          <KpiCards block={b} />
          {charts[b.currency] && (
            <div className="card chart-card">
              <div className="card-header">
                <h2>{CHART_KPIS.find((k) => k.id === kpi)?.label} by {by}</h2>
                <div className="row">
                  <button type="button" className="small-button" onClick={() => exportChart(b.currency, "png")} data-testid="chart-png"><Download size={13} aria-hidden /> PNG</button>
                  <button type="button" className="small-button" onClick={() => exportChart(b.currency, "svg")} data-testid="chart-svg"><Download size={13} aria-hidden /> SVG</button>
                </div>
              </div>
              <img className="chart" data-testid="campaign-chart" alt={`${kpi} by ${by} in ${b.currency}`} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(charts[b.currency] ?? "")}`} />
            </div>
          )}
          <div className="card">
            <div className="card-header"><h2>By {by}</h2><span className="muted small">{b.currency}</span></div>
            <SortableTable
              columns={metricColumns(b.currency, by)}
              rows={b.rows}
              testId="metrics-table"
              fileName={`${slug}-by-${by}-${b.currency}.csv`}
              onExport={exportTable}
              footer={{ key: "total", label: "Total", kpis: b.totals }}
            />
          </div>
        </section>
      ))}
      {report?.undated.map((b) => (
        <section key={`${b.period}-${b.currency}`} className="card" data-testid="undated-block">
          <div className="card-header"><h2>Report period “{b.period}”</h2><span className="muted small">{b.currency} · the file states no dates, so these figures are not placed in the range above</span></div>
          <SortableTable
            columns={metricColumns(b.currency, "campaign")}
            rows={b.rows}
            testId="undated-table"
            fileName={`${slug}-${b.period}-${b.currency}.csv`}
            onExport={exportTable}
            footer={{ key: "total", label: "Total", kpis: b.totals }}
          />
        </section>
      ))}
      {attribution && (
        <section className="card" data-testid="attribution">
          <div className="card-header">
            <h2>Attribution</h2>
            <span className="muted small">purchases {attribution.from} – {attribution.to}; touchpoints ({attribution.touch_events.join(", ")}) up to {plural(attribution.lookback_days, "day")} before</span>
          </div>
          {attribution.blocks.length === 0 && <p className="muted">No purchases in this range.</p>}
          {attribution.blocks.map((b) => (
            <div key={b.currency}>
              <p className="muted small">
                {plural(b.conversions, "conversion")}, {money(b.revenue_minor, b.currency)}; {count(b.touched)} had a campaign touchpoint. Every model gives out all of them.
              </p>
              <SortableTable
                columns={attributionColumns(b.currency)}
                rows={b.rows}
                testId="attribution-table"
                fileName={`attribution-${from}-${to}-${b.currency}.csv`}
                onExport={exportTable}
                highlight={(r) => campaignId !== null && r.campaign_id === campaignId}
              />
            </div>
          ))}
        </section>
      )}
      {messaging && (
        <section className="card" data-testid="over-messaging">
          <div className="card-header">
            <h2>Over-messaging and ad frequency</h2>
            <span className="muted small">
              all campaigns, {messaging.from} – {messaging.to}; {messaging.caps_source === "sending_rules" ? "caps from the sending rules in Sequences, the ones every flow obeys" : "caps as given"}
            </span>
          </div>
          <div className="table-scroll">
          <table className="table">
            <thead>
              <tr><th>Channel</th><th className="num">Messages</th><th className="num">People</th><th>Cap</th><th className="num">People over</th><th className="num">Messages over</th><th className="num">Most in a day / week</th></tr>
            </thead>
            <tbody>
              {messaging.channels.flatMap((c) => {
                const caps = c.caps.length > 0 ? c.caps : [null];
                return caps.map((cap, i) => (
                  <tr key={`${c.channel}-${i}`}>
                    {i === 0 && (
                      <>
                        <td rowSpan={caps.length}>{c.channel}</td>
                        <td className="num" rowSpan={caps.length}>{count(c.messages)}</td>
                        <td className="num" rowSpan={caps.length}>{count(c.people)}</td>
                      </>
                    )}
                    {cap === null ? (
                      <td colSpan={3} className="muted">no cap set</td>
                    ) : (
                      <>
                        <td className="nowrap">{cap.description.replace(`${c.channel} `, "")}</td>
                        <td className={`num${cap.people_over > 0 ? " bad" : ""}`} data-testid={`over-cap-${c.channel}-${i}`}>{count(cap.people_over)}</td>
                        <td className="num">{count(cap.messages_over)}</td>
                      </>
                    )}
                    {i === 0 && <td className="num" rowSpan={caps.length}>{c.max_per_day} / {c.max_per_week}</td>}
                  </tr>
                ));
              })}
            </tbody>
          </table>
          </div>
          {messaging.channels.flatMap((c) => c.worst.slice(0, 5).map((w) => (
            <p key={`${c.channel}-${w.person_id}`} className="muted small">
              Person {w.person_id}: {plural(w.messages, `${c.channel} message`)} {w.first_day === w.last_day ? `on ${w.first_day}` : `from ${w.first_day} to ${w.last_day}`}, over “{w.cap}” ({w.campaigns.join(", ") || "no campaign named"})
            </p>
          )))}
          {messaging.ad_campaigns.length > 0 && (
            <>
              <h3>Ad frequency (impressions ÷ reach, where reports state reach)</h3>
              <table className="table">
                <thead><tr><th>Campaign</th><th className="num">Impressions</th><th className="num">Reach</th><th className="num">Frequency</th></tr></thead>
                <tbody>
                  {messaging.ad_campaigns.map((f) => (
                    <tr key={f.campaign_id}><td>{f.campaign}</td><td className="num">{count(f.impressions)}</td><td className="num">{count(f.reach)}</td><td className="num">{opt(f.frequency, (x) => x.toFixed(2))}</td></tr>
                  ))}
                </tbody>
              </table>
              <div className="frequency-bars">
                {messaging.ad_distribution.map((d) => (
                  <span key={d.label} className="muted small">{d.label}: {count(d.rows)} report rows</span>
                ))}
              </div>
            </>
          )}
          {messaging.notes.map((n) => <p key={n} className="muted small">{n}</p>)}
        </section>
      )}
    </div>
  );
}

import { ArrowDownRight, ArrowUpRight, Sparkles } from "lucide-react";
import { useEffect, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { CampaignSummary } from "../bindings/CampaignSummary";
import type { ChartTheme } from "../bindings/ChartTheme";
import type { Dashboard as DashboardData } from "../bindings/Dashboard";
import { ErrorNotice } from "../components/ErrorNotice";
import { change, count, dayRange, label, money, percent } from "../lib/format";

export function Dashboard(props: { revision: number; chartTheme: ChartTheme; onLoadDemo: () => void }) {
  const backend = useBackend();
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    backend.dashboard(props.chartTheme).then(
      (d) => live && setData(d),
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, props.revision, props.chartTheme]);

  if (error) return <section className="page"><ErrorNotice error={error} /></section>;
  if (!data) return <section className="page" aria-busy="true"><div className="skeleton-grid" /></section>;

  const k = data.kpis;
  const cur = data.currency;
  return (
    <section className="page" data-testid="dashboard">
      <header className="page-header">
        <div>
          <h1>Dashboard</h1>
          <p className="muted" data-testid="dashboard-period">
            {data.first_day && data.last_day
              ? `${data.workspace_name} · ${dayRange(data.first_day, data.last_day)} · recent = last 30 days of data`
              : data.workspace_name}
          </p>
        </div>
      </header>

      {data.is_empty ? (
        <div className="empty card" data-testid="dashboard-empty">
          <Sparkles size={28} aria-hidden />
          <h2>This workspace is empty</h2>
          <p className="muted">
            It is saved and ready. To see what Rebound shows for a real shop, open the demo workspace: a camera store
            with 20,000 shoppers, their devices, carts, orders, e-mails and ad clicks over 90 days.
          </p>
          <button type="button" className="button primary" onClick={props.onLoadDemo} data-testid="empty-load-demo">
            Load demo workspace
          </button>
        </div>
      ) : (
        <>
          <div className="kpis">
            <Kpi title="People" value={count(k.people)} note={`${count(k.buyers)} bought · ${percent(k.buyer_rate)}`} testId="kpi-people" />
            <Kpi title="Events" value={count(k.events, { compact: true })} note="page views, carts, e-mails, ad clicks…" testId="kpi-events" />
            <Kpi title="Orders, last 30 days" value={count(k.orders_last_30)} delta={change(k.orders_last_30, k.orders_previous_30)} note={`${count(k.orders)} in all`} testId="kpi-orders" />
            <Kpi
              title="Revenue, last 30 days"
              value={cur ? money(k.revenue_last_30_minor, cur) : "—"}
              delta={change(k.revenue_last_30_minor, k.revenue_previous_30_minor)}
              note={cur ? `${money(k.revenue_minor, cur)} in all` : "no purchases yet"}
              testId="kpi-revenue"
            />
            <Kpi title="Average order" value={cur && k.average_order_minor !== null ? money(k.average_order_minor, cur) : "—"} note={cur ? `in ${cur}` : ""} testId="kpi-aov" />
          </div>

          <div className="card chart-card">
            <div className="card-header">
              <h2>Revenue by day</h2>
              {cur && <span className="muted small">{cur}{data.other_currencies.length > 0 ? ` · also revenue in ${data.other_currencies.join(", ")}, not added in` : ""}</span>}
            </div>
            {data.revenue_chart_svg ? (
              <img
                className="chart"
                data-testid="revenue-chart"
                alt={`Revenue by day from ${data.first_day} to ${data.last_day}`}
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(data.revenue_chart_svg)}`}
              />
            ) : (
              <p className="muted">No purchases in this workspace yet.</p>
            )}
          </div>

          <div className="columns">
            <div className="card">
              <div className="card-header"><h2>Top products</h2><span className="muted small">by revenue</span></div>
              <table className="table" data-testid="top-products">
                <thead>
                  <tr><th>Product</th><th className="num">Units</th><th className="num">Revenue</th></tr>
                </thead>
                <tbody>
                  {data.top_products.map((p) => (
                    <tr key={p.product_id}>
                      <td>
                        <div className="cell-title">{p.title}</div>
                        <div className="cell-sub">
                          {p.category}
                          {p.availability === "out_of_stock" && <span className="badge badge-warn">Out of stock</span>}
                        </div>
                      </td>
                      <td className="num">{count(p.units)}</td>
                      <td className="num">{cur ? money(p.revenue_minor, cur) : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="card">
              <div className="card-header"><h2>Campaigns</h2><span className="muted small">all days in the workspace</span></div>
              <table className="table" data-testid="campaigns">
                <thead>
                  <tr><th>Campaign</th><th className="num">Reach</th><th className="num">Spend</th><th className="num">Revenue</th><th className="num">ROAS</th></tr>
                </thead>
                <tbody>
                  {data.campaigns.map((c) => <CampaignRow key={c.id} c={c} />)}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function Kpi(props: { title: string; value: string; note?: string; delta?: number | null; testId: string }) {
  const d = props.delta;
  return (
    <div className="card kpi" data-testid={props.testId}>
      <div className="kpi-title">{props.title}</div>
      <div className="kpi-value">{props.value}</div>
      <div className="kpi-note">
        {d !== undefined && d !== null && (
          <span className={d >= 0 ? "delta up" : "delta down"} title="compared with the 30 days before">
            {d >= 0 ? <ArrowUpRight size={14} aria-hidden /> : <ArrowDownRight size={14} aria-hidden />}
            {percent(Math.abs(d))}
          </span>
        )}
        <span>{props.note}</span>
      </div>
    </div>
  );
}

function CampaignRow({ c }: { c: CampaignSummary }) {
  const cur = c.currency ?? "USD";
  const reach = c.impressions > 0 ? `${count(c.impressions, { compact: true })} impr.` : c.sends > 0 ? `${count(c.sends, { compact: true })} sent` : "—";
  return (
    <tr>
      <td>
        <div className="cell-title">{c.name}</div>
        <div className="cell-sub">
          <span className={`badge badge-${c.goal}`}>{label(c.goal)}</span>
          <span>{label(c.channel)}</span>
          <span className={`status status-${c.status}`}>{label(c.status)}</span>
        </div>
      </td>
      <td className="num">{reach}</td>
      <td className="num">{c.cost_minor > 0 ? money(c.cost_minor, cur) : "—"}</td>
      <td className="num">{c.revenue_minor > 0 ? money(c.revenue_minor, cur) : "—"}</td>
      <td className="num">{c.roas !== null ? `${c.roas.toFixed(1)}×` : "—"}</td>
    </tr>
  );
}

import { ArrowDownRight, ArrowUpRight, Sparkles, Upload } from "lucide-react";
import { useEffect, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { CampaignSummary } from "../bindings/campaigns/CampaignSummary";
import type { ChartTheme } from "../bindings/ChartTheme";
import type { Dashboard as DashboardData } from "../bindings/Dashboard";
import { ErrorNotice } from "../components/ErrorNotice";
import { change, count, day, dayRange, label, money, percent, plural } from "../lib/format";

/** What a cell shows for a figure the report does not give: never a 0 or a $0.00. */
const ABSENT = "not in this report";

export function Dashboard(props: { revision: number; chartTheme: ChartTheme; onLoadDemo: () => void; onImport: () => void }) {
  const backend = useBackend();
  const [data, setData] = useState<DashboardData | null>(null);
  const [campaigns, setCampaigns] = useState<CampaignSummary[]>([]);
  const [currency, setCurrency] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    Promise.all([backend.dashboard(props.chartTheme), backend.campaignSummaries()]).then(
      ([d, c]) => {
        if (!live) return;
        setData(d);
        setCampaigns(c);
      },
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, props.revision, props.chartTheme]);

  if (error) return <section className="page"><ErrorNotice error={error} /></section>;
  if (!data) return <section className="page" aria-busy="true"><div className="skeleton-grid" /></section>;

  const k = data.kpis;
  const block = data.currencies.find((c) => c.currency === currency) ?? data.currencies[0] ?? null;
  const cur = block?.currency ?? null;
  return (
    <section className="page" data-testid="dashboard">
      <header className="page-header">
        <div>
          <h1>
            Dashboard
            {data.has_demo_data && <span className="badge badge-neutral" data-testid="sample-data" title="Rebound's demo shop, not your own data">Sample data</span>}
          </h1>
          <p className="muted" data-testid="dashboard-period">
            {data.first_day && data.last_day ? `${data.workspace_name} · data from ${dayRange(data.first_day, data.last_day)}` : data.workspace_name}
          </p>
        </div>
        {data.currencies.length > 1 && (
          <div className="segmented" role="group" aria-label="Currency" data-testid="currency-switch">
            {data.currencies.map((c) => (
              <button key={c.currency} type="button" className={c.currency === cur ? "segment checked" : "segment"} aria-pressed={c.currency === cur} onClick={() => setCurrency(c.currency)}>
                {c.currency}
              </button>
            ))}
          </div>
        )}
      </header>

      {data.is_empty ? (
        <div className="empty card" data-testid="dashboard-empty">
          <Sparkles size={28} aria-hidden />
          <h2>This workspace is empty</h2>
          <p className="muted">
            It is saved and ready. Drop the exports you already have onto this window (GA4, Google Ads, Meta Ads, your store&apos;s orders, your
            e-mail platform), or choose them here. Rebound recognises each file and shows what it found before anything is stored.
          </p>
          <div className="row">
            <button type="button" className="button primary" onClick={props.onImport} data-testid="empty-import">
              <Upload size={16} aria-hidden /> Import your exports
            </button>
            <button type="button" className="button" onClick={props.onLoadDemo} data-testid="empty-load-demo">
              Load demo workspace
            </button>
          </div>
          <p className="muted small">The demo is a sample camera store with 20,000 shoppers over 90 days, kept apart from your own workspaces.</p>
        </div>
      ) : (
        <>
          <div className="kpis">
            <Kpi title="People" value={count(k.people)} note={`${count(k.buyers)} bought · ${percent(k.buyer_rate)}`} testId="kpi-people" />
            <Kpi title="Events" value={count(k.events, { compact: true })} note="page views, carts, e-mails, ad clicks…" testId="kpi-events" />
            <Kpi title="Orders" value={count(k.orders)} note={data.currencies.length > 1 ? `in ${data.currencies.length} currencies` : "in all the data"} testId="kpi-orders" />
            {block ? (
              <>
                <Kpi
                  title={`Revenue, 30 days to ${day(block.last_day)}`}
                  value={money(block.revenue_last_30_minor, block.currency)}
                  delta={block.has_previous_period ? change(block.revenue_last_30_minor, block.revenue_previous_30_minor) : null}
                  note={`${money(block.revenue_minor, block.currency)} in all, ${block.first_day === block.last_day ? "on" : "from"} ${dayRange(block.first_day, block.last_day)}`}
                  testId="kpi-revenue"
                />
                <Kpi
                  title="Average order"
                  value={block.average_order_minor !== null ? money(block.average_order_minor, block.currency) : "—"}
                  note={`${plural(block.orders, "order")} in ${block.currency}`}
                  testId="kpi-aov"
                />
              </>
            ) : (
              <Kpi title="Revenue" value="—" note="no purchases in this workspace" testId="kpi-revenue" />
            )}
          </div>

          <div className="card chart-card">
            <div className="card-header">
              <h2>Revenue by day</h2>
              {block && <span className="muted small">{block.currency} · {dayRange(block.first_day, block.last_day)}{data.currencies.length > 1 ? " · other currencies are never added in" : ""}</span>}
            </div>
            {block?.revenue_chart_svg ? (
              <img
                className="chart"
                data-testid="revenue-chart"
                alt={`Revenue in ${block.currency} by day from ${block.first_day} to ${block.last_day}`}
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(block.revenue_chart_svg)}`}
              />
            ) : (
              <p className="muted">No purchases in this workspace yet.</p>
            )}
          </div>

          <div className="card">
            <div className="card-header"><h2>Top products</h2><span className="muted small">{cur ? `by revenue in ${cur}` : "by revenue"}</span></div>
            {block && block.top_products.length > 0 ? (
              <table className="table" data-testid="top-products">
                <thead>
                  <tr><th>Product</th><th className="num">Units</th><th className="num">Revenue</th></tr>
                </thead>
                <tbody>
                  {block.top_products.map((p) => (
                    <tr key={p.product_id}>
                      <td>
                        <div className="cell-title">{p.title}</div>
                        <div className="cell-sub">
                          {[p.category, p.brand].filter(Boolean).join(" · ")}
                          {p.availability === "out_of_stock" && <span className="badge badge-warn">Out of stock</span>}
                        </div>
                      </td>
                      <td className="num">{count(p.units)}</td>
                      <td className="num">{money(p.revenue_minor, block.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted" data-testid="top-products-empty">No purchases with a product in this workspace.</p>
            )}
          </div>
          <div className="card">
            <div className="card-header"><h2>Campaigns</h2><span className="muted small">every day and report period in the workspace</span></div>
            {campaigns.length > 0 ? (
              <div className="table-scroll"><table className="table" data-testid="campaigns">
                <thead>
                  <tr><th>Campaign</th><th>Period</th><th className="num">Reach</th><th className="num">Spend</th><th className="num">Revenue</th><th className="num">ROAS</th></tr>
                </thead>
                <tbody>
                  {campaigns.map((c) => <CampaignRow key={`${c.id}-${c.currency ?? ""}`} c={c} />)}
                </tbody>
              </table></div>
            ) : (
              <p className="muted" data-testid="campaigns-empty">No campaigns yet: import an ad platform&apos;s campaign report, or plan one in Campaigns.</p>
            )}
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

function Absent() {
  return <span className="muted absent" title="The imported report does not give this figure">{ABSENT}</span>;
}

/** The period a campaign's figures cover: its dated days and any undated report periods, as the reports name them. */
export function campaignPeriod(c: CampaignSummary): string {
  const parts: string[] = [];
  if (c.first_day && c.last_day) parts.push(dayRange(c.first_day, c.last_day));
  parts.push(...c.undated_periods);
  return parts.length > 0 ? parts.join(" · ") : "no figures yet";
}

function CampaignRow({ c }: { c: CampaignSummary }) {
  const k = c.kpis;
  const cur = c.currency;
  const reach =
    k.impressions !== null ? `${count(k.impressions, { compact: true })} impr.` : k.sends !== null ? `${count(k.sends, { compact: true })} sent` : null;
  return (
    <tr data-testid={`campaign-${c.id}`}>
      <td>
        <div className="cell-title">{c.name}</div>
        <div className="cell-sub">
          {c.campaign_type && <span className="badge badge-neutral">{c.campaign_type}</span>}
          {c.goal && <span className={`badge badge-${c.goal}`}>{label(c.goal)}</span>}
          <span>{label(c.channel)}</span>
          <span className={`status status-${c.status}`}>{label(c.status)}</span>
        </div>
      </td>
      <td>{campaignPeriod(c)}</td>
      <td className="num">{reach ?? <Absent />}</td>
      <td className="num">{k.cost_minor !== null && cur ? money(k.cost_minor, cur) : <Absent />}</td>
      <td className="num">{k.revenue_minor !== null && cur ? money(k.revenue_minor, cur) : <Absent />}</td>
      <td className="num">{k.roas !== null ? `${k.roas.toFixed(2)}×` : k.revenue_minor === null || k.cost_minor === null ? <Absent /> : "—"}</td>
    </tr>
  );
}

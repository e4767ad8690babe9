import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Backend } from "../api/backend";
import { BackendContext } from "../api/context";
import { createFakeBackend, sampleDashboard } from "../api/fake";
import type { CampaignSummary } from "../bindings/campaigns/CampaignSummary";
import type { Dashboard as DashboardData } from "../bindings/Dashboard";
import { Dashboard } from "./Dashboard";

afterEach(cleanup);

const NO_KPIS = {
  ctr: null, cpc_minor: null, cpm_minor: null, cvr: null, cpa_minor: null, roas: null, roi: null, open_rate: null, unsubscribe_rate: null, bounce_rate: null,
  impressions: null, reach: null, clicks: null, cost_minor: null, conversions: null, revenue_minor: null, sends: null, opens: null, unsubscribes: null, bounces: null,
};

/** A marketer's own workspace: events in USD, Shopify orders in INR, a Meta traffic report and an undated Google Ads report. */
function ownData(): { dashboard: DashboardData; campaigns: CampaignSummary[] } {
  const usd = sampleDashboard("Shop").currencies[0];
  if (!usd) throw new Error("the sample has a USD block");
  const dashboard: DashboardData = {
    workspace_name: "Shop",
    is_empty: false,
    has_demo_data: false,
    first_day: "2019-10-01",
    last_day: "2025-12-06",
    kpis: { people: 17_301, events: 17_434, orders: 335, buyers: 196, buyer_rate: 196 / 17_301 },
    currencies: [
      { ...usd, currency: "USD", first_day: "2019-10-01", last_day: "2019-10-01", revenue_minor: 5_214_300, orders: 214, has_previous_period: false },
      { ...usd, currency: "INR", first_day: "2025-12-06", last_day: "2025-12-06", revenue_minor: 12_345_600, revenue_last_30_minor: 12_345_600, orders: 121, buyers: 3, has_previous_period: false, top_products: [] },
    ],
  };
  const campaigns: CampaignSummary[] = [
    {
      id: 1, name: "Lookalike · Traffic", goal: null, campaign_type: "Traffic", channel: "meta_ads", platform: "meta", status: "active", currency: "USD",
      first_day: "2024-11-28", last_day: "2024-12-04", undated_periods: [],
      kpis: { ...NO_KPIS, impressions: 23_559, reach: 21_000, clicks: 949, cost_minor: 26_815, ctr: 949 / 23_559, cpc_minor: 26_815 / 949 },
    },
    {
      id: 2, name: "Brand search", goal: null, campaign_type: "Search", channel: "google_ads", platform: "google_ads", status: "enabled", currency: "USD",
      first_day: null, last_day: null, undated_periods: ["All time"],
      kpis: { ...NO_KPIS, impressions: 10_000, clicks: 500, cost_minor: 40_000, conversions: 20, revenue_minor: 120_000, roas: 3 },
    },
  ];
  return { dashboard, campaigns };
}

function renderWith(backend: Backend, onImport = () => {}, onLoadDemo = () => {}) {
  return render(
    <BackendContext.Provider value={backend}>
      <Dashboard revision={0} chartTheme="light" onLoadDemo={onLoadDemo} onImport={onImport} />
    </BackendContext.Provider>,
  );
}

describe("Dashboard on a marketer's own exports", () => {
  it("names the data's period, keeps currencies apart and never invents a missing metric", async () => {
    const { dashboard, campaigns } = ownData();
    const backend: Backend = { ...createFakeBackend(), dashboard: async () => dashboard, campaignSummaries: async () => campaigns };
    renderWith(backend);
    expect((await screen.findByTestId("dashboard-period")).textContent).toMatch(/data from .*2019.*2025/);
    expect(screen.queryByTestId("sample-data")).toBeNull();

    // The first block shows first (the backend orders them), then INR on a click, over its own day.
    expect(screen.getByTestId("kpi-revenue").textContent).toMatch(/\$/);
    fireEvent.click(within(screen.getByTestId("currency-switch")).getByText("INR"));
    expect(screen.getByTestId("kpi-revenue").textContent).toMatch(/₹/);
    expect(screen.getByTestId("kpi-revenue").textContent).not.toMatch(/\$/);
    expect(screen.getByTestId("kpi-aov").textContent).toMatch(/121 orders in INR/);

    // The Meta traffic report has no revenue: ROAS and revenue are absent, not $0.00 and 0.00×.
    const meta = screen.getByTestId("campaign-1");
    expect(meta.textContent).toMatch(/Traffic/);
    expect(meta.textContent).not.toMatch(/Retargeting/i);
    expect(within(meta).getAllByText("not in this report")).toHaveLength(2);
    expect(meta.textContent).not.toMatch(/0\.00×|\$0\.00/);
    // The undated Google Ads report is listed with its period named.
    const search = screen.getByTestId("campaign-2");
    expect(search.textContent).toMatch(/All time/);
    expect(search.textContent).toMatch(/3\.00×/);
  });

  it("offers the user's own exports first on an empty workspace, and labels the demo as sample data", async () => {
    const backend = createFakeBackend();
    const onImport = vi.fn();
    const onLoadDemo = vi.fn();
    const emptyBackend: Backend = {
      ...backend,
      dashboard: async () => ({ workspace_name: "New", is_empty: true, has_demo_data: false, first_day: null, last_day: null, kpis: { people: 0, events: 0, orders: 0, buyers: 0, buyer_rate: 0 }, currencies: [] }),
      campaignSummaries: async () => [],
    };
    renderWith(emptyBackend, onImport, onLoadDemo);
    const empty2 = await screen.findByTestId("dashboard-empty");
    const buttons = within(empty2).getAllByRole("button");
    expect(buttons[0]?.textContent).toMatch(/Import your exports/);
    fireEvent.click(screen.getByTestId("empty-import"));
    expect(onImport).toHaveBeenCalledTimes(1);
    expect(onLoadDemo).not.toHaveBeenCalled();
    cleanup();

    const demo: Backend = { ...backend, dashboard: async () => sampleDashboard("Demo"), campaignSummaries: async () => [] };
    renderWith(demo);
    expect((await screen.findByTestId("sample-data")).textContent).toBe("Sample data");
  });
});

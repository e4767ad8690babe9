import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Backend } from "../api/backend";
import { BackendContext } from "../api/context";
import { createFakeBackend } from "../api/fake";
import type { CampaignDraft } from "../bindings/campaigns/CampaignDraft";
import type { Table } from "../bindings/campaigns/Table";
import { Campaigns } from "./Campaigns";
import { type Column, sortRows, toTable } from "./SortableTable";

function renderCampaigns(backend: Backend) {
  return render(
    <BackendContext.Provider value={backend}>
      <Campaigns revision={0} chartTheme="light" />
    </BackendContext.Provider>,
  );
}

afterEach(cleanup);

/** Next waits until the current draft is checked, as a person would. */
async function next() {
  await waitFor(() => expect((screen.getByTestId("wizard-next") as HTMLButtonElement).disabled).toBe(false));
  fireEvent.click(screen.getByTestId("wizard-next"));
}

describe("sortable tables", () => {
  const cols: Column<{ n: string; v: number | null }>[] = [
    { key: "n", label: "Name", sort: (r) => r.n, text: (r) => r.n },
    { key: "v", label: "Value", numeric: true, sort: (r) => r.v, text: (r) => (r.v === null ? "—" : String(r.v)) },
  ];
  const rows = [{ n: "b", v: 2 }, { n: "a", v: null }, { n: "c", v: 10 }];
  it("sorts numbers as numbers, text as text, and undefined values last either way", () => {
    expect(sortRows(rows, cols[1], false).map((r) => r.n)).toEqual(["b", "c", "a"]);
    expect(sortRows(rows, cols[1], true).map((r) => r.n)).toEqual(["c", "b", "a"]);
    expect(sortRows(rows, cols[0], false).map((r) => r.n)).toEqual(["a", "b", "c"]);
    expect(toTable(cols, rows)).toEqual({ columns: ["Name", "Value"], rows: [["b", "2"], ["a", "—"], ["c", "10"]] });
  });
});

describe("Campaigns on the fake backend", () => {
  it("walks the wizard step by step, saves, and opens the dashboard", async () => {
    const backend = createFakeBackend();
    const saved: CampaignDraft[] = [];
    const exported: Table[] = [];
    renderCampaigns({
      ...backend,
      saveCampaign: (id, d) => {
        saved.push(d);
        return backend.saveCampaign(id, d);
      },
      exportTable: async (t) => {
        exported.push(t);
        return true;
      },
    });
    fireEvent.click(await screen.findByTestId("new-campaign"));
    // Goal: Next stays off until the campaign has a name.
    await screen.findByTestId("wizard-step-goal");
    await waitFor(() => expect((screen.getByTestId("wizard-next") as HTMLButtonElement).disabled).toBe(true));
    fireEvent.change(screen.getByTestId("campaign-name"), { target: { value: "Cart rescue" } });
    fireEvent.click(screen.getByTestId("goal-journey"));
    await next();
    // Audience: reach after consent.
    fireEvent.change(await screen.findByTestId("campaign-segment"), { target: { value: "1" } });
    expect((await screen.findByTestId("audience-reach")).textContent).toContain("740");
    await next();
    // Channels: a journey needs ads and an owned channel.
    fireEvent.click(await screen.findByTestId("channel-meta_ads"));
    await waitFor(() => expect(screen.getByTestId("step-problems").textContent).toContain("a journey combines"));
    fireEvent.click(screen.getByTestId("channel-email"));
    await waitFor(() => expect(screen.queryByTestId("step-problems")).toBeNull());
    await next();
    fireEvent.click(await screen.findByTestId("creative-1"));
    await next();
    fireEvent.change(await screen.findByTestId("starts-on"), { target: { value: "2026-12-01" } });
    fireEvent.change(screen.getByTestId("ends-on"), { target: { value: "2026-12-10" } });
    fireEvent.click(screen.getByTestId("wizard-back"));
    expect(await screen.findByTestId("wizard-step-content")).toBeTruthy();
    await next();
    await next();
    // Review: projections per channel.
    const projection = await screen.findByTestId("projection");
    expect(within(projection).getByText("Meta Ads")).toBeTruthy();
    expect(screen.getByTestId("projected-conversions").textContent).not.toBe("—");
    await waitFor(() => expect((screen.getByTestId("save-active") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId("save-active"));
    expect(await screen.findByTestId("campaign-title")).toBeTruthy();
    expect(screen.getByTestId("campaign-title").textContent).toBe("Cart rescue");
    expect(saved[0]?.channels).toEqual(["meta_ads", "email"]);
    expect(saved[0]?.status).toBe("active");
    expect(saved[0]?.ends_on).toBe("2026-12-10");
    // Its state changes from the dashboard.
    fireEvent.click(screen.getByTestId("status-paused"));
    await waitFor(() => expect(screen.getByTestId("campaign-status").textContent).toBe("paused"));
  });

  it("shows KPIs with deltas, sorts and exports the table", async () => {
    const backend = createFakeBackend();
    const exported: Table[] = [];
    renderCampaigns({ ...backend, exportTable: async (t) => (exported.push(t), true) });
    await screen.findByTestId("kpis-USD");
    expect(screen.getByTestId("kpi-cost").textContent).toMatch(/\$/);
    const table = await screen.findByTestId("metrics-table");
    const firstCell = () => within(table).getAllByRole("row")[1]?.textContent ?? "";
    fireEvent.click(screen.getByTestId("metrics-table-sort-cost"));
    const top = firstCell();
    fireEvent.click(screen.getByTestId("metrics-table-sort-cost"));
    expect(firstCell()).not.toBe(top);
    fireEvent.click(screen.getByTestId("metrics-table-csv"));
    await waitFor(() => expect(exported.length).toBe(1));
    expect(exported[0]?.columns[0]).toBe("Period");
    expect(exported[0]?.rows.at(-1)?.[0]).toBe("Total");
    fireEvent.click(screen.getByTestId("by-channel"));
    await waitFor(() => expect(within(screen.getByTestId("metrics-table")).getAllByRole("row").length).toBe(1 + 3 + 1));
    expect(await screen.findByTestId("attribution-table")).toBeTruthy();
    // One row per cap of the sending rules, each with the people over it.
    expect(screen.getByTestId("over-cap-email-0").textContent).toBe("12");
    expect(screen.getByTestId("over-cap-email-1").textContent).toBe("5");
    expect(screen.getByTestId("over-messaging").textContent).toContain("caps from the sending rules in Sequences");
    expect(screen.getByTestId("over-messaging").textContent).toContain("5 email messages from 2026-10-05 to 2026-10-09, over “email at most 3 per 7 days”");
  });
});

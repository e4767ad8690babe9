import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Backend } from "../api/backend";
import { BackendContext } from "../api/context";
import { createFakeBackend } from "../api/fake";
import { Data } from "../sections/Data";

afterEach(cleanup);

function renderData(backend: Backend, onImport = () => {}) {
  return render(
    <BackendContext.Provider value={backend}>
      <Data revision={0} onImport={onImport} onChanged={() => {}} />
    </BackendContext.Provider>,
  );
}

async function demoBackend(): Promise<Backend> {
  const backend = createFakeBackend();
  await backend.appStatus();
  return backend;
}

const cellsOf = (row: HTMLElement) => within(row).getAllByRole("cell").map((c) => c.textContent);

describe("Data › Reports on the fake backend", () => {
  it("lists each imported report with its kind, title, file, period and rows", async () => {
    renderData(await demoBackend());
    const rows = await screen.findAllByTestId("report-row");
    expect(rows).toHaveLength(2);
    expect(cellsOf(rows[0]!)).toEqual(["Search Console: dategsc_performance_chart.csv", "Jan 1, 2025 – Mar 31, 2025", "90"]);
    expect(cellsOf(rows[1]!)).toEqual([
      "GA4 reportPages and screens: Page path and screen class · ga4_report_pages_and_screens_buysheds_13col.csv",
      "Jan 1, 2025 – Dec 31, 2025",
      "5",
    ]);
  });

  it("shows a report's rows with its own columns, numbers right-aligned and grouped, under its totals", async () => {
    renderData(await demoBackend());
    const rows = await screen.findAllByTestId("report-row");
    fireEvent.click(within(rows[1]!).getByRole("button", { name: "GA4 report" }));
    const detail = await screen.findByTestId("report-detail");
    expect(within(detail).getByRole("heading").textContent).toBe("Pages and screens: Page path and screen class");
    const table = await within(detail).findByTestId("report-table");
    const headers = within(table).getAllByRole("columnheader");
    expect(headers.map((h) => h.textContent)).toEqual([
      "Page path and screen class",
      "Views",
      "Active users",
      "Views per active user",
      "Average engagement time per active user",
      "Event count",
      "Engagement rate",
    ]);
    expect(headers.map((h) => h.className)).toEqual(["", "num", "num", "num", "num", "num", "num"]);
    const first = within(table).getAllByTestId("report-table-row")[0]!;
    expect(cellsOf(first)).toEqual(["/blog/post/how-to-lay-slab-base-for-sheds", "12,688", "9,153", "1.39", "110", "41,464", "0.62"]);
    expect(within(first).getAllByRole("cell")[1]!.className).toBe("num");
    // Counts are added up over the whole report; rates and averages are not.
    expect(cellsOf(within(table).getByTestId("report-totals"))).toEqual(["Total", "41,174", "32,608", "", "", "140,608", ""]);
    expect(within(detail).getByTestId("report-range").textContent).toBe("Rows 1–5 of 5; the totals are of all 5 rows");
    expect(within(detail).queryByTestId("report-next")).toBeNull();
  });

  it("pages through a long report, 50 rows at a time", async () => {
    renderData(await demoBackend());
    const rows = await screen.findAllByTestId("report-row");
    fireEvent.click(rows[0]!);
    const detail = await screen.findByTestId("report-detail");
    expect(within(detail).getByRole("heading").textContent).toBe("Search Console: date");
    await waitFor(() => expect(within(detail).getAllByTestId("report-table-row")).toHaveLength(50));
    expect(within(detail).getByTestId("report-range").textContent).toBe("Rows 1–50 of 90; the totals are of all 90 rows");
    const previous = within(detail).getByTestId("report-previous") as HTMLButtonElement;
    const next = within(detail).getByTestId("report-next") as HTMLButtonElement;
    expect(previous.disabled).toBe(true);
    fireEvent.click(next);
    await waitFor(() => expect(within(detail).getByTestId("report-range").textContent).toMatch(/^Rows 51–90 of 90/));
    expect(within(detail).getAllByTestId("report-table-row")).toHaveLength(40);
    expect(cellsOf(within(detail).getAllByTestId("report-table-row")[0]!)[0]).toBe("2025-02-20");
    expect(next.disabled).toBe(true);
    // Search Console's CTR total is a share, written as the column writes its cells.
    expect(cellsOf(within(detail).getByTestId("report-totals"))[3]).toMatch(/^\d+\.\d\d%$/);
    fireEvent.click(previous);
    await waitFor(() => expect(within(detail).getByTestId("report-range").textContent).toMatch(/^Rows 1–50 of 90/));
    // Selecting the report again closes it.
    fireEvent.click(screen.getAllByTestId("report-row")[0]!);
    expect(screen.queryByTestId("report-detail")).toBeNull();
  });

  it("says in words that there are no reports yet, and points to Import", async () => {
    const backend = createFakeBackend();
    await backend.appStatus();
    await backend.createWorkspace("/home/demo/Documents/Own shop");
    const onImport = vi.fn();
    renderData(backend, onImport);
    const empty = await screen.findByTestId("reports-empty");
    expect(empty.textContent).toContain("No reports imported yet.");
    fireEvent.click(within(empty).getByRole("button", { name: "Import files…" }));
    expect(onImport).toHaveBeenCalledOnce();
    expect(screen.queryAllByTestId("report-row")).toHaveLength(0);
  });
});

describe("Data › Tables", () => {
  it("describes every table of the workspace in a sentence", async () => {
    renderData(await demoBackend());
    const table = await screen.findByTestId("data-tables");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(19);
    for (const row of rows) {
      const [name, description] = within(row).getAllByRole("cell");
      expect(description?.textContent, name?.textContent ?? "").toMatch(/^[A-Z].{20,}\.$/);
    }
  });
});

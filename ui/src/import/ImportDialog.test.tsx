import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../App";
import { BackendContext } from "../api/context";
import { createFakeBackend } from "../api/fake";
import { FAKE_DOWNLOADS } from "../api/fakeImports";

afterEach(cleanup);

function renderApp() {
  const backend = createFakeBackend({ delayMs: 5 });
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  return backend;
}

describe("importing files on the fake backend", () => {
  it("shows an overlay while files hover, imports the dropped one, and undoes it from the history", async () => {
    const backend = renderApp();
    await screen.findByTestId("dashboard");
    act(() => backend.drag({ kind: "hover" }));
    expect(screen.getByTestId("drop-overlay").textContent).toContain("Drop to import");
    act(() => backend.drag({ kind: "drop", paths: [`${FAKE_DOWNLOADS}/google_ads_campaign_report_alltime_usd.csv`] }));
    expect(screen.queryByTestId("drop-overlay")).toBeNull();

    const dialog = await screen.findByTestId("import-dialog");
    expect((await within(dialog).findByTestId("import-detected")).textContent).toMatch(/Google Ads report\s*95% sure/);
    expect(within(dialog).getByTestId("import-evidence").textContent).toContain("Google Ads header");
    expect((within(dialog).getByLabelText("Import as") as HTMLSelectElement).value).toBe("google_ads_report");

    fireEvent.click(within(dialog).getByTestId("import-start"));
    const result = await screen.findByTestId("import-result", {}, { timeout: 3000 });
    expect(result.textContent).toContain("stored 12 campaigns");
    expect(within(result).getByTestId("fact-rows-read").textContent).toBe("12 = 12 imported + 0 rejected");
    expect(within(result).getByTestId("fact-not-data").textContent).toMatch(/^5 lines/);
    fireEvent.click(screen.getByTestId("import-done"));

    // Done leads to the Data section: the history has it, the counts include it.
    await screen.findByTestId("data");
    await waitFor(() => expect(screen.getAllByTestId("import-history-row")).toHaveLength(3));
    const rows = screen.getAllByTestId("import-history-row");
    expect(rows[0]?.textContent).toContain("google_ads_campaign_report_alltime_usd.csv");
    // 1,000 demo campaigns + 4 from the earlier Meta import + 12 now.
    expect(within(screen.getByTestId("data-tables")).getByText("1,016")).toBeTruthy();

    fireEvent.click(within(rows[0]!).getByRole("button", { name: /Undo import of google_ads/ }));
    const confirm = await screen.findByTestId("undo-confirm");
    expect(confirm.textContent).toContain("Undo import of google_ads_campaign_report_alltime_usd.csv? Its 12 rows will be removed");
    fireEvent.click(within(confirm).getByTestId("undo-confirm-button"));
    await waitFor(() => expect(screen.getAllByTestId("import-status")[0]?.textContent).toBe("Undone"));
    expect(within(screen.getAllByTestId("import-history-row")[0]!).queryByTestId("import-undo")).toBeNull();
    await waitFor(() => expect(within(screen.getByTestId("data-tables")).getByText("1,004")).toBeTruthy());
  });

  it("a generic CSV needs its columns mapped; what is missing is said where it is chosen", async () => {
    const backend = renderApp();
    await screen.findByTestId("dashboard");
    act(() => backend.drag({ kind: "drop", paths: [`${FAKE_DOWNLOADS}/events_export.csv`] }));
    const dialog = await screen.findByTestId("import-dialog");
    fireEvent.click(await within(dialog).findByTestId("import-map-columns"));
    const mapping = await screen.findByTestId("import-mapping");
    expect(within(mapping).getByTestId("import-preview").textContent).toContain("anon_id");
    // Suggested by name: ts → time, action → event, anon_id → visitor, customer_email → e-mail.
    expect((within(mapping).getByTestId("mapping-timestamp") as HTMLSelectElement).value).toBe("ts");
    expect((within(mapping).getByTestId("mapping-timestamp-format") as HTMLSelectElement).value).toBe("unix_seconds");
    fireEvent.change(within(mapping).getByTestId("mapping-event_name"), { target: { value: "" } });
    fireEvent.click(within(mapping).getByTestId("mapping-done"));
    expect(within(mapping).getByRole("alert").textContent).toContain("Choose the column with the event name.");
    fireEvent.change(within(mapping).getByTestId("mapping-event_name"), { target: { value: "action" } });
    fireEvent.click(within(mapping).getByTestId("mapping-done"));
    await waitFor(() => expect(screen.queryByTestId("import-mapping")).toBeNull());
    expect(within(dialog).getByText(/Columns mapped, kept as/)).toBeTruthy();
    fireEvent.click(within(dialog).getByTestId("import-start"));
    const result = await screen.findByTestId("import-result", {}, { timeout: 3000 });
    expect(result.textContent).toContain("7 rejected rows — the first 5");
    fireEvent.click(within(result).getByTestId("show-all-rejections"));
    expect(await within(result).findByTestId("all-rejections")).toBeTruthy();
  });

  it("a cancelled import writes nothing and says so", async () => {
    const backend = renderApp();
    await screen.findByTestId("dashboard");
    act(() => backend.drag({ kind: "drop", paths: [`${FAKE_DOWNLOADS}/rees46_2019-Oct_head_sample.csv`] }));
    const dialog = await screen.findByTestId("import-dialog");
    await within(dialog).findByTestId("import-detected");
    fireEvent.click(within(dialog).getByTestId("import-start"));
    await screen.findByTestId("import-progress");
    fireEvent.click(screen.getByTestId("import-cancel"));
    const result = await screen.findByTestId("import-result", {}, { timeout: 3000 });
    expect(result.getAttribute("data-status")).toBe("cancelled");
    expect(await backend.imports()).toHaveLength(2);
  });

  it("imports the other dropped files while one still needs a choice, and says it was left out", async () => {
    const backend = renderApp();
    await screen.findByTestId("dashboard");
    const names = ["google_ads_campaign_report_alltime_usd.csv", "events_export.csv", "rees46_2019-Oct_head_sample.csv"];
    act(() => backend.drag({ kind: "drop", paths: names.map((n) => `${FAKE_DOWNLOADS}/${n}`) }));
    const dialog = await screen.findByTestId("import-dialog");
    expect(within(dialog).getByRole("heading", { name: "Import 3 files" })).toBeTruthy();
    const start = within(dialog).getByTestId("import-start") as HTMLButtonElement;
    await waitFor(() => expect(start.disabled).toBe(false));
    expect(start.textContent).toBe("Import 2 files");
    expect(within(dialog).getByRole("status").textContent).toBe("events_export.csv: Map its columns first. It is left out of this import until then.");
    fireEvent.click(start);
    await screen.findByTestId("import-done", {}, { timeout: 3000 });
    const results = screen.getAllByTestId("import-result");
    expect(results.map((r) => r.getAttribute("data-status"))).toEqual(["imported", "left_out", "imported"]);
    expect(results[1]?.textContent?.trim()).toBe("events_export.csv: left out, nothing was writtenMap its columns first. Import it again to make that choice.");
    expect((await backend.imports()).map((r) => r.file_name).slice(0, 2)).toEqual(["rees46_2019-Oct_head_sample.csv", "google_ads_campaign_report_alltime_usd.csv"]);
  });
});

import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "./App";
import type { Backend } from "./api/backend";
import { BackendContext } from "./api/context";
import { createFakeBackend } from "./api/fake";

function renderApp(backend: Backend) {
  return render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
}

afterEach(cleanup);

describe("App shell on the fake backend", () => {
  it("builds the demo workspace on first run, with progress, then shows the dashboard", async () => {
    renderApp(createFakeBackend({ firstRun: true, delayMs: 5 }));
    expect(await screen.findByTestId("job-progress")).toBeTruthy();
    const people = await screen.findByTestId("kpi-people");
    expect(people.textContent).toContain("20,000");
    expect(screen.queryByTestId("job-progress")).toBeNull();
    expect(screen.getByTestId("workspace-name").textContent).toBe("Default");
    expect(screen.getByTestId("workspace-sample-data").textContent).toBe("Sample data");
  });

  it("opens every section of the design, Sequences included", async () => {
    renderApp(createFakeBackend());
    await screen.findByTestId("dashboard");
    const sequences = screen.getByTestId("nav-sequences");
    expect(sequences.getAttribute("aria-disabled")).not.toBe("true");
    expect(sequences.textContent).not.toContain("Not yet available");
    fireEvent.click(sequences);
    expect(await screen.findByTestId("sequences")).toBeTruthy();
    fireEvent.click(screen.getByTestId("nav-data"));
    expect(await screen.findByTestId("data")).toBeTruthy();
  });

  it("switches sections with Ctrl+digit", async () => {
    renderApp(createFakeBackend());
    await screen.findByTestId("dashboard");
    act(() => {
      fireEvent.keyDown(window, { key: "8", ctrlKey: true });
    });
    expect(await screen.findByTestId("settings")).toBeTruthy();
    act(() => {
      fireEvent.keyDown(window, { key: "9", ctrlKey: true });
    });
    expect(screen.getByTestId("settings")).toBeTruthy();
    act(() => {
      fireEvent.keyDown(window, { key: "3", ctrlKey: true });
    });
    expect(await screen.findByTestId("segments")).toBeTruthy();
  });

  it("creates a workspace, shows it empty, and reports a name clash where it happened", async () => {
    renderApp(createFakeBackend());
    await screen.findByTestId("dashboard");
    fireEvent.click(screen.getByTestId("workspace-switcher"));
    fireEvent.click(screen.getByTestId("menu-new"));
    const dialog = await screen.findByTestId("new-workspace-dialog");
    fireEvent.change(within(dialog).getByTestId("new-workspace-name"), { target: { value: "Spring sale" } });
    expect(within(dialog).getByTestId("new-workspace-path").textContent).toContain("/home/demo/Documents/Spring sale.rebound");
    fireEvent.click(within(dialog).getByTestId("new-workspace-create"));
    expect(await screen.findByTestId("dashboard-empty")).toBeTruthy();
    expect(screen.getByTestId("workspace-name").textContent).toBe("Spring sale");
    expect(screen.queryByTestId("workspace-sample-data")).toBeNull();

    fireEvent.click(screen.getByTestId("workspace-switcher"));
    fireEvent.click(screen.getByTestId("menu-new"));
    const again = await screen.findByTestId("new-workspace-dialog");
    fireEvent.change(within(again).getByTestId("new-workspace-name"), { target: { value: "Spring sale" } });
    fireEvent.click(within(again).getByTestId("new-workspace-create"));
    const notice = await within(again).findByTestId("error-notice");
    expect(notice.getAttribute("data-code")).toBe("already_exists");
    expect(notice.textContent).toContain("Pick another name");
  });

  it("opens a recent workspace from the switcher", async () => {
    renderApp(createFakeBackend());
    await screen.findByTestId("dashboard");
    fireEvent.click(screen.getByTestId("workspace-switcher"));
    fireEvent.click(screen.getByTestId("menu-new"));
    const dialog = await screen.findByTestId("new-workspace-dialog");
    fireEvent.change(within(dialog).getByTestId("new-workspace-name"), { target: { value: "Other" } });
    fireEvent.click(within(dialog).getByTestId("new-workspace-create"));
    await screen.findByTestId("dashboard-empty");
    fireEvent.click(screen.getByTestId("workspace-switcher"));
    const recent = await screen.findAllByTestId("recent-item");
    const previous = recent.find((r) => r.getAttribute("data-path")?.endsWith("Default.rebound"));
    expect(previous).toBeTruthy();
    fireEvent.click(previous as HTMLElement);
    await waitFor(() => expect(screen.getByTestId("workspace-name").textContent).toBe("Default"));
    expect(await screen.findByTestId("kpi-people")).toBeTruthy();
  });

  it("opens each section at its top, wherever the previous one was scrolled to", async () => {
    renderApp(createFakeBackend());
    await screen.findByTestId("dashboard");
    const main = screen.getByRole("main");
    main.scrollTop = 640;
    fireEvent.click(screen.getByTestId("nav-data"));
    await screen.findByTestId("data");
    expect(main.scrollTop).toBe(0);
    main.scrollTop = 300;
    act(() => {
      fireEvent.keyDown(window, { key: "3", ctrlKey: true });
    });
    await screen.findByTestId("segments");
    expect(main.scrollTop).toBe(0);
  });

  it("keeps the workspace format out of the headlines: a muted detail in Settings", async () => {
    renderApp(createFakeBackend());
    await screen.findByTestId("dashboard");
    fireEvent.click(screen.getByTestId("nav-data"));
    const data = await screen.findByTestId("data");
    expect(data.textContent).not.toMatch(/workspace format/i);
    expect(data.textContent).not.toContain("20261126000000");
    fireEvent.click(screen.getByTestId("nav-settings"));
    expect((await screen.findByTestId("settings-format")).textContent).toBe("Workspace format version 20261126000000");
  });
});

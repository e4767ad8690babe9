import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { type Backend, BackendError } from "../api/backend";
import { BackendContext } from "../api/context";
import { createFakeBackend } from "../api/fake";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import { endOfDayMicros, Segments } from "./Segments";

function renderSegments(backend: Backend) {
  return render(
    <BackendContext.Provider value={backend}>
      <Segments revision={0} chartTheme="light" />
    </BackendContext.Provider>,
  );
}

afterEach(cleanup);

describe("Segments on the fake backend", () => {
  it("builds a rule by clicking, shows the live count and a person's timeline, and saves", async () => {
    const backend = createFakeBackend();
    const counted: SegmentDefinition[] = [];
    const spied: Backend = {
      ...backend,
      segmentCount: (d, asOf) => {
        counted.push(d);
        return backend.segmentCount(d, asOf);
      },
    };
    renderSegments(spied);
    fireEvent.click(await screen.findByTestId("new-segment"));
    fireEvent.change(screen.getByTestId("add-rule"), { target: { value: "not_followed_by" } });
    const rule = await screen.findByTestId("rule");
    expect(rule.getAttribute("data-kind")).toBe("not_followed_by");
    expect(screen.getByTestId("rule-sentence").textContent).toContain("“Added to cart” not followed by “Purchased” within 1 day and none since");
    // Clearing a number field and typing anew gives the new number, not the old one with it.
    const withinInput = screen.getByTestId("within-n") as HTMLInputElement;
    fireEvent.change(withinInput, { target: { value: "" } });
    expect(withinInput.value).toBe("");
    fireEvent.change(withinInput, { target: { value: "2" } });
    expect(screen.getByTestId("rule-sentence").textContent).toContain("within 2 days");

    await waitFor(() => expect(screen.getByTestId("live-count").textContent).toMatch(/^[\d,]+$/));
    // Typing a name does not ask for a new count: it does not change who is in it.
    const asked = counted.length;
    fireEvent.change(screen.getByTestId("segment-name"), { target: { value: "Abandoners" } });
    await new Promise((r) => setTimeout(r, 400));
    expect(counted.length).toBe(asked);

    fireEvent.click((await screen.findAllByTestId("sample-person"))[0] as HTMLElement);
    const drawer = await screen.findByTestId("person-timeline");
    await waitFor(() => expect(within(drawer).getByTestId("timeline-events").textContent).toContain("Added to cart"));
    fireEvent.click(within(drawer).getByTestId("person-close"));

    fireEvent.click(screen.getByTestId("segment-save"));
    await waitFor(() => expect(screen.getByTestId("saved-segments").textContent).toContain("Abandoners"));
  });

  it("says how many people a remarketing template leaves out for lack of consent", async () => {
    renderSegments(createFakeBackend());
    const templates = await screen.findAllByTestId("segment-template");
    const lapsed = templates.find((t) => t.getAttribute("data-key") === "lapsed_customers");
    fireEvent.click(lapsed as HTMLElement);
    const leftOut = await screen.findByTestId("left-out");
    expect(leftOut.textContent).toMatch(/left out for lack of e-mail consent/);
    fireEvent.click(screen.getByTestId("include-without-consent"));
    await waitFor(() => expect(screen.getByTestId("left-out").textContent).toMatch(/have no e-mail consent \(kept in\)/));
  });
});

describe("the engine's first read of a large workspace", () => {
  it("shows how far it has got, can be stopped, and counts again when asked", async () => {
    const backend = createFakeBackend();
    let read = 0;
    let stop: (() => void) | null = null;
    let reading = true;
    let counts = 0;
    const slow: Backend = {
      ...backend,
      segmentEngineReading: async () => {
        if (!reading) return null;
        read = Math.min(read + 1_500_000, 9_000_000);
        return { events_read: read, events_total: 10_800_000 };
      },
      segmentEngineCancel: async () => {
        reading = false;
        stop?.();
        return true;
      },
      // The first count waits for the read, until it is stopped; later ones answer.
      segmentCount: (d, asOf) => {
        counts += 1;
        return reading
          ? new Promise((_, reject) => {
              stop = () => {
                reject(new BackendError({ code: "cancelled", message: "the count was stopped while the workspace was being read into memory; nothing was kept" }));
              };
            })
          : backend.segmentCount(d, asOf);
      },
    };
    renderSegments(slow);
    fireEvent.click(await screen.findByTestId("new-segment"));
    await waitFor(() => expect(screen.getByTestId("engine-reading-figures").textContent).toMatch(/^[\d,]+ of about 10,800,000 events$/));
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).not.toBeNull();
    fireEvent.click(screen.getByTestId("engine-reading-stop"));
    await waitFor(() => expect(screen.queryByTestId("engine-reading")).toBeNull());
    expect(screen.getByTestId("count-stopped").textContent).toContain("nothing was kept");
    // No count is asked for while stopped, even when the rule changes.
    const asked = counts;
    fireEvent.change(screen.getByTestId("add-rule"), { target: { value: "not_followed_by" } });
    await new Promise((r) => setTimeout(r, 500));
    expect(counts).toBe(asked);
    fireEvent.click(screen.getByTestId("count-again"));
    await waitFor(() => expect(screen.getByTestId("live-count").textContent).toMatch(/^[\d,]+$/));
    expect(screen.queryByTestId("count-again")).toBeNull();
  });
});

describe("as-of cut in the person timeline", () => {
  it("is the end of the chosen UTC day, in microseconds", () => {
    expect(endOfDayMicros("2026-10-31")).toBe(Date.UTC(2026, 10, 1) * 1000);
  });
});

describe("segment rules files", () => {
  it("names the JSON files for what they hold: a segment's rules", async () => {
    const backend = createFakeBackend();
    const exported: number[][] = [];
    renderSegments({
      ...backend,
      exportSegments: async (ids) => {
        exported.push(ids);
        return ids.length;
      },
    });
    fireEvent.click(await screen.findByTestId("new-segment"));
    fireEvent.change(screen.getByTestId("segment-name"), { target: { value: "Viewers" } });
    fireEvent.change(screen.getByTestId("add-rule"), { target: { value: "did" } });
    fireEvent.click(screen.getByTestId("segment-save"));
    const exportRules = await screen.findByRole("button", { name: "Export rules (JSON)" });
    expect(screen.getByRole("button", { name: "Import rules (JSON)" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Export all rules (JSON)" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Export" })).toBeNull();
    // The save's own notice may still be up: wait for the export's.
    await waitFor(() => expect(screen.getByText("Saved “Viewers”.")).toBeTruthy());
    fireEvent.click(exportRules);
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Exported the rules of 1 segment."));
    expect(exported).toHaveLength(1);
  });
});

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Backend } from "../api/backend";
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
    expect(screen.getByTestId("rule-sentence").textContent).toContain("add_to_cart not followed by purchase within 1 day");
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
    await waitFor(() => expect(within(drawer).getByTestId("timeline-events").textContent).toContain("Add to cart"));
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

describe("as-of cut in the person timeline", () => {
  it("is the end of the chosen UTC day, in microseconds", () => {
    expect(endOfDayMicros("2026-10-31")).toBe(Date.UTC(2026, 10, 1) * 1000);
  });
});

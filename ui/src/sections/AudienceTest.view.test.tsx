import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BackendContext } from "../api/context";
import { createFakeBackend } from "../api/fake";
import type { SegmentCount } from "../bindings/segments/SegmentCount";
import { AudienceTest } from "./AudienceTest";

afterEach(cleanup);

const endOf = (day: string) => (Date.parse(`${day}T00:00:00Z`) + 86_400_000) * 1000;

/** The REES46 log: carts on 1 Oct 2019, whose abandoners show at the end of 2 Oct. */
function rees46Count(asOfDay: string | null): SegmentCount {
  const day = asOfDay ?? "2019-10-01";
  const members = day === "2019-10-02" ? 53 : 0;
  const data = { events: ["add_to_cart"], first_day: "2019-10-01", last_day: "2019-10-01" };
  return {
    matched: members, members, without_consent: 0, left_out_without_consent: false, as_of: endOf(day), elapsed_ms: 3, data,
    zero: members ? undefined : { data, after_data: day > "2019-10-01", before_data: false, suggestion: { day: "2019-10-02", members: 53 } },
  };
}

async function openForm() {
  const backend = createFakeBackend();
  backend.segmentCount = vi.fn(async (_definition, asOfDay) => rees46Count(asOfDay));
  const create = vi.fn(async () => 7);
  backend.createAudienceTest = create;
  render(
    <BackendContext.Provider value={backend}>
      <AudienceTest revision={0} onCreated={() => undefined} />
    </BackendContext.Provider>,
  );
  return { create };
}

describe("the audience test's start day", () => {
  it("defaults to the end of the segment's data and is the moment Segments counts as of", async () => {
    const { create } = await openForm();
    const start = await screen.findByTestId("audience-start");
    await waitFor(() => expect((start as HTMLInputElement).value).toBe("2019-10-01"));
    expect((screen.getByTestId("audience-end") as HTMLInputElement).value).toBe("2019-10-15");
    // Nobody at the end of the data: the zero says where the people are.
    expect((await screen.findByTestId("zero-hint")).textContent).toMatch(/0 at the end of Oct 1, 2019.*53 at the end of Oct 2, 2019/);
    expect((screen.getByTestId("audience-create") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId("zero-use-day"));
    await waitFor(() => expect(screen.getByTestId("audience-size").textContent).toMatch(/^53 people in .* then/));
    expect((start as HTMLInputElement).value).toBe("2019-10-02");
    expect((screen.getByTestId("audience-end") as HTMLInputElement).value).toBe("2019-10-15");

    fireEvent.click(screen.getByTestId("audience-create"));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    const request = (create.mock.calls[0] as unknown as [unknown, { start: string; end: string }])[1];
    expect([request.start, request.end]).toEqual(["2019-10-02", "2019-10-15"]);
  });
});

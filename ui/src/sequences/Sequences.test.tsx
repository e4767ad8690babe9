import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Backend } from "../api/backend";
import { BackendContext } from "../api/context";
import { createFakeBackend } from "../api/fake";
import type { Flow } from "../bindings/sequences/Flow";
import { Sequences } from "./Sequences";

function renderSequences(backend: Backend) {
  return render(
    <BackendContext.Provider value={backend}>
      <Sequences revision={0} />
    </BackendContext.Provider>,
  );
}

afterEach(cleanup);

describe("Sequences on the fake backend", () => {
  it("builds a flow by clicking, saves it, previews an e-mail in a sandboxed frame and runs a dry run", async () => {
    const backend = createFakeBackend();
    const saved: Flow[] = [];
    renderSequences({
      ...backend,
      saveSequence: (id, flow, status) => {
        saved.push(flow);
        return backend.saveSequence(id, flow, status);
      },
    });
    fireEvent.click(await screen.findByTestId("new-flow"));
    fireEvent.change(screen.getByTestId("flow-name"), { target: { value: "Cart rescue" } });
    const top = screen.getByTestId("add-step-top");
    fireEvent.change(within(top).getByTestId("add-step-kind"), { target: { value: "wait" } });
    fireEvent.click(within(top).getByTestId("add-step"));
    fireEvent.change(within(screen.getByTestId("add-step-top")).getByTestId("add-step-kind"), { target: { value: "email" } });
    fireEvent.click(within(screen.getByTestId("add-step-top")).getByTestId("add-step"));
    fireEvent.change(within(screen.getByTestId("add-step-top")).getByTestId("add-step-kind"), { target: { value: "branch" } });
    fireEvent.click(within(screen.getByTestId("add-step-top")).getByTestId("add-step"));
    // The branch's "no" list takes an SMS.
    const no = screen.getByTestId("add-step-2.no");
    fireEvent.change(within(no).getByTestId("add-step-kind"), { target: { value: "sms" } });
    fireEvent.click(within(no).getByTestId("add-step"));
    const ids = () => screen.getAllByTestId("flow-step").map((s) => s.getAttribute("data-step-id"));
    expect(ids()).toEqual(["wait-1", "email-1", "branch-1", "sms-1"]);
    // Steps move up and down within their list; the first cannot go up.
    const card = (n: number) => screen.getAllByTestId("flow-step")[n]!;
    expect(within(card(0)).getAllByTestId("move-step-up")[0]!.hasAttribute("disabled")).toBe(true);
    fireEvent.click(within(card(0)).getAllByTestId("move-step-down")[0]!);
    expect(ids()).toEqual(["email-1", "wait-1", "branch-1", "sms-1"]);
    fireEvent.click(within(card(1)).getAllByTestId("move-step-up")[0]!);
    expect(ids()).toEqual(["wait-1", "email-1", "branch-1", "sms-1"]);
    fireEvent.click(screen.getByTestId("save-flow"));
    await waitFor(() => expect(saved).toHaveLength(1));
    const flow = saved[0]!;
    expect(flow.name).toBe("Cart rescue");
    expect(flow.steps[2]).toMatchObject({ type: "branch", condition: { kind: "opened", step: "email-1" }, no: [{ type: "message", id: "sms-1" }] });
    expect(await screen.findByTestId("saved-flow")).toBeTruthy();

    const preview = screen.getAllByTestId("preview-step")[0]!;
    fireEvent.click(preview);
    const frame = await screen.findByTestId("preview-frame");
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(screen.getByTestId("preview-subject").textContent).toBe("Ann, you left something behind");
    fireEvent.click(screen.getByTestId("width-text"));
    expect((await screen.findByTestId("preview-text")).textContent).toContain("Still thinking it over?");
    fireEvent.click(screen.getByTestId("width-mobile"));
    expect(screen.getByTestId("preview-frame").className).toContain("seq-frame-mobile");

    fireEvent.click(screen.getByTestId("tab-dry-run"));
    // The period is the 30 days to the end of the data the trigger reads (the fake's ends on 31 Oct 2026).
    await waitFor(() => expect((screen.getByTestId("dry-run-to") as HTMLInputElement).value).toBe("2026-10-31"));
    expect((screen.getByTestId("dry-run-from") as HTMLInputElement).value).toBe("2026-10-02");
    fireEvent.click(screen.getByTestId("run-dry-run"));
    expect((await screen.findByTestId("dry-run-entered")).textContent).toBe("100");
    expect(screen.getAllByTestId("dry-run-step")).toHaveLength(4);
  });

  it("shows a backend error where the action happened", async () => {
    renderSequences(createFakeBackend());
    fireEvent.click(await screen.findByTestId("new-flow"));
    fireEvent.change(screen.getByTestId("flow-name"), { target: { value: " " } });
    fireEvent.click(screen.getByTestId("save-flow"));
    expect((await screen.findByTestId("error-notice")).textContent).toContain("a flow needs a name");
  });

  it("titles steps in words, in the builder and the dry run: no template code", async () => {
    renderSequences(createFakeBackend());
    fireEvent.click(await screen.findByTestId("flow-template-abandoned_cart"));
    const add = (kind: string) => {
      fireEvent.change(within(screen.getByTestId("add-step-top")).getByTestId("add-step-kind"), { target: { value: kind } });
      fireEvent.click(within(screen.getByTestId("add-step-top")).getByTestId("add-step"));
    };
    add("sms");
    add("push");
    const titles = () => screen.getAllByTestId("flow-step").map((s) => s.querySelector(".seq-card-head .cell-title")?.textContent);
    const inBuilder = titles();
    expect(inBuilder).toEqual(["Wait 1 hour", "E-mail: ‹first name›, you left something behind", "SMS: ‹first name›, your cart is saved: example.com/cart", "Push: Still in your cart"]);
    fireEvent.click(screen.getByTestId("tab-dry-run"));
    // The run waits for its period, read from the trigger's data.
    await waitFor(() => expect((screen.getByTestId("run-dry-run") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId("run-dry-run"));
    const rows = await screen.findAllByTestId("dry-run-step");
    expect(rows.map((r) => r.querySelector(".cell-title")?.textContent)).toEqual(inBuilder);
    expect(screen.getByTestId("dry-run-result").textContent).not.toMatch(/\{\{|\{%|minijinja/);
  });
});

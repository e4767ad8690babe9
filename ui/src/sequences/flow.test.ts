import { describe, expect, it } from "vitest";
import { emptyFlow, freshId, insertStep, listAt, messageSteps, moveStep, newStep, removeStep, replaceStep, stepTitle } from "./flow";

describe("flow tree edits", () => {
  it("adds, nests, replaces and removes steps by path", () => {
    let flow = emptyFlow("Cart");
    flow = { ...flow, steps: insertStep(flow.steps, [], 0, newStep(flow, "wait")) };
    flow = { ...flow, steps: insertStep(flow.steps, [], 1, newStep(flow, "email")) };
    const branch = newStep(flow, "branch");
    expect(branch.type === "branch" && branch.condition).toEqual({ kind: "opened", step: "email-1" });
    flow = { ...flow, steps: insertStep(flow.steps, [], 2, branch) };
    flow = { ...flow, steps: insertStep(flow.steps, [{ index: 2, list: "no" }], 0, newStep(flow, "sms")) };
    flow = { ...flow, steps: insertStep(flow.steps, [{ index: 2, list: "yes" }], 0, newStep(flow, "split")) };
    flow = { ...flow, steps: insertStep(flow.steps, [{ index: 2, list: "yes" }, { index: 0, list: 1 }], 0, newStep(flow, "email")) };
    expect(listAt(flow.steps, [{ index: 2, list: "yes" }, { index: 0, list: 1 }]).map((s) => s.id)).toEqual(["email-2"]);
    expect(messageSteps(flow).map((s) => s.id)).toEqual(["email-1", "email-2", "sms-1"]);
    expect(freshId(flow, "email")).toBe("email-3");
    flow = { ...flow, steps: replaceStep(flow.steps, [{ index: 2, list: "no" }], 0, { type: "exit", id: "stop" }) };
    expect(listAt(flow.steps, [{ index: 2, list: "no" }])[0]).toEqual({ type: "exit", id: "stop" });
    flow = { ...flow, steps: removeStep(flow.steps, [], 0) };
    expect(flow.steps.map((s) => s.type)).toEqual(["message", "branch"]);
  });

  it("moves a step up or down within its own list, and not past either end", () => {
    let flow = emptyFlow("Cart");
    for (const kind of ["wait", "email", "branch"] as const) {
      flow = { ...flow, steps: insertStep(flow.steps, [], flow.steps.length, newStep(flow, kind)) };
    }
    const yes = [{ index: 2, list: "yes" as const }];
    flow = { ...flow, steps: insertStep(flow.steps, yes, 0, newStep(flow, "sms")) };
    flow = { ...flow, steps: insertStep(flow.steps, yes, 1, newStep(flow, "push")) };
    const ids = () => flow.steps.map((s) => s.id);
    flow = { ...flow, steps: moveStep(flow.steps, [], 1, -1) };
    expect(ids()).toEqual(["email-1", "wait-1", "branch-1"]);
    // At an end nothing moves.
    expect(moveStep(flow.steps, [], 0, -1)).toEqual(flow.steps);
    expect(moveStep(flow.steps, [], 2, 1)).toEqual(flow.steps);
    // Inside a branch, only that branch's list changes.
    flow = { ...flow, steps: moveStep(flow.steps, yes, 0, 1) };
    expect(listAt(flow.steps, yes).map((s) => s.id)).toEqual(["push-1", "sms-1"]);
    expect(ids()).toEqual(["email-1", "wait-1", "branch-1"]);
  });
});

describe("step titles", () => {
  it("titles steps in words: placeholders for a person's details, event names and right plurals", () => {
    const flow = emptyFlow("Cart");
    const titles = (["email", "sms", "push", "retarget", "until_event"] as const).map((kind) => stepTitle(newStep(flow, kind)));
    expect(titles).toEqual([
      "E-mail: ‹first name›, you left something behind",
      "SMS: ‹first name›, your cart is saved: example.com/cart",
      "Push: Still in your cart",
      "Ad audience “Cart abandoners” for 7 days",
      "Wait until “Viewed a page” (at most 2 days)",
    ]);
    expect(stepTitle({ type: "wait", id: "w", wait: { kind: "for", duration: { amount: 1, unit: "hours" } } })).toBe("Wait 1 hour");
    expect(stepTitle({ type: "retarget", id: "r", platform: "meta_ads", audience: "Viewers", days: 1 })).toBe("Ad audience “Viewers” for 1 day");
    const long = stepTitle({ type: "message", id: "s", message: { channel: "sms", body: "Hi {{ first_name }}, the {{ cart.title }} you left is nearly gone; 10% off with code BACK10 today" } });
    expect(long).toBe("SMS: Hi ‹first name›, the ‹cart item› you left is nearly gone…");
    for (const title of [...titles, long]) {
      expect(title).not.toMatch(/\{\{|\{%|minijinja/);
    }
  });
});

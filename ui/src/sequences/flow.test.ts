import { describe, expect, it } from "vitest";
import { emptyFlow, freshId, insertStep, listAt, messageSteps, newStep, removeStep, replaceStep } from "./flow";

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
});

import { describe, expect, it } from "vitest";
import type { SavedFlow } from "../bindings/sequences/SavedFlow";
import type { Step } from "../bindings/sequences/Step";
import { splitSteps } from "./AudienceTest";

describe("random splits in saved flows", () => {
  it("are found at any depth, with their arms and weights", () => {
    const arm = (name: string, weight: number, steps: Step[] = []) => ({ name, weight, steps });
    const flow = (id: number, name: string, steps: Step[]): SavedFlow => ({
      id,
      status: "draft",
      created_at: 0,
      updated_at: 0,
      flow: { version: 1, name, trigger: { type: "event", event: { name: "add_to_cart" } } as unknown as SavedFlow["flow"]["trigger"], steps, exit_on: [] },
    });
    const nested: Step = { type: "split", id: "split-2", arms: [arm("Short", 1), arm("Long", 3)] };
    const flows = [
      flow(1, "Cart", [
        { type: "branch", id: "branch-1", condition: { type: "purchased" } as unknown as Extract<Step, { type: "branch" }>["condition"], yes: [], no: [nested] },
      ]),
      flow(2, "Plain", [{ type: "exit", id: "exit-1" }]),
      flow(3, "Offer", [{ type: "split", id: "split-1", arms: [arm("A", 50, [nested]), arm("B", 50)] }]),
    ];
    const found = splitSteps(flows);
    expect(found.map((s) => s.key)).toEqual(["1:split-2", "3:split-1", "3:split-2"]);
    expect(found[0]).toMatchObject({ flowId: 1, stepId: "split-2", arms: [{ name: "Short", weight: 1 }, { name: "Long", weight: 3 }] });
    expect(found[1]).toMatchObject({ flowName: "Offer", stepId: "split-1" });
    expect(found[1]!.label).toBe("Offer · split-1 (A / B)");
  });
});

import { describe, expect, it } from "vitest";
import type { Rule } from "../bindings/segments/Rule";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import { toMinor } from "../lib/format";
import {
  addChild,
  addDays,
  defaultRule,
  describeRule,
  LatestOnly,
  makeSpan,
  newDefinition,
  parseList,
  problems,
  removeAt,
  ruleAt,
  RULE_KINDS,
  setGroupKind,
  spanParts,
  toggleNot,
  updateAt,
  withPurpose,
} from "./rules";

const root = (): Rule => ({ type: "all", rules: [] });

describe("rule tree edits", () => {
  it("adds rules and nested groups by path without changing the original", () => {
    const empty = root();
    const one = addChild(empty, [], defaultRule("not_followed_by"));
    const two = addChild(one, [], defaultRule("any"));
    const three = addChild(two, [1], defaultRule("did"));
    expect(empty).toEqual({ type: "all", rules: [] });
    expect(ruleAt(three, [0])?.type).toBe("not_followed_by");
    expect(ruleAt(three, [1])?.type).toBe("any");
    expect(ruleAt(three, [1, 0])?.type).toBe("did");
    expect(ruleAt(three, [5])).toBeUndefined();
  });

  it("removes a rule, and a NOT together with the rule it wraps; never the root", () => {
    let tree = addChild(addChild(root(), [], defaultRule("did")), [], defaultRule("consent"));
    tree = toggleNot(tree, [1]);
    expect(ruleAt(tree, [1])?.type).toBe("not");
    expect(removeAt(tree, [1, 0])).toEqual(addChild(root(), [], defaultRule("did")));
    expect(removeAt(tree, [0])).toEqual({ type: "all", rules: [{ type: "not", rule: defaultRule("consent") }] });
    expect(removeAt(tree, [])).toBe(tree);
  });

  it("wraps in NOT and unwraps again", () => {
    const tree = addChild(root(), [], defaultRule("did_not"));
    const wrapped = toggleNot(tree, [0]);
    expect(ruleAt(wrapped, [0])).toEqual({ type: "not", rule: defaultRule("did_not") });
    expect(toggleNot(wrapped, [0])).toEqual(tree);
  });

  it("switches a group between AND and OR and keeps its rules", () => {
    const tree = addChild(root(), [], defaultRule("did"));
    const any = setGroupKind(tree, [], "any");
    expect(any).toEqual({ type: "any", rules: [defaultRule("did")] });
    expect(setGroupKind(tree, [0], "any")).toEqual(tree);
  });

  it("updates one leaf deep in the tree", () => {
    const tree = addChild(addChild(root(), [], defaultRule("any")), [0], defaultRule("recency"));
    const updated = updateAt(tree, [0, 0], (r) => (r.type === "recency" ? { ...r, days: 90 } : r));
    expect(ruleAt(updated, [0, 0])).toMatchObject({ type: "recency", days: 90 });
    expect(ruleAt(tree, [0, 0])).toMatchObject({ type: "recency", days: 30 });
  });

  it("has a default for every kind the model has", () => {
    for (const { kind } of RULE_KINDS) expect(defaultRule(kind).type).toBe(kind);
  });
});

describe("sentences", () => {
  it("reads the cart-abandoners rule as a marketer would say it", () => {
    const rule: Rule = {
      type: "all",
      rules: [defaultRule("not_followed_by"), { type: "not", rule: { type: "in_segment", segment: "Recent purchasers" } }],
    };
    expect(describeRule(rule)).toBe(
      '(“Added to cart” not followed by “Purchased” within 1 day and none since, in the last 14 days) and (not (in segment "Recent purchasers"))',
    );
  });

  it("describes counts, filters, money and empty groups", () => {
    expect(
      describeRule({
        type: "did",
        event: { name: "view_item", filters: [{ on: "category", any_of: ["Cameras"] }, { on: "price", min_minor: 50_000 }] },
        count: { op: "at_least", n: 2 },
        window: { kind: "between", from: "2026-10-01", to: "2026-10-31" },
      }),
    ).toBe("did “Viewed a product” (in Cameras, priced 500 or more) at least 2 times between 2026-10-01 and 2026-10-31");
    expect(describeRule({ type: "monetary", event: "purchase", currency: "USD", window: { kind: "ever" }, max_minor: 0 })).toBe(
      "spent at most 0 USD on purchase ever",
    );
    // Amounts read in their currency's own digits: yen have none.
    expect(describeRule({ type: "monetary", event: "purchase", currency: "JPY", window: { kind: "ever" }, min_minor: 12_990 })).toBe(
      "spent at least 12,990 JPY on purchase ever",
    );
    expect(
      describeRule(
        { type: "did", event: { name: "view_item", filters: [{ on: "price", max_minor: 5_000 }] }, count: { op: "at_least", n: 1 }, window: { kind: "ever" } },
        "JPY",
      ),
    ).toBe("did “Viewed a product” (priced up to 5,000) at least 1 time ever");
    expect(describeRule({ type: "all", rules: [] })).toBe("everyone");
    expect(describeRule({ type: "any", rules: [] })).toBe("no one");
  });
});

describe("inputs", () => {
  it("turns spans into a number and a unit and back", () => {
    expect(spanParts({ hours: 24 })).toEqual({ unit: "hours", n: 24 });
    expect(makeSpan("days", 3)).toEqual({ days: 3 });
    expect(makeSpan("minutes", 0)).toEqual({ minutes: 1 });
    expect(makeSpan("hours", Number.NaN)).toEqual({ hours: 1 });
  });

  it("reads comma lists and money", () => {
    expect(parseList(" US, GB ,, DE ")).toEqual(["US", "GB", "DE"]);
    expect(toMinor("12.5", "USD")).toBe(1250);
    expect(toMinor("1250", "JPY")).toBe(1250);
    expect(toMinor("1.005", "KWD")).toBe(1005);
    expect(toMinor(" ", "USD")).toBeNull();
    expect(toMinor("abc", "USD")).toBeNull();
  });

  it("adds days across month ends in UTC", () => {
    expect(addDays("2026-10-31", 1)).toBe("2026-11-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
});

describe("definitions", () => {
  it("gives remarketing an owned channel's consent and takes it away for retargeting", () => {
    const d = newDefinition();
    const remarketing = withPurpose(d, "remarketing");
    expect(remarketing.consent).toEqual({ channel: "email", include_without_consent: false });
    const back = withPurpose(remarketing, "retargeting");
    expect(back.consent).toBeUndefined();
    const ads: SegmentDefinition = { ...d, consent: { channel: "ads", include_without_consent: true } };
    expect(withPurpose(ads, "remarketing").consent).toEqual({ channel: "email", include_without_consent: true });
  });

  it("lists what stops a draft from being evaluated", () => {
    const d: SegmentDefinition = {
      ...newDefinition(),
      name: " ",
      rule: {
        type: "all",
        rules: [
          { type: "did_not", event: { name: "", filters: [] }, window: { kind: "between", from: "2026-10-05", to: "2026-10-01" } },
          { type: "in_segment", segment: "" },
        ],
      },
    };
    expect(problems(d)).toEqual([
      "Give the segment a name.",
      "Pick an event for every event rule.",
      "A date range needs a start that is not after its end.",
      "Pick the segment to be in.",
    ]);
    expect(problems(newDefinition())).toEqual([]);
  });
});

describe("live answers", () => {
  it("keeps only the answer to the latest question", () => {
    const latest = new LatestOnly();
    const first = latest.next();
    const second = latest.next();
    expect(latest.isLatest(first)).toBe(false);
    expect(latest.isLatest(second)).toBe(true);
  });
});

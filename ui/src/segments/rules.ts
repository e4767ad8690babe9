// The rule builder's logic, kept free of React so it can be tested alone:
// default rules per kind, edits of a rule tree by path (immutable), the
// sentence a rule reads as, spans and windows, and the stale-response guard
// the live figures use. The rule model itself is generated from Rust
// (bindings/segments) and documented in src-tauri/crates/segments/README.md.

import type { Channel } from "../bindings/segments/Channel";
import type { CountOp } from "../bindings/segments/CountOp";
import type { EventFilter } from "../bindings/segments/EventFilter";
import type { EventSpec } from "../bindings/segments/EventSpec";
import type { Purpose } from "../bindings/segments/Purpose";
import type { Rule } from "../bindings/segments/Rule";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import type { Span } from "../bindings/segments/Span";
import type { Window } from "../bindings/segments/Window";
import { amount, eventLabel, plural } from "../lib/format";

export type RuleKind = Rule["type"];
export type FilterKind = EventFilter["on"];
export type SpanUnit = "minutes" | "hours" | "days";
/** Child indexes from the root: `[]` is the root, `[1, 0]` the first child of its second child. */
export type RulePath = readonly number[];

export const SCHEMA_VERSION = 1;

export const RULE_KINDS: readonly { kind: RuleKind; label: string }[] = [
  { kind: "did", label: "Did an event (N times)" },
  { kind: "did_not", label: "Did not do an event" },
  { kind: "followed_by", label: "A followed by B" },
  { kind: "not_followed_by", label: "A not followed by B (abandonment)" },
  { kind: "recency", label: "Recency of last event" },
  { kind: "monetary", label: "Money spent" },
  { kind: "person", label: "Person: country, time zone, locale" },
  { kind: "person_property", label: "Person property" },
  { kind: "consent", label: "Consent for a channel" },
  { kind: "in_segment", label: "In another segment" },
  { kind: "all", label: "Group: all of" },
  { kind: "any", label: "Group: any of" },
  { kind: "not", label: "Group: none of (NOT)" },
];

export const FILTER_KINDS: readonly { on: FilterKind; label: string }[] = [
  { on: "product", label: "Product" },
  { on: "category", label: "Category" },
  { on: "price", label: "Price" },
  { on: "page", label: "Page" },
  { on: "source", label: "Source" },
  { on: "device", label: "Device" },
];

export const COUNT_OPS: readonly { op: CountOp; label: string }[] = [
  { op: "at_least", label: "at least" },
  { op: "at_most", label: "at most" },
  { op: "exactly", label: "exactly" },
];

export const CHANNELS: readonly Channel[] = ["email", "sms", "push", "ads"];

export function isGroup(rule: Rule): rule is Extract<Rule, { type: "all" | "any" | "not" }> {
  return rule.type === "all" || rule.type === "any" || rule.type === "not";
}

export function event(name: string): EventSpec {
  return { name, filters: [] };
}

/** A sensible new rule of each kind; `eventName` seeds the event pickers. */
export function defaultRule(kind: RuleKind, eventName = "view_item"): Rule {
  const last30: Window = { kind: "last_days", days: 30 };
  switch (kind) {
    case "all":
    case "any":
      return { type: kind, rules: [] };
    case "not":
      return { type: "not", rule: { type: "any", rules: [] } };
    case "did":
      return { type: "did", event: event(eventName), count: { op: "at_least", n: 1 }, window: last30 };
    case "did_not":
      return { type: "did_not", event: event(eventName), window: last30 };
    case "followed_by":
      return { type: "followed_by", first: event("view_item"), then: event("add_to_cart"), within: { days: 1 }, window: last30 };
    case "not_followed_by":
      return {
        type: "not_followed_by",
        first: event("add_to_cart"),
        then: event("purchase"),
        within: { days: 1 },
        window: { kind: "last_days", days: 14 },
        none_since: true,
      };
    case "recency":
      return { type: "recency", event: event("purchase"), op: "within_last", days: 30 };
    case "monetary":
      return { type: "monetary", event: "purchase", currency: "USD", window: { kind: "ever" }, min_minor: 10_000 };
    case "person":
      return { type: "person", field: "country", any_of: [] };
    case "person_property":
      return { type: "person_property", key: "registered", equals: true };
    case "consent":
      return { type: "consent", channel: "email", status: "granted" };
    case "in_segment":
      return { type: "in_segment", segment: "" };
  }
}

export function defaultFilter(on: FilterKind): EventFilter {
  switch (on) {
    case "product":
    case "category":
    case "source":
      return { on, any_of: [] };
    case "price":
      return { on: "price", min_minor: 0 };
    case "page":
      return { on: "page", matches: "contains", value: "" };
    case "device":
      return { on: "device", any_of: ["mobile"] };
  }
}

/** The children of a group (a NOT has one), none for a leaf. */
export function children(rule: Rule): Rule[] {
  if (rule.type === "all" || rule.type === "any") return rule.rules;
  if (rule.type === "not") return [rule.rule];
  return [];
}

function withChildren(rule: Rule, kids: Rule[]): Rule {
  if (rule.type === "all" || rule.type === "any") return { ...rule, rules: kids };
  if (rule.type === "not") return { ...rule, rule: kids[0] ?? { type: "any", rules: [] } };
  return rule;
}

export function ruleAt(root: Rule, path: RulePath): Rule | undefined {
  let node: Rule | undefined = root;
  for (const i of path) {
    node = node ? children(node)[i] : undefined;
  }
  return node;
}

/** The tree with the rule at `path` replaced (`update` gets the old one). */
export function updateAt(root: Rule, path: RulePath, update: (rule: Rule) => Rule): Rule {
  if (path.length === 0) return update(root);
  const [head, ...rest] = path;
  const kids = children(root);
  const child = head === undefined ? undefined : kids[head];
  if (head === undefined || child === undefined) return root;
  const next = kids.slice();
  next[head] = updateAt(child, rest, update);
  return withChildren(root, next);
}

/** Appends `child` to the group at `path` (a NOT's single rule is replaced). */
export function addChild(root: Rule, path: RulePath, child: Rule): Rule {
  return updateAt(root, path, (group) => {
    if (group.type === "all" || group.type === "any") return { ...group, rules: [...group.rules, child] };
    if (group.type === "not") return { ...group, rule: child };
    return group;
  });
}

/** Removes the rule at `path`; a NOT whose rule is removed goes with it. The root stays. */
export function removeAt(root: Rule, path: RulePath): Rule {
  if (path.length === 0) return root;
  const parentPath = path.slice(0, -1);
  const index = path[path.length - 1] ?? 0;
  const parent = ruleAt(root, parentPath);
  if (parent?.type === "not") return removeAt(root, parentPath);
  return updateAt(root, parentPath, (group) =>
    group.type === "all" || group.type === "any" ? { ...group, rules: group.rules.filter((_, i) => i !== index) } : group,
  );
}

/** Wraps the rule at `path` in NOT, or unwraps it if it already is one. */
export function toggleNot(root: Rule, path: RulePath): Rule {
  return updateAt(root, path, (rule) => (rule.type === "not" ? rule.rule : { type: "not", rule }));
}

/** Switches a group between all (AND) and any (OR). */
export function setGroupKind(root: Rule, path: RulePath, kind: "all" | "any"): Rule {
  return updateAt(root, path, (rule) => (rule.type === "all" || rule.type === "any" ? { type: kind, rules: rule.rules } : rule));
}

export function spanParts(span: Span): { unit: SpanUnit; n: number } {
  if ("minutes" in span) return { unit: "minutes", n: span.minutes };
  if ("hours" in span) return { unit: "hours", n: span.hours };
  return { unit: "days", n: span.days };
}

export function makeSpan(unit: SpanUnit, n: number): Span {
  const v = Math.max(1, Math.floor(n) || 1);
  if (unit === "minutes") return { minutes: v };
  if (unit === "hours") return { hours: v };
  return { days: v };
}

export function describeSpan(span: Span): string {
  const { unit, n } = spanParts(span);
  return plural(n, unit.slice(0, -1));
}

export function describeWindow(window: Window): string {
  switch (window.kind) {
    case "ever":
      return "ever";
    case "last_days":
      return `in the last ${plural(window.days, "day")}`;
    case "between":
      return `between ${window.from} and ${window.to}`;
  }
}

/**
 * The filter in words. Prices are in the shop's currency (`currency`, the
 * workspace's purchase currency); without one they read with two digits.
 */
export function describeFilter(filter: EventFilter, currency = ""): string {
  const money = (minor: number) => amount(minor, currency);
  switch (filter.on) {
    case "product":
      return `product ${filter.any_of.join(" or ") || "(any of …)"}`;
    case "category":
      return `in ${filter.any_of.join(" or ") || "(any of …)"}`;
    case "source":
      return `from ${filter.any_of.join(" or ") || "(any of …)"}`;
    case "device":
      return `on ${filter.any_of.join(" or ") || "(any device …)"}`;
    case "page":
      return `page ${filter.matches.replace("_", " ")} "${filter.value}"`;
    case "price": {
      const { min_minor: lo, max_minor: hi } = filter;
      if (lo !== undefined && hi !== undefined) return `priced ${money(lo)}–${money(hi)}`;
      if (lo !== undefined) return `priced ${money(lo)} or more`;
      if (hi !== undefined) return `priced up to ${money(hi)}`;
      return "any price";
    }
  }
}

export function describeEvent(spec: EventSpec, currency = ""): string {
  const name = spec.name ? `“${eventLabel(spec.name)}”` : "(an event)";
  return spec.filters.length === 0 ? name : `${name} (${spec.filters.map((f) => describeFilter(f, currency)).join(", ")})`;
}

/** The rule as a sentence, for summaries and screen readers; prices in `currency`. */
export function describeRule(rule: Rule, currency = ""): string {
  switch (rule.type) {
    case "all":
      return rule.rules.length === 0 ? "everyone" : rule.rules.map((r) => describeRule(r, currency)).map((s) => `(${s})`).join(" and ");
    case "any":
      return rule.rules.length === 0 ? "no one" : rule.rules.map((r) => describeRule(r, currency)).map((s) => `(${s})`).join(" or ");
    case "not":
      return `not (${describeRule(rule.rule, currency)})`;
    case "did": {
      const op = COUNT_OPS.find((o) => o.op === rule.count.op)?.label ?? rule.count.op;
      return `did ${describeEvent(rule.event, currency)} ${op} ${plural(rule.count.n, "time")} ${describeWindow(rule.window)}`;
    }
    case "did_not":
      return `did not do ${describeEvent(rule.event, currency)} ${describeWindow(rule.window)}`;
    case "followed_by":
      return `${describeEvent(rule.first, currency)} followed by ${describeEvent(rule.then, currency)} within ${describeSpan(rule.within)}, ${describeWindow(rule.window)}`;
    case "not_followed_by":
      return `${describeEvent(rule.first, currency)} not followed by ${describeEvent(rule.then, currency)} within ${describeSpan(rule.within)}${rule.none_since ? " and none since" : ""}, ${describeWindow(rule.window)}`;
    case "recency":
      return rule.op === "within_last"
        ? `last ${describeEvent(rule.event, currency)} within the last ${plural(rule.days, "day")}`
        : `last ${describeEvent(rule.event, currency)} more than ${plural(rule.days, "day")} ago`;
    case "monetary": {
      const money = (minor: number) => amount(minor, rule.currency);
      const lo = rule.min_minor;
      const hi = rule.max_minor;
      const range =
        lo !== undefined && hi !== undefined
          ? `${money(lo)}–${money(hi)}`
          : lo !== undefined
            ? `at least ${money(lo)}`
            : hi !== undefined
              ? `at most ${money(hi)}`
              : "any amount";
      return `spent ${range} ${rule.currency} on ${rule.event} ${describeWindow(rule.window)}`;
    }
    case "person":
      return `${rule.field.replace("_", " ")} is ${rule.any_of.join(" or ") || "(any of …)"}`;
    case "person_property":
      return `property ${rule.key} is ${String(rule.equals)}`;
    case "consent":
      return `${rule.channel} consent is ${rule.status}`;
    case "in_segment":
      return `in segment "${rule.segment || "…"}"`;
  }
}

/** "a, b ,c" → ["a", "b", "c"]; blanks dropped. */
export function parseList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}


export function newDefinition(): SegmentDefinition {
  return {
    version: SCHEMA_VERSION,
    name: "New segment",
    purpose: "retargeting",
    rule: { type: "all", rules: [] },
  };
}

/** Changes the purpose: remarketing needs an owned channel's consent (e-mail by default). */
export function withPurpose(definition: SegmentDefinition, purpose: Purpose): SegmentDefinition {
  if (purpose === "remarketing") {
    const channel = definition.consent && definition.consent.channel !== "ads" ? definition.consent.channel : "email";
    return { ...definition, purpose, consent: { channel, include_without_consent: definition.consent?.include_without_consent ?? false } };
  }
  const { consent: _dropped, ...rest } = definition;
  return { ...rest, purpose };
}

/** What would stop the backend from evaluating the draft, in words; empty when it can run. */
export function problems(definition: SegmentDefinition): string[] {
  const out: string[] = [];
  if (definition.name.trim() === "") out.push("Give the segment a name.");
  const visit = (rule: Rule): void => {
    children(rule).forEach(visit);
    const events: EventSpec[] =
      rule.type === "did" || rule.type === "did_not" || rule.type === "recency"
        ? [rule.event]
        : rule.type === "followed_by" || rule.type === "not_followed_by"
          ? [rule.first, rule.then]
          : [];
    if (events.some((e) => e.name.trim() === "")) out.push("Pick an event for every event rule.");
    const window = "window" in rule ? rule.window : null;
    if (window?.kind === "between" && (window.from === "" || window.to === "" || window.from > window.to))
      out.push("A date range needs a start that is not after its end.");
    if (window?.kind === "last_days" && window.days < 1) out.push("A window needs at least 1 day.");
    if (rule.type === "in_segment" && rule.segment === "") out.push("Pick the segment to be in.");
    if (rule.type === "person" && rule.any_of.length === 0) out.push("List at least one value for a person rule.");
    if (rule.type === "person_property" && !/^[A-Za-z0-9_]+$/.test(rule.key)) out.push("A property key is letters, digits and _.");
  };
  visit(definition.rule);
  return [...new Set(out)];
}

/** YYYY-MM-DD of a date in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

/**
 * Hands out request numbers and says whether a response is still wanted:
 * live figures ask on every edit, and only the answer to the latest
 * question may be shown, whatever order the answers arrive in.
 */
export class LatestOnly {
  private last = 0;
  next(): number {
    this.last += 1;
    return this.last;
  }
  isLatest(ticket: number): boolean {
    return ticket === this.last;
  }
}

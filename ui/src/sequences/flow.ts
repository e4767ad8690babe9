// The flow builder's pure logic: steps addressed by a path into the tree,
// insert / replace / remove, fresh ids, a default step of each kind.

import type { Condition } from "../bindings/sequences/Condition";
import type { Duration } from "../bindings/sequences/Duration";
import type { Flow } from "../bindings/sequences/Flow";
import type { Step } from "../bindings/sequences/Step";
import { eventLabel, plural } from "../lib/format";
import { templateWords } from "./words";

/** Where a list of steps is: from the top, each hop enters the step at
 * `index` and then its `yes`/`no` list or the arm with that number. */
export type ListPath = Array<{ index: number; list: "yes" | "no" | number }>;

export type StepKind = "wait" | "until_time" | "until_event" | "email" | "sms" | "push" | "retarget" | "branch" | "split" | "exit";

export const STEP_KINDS: { kind: StepKind; label: string }[] = [
  { kind: "wait", label: "Wait a while" },
  { kind: "until_time", label: "Wait until a time of day" },
  { kind: "until_event", label: "Wait until an event" },
  { kind: "email", label: "E-mail" },
  { kind: "sms", label: "SMS" },
  { kind: "push", label: "Push" },
  { kind: "retarget", label: "Ad audience" },
  { kind: "branch", label: "Branch" },
  { kind: "split", label: "Random split (A/B)" },
  { kind: "exit", label: "Exit" },
];

function childList(step: Step, list: "yes" | "no" | number): Step[] {
  if (step.type === "branch" && (list === "yes" || list === "no")) return step[list];
  if (step.type === "split" && typeof list === "number") return step.arms[list]?.steps ?? [];
  throw new Error(`step ${step.id} has no list ${String(list)}`);
}

function withChildList(step: Step, list: "yes" | "no" | number, steps: Step[]): Step {
  if (step.type === "branch" && (list === "yes" || list === "no")) return { ...step, [list]: steps };
  if (step.type === "split" && typeof list === "number") {
    return { ...step, arms: step.arms.map((a, i) => (i === list ? { ...a, steps } : a)) };
  }
  throw new Error(`step ${step.id} has no list ${String(list)}`);
}

export function listAt(steps: Step[], path: ListPath): Step[] {
  let here = steps;
  for (const hop of path) {
    const step = here[hop.index];
    if (!step) throw new Error("no step at this path");
    here = childList(step, hop.list);
  }
  return here;
}

/** `steps` with the list at `path` replaced by `edit(list)`. */
export function editList(steps: Step[], path: ListPath, edit: (list: Step[]) => Step[]): Step[] {
  const [hop, ...rest] = path;
  if (!hop) return edit(steps);
  return steps.map((s, i) => (i === hop.index ? withChildList(s, hop.list, editList(childList(s, hop.list), rest, edit)) : s));
}

export function insertStep(steps: Step[], path: ListPath, at: number, step: Step): Step[] {
  return editList(steps, path, (list) => [...list.slice(0, at), step, ...list.slice(at)]);
}

export function replaceStep(steps: Step[], path: ListPath, at: number, step: Step): Step[] {
  return editList(steps, path, (list) => list.map((s, i) => (i === at ? step : s)));
}

/** Moves the step at `at` one place up (-1) or down (+1) in its list; at an end, nothing moves. */
export function moveStep(steps: Step[], path: ListPath, at: number, by: -1 | 1): Step[] {
  return editList(steps, path, (list) => {
    const to = at + by;
    if (to < 0 || to >= list.length) return list;
    const next = [...list];
    [next[at], next[to]] = [next[to] as Step, next[at] as Step];
    return next;
  });
}

export function removeStep(steps: Step[], path: ListPath, at: number): Step[] {
  return editList(steps, path, (list) => list.filter((_, i) => i !== at));
}

/** Every step, depth first. */
export function allSteps(steps: Step[]): Step[] {
  return steps.flatMap((s) => [
    s,
    ...(s.type === "branch" ? [...allSteps(s.yes), ...allSteps(s.no)] : []),
    ...(s.type === "split" ? s.arms.flatMap((a) => allSteps(a.steps)) : []),
  ]);
}

export function messageSteps(flow: Flow): Extract<Step, { type: "message" }>[] {
  return allSteps(flow.steps).filter((s): s is Extract<Step, { type: "message" }> => s.type === "message");
}

/** An id not yet used in the flow: `email-1`, `email-2`, ... */
export function freshId(flow: Flow, prefix: string): string {
  const used = new Set(allSteps(flow.steps).map((s) => s.id));
  for (let n = 1; ; n += 1) {
    const id = `${prefix}-${n}`;
    if (!used.has(id)) return id;
  }
}

export function newStep(flow: Flow, kind: StepKind): Step {
  const id = freshId(flow, kind === "until_time" || kind === "until_event" ? "wait" : kind);
  switch (kind) {
    case "wait":
      return { type: "wait", id, wait: { kind: "for", duration: { amount: 1, unit: "days" } } };
    case "until_time":
      return { type: "wait", id, wait: { kind: "until_time", hour: 9, minute: 0 } };
    case "until_event":
      return { type: "wait", id, wait: { kind: "until_event", event: { name: "page_view" }, timeout: { amount: 2, unit: "days" } } };
    case "email":
      return {
        type: "message",
        id,
        message: {
          channel: "email",
          subjects: ['{{ first_name | default("Hi") }}, you left something behind'],
          preheader: '{{ cart.title | default("Your cart") }} is still waiting.',
          html: '<h1>Still thinking it over?</h1>\n<p>Your <b>{{ cart.title | default("item") }}</b> is saved in your cart.</p>',
        },
      };
    case "sms":
      return { type: "message", id, message: { channel: "sms", body: '{{ first_name | default("Hi") }}, your cart is saved: example.com/cart' } };
    case "push":
      return { type: "message", id, message: { channel: "push", title: "Still in your cart", body: '{{ cart.title | default("Your items") }} are waiting' } };
    case "retarget":
      return { type: "retarget", id, platform: "meta_ads", audience: "Cart abandoners", days: 7 };
    case "branch": {
      const first = messageSteps(flow)[0];
      const condition: Condition = first ? { kind: "opened", step: first.id } : { kind: "purchased" };
      return { type: "branch", id, condition, yes: [], no: [] };
    }
    case "split":
      return { type: "split", id, arms: [{ name: "A", weight: 50, steps: [] }, { name: "B", weight: 50, steps: [] }] };
    case "exit":
      return { type: "exit", id };
  }
}

export function emptyFlow(name: string): Flow {
  return {
    version: 1,
    name,
    trigger: { type: "event", event: { name: "add_to_cart" } },
    steps: [],
    exit_on: [{ name: "purchase" }],
    goal: { event: { name: "purchase" }, within_days: 7 },
  };
}

/** "1 hour", "2 days". */
function durationWords(duration: Duration): string {
  return plural(duration.amount, duration.unit.slice(0, -1), duration.unit);
}

/** At most `max` characters of a summary, cut at a word with an ellipsis. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…`;
}

/** The step a short title describes, for lists and the tree: words only, never template code. */
export function stepTitle(step: Step): string {
  switch (step.type) {
    case "wait":
      if (step.wait.kind === "for") return `Wait ${durationWords(step.wait.duration)}`;
      if (step.wait.kind === "until_time") return `Wait until ${String(step.wait.hour).padStart(2, "0")}:${String(step.wait.minute).padStart(2, "0")} local time`;
      return `Wait until “${eventLabel(step.wait.event.name)}” (at most ${durationWords(step.wait.timeout)})`;
    case "message":
      if (step.message.channel === "email") return `E-mail: ${templateWords(step.message.subjects[0] ?? "")}`;
      if (step.message.channel === "sms") return `SMS: ${shorten(templateWords(step.message.body), 60)}`;
      return `Push: ${templateWords(step.message.title)}`;
    case "retarget":
      return `Ad audience “${step.audience}” for ${plural(step.days, "day")}`;
    case "branch":
      return "Branch";
    case "split":
      return `Random split: ${step.arms.map((a) => `${a.name} (${a.weight})`).join(" / ")}`;
    case "exit":
      return "Exit";
  }
}

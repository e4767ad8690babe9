// The in-memory fake's sequences: a template, saved flows kept in memory,
// previews that print the templates with the person's first name, and a dry
// run whose counts follow the steps, so the screen can be built and tested
// in a browser. Nothing here evaluates a flow; the engine is rebound-sequences.

import type { DryRun } from "../bindings/sequences/DryRun";
import type { Flow } from "../bindings/sequences/Flow";
import type { FlowTemplate } from "../bindings/sequences/FlowTemplate";
import type { MessagePreview } from "../bindings/sequences/MessagePreview";
import type { SavedFlow } from "../bindings/sequences/SavedFlow";
import type { SendingRules } from "../bindings/sequences/SendingRules";
import type { SmtpSettings } from "../bindings/sequences/SmtpSettings";
import type { Step } from "../bindings/sequences/Step";
import { BackendError } from "./backend";
import { progressReport } from "./fakeProgress";
import type { SequenceBackend } from "./sequences";

const CART: Flow = {
  version: 1,
  name: "Abandoned cart",
  description: "Reminds people who left something in the cart.",
  trigger: { type: "event", event: { name: "add_to_cart" } },
  steps: [
    { type: "wait", id: "wait-1", wait: { kind: "for", duration: { amount: 1, unit: "hours" } } },
    { type: "message", id: "cart-email-1", message: { channel: "email", subjects: ["{{ first_name }}, you left something behind"], preheader: "Your cart is waiting", html: "<p>Hi {{ first_name }}</p>" } },
  ],
  exit_on: [{ name: "purchase" }],
  goal: { event: { name: "purchase" }, within_days: 7 },
};

const PEOPLE = [
  { person_id: 1, label: "Ann Lee (US) · #1", first: "Ann" },
  { person_id: 2, label: "Bo Berg (DE) · #2", first: "Bo" },
];

function flat(steps: Step[]): Step[] {
  return steps.flatMap((s) => [s, ...(s.type === "branch" ? [...flat(s.yes), ...flat(s.no)] : []), ...(s.type === "split" ? s.arms.flatMap((a) => flat(a.steps)) : [])]);
}

export function createFakeSequences(): SequenceBackend {
  let saved: SavedFlow[] = [];
  let nextId = 1;
  let rules: SendingRules = { caps: [{ channel: "email", max: 1, per_days: 1 }], quiet_hours: { start_hour: 21, end_hour: 8 }, require_consent: true, send_time_optimisation: false };
  let smtp: SmtpSettings = { host: "", port: 587, security: "starttls", password_set: false, from: "", to: "" };
  const fill = (text: string, first: string) => text.replace(/\{\{\s*first_name[^}]*\}\}/g, first);
  return {
    sequenceTemplates: async (): Promise<FlowTemplate[]> => [{ key: "abandoned_cart", flow: CART }],
    sequences: async () => saved,
    saveSequence: async (id, flow, status) => {
      if (!flow.name.trim()) throw new BackendError({ code: "invalid_input", message: `invalid flow ${JSON.stringify(flow.name)}: name: a flow needs a name` });
      if (saved.some((s) => s.flow.name === flow.name && s.id !== id)) throw new BackendError({ code: "already_exists", message: `cannot save flow "${flow.name}": a flow with that name already exists` });
      const s: SavedFlow = { id: id ?? nextId++, status, flow, created_at: 0, updated_at: 0 };
      saved = [...saved.filter((x) => x.id !== s.id), s];
      return s;
    },
    deleteSequence: async (id) => {
      saved = saved.filter((s) => s.id !== id);
    },
    sendingRules: async () => rules,
    saveSendingRules: async (r) => (rules = r),
    sequencePeople: async () => PEOPLE.map(({ person_id, label }) => ({ person_id, label })),
    previewMessage: async (flow, stepId, personId): Promise<MessagePreview> => {
      const step = flat(flow.steps).find((s) => s.id === stepId);
      const first = PEOPLE.find((p) => p.person_id === personId)?.first ?? "there";
      if (!step || step.type !== "message") throw new BackendError({ code: "invalid_input", message: `${stepId} is not a message` });
      const m = step.message;
      if (m.channel === "email") {
        const html = fill(m.html, first);
        return { channel: "email", subject_variant: 0, subject: fill(m.subjects[0] ?? "", first), preheader: fill(m.preheader, first), html_document: `<!doctype html><html><body>${html}</body></html>`, text: html.replace(/<[^>]+>/g, ""), warnings: [] };
      }
      if (m.channel === "sms") {
        const text = fill(m.body, first);
        return { channel: "sms", text, length: { encoding: "gsm7", characters: text.length, units: text.length, segments: Math.ceil(text.length / 160), remaining_in_segment: 160 - (text.length % 160), non_gsm_characters: [] }, warnings: [] };
      }
      return { channel: "push", title: fill(m.title, first), body: fill(m.body, first), title_characters: m.title.length, body_characters: m.body.length, title_limit: 50, body_limit: 150, warnings: [] };
    },
    dryRun: async (flow, options, _jobId, onProgress): Promise<DryRun> => {
      onProgress(progressReport({ stage: "Replaying", done: 1, total: 1, unit: "people", elapsed_ms: 1, bytes_done: null, bytes_total: null }));
      const steps = flat(flow.steps).map((s, i) => {
        const reached = Math.max(0, 100 - i * 10);
        return { step_id: s.id, kind: s.type, label: s.id, depth: 0, reached, sent: s.type === "message" || s.type === "retarget" ? reached : 0, held: 0, capped: 0, no_consent: 0, yes: 0, no: 0, arms: [] };
      });
      return { flow: flow.name, from: options.from, to: options.to, seed: options.seed, other_flows: [], entered: 100, exited: 0, completed: 100, still_in_flow: 0, steps, deliveries_total: 0, deliveries: [], holds_total: 0, holds: [], collisions_total: 0, collisions: [], arms: [], conversions: { goal: "purchase", within_days: 7, observed: 0, projected: 0, rates: [] }, notes: [], elapsed_ms: 1 };
    },
    exportSequenceJson: async () => true,
    exportSequenceCsv: async () => 0,
    smtpSettings: async () => smtp,
    saveSmtpSettings: async (s) => (smtp = { ...s, password: undefined, password_set: smtp.password_set || Boolean(s.password) }),
    sendTestEmail: async () => {
      if (!smtp.host) throw new BackendError({ code: "invalid_input", message: "cannot send the test e-mail: give the SMTP server's host name" });
      return smtp.to;
    },
  };
}

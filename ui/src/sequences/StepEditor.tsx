// One step of the flow builder, with its own editor, nested lists for
// branches and splits, and "add a step" at the end of every list.

import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import type { Condition } from "../bindings/sequences/Condition";
import type { Duration } from "../bindings/sequences/Duration";
import type { Flow } from "../bindings/sequences/Flow";
import type { Step } from "../bindings/sequences/Step";
import type { TimeUnit } from "../bindings/sequences/TimeUnit";
import { type ListPath, STEP_KINDS, type StepKind, insertStep, messageSteps, moveStep, newStep, removeStep, replaceStep, stepTitle } from "./flow";

interface ListProps {
  flow: Flow;
  steps: Step[];
  path: ListPath;
  onFlow: (flow: Flow) => void;
  onPreview: (stepId: string) => void;
}

export function StepList({ flow, steps, path, onFlow, onPreview }: ListProps) {
  const testPath = path.map((h) => `${h.index}.${h.list}`).join("/") || "top";
  return (
    <ol className="seq-steps" data-testid={`step-list-${testPath}`}>
      {steps.map((step, i) => (
        <li key={step.id} className={`seq-step seq-step-${step.type}`} data-testid="flow-step" data-step-id={step.id}>
          <StepCard
            flow={flow}
            step={step}
            onChange={(next) => onFlow({ ...flow, steps: replaceStep(flow.steps, path, i, next) })}
            onRemove={() => onFlow({ ...flow, steps: removeStep(flow.steps, path, i) })}
            onMove={(by) => onFlow({ ...flow, steps: moveStep(flow.steps, path, i, by) })}
            first={i === 0}
            last={i === steps.length - 1}
            onPreview={onPreview}
          />
          {step.type === "branch" && (
            <div className="seq-branches">
              {(["yes", "no"] as const).map((list) => (
                <div key={list} className="seq-branch">
                  <p className="seq-branch-label">{list === "yes" ? "Yes" : "No"}</p>
                  <StepList flow={flow} steps={step[list]} path={[...path, { index: i, list }]} onFlow={onFlow} onPreview={onPreview} />
                </div>
              ))}
            </div>
          )}
          {step.type === "split" && (
            <div className="seq-branches">
              {step.arms.map((arm, a) => (
                <div key={a} className="seq-branch">
                  <p className="seq-branch-label">
                    Arm {arm.name} · weight {arm.weight}
                  </p>
                  <StepList flow={flow} steps={arm.steps} path={[...path, { index: i, list: a }]} onFlow={onFlow} onPreview={onPreview} />
                </div>
              ))}
            </div>
          )}
        </li>
      ))}
      <li className="seq-add">
        <AddStep onAdd={(kind) => onFlow({ ...flow, steps: insertStep(flow.steps, path, steps.length, newStep(flow, kind)) })} testId={`add-step-${testPath}`} />
      </li>
    </ol>
  );
}

function AddStep({ onAdd, testId }: { onAdd: (kind: StepKind) => void; testId: string }) {
  const [kind, setKind] = useState<StepKind>("wait");
  return (
    <div className="row seq-add-row" data-testid={testId}>
      <select aria-label="Kind of step" value={kind} onChange={(e) => setKind(e.target.value as StepKind)} data-testid="add-step-kind">
        {STEP_KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
      <button type="button" className="button small-button" onClick={() => onAdd(kind)} data-testid="add-step">
        <Plus size={14} aria-hidden /> Add step
      </button>
    </div>
  );
}

function DurationInput({ value, onChange, label }: { value: Duration; onChange: (d: Duration) => void; label: string }) {
  return (
    <span className="row seq-inline">
      <input
        aria-label={`${label} amount`}
        type="number"
        min={1}
        value={value.amount}
        onChange={(e) => onChange({ ...value, amount: Math.max(1, Number.parseInt(e.target.value, 10) || 1) })}
        className="seq-num"
        data-testid="duration-amount"
      />
      <select aria-label={`${label} unit`} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as TimeUnit })} data-testid="duration-unit">
        <option value="minutes">minutes</option>
        <option value="hours">hours</option>
        <option value="days">days</option>
      </select>
    </span>
  );
}

interface CardProps {
  flow: Flow;
  step: Step;
  onChange: (step: Step) => void;
  onRemove: () => void;
  /** One place up (-1) or down (+1) in its list. */
  onMove: (by: -1 | 1) => void;
  first: boolean;
  last: boolean;
  onPreview: (stepId: string) => void;
}

function StepCard({ flow, step, onChange, onRemove, onMove, first, last, onPreview }: CardProps) {
  return (
    <div className="seq-card">
      <div className="seq-card-head">
        <span className={`seq-kind seq-kind-${step.type}`}>{step.type === "message" ? step.message.channel : step.type}</span>
        <span className="cell-title">{stepTitle(step)}</span>
        <code className="muted small">{step.id}</code>
        {step.type === "message" && (
          <button type="button" className="button small-button" onClick={() => onPreview(step.id)} data-testid="preview-step">
            Preview
          </button>
        )}
        <button type="button" className="icon-button" aria-label={`Move ${step.id} up`} title="Move up" onClick={() => onMove(-1)} disabled={first} data-testid="move-step-up">
          <ArrowUp size={15} />
        </button>
        <button type="button" className="icon-button" aria-label={`Move ${step.id} down`} title="Move down" onClick={() => onMove(1)} disabled={last} data-testid="move-step-down">
          <ArrowDown size={15} />
        </button>
        <button type="button" className="icon-button" aria-label={`Remove ${step.id}`} onClick={onRemove} data-testid="remove-step">
          <Trash2 size={15} />
        </button>
      </div>
      <div className="seq-card-body">
        <StepFields flow={flow} step={step} onChange={onChange} />
      </div>
    </div>
  );
}

function StepFields({ flow, step, onChange }: { flow: Flow; step: Step; onChange: (s: Step) => void }) {
  switch (step.type) {
    case "wait": {
      const w = step.wait;
      if (w.kind === "for") return <DurationInput label="Wait" value={w.duration} onChange={(duration) => onChange({ ...step, wait: { ...w, duration } })} />;
      if (w.kind === "until_time")
        return (
          <label className="row seq-inline">
            Until
            <input
              type="time"
              aria-label="Local time"
              value={`${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`}
              onChange={(e) => {
                const [h, m] = e.target.value.split(":").map((x) => Number.parseInt(x, 10));
                onChange({ ...step, wait: { kind: "until_time", hour: h ?? 9, minute: m ?? 0 } });
              }}
            />
            <span className="muted small">in the person's time zone</span>
          </label>
        );
      return (
        <span className="row seq-inline">
          Until
          <input aria-label="Event" value={w.event.name} onChange={(e) => onChange({ ...step, wait: { ...w, event: { ...w.event, name: e.target.value } } })} />
          at most
          <DurationInput label="Timeout" value={w.timeout} onChange={(timeout) => onChange({ ...step, wait: { ...w, timeout } })} />
        </span>
      );
    }
    case "message": {
      const m = step.message;
      if (m.channel === "email")
        return (
          <div className="seq-fields">
            {m.subjects.map((s, i) => (
              <label key={i} className="field">
                Subject {m.subjects.length > 1 ? `variant ${i + 1}` : ""}
                <span className="row">
                  <input value={s} onChange={(e) => onChange({ ...step, message: { ...m, subjects: m.subjects.map((x, j) => (j === i ? e.target.value : x)) } })} data-testid="email-subject" />
                  {m.subjects.length > 1 && (
                    <button type="button" className="icon-button" aria-label="Remove variant" onClick={() => onChange({ ...step, message: { ...m, subjects: m.subjects.filter((_, j) => j !== i) } })}>
                      <Trash2 size={14} />
                    </button>
                  )}
                </span>
              </label>
            ))}
            <button type="button" className="button small-button" onClick={() => onChange({ ...step, message: { ...m, subjects: [...m.subjects, m.subjects[0] ?? ""] } })}>
              <Plus size={14} aria-hidden /> Subject variant
            </button>
            <label className="field">
              Preheader
              <input value={m.preheader} onChange={(e) => onChange({ ...step, message: { ...m, preheader: e.target.value } })} />
            </label>
            <label className="field">
              HTML body
              <textarea rows={5} value={m.html} onChange={(e) => onChange({ ...step, message: { ...m, html: e.target.value } })} data-testid="email-html" />
              <span className="muted small">
                A person's details go in double braces: {"{{ first_name }}"}, {"{{ cart.title }}"}, {"{{ last_viewed.title }}"}; with a fallback when missing: {"{{ first_name | default(\"there\") }}"}; at the start of a sentence, {"{{ cart.title | sentence }}"} raises its first letter.
              </span>
            </label>
          </div>
        );
      if (m.channel === "sms")
        return (
          <label className="field">
            Text
            <textarea rows={2} value={m.body} onChange={(e) => onChange({ ...step, message: { ...m, body: e.target.value } })} data-testid="sms-body" />
          </label>
        );
      return (
        <div className="seq-fields">
          <label className="field">
            Title
            <input value={m.title} onChange={(e) => onChange({ ...step, message: { ...m, title: e.target.value } })} />
          </label>
          <label className="field">
            Text
            <input value={m.body} onChange={(e) => onChange({ ...step, message: { ...m, body: e.target.value } })} />
          </label>
        </div>
      );
    }
    case "retarget":
      return (
        <span className="row seq-inline">
          <select aria-label="Platform" value={step.platform} onChange={(e) => onChange({ ...step, platform: e.target.value as typeof step.platform })}>
            <option value="meta_ads">Meta Ads</option>
            <option value="google_ads">Google Ads</option>
          </select>
          <input aria-label="Audience" value={step.audience} onChange={(e) => onChange({ ...step, audience: e.target.value })} />
          for
          <input aria-label="Days" type="number" min={1} className="seq-num" value={step.days} onChange={(e) => onChange({ ...step, days: Math.max(1, Number.parseInt(e.target.value, 10) || 1) })} />
          days
        </span>
      );
    case "branch":
      return <ConditionFields flow={flow} condition={step.condition} onChange={(condition) => onChange({ ...step, condition })} />;
    case "split":
      return (
        <div className="seq-fields">
          {step.arms.map((arm, i) => (
            <span key={i} className="row seq-inline">
              <input aria-label={`Arm ${i + 1} name`} value={arm.name} onChange={(e) => onChange({ ...step, arms: step.arms.map((a, j) => (j === i ? { ...a, name: e.target.value } : a)) })} />
              weight
              <input aria-label={`Arm ${i + 1} weight`} type="number" min={1} max={100} className="seq-num" value={arm.weight} onChange={(e) => onChange({ ...step, arms: step.arms.map((a, j) => (j === i ? { ...a, weight: Math.min(100, Math.max(1, Number.parseInt(e.target.value, 10) || 1)) } : a)) })} />
            </span>
          ))}
          <button type="button" className="button small-button" onClick={() => onChange({ ...step, arms: [...step.arms, { name: String.fromCharCode(65 + step.arms.length), weight: 50, steps: [] }] })}>
            <Plus size={14} aria-hidden /> Arm
          </button>
        </div>
      );
    case "exit":
      return <span className="muted small">The person leaves the flow here.</span>;
  }
}

function ConditionFields({ flow, condition, onChange }: { flow: Flow; condition: Condition; onChange: (c: Condition) => void }) {
  const messages = messageSteps(flow);
  return (
    <span className="row seq-inline">
      If
      <select
        aria-label="Condition"
        value={condition.kind}
        data-testid="branch-condition"
        onChange={(e) => {
          const kind = e.target.value as Condition["kind"];
          const first = messages[0]?.id ?? "";
          onChange(
            kind === "opened" || kind === "clicked"
              ? { kind, step: first }
              : kind === "purchased"
                ? { kind }
                : kind === "did"
                  ? { kind, event: { name: "page_view" } }
                  : { kind, key: "country", equals: "US" },
          );
        }}
      >
        <option value="opened">opened</option>
        <option value="clicked">clicked</option>
        <option value="purchased">purchased</option>
        <option value="did">did an event</option>
        <option value="property">a property is</option>
      </select>
      {(condition.kind === "opened" || condition.kind === "clicked") && (
        <select aria-label="Message" value={condition.step} onChange={(e) => onChange({ ...condition, step: e.target.value })}>
          {messages.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id}
            </option>
          ))}
        </select>
      )}
      {condition.kind === "did" && <input aria-label="Event" value={condition.event.name} onChange={(e) => onChange({ ...condition, event: { ...condition.event, name: e.target.value } })} />}
      {condition.kind === "property" && (
        <>
          <input aria-label="Property" value={condition.key} onChange={(e) => onChange({ ...condition, key: e.target.value })} />
          =
          <input aria-label="Value" value={condition.equals} onChange={(e) => onChange({ ...condition, equals: e.target.value })} />
        </>
      )}
    </span>
  );
}

// The visual rule builder: a rule tree drawn as nested groups (all / any /
// none of) with one editor per rule kind. Every edit goes through the pure
// tree functions in rules.ts; this file only draws and wires inputs.

import { Ban, Plus, Trash2 } from "lucide-react";
import { useEffect, useState } from "react";
import type { CountOp } from "../bindings/segments/CountOp";
import type { DeviceCategory } from "../bindings/segments/DeviceCategory";
import type { EventFilter } from "../bindings/segments/EventFilter";
import type { EventSpec } from "../bindings/segments/EventSpec";
import type { PersonField } from "../bindings/segments/PersonField";
import type { Rule } from "../bindings/segments/Rule";
import type { SegmentVocabulary } from "../bindings/segments/SegmentVocabulary";
import type { Span } from "../bindings/segments/Span";
import type { TextMatch } from "../bindings/segments/TextMatch";
import type { Window } from "../bindings/segments/Window";
import { eventLabel, toMajor, toMinor } from "../lib/format";
import {
  addChild,
  CHANNELS,
  COUNT_OPS,
  defaultFilter,
  defaultRule,
  FILTER_KINDS,
  type FilterKind,
  makeSpan,
  parseList,
  removeAt,
  RULE_KINDS,
  type RuleKind,
  type RulePath,
  setGroupKind,
  spanParts,
  type SpanUnit,
  toggleNot,
  updateAt,
} from "./rules";

export interface BuilderContext {
  vocabulary: SegmentVocabulary | null;
  /** Saved segments this one may refer to (not itself). */
  segmentNames: string[];
}

const DEVICES: DeviceCategory[] = ["desktop", "mobile", "tablet", "other"];

export function RuleBuilder(props: { rule: Rule; onChange: (rule: Rule) => void; context: BuilderContext }) {
  const { rule, onChange, context } = props;
  const edit = (path: RulePath, update: (r: Rule) => Rule) => onChange(updateAt(rule, path, update));
  // A root that is not an AND/OR group (a template of one rule, a NOT) gets
  // an "add" that puts it and the new rule into an AND group.
  const rootIsList = rule.type === "all" || rule.type === "any";
  return (
    <div className="rule-builder" data-testid="rule-builder">
      <RuleNode
        rule={rule}
        path={[]}
        context={context}
        edit={edit}
        tree={{
          add: (path, child) => onChange(addChild(rule, path, child)),
          remove: (path) => onChange(path.length === 0 ? { type: "all", rules: [] } : removeAt(rule, path)),
          toggleNot: (path) => onChange(toggleNot(rule, path)),
          setGroup: (path, kind) => onChange(setGroupKind(rule, path, kind)),
        }}
      />
      {!rootIsList && (
        <AddRule
          onAdd={(kind) => onChange({ type: "all", rules: [rule, defaultRule(kind, context.vocabulary?.event_names[0]?.name)] })}
          root
        />
      )}
    </div>
  );
}

interface TreeOps {
  add(path: RulePath, child: Rule): void;
  remove(path: RulePath): void;
  toggleNot(path: RulePath): void;
  setGroup(path: RulePath, kind: "all" | "any"): void;
}

interface NodeProps {
  rule: Rule;
  path: RulePath;
  context: BuilderContext;
  edit: (path: RulePath, update: (r: Rule) => Rule) => void;
  tree: TreeOps;
}

function RuleNode(props: NodeProps) {
  const { rule, path, tree } = props;
  if (rule.type === "all" || rule.type === "any" || rule.type === "not") return <GroupNode {...props} />;
  const kindLabel = RULE_KINDS.find((k) => k.kind === rule.type)?.label ?? rule.type;
  return (
    <div className="rule" data-testid="rule" data-kind={rule.type}>
      <div className="rule-head">
        <span className="rule-kind">{kindLabel}</span>
        <span className="rule-actions">
          <button type="button" className="icon-button" title="Exclude: wrap in NOT" aria-label="Wrap in NOT" onClick={() => tree.toggleNot(path)}>
            <Ban size={15} />
          </button>
          <button type="button" className="icon-button" title="Remove this rule" aria-label="Remove rule" onClick={() => tree.remove(path)}>
            <Trash2 size={15} />
          </button>
        </span>
      </div>
      <LeafEditor {...props} />
    </div>
  );
}

function GroupNode({ rule, path, context, edit, tree }: NodeProps) {
  const kids = rule.type === "all" || rule.type === "any" ? rule.rules : rule.type === "not" ? [rule.rule] : [];
  const isRoot = path.length === 0;
  const title = rule.type === "not" ? "None of these (NOT)" : null;
  return (
    <div className={`rule-group group-${rule.type}${isRoot ? " group-root" : ""}`} data-testid="rule-group" data-kind={rule.type}>
      <div className="rule-head">
        {title ? (
          <span className="rule-kind">{title}</span>
        ) : (
          <span className="segmented" role="radiogroup" aria-label="Match">
            {(["all", "any"] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="radio"
                aria-checked={rule.type === k}
                className={rule.type === k ? "segment checked" : "segment"}
                onClick={() => tree.setGroup(path, k)}
              >
                {k === "all" ? "All of (AND)" : "Any of (OR)"}
              </button>
            ))}
          </span>
        )}
        {!isRoot && (
          <span className="rule-actions">
            {rule.type !== "not" && (
              <button type="button" className="icon-button" title="Wrap in NOT" aria-label="Wrap in NOT" onClick={() => tree.toggleNot(path)}>
                <Ban size={15} />
              </button>
            )}
            <button type="button" className="icon-button" title="Remove this group" aria-label="Remove group" onClick={() => tree.remove(path)}>
              <Trash2 size={15} />
            </button>
          </span>
        )}
      </div>
      {kids.length === 0 && (
        <p className="muted small rule-empty">
          {rule.type === "all" ? "No rules yet: everyone matches. Add a rule below." : rule.type === "any" ? "No rules yet: no one matches." : ""}
        </p>
      )}
      <div className="rule-children">
        {kids.map((child, i) => (
          <RuleNode key={i} rule={child} path={[...path, i]} context={context} edit={edit} tree={tree} />
        ))}
      </div>
      {rule.type !== "not" && <AddRule onAdd={(kind) => tree.add(path, defaultRule(kind, context.vocabulary?.event_names[0]?.name))} root={isRoot} />}
    </div>
  );
}

function AddRule({ onAdd, root }: { onAdd: (kind: RuleKind) => void; root: boolean }) {
  const [value, setValue] = useState("");
  return (
    <label className="add-rule">
      <Plus size={15} aria-hidden />
      <select
        className="select"
        aria-label="Add a rule"
        data-testid={root ? "add-rule" : "add-rule-nested"}
        value={value}
        onChange={(e) => {
          const kind = e.target.value as RuleKind;
          if (kind) onAdd(kind);
          setValue("");
        }}
      >
        <option value="">Add a rule or group…</option>
        {RULE_KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function LeafEditor({ rule, path, context, edit }: NodeProps) {
  const set = (next: Rule) => edit(path, () => next);
  switch (rule.type) {
    case "did":
      return (
        <div className="rule-fields">
          <EventEditor spec={rule.event} context={context} onChange={(event) => set({ ...rule, event })} testid="event" />
          <select className="select" aria-label="How many times" value={rule.count.op} onChange={(e) => set({ ...rule, count: { ...rule.count, op: e.target.value as CountOp } })}>
            {COUNT_OPS.map((o) => (
              <option key={o.op} value={o.op}>
                {o.label}
              </option>
            ))}
          </select>
          <NumberInput label="Times" value={rule.count.n} min={0} onChange={(n) => set({ ...rule, count: { ...rule.count, n } })} />
          <span className="muted">times</span>
          <WindowEditor window={rule.window} onChange={(window) => set({ ...rule, window })} />
        </div>
      );
    case "did_not":
      return (
        <div className="rule-fields">
          <EventEditor spec={rule.event} context={context} onChange={(event) => set({ ...rule, event })} testid="event" />
          <WindowEditor window={rule.window} onChange={(window) => set({ ...rule, window })} />
        </div>
      );
    case "followed_by":
    case "not_followed_by":
      return (
        <div className="rule-fields">
          <EventEditor spec={rule.first} context={context} onChange={(first) => set({ ...rule, first })} testid="first-event" />
          <span className="muted">{rule.type === "followed_by" ? "followed by" : "not followed by"}</span>
          <EventEditor spec={rule.then} context={context} onChange={(then) => set({ ...rule, then })} testid="then-event" />
          <span className="muted">within</span>
          <SpanEditor span={rule.within} onChange={(within) => set({ ...rule, within })} />
          {rule.type === "not_followed_by" && (
            <label className="checkbox small" title="Also leave out people who did it later than that, up to the as-of day">
              <input type="checkbox" data-testid="none-since" checked={rule.none_since} onChange={(e) => set({ ...rule, none_since: e.target.checked })} />
              and none since
            </label>
          )}
          <WindowEditor window={rule.window} onChange={(window) => set({ ...rule, window })} />
        </div>
      );
    case "recency":
      return (
        <div className="rule-fields">
          <span className="muted">last</span>
          <EventEditor spec={rule.event} context={context} onChange={(event) => set({ ...rule, event })} testid="event" />
          <select className="select" aria-label="When" value={rule.op} onChange={(e) => set({ ...rule, op: e.target.value as typeof rule.op })}>
            <option value="within_last">within the last</option>
            <option value="more_than_ago">more than … ago</option>
          </select>
          <NumberInput label="Days" value={rule.days} min={1} onChange={(days) => set({ ...rule, days })} />
          <span className="muted">days{rule.op === "more_than_ago" ? " ago" : ""}</span>
        </div>
      );
    case "monetary":
      return (
        <div className="rule-fields">
          <span className="muted">spent on</span>
          <EventNameSelect value={rule.event} context={context} onChange={(event) => set({ ...rule, event })} />
          <span className="muted">from</span>
          <MoneyInput label="Minimum" currency={rule.currency} value={rule.min_minor} onChange={(min_minor) => set(withOptional(rule, "min_minor", min_minor))} />
          <span className="muted">to</span>
          <MoneyInput label="Maximum" currency={rule.currency} value={rule.max_minor} onChange={(max_minor) => set(withOptional(rule, "max_minor", max_minor))} />
          <ListInput label="Currency" value={[rule.currency]} options={context.vocabulary?.currencies ?? []} onChange={(v) => set({ ...rule, currency: v[0] ?? "" })} single />
          <WindowEditor window={rule.window} onChange={(window) => set({ ...rule, window })} />
        </div>
      );
    case "person":
      return (
        <div className="rule-fields">
          <select className="select" aria-label="Person field" value={rule.field} onChange={(e) => set({ ...rule, field: e.target.value as PersonField })}>
            <option value="country">Country</option>
            <option value="time_zone">Time zone</option>
            <option value="locale">Locale</option>
          </select>
          <span className="muted">is one of</span>
          <ListInput
            label="Values"
            value={rule.any_of}
            options={rule.field === "country" ? (context.vocabulary?.countries ?? []) : []}
            onChange={(any_of) => set({ ...rule, any_of })}
          />
        </div>
      );
    case "person_property":
      return (
        <div className="rule-fields">
          <ListInput label="Property" value={[rule.key]} options={context.vocabulary?.property_keys ?? []} onChange={(v) => set({ ...rule, key: v[0] ?? "" })} single />
          <span className="muted">is</span>
          <select
            className="select"
            aria-label="Value type"
            value={typeof rule.equals === "boolean" ? String(rule.equals) : "text"}
            onChange={(e) => set({ ...rule, equals: e.target.value === "text" ? "" : e.target.value === "true" })}
          >
            <option value="true">true</option>
            <option value="false">false</option>
            <option value="text">the text…</option>
          </select>
          {typeof rule.equals === "string" && (
            <input className="input" aria-label="Property value" value={rule.equals} onChange={(e) => set({ ...rule, equals: e.target.value })} />
          )}
        </div>
      );
    case "consent":
      return (
        <div className="rule-fields">
          <select className="select" aria-label="Channel" value={rule.channel} onChange={(e) => set({ ...rule, channel: e.target.value as typeof rule.channel })}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {c === "email" ? "E-mail" : c === "sms" ? "SMS" : c === "push" ? "Push" : "Ads"}
              </option>
            ))}
          </select>
          <span className="muted">consent is</span>
          <select className="select" aria-label="Consent status" value={rule.status} onChange={(e) => set({ ...rule, status: e.target.value as typeof rule.status })}>
            <option value="granted">granted</option>
            <option value="denied">denied</option>
            <option value="unknown">unknown (never asked)</option>
          </select>
        </div>
      );
    case "in_segment":
      return (
        <div className="rule-fields">
          <span className="muted">member of</span>
          <select className="select" aria-label="Segment" value={rule.segment} onChange={(e) => set({ ...rule, segment: e.target.value })}>
            <option value="">Choose a saved segment…</option>
            {[...new Set([...context.segmentNames, rule.segment].filter(Boolean))].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      );
    default:
      return null;
  }
}

function withOptional<T extends object, K extends keyof T>(value: T, key: K, v: T[K] | null): T {
  const copy = { ...value };
  if (v === null) delete copy[key];
  else copy[key] = v;
  return copy;
}

function EventNameSelect(props: { value: string; context: BuilderContext; onChange: (name: string) => void; testid?: string }) {
  const names = props.context.vocabulary?.event_names.map((e) => e.name) ?? [];
  const all = names.includes(props.value) || props.value === "" ? names : [props.value, ...names];
  return (
    <select className="select event-select" aria-label="Event" data-testid={props.testid} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.value === "" && <option value="">Choose an event…</option>}
      {all.map((n) => (
        <option key={n} value={n} title={n}>
          {eventLabel(n)}
        </option>
      ))}
    </select>
  );
}

function EventEditor(props: { spec: EventSpec; context: BuilderContext; onChange: (spec: EventSpec) => void; testid: string }) {
  const { spec, onChange } = props;
  const [adding, setAdding] = useState("");
  const setFilter = (i: number, f: EventFilter | null) =>
    onChange({ ...spec, filters: f === null ? spec.filters.filter((_, j) => j !== i) : spec.filters.map((old, j) => (j === i ? f : old)) });
  return (
    <span className="event-editor">
      <EventNameSelect value={spec.name} context={props.context} onChange={(name) => onChange({ ...spec, name })} testid={props.testid} />
      {spec.filters.map((f, i) => (
        <FilterEditor key={i} filter={f} context={props.context} onChange={(nf) => setFilter(i, nf)} />
      ))}
      <select
        className="select filter-add"
        aria-label="Add a filter"
        value={adding}
        onChange={(e) => {
          const on = e.target.value as FilterKind;
          if (on) onChange({ ...spec, filters: [...spec.filters, defaultFilter(on)] });
          setAdding("");
        }}
      >
        <option value="">+ filter</option>
        {FILTER_KINDS.map((k) => (
          <option key={k.on} value={k.on}>
            {k.label}
          </option>
        ))}
      </select>
    </span>
  );
}

function FilterEditor(props: { filter: EventFilter; context: BuilderContext; onChange: (f: EventFilter | null) => void }) {
  const { filter: f, onChange, context } = props;
  const label = FILTER_KINDS.find((k) => k.on === f.on)?.label ?? f.on;
  let body: React.ReactNode = null;
  switch (f.on) {
    case "product":
      body = <ListInput label="Product ids" value={f.any_of} options={context.vocabulary?.products.map((p) => ({ value: p.external_id, label: p.title })) ?? []} onChange={(any_of) => onChange({ ...f, any_of })} />;
      break;
    case "category":
      body = <ListInput label="Categories" value={f.any_of} options={context.vocabulary?.categories ?? []} onChange={(any_of) => onChange({ ...f, any_of })} />;
      break;
    case "source":
      body = <ListInput label="Sources" value={f.any_of} options={context.vocabulary?.sources ?? []} onChange={(any_of) => onChange({ ...f, any_of })} />;
      break;
    case "price":
      body = (
        <>
          <MoneyInput label="Lowest price" currency={shopCurrency(context)} value={f.min_minor} onChange={(v) => onChange(withOptional(f, "min_minor", v))} />
          <span className="muted">–</span>
          <MoneyInput label="Highest price" currency={shopCurrency(context)} value={f.max_minor} onChange={(v) => onChange(withOptional(f, "max_minor", v))} />
        </>
      );
      break;
    case "page":
      body = (
        <>
          <select className="select" aria-label="Page match" value={f.matches} onChange={(e) => onChange({ ...f, matches: e.target.value as TextMatch })}>
            <option value="contains">contains</option>
            <option value="starts_with">starts with</option>
            <option value="equals">is</option>
          </select>
          <input className="input" aria-label="Page" placeholder="/pricing" value={f.value} onChange={(e) => onChange({ ...f, value: e.target.value })} />
        </>
      );
      break;
    case "device":
      body = DEVICES.map((d) => (
        <label key={d} className="checkbox small">
          <input
            type="checkbox"
            checked={f.any_of.includes(d)}
            onChange={(e) => onChange({ ...f, any_of: e.target.checked ? [...f.any_of, d] : f.any_of.filter((x) => x !== d) })}
          />
          {d}
        </label>
      ));
      break;
  }
  return (
    <span className="filter" data-testid="filter">
      <span className="filter-label">{label}</span>
      {body}
      <button type="button" className="icon-button" aria-label={`Remove ${label} filter`} onClick={() => onChange(null)}>
        <Trash2 size={13} />
      </button>
    </span>
  );
}

function WindowEditor(props: { window: Window; onChange: (w: Window) => void }) {
  const w = props.window;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <span className="window-editor">
      <select
        className="select"
        aria-label="When"
        data-testid="window-kind"
        value={w.kind}
        onChange={(e) => {
          const kind = e.target.value as Window["kind"];
          props.onChange(kind === "ever" ? { kind } : kind === "last_days" ? { kind, days: 30 } : { kind, from: today, to: today });
        }}
      >
        <option value="ever">ever</option>
        <option value="last_days">in the last</option>
        <option value="between">between</option>
      </select>
      {w.kind === "last_days" && (
        <>
          <NumberInput label="Days" value={w.days} min={1} onChange={(days) => props.onChange({ ...w, days })} testid="window-days" />
          <span className="muted">days</span>
        </>
      )}
      {w.kind === "between" && (
        <>
          <input className="input" type="date" aria-label="From" value={w.from} onChange={(e) => props.onChange({ ...w, from: e.target.value })} />
          <span className="muted">and</span>
          <input className="input" type="date" aria-label="To" value={w.to} onChange={(e) => props.onChange({ ...w, to: e.target.value })} />
        </>
      )}
    </span>
  );
}

function SpanEditor(props: { span: Span; onChange: (s: Span) => void }) {
  const { unit, n } = spanParts(props.span);
  return (
    <span className="span-editor">
      <NumberInput label="Time" value={n} min={1} onChange={(v) => props.onChange(makeSpan(unit, v))} testid="within-n" />
      <select className="select" aria-label="Unit" data-testid="within-unit" value={unit} onChange={(e) => props.onChange(makeSpan(e.target.value as SpanUnit, n))}>
        <option value="minutes">minutes</option>
        <option value="hours">hours</option>
        <option value="days">days</option>
      </select>
    </span>
  );
}

/** A whole-number input that keeps what is typed while it is not a number yet. */
function NumberInput(props: { label: string; value: number; min: number; onChange: (n: number) => void; testid?: string }) {
  const [text, setText] = useState(String(props.value));
  // Follow changes made elsewhere (another rule kind, a template), but keep
  // what is being typed ("", "0" on the way to "07") while it is not a number yet.
  useEffect(() => {
    setText((t) => (Number.parseInt(t, 10) === props.value ? t : String(props.value)));
  }, [props.value]);
  return (
    <input
      className="input number"
      type="number"
      inputMode="numeric"
      min={props.min}
      aria-label={props.label}
      data-testid={props.testid}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const v = Number.parseInt(e.target.value, 10);
        if (Number.isFinite(v) && v >= props.min) props.onChange(v);
      }}
    />
  );
}

/** The currency product prices are in: the workspace's main purchase currency. */
export function shopCurrency(context: BuilderContext): string {
  return context.vocabulary?.currencies[0] ?? "";
}

/** Money typed in major units of `currency`, stored in minor units; blank means "no bound". */
function MoneyInput(props: { label: string; currency: string; value: number | undefined; onChange: (minor: number | null) => void }) {
  const [text, setText] = useState(props.value === undefined ? "" : String(toMajor(props.value, props.currency)));
  return (
    <input
      className="input money"
      inputMode="decimal"
      aria-label={props.label}
      placeholder="any"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const minor = toMinor(e.target.value, props.currency);
        if (minor !== null || e.target.value.trim() === "") props.onChange(minor);
      }}
    />
  );
}

/** Comma-separated values with suggestions from the workspace. */
/** A picker option: the value a rule stores, and what the list shows beside it. */
type Choice = string | { value: string; label: string };

function ListInput(props: { label: string; value: string[]; options: readonly Choice[]; onChange: (v: string[]) => void; single?: boolean }) {
  const [text, setText] = useState(props.value.join(", "));
  const id = `list-${props.label.replace(/\W/g, "")}`;
  return (
    <>
      <input
        className="input list-input"
        aria-label={props.label}
        placeholder={props.single ? props.label : `${props.label}, comma-separated`}
        list={props.options.length ? id : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(props.single ? [e.target.value.trim()] : parseList(e.target.value));
        }}
      />
      {props.options.length > 0 && (
        <datalist id={id}>
          {props.options.map((o) =>
            typeof o === "string" ? <option key={o} value={o} /> : <option key={o.value} value={o.value} label={o.label === o.value ? undefined : o.label} />,
          )}
        </datalist>
      )}
    </>
  );
}

// A test on an audience from the workspace: a segment's members on the start
// day are split at random among arms (a holdout that gets nothing, or
// versions of a creative or a sequence step), and each person's outcome is
// read from the event log. The backend stores it as an experiment.

import { Download, Plus, Trash2, Users } from "lucide-react";
import { useEffect, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { AudienceArm } from "../bindings/AudienceArm";
import type { AudienceSubject } from "../bindings/AudienceSubject";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import { ErrorNotice } from "../components/ErrorNotice";

/** A segment the test can split: a saved one or a template. */
export type AudienceChoice = { key: string; label: string; definition: SegmentDefinition };

const SUBJECTS: Record<AudienceSubject, string> = {
  segment: "A holdout (or treatments) of the segment",
  creative: "Versions of a creative",
  sequence_step: "Versions of a sequence step",
};

/** What is wrong with the arms, or null when they make a test. */
export function armsProblem(arms: readonly AudienceArm[]): string | null {
  if (arms.length < 2) return "A test needs at least two arms.";
  if (arms.some((a) => a.name.trim() === "")) return "Every arm needs a name.";
  const names = new Set(arms.map((a) => a.name.trim()));
  if (names.size !== arms.length) return "Arm names must differ.";
  if (arms.some((a) => !Number.isInteger(a.weight) || a.weight <= 0)) return "Every arm needs a share above zero.";
  return null;
}

/** Each arm's share of the audience, in percent, from the relative weights. */
export function shares(arms: readonly AudienceArm[]): number[] {
  const total = arms.reduce((sum, a) => sum + Math.max(0, a.weight), 0);
  return arms.map((a) => (total > 0 ? (100 * Math.max(0, a.weight)) / total : 0));
}

/** The day `days` before a YYYY-MM-DD day. */
export function daysBefore(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export function AudienceTest({ revision, onCreated }: { revision: number; onCreated: (id: number) => void }) {
  const backend = useBackend();
  const [choices, setChoices] = useState<AudienceChoice[] | null>(null);
  const [choice, setChoice] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  const [currencies, setCurrencies] = useState<string[]>([]);
  const [subject, setSubject] = useState<AudienceSubject>("segment");
  const [arms, setArms] = useState<AudienceArm[]>([
    { name: "Holdout", weight: 10, is_control: true },
    { name: "Treatment", weight: 90, is_control: false },
  ]);
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [outcome, setOutcome] = useState("purchase");
  const [currency, setCurrency] = useState("USD");
  const [seed, setSeed] = useState(1);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ id: number; name: string } | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([backend.segments(), backend.segmentTemplates(), backend.segmentVocabulary()]).then(
      ([saved, templates, vocabulary]) => {
        if (!live) return;
        const all: AudienceChoice[] = [
          ...saved.map((s) => ({ key: `saved:${s.id}`, label: s.definition.name, definition: s.definition })),
          ...templates.map((t) => ({ key: `template:${t.key}`, label: `${t.definition.name} (template)`, definition: t.definition })),
        ];
        setChoices(all);
        setChoice((c) => (all.some((a) => a.key === c) ? c : (all[0]?.key ?? "")));
        const names = vocabulary.event_names.map((e) => e.name);
        setEvents(names);
        setOutcome((o) => (names.includes(o) || names.length === 0 ? o : names[0]!));
        setCurrencies(vocabulary.currencies);
        setCurrency((c) => (vocabulary.currencies.includes(c) || vocabulary.currencies.length === 0 ? c : vocabulary.currencies[0]!));
        const last = vocabulary.last_event_day;
        if (last) {
          setEnd((e) => e || last);
          setStart((s) => s || daysBefore(last, 20));
        }
      },
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, revision]);

  const selected = choices?.find((c) => c.key === choice) ?? null;
  const problem =
    !selected ? "Choose a segment."
    : armsProblem(arms)
      ?? (!start || !end ? "Choose when the test ran."
      : end < start ? "The test cannot end before it starts."
      : null);

  function setArm(i: number, change: Partial<AudienceArm>) {
    setArms((all) => all.map((a, j) => (j === i ? { ...a, ...change } : a)));
  }

  async function create() {
    if (!selected || problem) return;
    setBusy(true);
    setError(null);
    try {
      const testName = name.trim() || `${selected.definition.name} — ${arms.map((a) => a.name.trim()).join(" vs ")}`;
      const id = await backend.createAudienceTest(selected.definition, {
        name: testName,
        subject,
        subject_id: choice.startsWith("saved:") ? Number(choice.slice(6)) : undefined,
        subject_label: selected.definition.name,
        arms: arms.map((a, i) => ({ name: a.name.trim(), weight: a.weight, is_control: i === 0 })),
        seed,
        start,
        end,
        outcome_event: outcome,
        currency,
        pre_period_days: 30,
      });
      setCreated({ id, name: testName });
      onCreated(id);
    } catch (e) {
      setError(toBackendError(e));
    } finally {
      setBusy(false);
    }
  }

  async function exportArms() {
    if (!created) return;
    try {
      await backend.exportAudienceTestArms(created.id, `${created.name} arms.csv`);
    } catch (e) {
      setError(toBackendError(e));
    }
  }

  const percents = shares(arms);
  return (
    <div className="card" data-testid="audience-test">
      <div className="card-header">
        <h2><Users size={16} aria-hidden /> Test on a segment</h2>
      </div>
      <p className="muted">
        Split a segment's members at random (the same seed always gives the same split) and read each person's outcome from the
        event log. The first arm is the control; export the arms to upload them as ad audiences or send lists.
      </p>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      <div className="split-grid">
        <label className="field">
          <span>Segment</span>
          <select data-testid="audience-segment" value={choice} onChange={(e) => setChoice(e.target.value)}>
            {(choices ?? []).map((c) => (
              <option key={c.key} value={c.key}>{c.label}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>The arms are</span>
          <select data-testid="audience-subject" value={subject} onChange={(e) => setSubject(e.target.value as AudienceSubject)}>
            {(Object.keys(SUBJECTS) as AudienceSubject[]).map((k) => (
              <option key={k} value={k}>{SUBJECTS[k]}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>First day</span>
          <input type="date" data-testid="audience-start" value={start} onChange={(e) => setStart(e.target.value)} />
        </label>
        <label className="field">
          <span>Last day</span>
          <input type="date" data-testid="audience-end" value={end} onChange={(e) => setEnd(e.target.value)} />
        </label>
        <label className="field">
          <span>A conversion is</span>
          <select data-testid="audience-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            {(events.includes(outcome) ? events : [outcome, ...events]).map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Revenue in</span>
          <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {(currencies.includes(currency) ? currencies : [currency, ...currencies]).map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Seed</span>
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
        </label>
        <label className="field">
          <span>Name</span>
          <input data-testid="audience-name" value={name} placeholder={selected ? `${selected.definition.name} — ${arms.map((a) => a.name).join(" vs ")}` : ""} onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      <table className="table figures" data-testid="audience-arms">
        <thead>
          <tr><th>Arm</th><th className="num">Weight</th><th className="num">Share</th><th /></tr>
        </thead>
        <tbody>
          {arms.map((arm, i) => (
            <tr key={i}>
              <td>
                <input className="input" aria-label={`Arm ${i + 1} name`} value={arm.name} onChange={(e) => setArm(i, { name: e.target.value })} />
                {i === 0 && <span className="muted"> · control</span>}
              </td>
              <td className="num">
                <input className="input" aria-label={`Arm ${i + 1} weight`} type="number" min={1} value={arm.weight || ""} onChange={(e) => setArm(i, { weight: Math.floor(Number(e.target.value) || 0) })} />
              </td>
              <td className="num">{percents[i]!.toFixed(0)}%</td>
              <td>
                {arms.length > 2 && (
                  <button type="button" className="icon-button" aria-label={`Remove arm ${arm.name}`} onClick={() => setArms((all) => all.filter((_, j) => j !== i))}>
                    <Trash2 size={14} aria-hidden />
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        {arms.length < 10 && (
          <button type="button" className="button" onClick={() => setArms((all) => [...all, { name: `Arm ${all.length + 1}`, weight: 10, is_control: false }])}>
            <Plus size={14} aria-hidden /> Add an arm
          </button>
        )}
        <button type="button" className="button primary" data-testid="audience-create" disabled={busy || problem !== null} onClick={() => void create()}>
          {busy ? "Splitting…" : "Create test"}
        </button>
        {created && (
          <button type="button" className="button" data-testid="audience-export" onClick={() => void exportArms()}>
            <Download size={14} aria-hidden /> Export arms (CSV)
          </button>
        )}
      </div>
      {problem && choices !== null && <p className="field-error" role="alert">{problem}</p>}
      {created && <p role="status" data-testid="audience-created">Stored as “{created.name}”; its result is shown above.</p>}
    </div>
  );
}

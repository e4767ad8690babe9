// A test on an audience from the workspace: a segment's members at the end of
// the start day (the moment Segments counts "as of" that day) are split at
// random among arms (a holdout that gets nothing, or
// versions of a creative or a sequence step), and each person's outcome is
// read from the event log. The backend stores it as an experiment.

import { Download, Plus, Trash2, Users } from "lucide-react";
import { useEffect, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ArmsCheck } from "../bindings/ArmsCheck";
import type { AudienceArm } from "../bindings/AudienceArm";
import type { AudienceSubject } from "../bindings/AudienceSubject";
import type { SavedTemplate } from "../bindings/creatives/SavedTemplate";
import type { SegmentCount } from "../bindings/segments/SegmentCount";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import type { SavedFlow } from "../bindings/sequences/SavedFlow";
import type { Step } from "../bindings/sequences/Step";
import type { SplitOf } from "../bindings/SplitOf";
import { ErrorNotice } from "../components/ErrorNotice";
import { asOfDay, day, percent, plural, sentence } from "../lib/format";
import { addDays } from "../segments/rules";
import { ZeroExplained } from "../segments/ZeroExplained";

/** A segment the test can split: a saved one or a template. */
export type AudienceChoice = { key: string; label: string; definition: SegmentDefinition };

const SUBJECTS: Record<AudienceSubject, string> = {
  segment: "A holdout (or treatments) of the segment",
  creative: "Versions of a creative",
  sequence_step: "Versions of a sequence step",
};

/** A random split in a saved flow, whose arms a test can be run on. */
export type SplitChoice = { key: string; flowId: number; flowName: string; stepId: string; label: string; arms: { name: string; weight: number }[] };

/** The seed the sequence dry run starts with; a test of a flow's split starts with it too, so both split alike. */
export const DRY_RUN_SEED = 42;

/** Every random split in the saved flows, nested ones included, in flow order. */
export function splitSteps(flows: readonly SavedFlow[]): SplitChoice[] {
  const out: SplitChoice[] = [];
  const walk = (flow: SavedFlow, steps: readonly Step[]) => {
    for (const step of steps) {
      if (step.type === "split") {
        out.push({
          key: `${flow.id}:${step.id}`,
          flowId: flow.id,
          flowName: flow.flow.name,
          stepId: step.id,
          label: `${flow.flow.name} · ${step.id} (${step.arms.map((a) => a.name).join(" / ")})`,
          arms: step.arms.map((a) => ({ name: a.name, weight: a.weight })),
        });
        step.arms.forEach((a) => walk(flow, a.steps));
      } else if (step.type === "branch") {
        walk(flow, step.yes);
        walk(flow, step.no);
      }
    }
  };
  flows.forEach((f) => walk(f, f.flow.steps));
  return out;
}

/** How long a test runs after its start day unless the marketer says otherwise. */
export const DEFAULT_TEST_DAYS = 14;

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
  // Empty until chosen: the segment's own default moment, the end of its data.
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [audience, setAudience] = useState<SegmentCount | null>(null);
  const [outcome, setOutcome] = useState("purchase");
  const [currency, setCurrency] = useState("USD");
  const [seed, setSeed] = useState(1);
  const [name, setName] = useState("");
  const [creatives, setCreatives] = useState<SavedTemplate[]>([]);
  const [splits, setSplits] = useState<SplitChoice[]>([]);
  const [split, setSplit] = useState("");
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
      },
      (e) => live && setError(toBackendError(e)),
    );
    Promise.all([backend.creativeTemplates(), backend.sequences()]).then(
      ([templates, flows]) => {
        if (!live) return;
        setCreatives(templates);
        const found = splitSteps(flows);
        setSplits(found);
        setSplit((k) => (found.some((f) => f.key === k) ? k : (found[0]?.key ?? "")));
      },
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, revision]);

  /** Switches what the arms are; creatives and sequence splits bring their own arms. */
  function chooseSubject(next: AudienceSubject) {
    setSubject(next);
    if (next === "creative" && creatives.length >= 2) {
      setArms(creatives.slice(0, 2).map((t, i) => ({ name: t.definition.name, weight: 50, is_control: i === 0 })));
    } else if (next === "sequence_step") {
      const chosen = splits.find((x) => x.key === split);
      if (chosen) setArms(chosen.arms.map((a, i) => ({ ...a, is_control: i === 0 })));
      setSeed(DRY_RUN_SEED);
    } else if (next === "segment") {
      setArms([
        { name: "Holdout", weight: 10, is_control: true },
        { name: "Treatment", weight: 90, is_control: false },
      ]);
    }
  }

  function chooseSplit(key: string) {
    setSplit(key);
    const chosen = splits.find((x) => x.key === key);
    if (chosen) setArms(chosen.arms.map((a, i) => ({ ...a, is_control: i === 0 })));
  }

  // The arms as the backend sees them: the first is the control. Their shares
  // and what is wrong with them come from the backend's one check.
  const [armsCheck, setArmsCheck] = useState<ArmsCheck | null>(null);
  useEffect(() => {
    let live = true;
    backend.checkAudienceArms(arms.map((a, i) => ({ name: a.name, weight: a.weight, is_control: i === 0 }))).then(
      (c) => live && setArmsCheck(c),
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, arms]);

  const selectedDefinition = choices?.find((c) => c.key === choice)?.definition ?? null;
  // The audience at the start: counted as Segments counts it "as of" that day.
  // Without a start day, the segment's default moment becomes the start.
  useEffect(() => {
    if (!selectedDefinition) return;
    let live = true;
    setAudience(null);
    backend.segmentCount(selectedDefinition, start || null).then(
      (c) => {
        if (!live) return;
        setAudience(c);
        if (!start) chooseStart(asOfDay(c.as_of));
      },
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, selectedDefinition, start]);

  /** Sets the start day and keeps the last day after it. */
  function chooseStart(next: string) {
    setStart(next);
    setEnd((e) => (e && e > next ? e : addDays(next, DEFAULT_TEST_DAYS)));
  }

  function chooseSegment(key: string) {
    setChoice(key);
    // A new segment starts at its own data's end, unless a day was picked.
    setStart("");
    setEnd("");
  }

  const chosenSplit = splits.find((x) => x.key === split) ?? null;
  const creativeIds = arms.map((a) => creatives.find((t) => t.definition.name === a.name)?.id);
  const selected = choices?.find((c) => c.key === choice) ?? null;
  const problem =
    !selected ? "Choose a segment."
    : subject === "creative" && creatives.length < 2 ? "Save at least two creative templates (Creatives) to test one against another."
    : subject === "creative" && creativeIds.some((id) => id === undefined) ? "Each arm must be one of your creative templates."
    : subject === "sequence_step" && !chosenSplit ? "Save a flow with a random split (Sequences) to test its arms here."
    : armsCheck?.problem ? sentence(armsCheck.problem)
    : (!start || !end ? "Choose when the test runs."
      : end <= start ? "The last day must come after the start day: outcomes count from the end of the start day."
      : audience && audience.members === 0 ? `${selected.definition.name} has nobody in it at the end of ${day(start)}.`
      : null);

  function setArm(i: number, change: Partial<AudienceArm>) {
    setArms((all) => all.map((a, j) => (j === i ? { ...a, ...change } : a)));
  }

  /** What the arms are versions of, as stored with the test. */
  function subjectOf(): { subject_id?: number; subject_label: string; split?: SplitOf } {
    if (subject === "creative") {
      return { subject_id: creativeIds[0], subject_label: `Creatives ${arms.map((a) => a.name).join(" vs ")} for ${selected!.definition.name}` };
    }
    if (subject === "sequence_step" && chosenSplit) {
      return {
        subject_id: chosenSplit.flowId,
        subject_label: `Sequence ${chosenSplit.label} for ${selected!.definition.name}`,
        split: { flow: chosenSplit.flowName, step: chosenSplit.stepId },
      };
    }
    return { subject_id: choice.startsWith("saved:") ? Number(choice.slice(6)) : undefined, subject_label: selected!.definition.name };
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
        ...subjectOf(),
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
          <select data-testid="audience-segment" value={choice} onChange={(e) => chooseSegment(e.target.value)}>
            {(choices ?? []).map((c) => (
              <option key={c.key} value={c.key}>{c.label}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>The arms are</span>
          <select data-testid="audience-subject" value={subject} onChange={(e) => chooseSubject(e.target.value as AudienceSubject)}>
            {(Object.keys(SUBJECTS) as AudienceSubject[]).map((k) => (
              <option key={k} value={k}>{SUBJECTS[k]}</option>
            ))}
          </select>
        </label>
        {subject === "sequence_step" && (
          <label className="field">
            <span>Random split</span>
            <select data-testid="audience-split" value={split} onChange={(e) => chooseSplit(e.target.value)}>
              {splits.map((x) => (
                <option key={x.key} value={x.key}>{x.label}</option>
              ))}
            </select>
            <span className="muted small" data-testid="audience-split-note">
              People are split as the flow's dry run splits them: with the same seed, everyone is in the same arm in both.
            </span>
          </label>
        )}
        <label className="field">
          <span>Audience as of the end of</span>
          <input type="date" data-testid="audience-start" value={start} onChange={(e) => e.target.value && chooseStart(e.target.value)} />
          <span className="muted small" data-testid="audience-size">
            {audience === null
              ? "Counting…"
              : audience.members > 0
                ? `${plural(audience.members, "person", "people")} in ${selected?.definition.name ?? "the segment"} then; outcomes count from that moment.`
                : null}
          </span>
          {audience?.zero && <ZeroExplained zero={audience.zero} shownDay={start || null} onUse={chooseStart} />}
        </label>
        <label className="field">
          <span>Last day outcomes count</span>
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
                {subject === "creative" ? (
                  <select className="select" aria-label={`Arm ${i + 1} creative`} data-testid="audience-arm-creative" value={arm.name} onChange={(e) => setArm(i, { name: e.target.value })}>
                    {(creatives.some((t) => t.definition.name === arm.name) ? [] : [arm.name]).map((n) => (
                      <option key={n} value={n}>{n}</option>
                    ))}
                    {creatives.map((t) => (
                      <option key={t.id} value={t.definition.name}>{t.definition.name}</option>
                    ))}
                  </select>
                ) : (
                  <input className="input" aria-label={`Arm ${i + 1} name`} value={arm.name} readOnly={subject === "sequence_step"} onChange={(e) => setArm(i, { name: e.target.value })} />
                )}
                {i === 0 && <span className="muted"> · control</span>}
              </td>
              <td className="num">
                <input className="input" aria-label={`Arm ${i + 1} weight`} type="number" min={1} value={arm.weight || ""} onChange={(e) => setArm(i, { weight: Math.floor(Number(e.target.value) || 0) })} />
              </td>
              <td className="num">{armsCheck?.shares[i] === undefined ? "" : percent(armsCheck.shares[i], 0)}</td>
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
        {arms.length < 10 && subject !== "sequence_step" && (
          <button type="button" className="button" onClick={() => setArms((all) => [...all, { name: subject === "creative" ? (creatives[all.length]?.definition.name ?? creatives[0]?.definition.name ?? "") : `Arm ${all.length + 1}`, weight: subject === "creative" ? 50 : 10, is_control: false }])}>
            <Plus size={14} aria-hidden /> Add an arm
          </button>
        )}
        <button type="button" className="button primary" data-testid="audience-create" disabled={busy || problem !== null || armsCheck === null} onClick={() => void create()}>
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

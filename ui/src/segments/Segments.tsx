// The Segments section: saved segments and templates on the left, the
// editor on the right (definition, rule builder, live figures), membership
// over time and the overlap of saved segments below. Live figures are asked
// for 250 ms after the last edit and only the latest answer is shown, so
// typing never waits on the engine.

import { Download, FileUp, Plus, Save, Trash2, Users, X } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ChartTheme } from "../bindings/ChartTheme";
import type { EngineReading } from "../bindings/segments/EngineReading";
import type { Breakdowns } from "../bindings/segments/Breakdowns";
import type { Channel } from "../bindings/segments/Channel";
import type { Member } from "../bindings/segments/Member";
import type { MembershipChart } from "../bindings/segments/MembershipChart";
import type { OverlapMatrix } from "../bindings/segments/OverlapMatrix";
import type { PersonTimeline } from "../bindings/segments/PersonTimeline";
import type { SavedSegment } from "../bindings/segments/SavedSegment";
import type { SegmentCount } from "../bindings/segments/SegmentCount";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import type { SegmentVocabulary } from "../bindings/segments/SegmentVocabulary";
import type { Template } from "../bindings/segments/Template";
import { ErrorNotice } from "../components/ErrorNotice";
import { InfoNotice } from "../components/InfoNotice";
import { asOfDay, count, day, eventLabel, label, money, plural } from "../lib/format";
import { RuleBuilder } from "./RuleBuilder";
import { dataDescription, ZeroExplained } from "./ZeroExplained";
import { addDays, describeRule, LatestOnly, newDefinition, problems, withPurpose } from "./rules";

const LIVE_DELAY_MS = 250;
const SAMPLE_SIZE = 8;
const TIMELINE_PAGE = 50;

interface Draft {
  /** The saved segment being edited, or null for a new one. */
  id: number | null;
  definition: SegmentDefinition;
}

function svgSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

function when(micros: number | null | undefined): string {
  if (micros === null || micros === undefined) return "—";
  return new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: "UTC" }).format(
    new Date(micros / 1000),
  );
}

function channelName(channel: Channel | undefined): string {
  return channel === "email" ? "e-mail" : channel === "sms" ? "SMS" : channel === "push" ? "push" : channel === "ads" ? "ads" : "the channel";
}

function personName(m: { first_name?: string; last_name?: string; person_id: number }): string {
  const name = [m.first_name, m.last_name].filter(Boolean).join(" ");
  return name || `Person ${m.person_id}`;
}

export function Segments(props: { revision: number; chartTheme: ChartTheme }) {
  const backend = useBackend();
  const [saved, setSaved] = useState<SavedSegment[] | null>(null);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [vocabulary, setVocabulary] = useState<SegmentVocabulary | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [savedRevision, setSavedRevision] = useState(0);
  // A new editor (fresh as-of date, charts, drawer) for each segment opened; saving keeps it.
  const [opened, setOpened] = useState(0);
  const open = (d: Draft) => {
    setDraft(d);
    setOpened((n) => n + 1);
  };

  useEffect(() => {
    let live = true;
    const failed = (e: unknown) => live && setError(toBackendError(e));
    // Each as it comes: the vocabulary scans every event (seconds on a large
    // workspace), and the lists should not wait for it.
    Promise.all([backend.segments(), backend.segmentTemplates()]).then(([list, tpl]) => {
      if (!live) return;
      setSaved(list);
      setTemplates(tpl);
    }, failed);
    backend.segmentVocabulary().then((vocab) => live && setVocabulary(vocab), failed);
    return () => {
      live = false;
    };
  }, [backend, props.revision, savedRevision]);

  const refresh = () => setSavedRevision((r) => r + 1);

  const importFile = async () => {
    setError(null);
    try {
      const imported = await backend.importSegments();
      if (imported) {
        setNotice(`Imported ${plural(imported.length, "segment")}: ${imported.map((s) => s.definition.name).join(", ")}.`);
        refresh();
      }
    } catch (e) {
      setError(toBackendError(e));
    }
  };
  const exportFile = async (ids: number[], name: string) => {
    setError(null);
    try {
      const n = await backend.exportSegments(ids, name);
      if (n !== null) setNotice(`Exported the rules of ${plural(n, "segment")}.`);
    } catch (e) {
      setError(toBackendError(e));
    }
  };

  return (
    <section className="page" data-testid="segments">
      <header className="page-header">
        <div>
          <h1>Segments</h1>
          <p className="muted">Audiences from what people did on every device they used, as of any day.</p>
        </div>
        <div className="row header-actions">
          <button type="button" className="button" onClick={importFile} data-testid="segments-import">
            <FileUp size={16} aria-hidden /> Import rules (JSON)
          </button>
          <button type="button" className="button" onClick={() => exportFile([], "segments.json")} disabled={!saved || saved.length === 0}>
            <Download size={16} aria-hidden /> Export all rules (JSON)
          </button>
          <button type="button" className="button primary" data-testid="new-segment" onClick={() => open({ id: null, definition: newDefinition() })}>
            <Plus size={16} aria-hidden /> New segment
          </button>
        </div>
      </header>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      {notice && (
        <InfoNotice message={notice} onDismiss={() => setNotice(null)} />
      )}
      <div className="segments-layout">
        <aside className="segments-side">
          <div className="card">
            <div className="card-header">
              <h2>Saved segments</h2>
            </div>
            {saved && saved.length === 0 && <p className="muted small">None yet. Start from a template or a blank segment.</p>}
            <ul className="list" data-testid="saved-segments">
              {(saved ?? []).map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    className={draft?.id === s.id ? "list-item active" : "list-item"}
                    data-testid="saved-segment"
                    onClick={() => open({ id: s.id, definition: s.definition })}
                  >
                    <Users size={16} aria-hidden />
                    <span className="list-item-body">
                      <span className="cell-title">{s.definition.name}</span>
                      <span className="cell-sub">
                        <span className={`badge badge-${s.definition.purpose}`}>{label(s.definition.purpose)}</span>
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
          <div className="card">
            <div className="card-header">
              <h2>Templates</h2>
            </div>
            <ul className="list" data-testid="segment-templates">
              {templates.map((t) => (
                <li key={t.key}>
                  <button
                    type="button"
                    className="list-item"
                    data-testid="segment-template"
                    data-key={t.key}
                    title={t.definition.description}
                    onClick={() => open({ id: null, definition: t.definition })}
                  >
                    <span className="list-item-body">
                      <span className="cell-title">{t.definition.name}</span>
                      <span className="cell-sub">
                        <span className={`badge badge-${t.definition.purpose}`}>{label(t.definition.purpose)}</span>
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </aside>
        <div className="segments-main">
          {draft ? (
            <Editor
              key={opened}
              draft={draft}
              onDraft={setDraft}
              vocabulary={vocabulary}
              saved={saved ?? []}
              chartTheme={props.chartTheme}
              onSaved={(s) => {
                setDraft({ id: s.id, definition: s.definition });
                setNotice(`Saved “${s.definition.name}”.`);
                refresh();
              }}
              onDeleted={() => {
                setDraft(null);
                refresh();
              }}
              onExport={exportFile}
            />
          ) : (
            <div className="card empty">
              <h2>Build an audience</h2>
              <p className="muted">
                Open a saved segment, start from a template such as cart abandoners, or create a blank segment and add rules: what people did, in which order,
                how recently and how often, what they spent, their consent and the other segments they are in.
              </p>
            </div>
          )}
        </div>
      </div>
      {saved && saved.length > 1 && <Overlap revision={savedRevision} />}
    </section>
  );
}

interface Live {
  count: SegmentCount | null;
  sample: Member[];
  breakdowns: Breakdowns | null;
  error: BackendError | null;
  pending: boolean;
}

/** How often the live count asks how far the engine's first read has got. */
const READING_POLL_MS = 250;

/**
 * While a count waits, the engine may be reading the workspace into memory
 * (the first count after opening it, or after an import or undo: seconds at
 * millions of events). Shows how far it has got, with a way to stop it.
 */
function EngineReadingProgress({ waiting, onStop }: { waiting: boolean; onStop: () => void }) {
  const backend = useBackend();
  const [reading, setReading] = useState<EngineReading | null>(null);
  useEffect(() => {
    if (!waiting) {
      setReading(null);
      return;
    }
    let live = true;
    const ask = () =>
      backend.segmentEngineReading().then(
        (r) => live && setReading(r),
        () => undefined,
      );
    void ask();
    const timer = setInterval(ask, READING_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [backend, waiting]);
  if (!waiting || reading === null) return null;
  const fraction = reading.events_total > 0 ? Math.min(0.99, reading.events_read / reading.events_total) : null;
  return (
    <div className="engine-reading" data-testid="engine-reading">
      <p className="muted small">Reading the workspace into memory, so that counts take milliseconds from now on.</p>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}>
        <div className={fraction === null ? "progress-bar indeterminate" : "progress-bar"} style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
      </div>
      <div className="progress-figures">
        <span data-testid="engine-reading-figures">
          {reading.events_total > 0 ? `${count(reading.events_read)} of about ${plural(reading.events_total, "event")}` : "people, products and devices first"}
        </span>
        <button type="button" className="button small-button" data-testid="engine-reading-stop" onClick={onStop}>
          Stop
        </button>
      </div>
    </div>
  );
}

/** Live figures for a draft: debounced, and only the latest answer is kept. */
function useLive(definition: SegmentDefinition, asOf: string | null, blocked: boolean, attempt: number): Live {
  const backend = useBackend();
  const [live, setLive] = useState<Live>({ count: null, sample: [], breakdowns: null, error: null, pending: true });
  const latest = useRef(new LatestOnly());
  // The name and description do not change who is in the segment.
  const key = JSON.stringify([definition.rule, definition.purpose, definition.consent ?? null, asOf]);
  useEffect(() => {
    if (blocked) {
      latest.current.next();
      setLive((l) => ({ ...l, pending: false }));
      return;
    }
    setLive((l) => ({ ...l, pending: true }));
    const timer = setTimeout(() => {
      const ticket = latest.current.next();
      const def = JSON.parse(key)[0] as SegmentDefinition["rule"];
      const evaluated: SegmentDefinition = { ...definition, rule: def };
      backend.segmentCount(evaluated, asOf).then(
        (c) => latest.current.isLatest(ticket) && setLive((l) => ({ ...l, count: c, error: null, pending: false })),
        (e) => latest.current.isLatest(ticket) && setLive((l) => ({ ...l, count: null, error: toBackendError(e), pending: false })),
      );
      backend.segmentSample(evaluated, asOf, SAMPLE_SIZE, 7).then(
        (s) => latest.current.isLatest(ticket) && setLive((l) => ({ ...l, sample: s })),
        () => undefined,
      );
      backend.segmentBreakdowns(evaluated, asOf).then(
        (b) => latest.current.isLatest(ticket) && setLive((l) => ({ ...l, breakdowns: b })),
        () => undefined,
      );
    }, LIVE_DELAY_MS);
    return () => clearTimeout(timer);
    // `definition` is read through `key`; its other fields do not matter here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, key, blocked, attempt]);
  return live;
}

function Editor(props: {
  draft: Draft;
  onDraft: (d: Draft) => void;
  vocabulary: SegmentVocabulary | null;
  saved: SavedSegment[];
  chartTheme: ChartTheme;
  onSaved: (s: SavedSegment) => void;
  onDeleted: () => void;
  onExport: (ids: number[], name: string) => void;
}) {
  const backend = useBackend();
  const { draft, onDraft, vocabulary } = props;
  const def = draft.definition;
  const [asOf, setAsOf] = useState<string>("");
  const [error, setError] = useState<BackendError | null>(null);
  const [person, setPerson] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const issues = problems(def);
  const evaluationIssues = issues.filter((p) => !p.startsWith("Give the segment a name"));
  // Stopped by the person while the engine read the workspace: no counts
  // until they ask again ("Count again" also bumps the attempt).
  const [stopped, setStopped] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const live = useLive(def, asOf || null, evaluationIssues.length > 0 || stopped, attempt);
  const stopReading = () => {
    setStopped(true);
    void backend.segmentEngineCancel();
  };
  const countAgain = () => {
    setStopped(false);
    setAttempt((a) => a + 1);
  };
  const setDef = (definition: SegmentDefinition) => onDraft({ ...draft, definition });
  const segmentNames = props.saved.map((s) => s.definition.name).filter((n) => n !== props.saved.find((s) => s.id === draft.id)?.definition.name);
  const context = useMemo(() => ({ vocabulary, segmentNames }), [vocabulary, segmentNames.join("\n")]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onSaved(await backend.saveSegment(draft.id, def));
    } catch (e) {
      setError(toBackendError(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (draft.id === null) return;
    setError(null);
    try {
      await backend.deleteSegment(draft.id);
      props.onDeleted();
    } catch (e) {
      setError(toBackendError(e));
    }
  };

  const c = live.count;
  // The moment the figures are for: the day picked, else (following the
  // data) the end of the last day of the events this segment is about.
  const shownDay = asOf || (c ? asOfDay(c.as_of) : null);
  const dataEnd = c?.data?.last_day ?? null;
  return (
    <div className="segment-editor" data-testid="segment-editor">
      <div className="segment-columns">
        <div className="card segment-definition">
          <div className="segment-title-row">
            <label className="field grow">
              Name
              <input data-testid="segment-name" value={def.name} onChange={(e) => setDef({ ...def, name: e.target.value })} />
            </label>
            <div className="row">
              <button type="button" className="button primary" data-testid="segment-save" onClick={save} disabled={busy || issues.length > 0}>
                <Save size={16} aria-hidden /> {draft.id === null ? "Save" : "Save changes"}
              </button>
              {draft.id !== null && (
                <>
                  <button type="button" className="button" onClick={() => props.onExport([draft.id ?? 0], `${def.name}.json`)} title="Save this segment's rules to a file, to import into another workspace">
                    <Download size={16} aria-hidden /> Export rules (JSON)
                  </button>
                  <button type="button" className="button" aria-label="Delete segment" onClick={remove}>
                    <Trash2 size={16} aria-hidden />
                  </button>
                </>
              )}
            </div>
          </div>
          <label className="field">
            Description
            <input value={def.description ?? ""} placeholder="What this audience is for" onChange={(e) => setDef({ ...def, description: e.target.value || undefined })} />
          </label>
          <div className="segment-options">
            <div className="field">
              Purpose
              <span className="segmented" role="radiogroup" aria-label="Purpose">
                {(["retargeting", "remarketing"] as const).map((p) => (
                  <button
                    key={p}
                    type="button"
                    role="radio"
                    aria-checked={def.purpose === p}
                    className={def.purpose === p ? "segment checked" : "segment"}
                    onClick={() => setDef(withPurpose(def, p))}
                    title={p === "retargeting" ? "Paid ads shown because of behaviour" : "Follow-up through e-mail, SMS or push"}
                  >
                    {label(p)}
                  </button>
                ))}
              </span>
            </div>
            <ConsentOptions definition={def} onChange={setDef} />
            <label className="field">
              Evaluate as of the end of
              <span className="row">
                <input className="input" type="date" data-testid="as-of" value={shownDay ?? ""} onChange={(e) => setAsOf(e.target.value)} />
                {!asOf && dataEnd && (
                  <span className="muted small" data-testid="as-of-source">
                    the last day of {dataDescription(c?.data?.events ?? [])}
                  </span>
                )}
                {asOf && dataEnd && asOf !== dataEnd && (
                  <button type="button" className="link small" data-testid="as-of-last-day" onClick={() => setAsOf("")}>
                    Last day of data ({day(dataEnd)})
                  </button>
                )}
              </span>
            </label>
          </div>
          <h3>Who is in it</h3>
          <RuleBuilder rule={def.rule} onChange={(rule) => setDef({ ...def, rule })} context={context} />
          <p className="muted small rule-sentence" data-testid="rule-sentence">
            {describeRule(def.rule, vocabulary?.currencies[0])}
          </p>
          {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
        </div>
        <div className="segment-live">
          <div className="card live-count" data-testid="live-count-card" aria-busy={live.pending}>
            <div className="kpi-title">In the audience{shownDay ? ` at the end of ${day(shownDay)}` : ""}</div>
            <div className={live.pending ? "kpi-value pending" : "kpi-value"} data-testid="live-count">
              {c ? count(c.members) : "…"}
            </div>
            {c?.zero && !live.pending && <ZeroExplained zero={c.zero} shownDay={shownDay} onUse={setAsOf} />}
            {c && (
              <div className="kpi-note">
                {c.consent_channel != null && c.without_consent > 0 && (
                  <span data-testid="left-out">
                    {c.left_out_without_consent
                      ? `${count(c.without_consent)} left out for lack of ${channelName(c.consent_channel)} consent (of ${count(c.matched)} matched)`
                      : `${count(c.without_consent)} of them have no ${channelName(c.consent_channel)} consent (kept in)`}
                  </span>
                )}
                {c.consent_channel != null && c.without_consent === 0 && <span>everyone matched has {channelName(c.consent_channel)} consent</span>}
                <span className="muted">{c.elapsed_ms} ms</span>
              </div>
            )}
            {evaluationIssues.length > 0 && (
              <ul className="problems small">
                {evaluationIssues.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
            <EngineReadingProgress waiting={live.pending} onStop={stopReading} />
            {stopped && <p className="muted small" data-testid="count-stopped">Counting stopped while the workspace was being read into memory; nothing was kept.</p>}
            {live.error && !stopped && <ErrorNotice error={live.error} />}
            {(stopped || live.error?.code === "cancelled") && (
              <button type="button" className="button small-button" data-testid="count-again" onClick={countAgain}>
                Count again
              </button>
            )}
          </div>
          <div className="card">
            <div className="card-header">
              <h2>Sample people</h2>
              <span className="muted small">click one for their timeline</span>
            </div>
            {live.sample.length === 0 && <p className="muted small">No one matches yet.</p>}
            <ul className="list sample-list" data-testid="sample-people">
              {live.sample.map((m) => (
                <li key={m.person_id}>
                  <button type="button" className="list-item" data-testid="sample-person" onClick={() => setPerson(m.person_id)}>
                    <span className="list-item-body">
                      <span className="cell-title">{personName(m)}</span>
                      <span className="cell-sub">
                        {m.country && <span>{m.country}</span>}
                        <span>last seen {when(m.last_seen_at)}</span>
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
          {live.breakdowns && <BreakdownCard breakdowns={live.breakdowns} />}
        </div>
      </div>
      {evaluationIssues.length === 0 && shownDay && <Membership definition={def} asOf={shownDay} chartTheme={props.chartTheme} />}
      {person !== null && <PersonDrawer personId={person} asOf={shownDay} onClose={() => setPerson(null)} />}
    </div>
  );
}

/** "your Added to cart events", "your events": what the segment's data is. */
function ConsentOptions({ definition, onChange }: { definition: SegmentDefinition; onChange: (d: SegmentDefinition) => void }) {
  const consent = definition.consent;
  if (definition.purpose === "remarketing") {
    return (
      <div className="field">
        Consent
        <span className="row">
          <select
            className="select"
            aria-label="Consent channel"
            value={consent?.channel ?? "email"}
            onChange={(e) => onChange({ ...definition, consent: { channel: e.target.value as Channel, include_without_consent: consent?.include_without_consent ?? false } })}
          >
            <option value="email">E-mail</option>
            <option value="sms">SMS</option>
            <option value="push">Push</option>
          </select>
          <label className="checkbox small">
            <input
              type="checkbox"
              data-testid="include-without-consent"
              checked={consent?.include_without_consent ?? false}
              onChange={(e) => onChange({ ...definition, consent: { channel: consent?.channel ?? "email", include_without_consent: e.target.checked } })}
            />
            Keep people without consent
          </label>
        </span>
      </div>
    );
  }
  return (
    <div className="field">
      Consent
      <label className="checkbox small">
        <input
          type="checkbox"
          checked={consent !== undefined}
          onChange={(e) => {
            if (e.target.checked) onChange({ ...definition, consent: { channel: "ads", include_without_consent: false } });
            else {
              const { consent: _c, ...rest } = definition;
              onChange(rest);
            }
          }}
        />
        Only people with ads consent
      </label>
    </div>
  );
}

function BreakdownCard({ breakdowns }: { breakdowns: Breakdowns }) {
  const total = Math.max(1, breakdowns.members);
  const rows = (title: string, list: Breakdowns["devices"], testid: string) => (
    <div className="breakdown" data-testid={testid}>
      <h3>{title}</h3>
      {list.length === 0 && <p className="muted small">—</p>}
      {list.map((r) => (
        <div key={r.key} className="bar-row" title={r.label}>
          <span className="bar-label">{r.label}</span>
          <span className="bar-track">
            <span className="bar-fill" style={{ width: `${Math.round((100 * r.people) / total)}%` }} />
          </span>
          <span className="bar-value">{count(r.people)}</span>
        </div>
      ))}
    </div>
  );
  return (
    <div className="card" data-testid="breakdowns">
      <div className="card-header">
        <h2>Breakdowns</h2>
        <span className="muted small">people, last 30 days of activity</span>
      </div>
      {rows("Devices", breakdowns.devices, "breakdown-devices")}
      {rows("Top products", breakdowns.top_products.slice(0, 5), "breakdown-products")}
      {rows("Top categories", breakdowns.top_categories.slice(0, 5), "breakdown-categories")}
    </div>
  );
}

function Membership({ definition, asOf, chartTheme }: { definition: SegmentDefinition; asOf: string; chartTheme: ChartTheme }) {
  const backend = useBackend();
  const end = asOf;
  const [range, setRange] = useState({ from: addDays(end, -29), to: end });
  const [chart, setChart] = useState<MembershipChart | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setRange({ from: addDays(end, -29), to: end }), [end]);
  // A chart of an earlier version of the rules would mislead: drop it on every edit.
  const ruleKey = JSON.stringify([definition.rule, definition.consent ?? null]);
  useEffect(() => setChart(null), [ruleKey]);
  const show = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      setChart(await backend.segmentMembership(definition, range.from, range.to, chartTheme));
    } catch (e) {
      setError(toBackendError(e));
    } finally {
      setBusy(false);
    }
  }, [backend, definition, range, chartTheme]);
  const totals = chart ? chart.days.reduce((t, d) => ({ entries: t.entries + d.entries, exits: t.exits + d.exits }), { entries: 0, exits: 0 }) : null;
  return (
    <div className="card" data-testid="membership">
      <div className="card-header">
        <h2>Membership over time</h2>
        <span className="row">
          <input className="input" type="date" aria-label="From" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
          <input className="input" type="date" aria-label="To" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
          <button type="button" className="button small-button" onClick={show} disabled={busy} data-testid="membership-show">
            {busy ? "Computing…" : chart ? "Update" : "Show"}
          </button>
        </span>
      </div>
      {error && <ErrorNotice error={error} />}
      {!chart && !error && <p className="muted small">Audience size at the end of each day, with who entered and who left. One evaluation per day, so it takes a moment.</p>}
      {chart && (
        <>
          <img className="chart" src={svgSource(chart.svg)} alt="Members per day, entries and exits per day" />
          {totals && (
            <p className="muted small">
              <span className="legend legend-in" /> {plural(totals.entries, "entry", "entries")} · <span className="legend legend-out" /> {plural(totals.exits, "exit")} from {day(range.from)} to{" "}
              {day(range.to)}
            </p>
          )}
        </>
      )}
    </div>
  );
}

function Overlap({ revision }: { revision: number }) {
  const backend = useBackend();
  const [matrix, setMatrix] = useState<OverlapMatrix | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  useEffect(() => {
    let live = true;
    backend.segmentsOverlap(null).then(
      (m) => live && setMatrix(m),
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, revision]);
  return (
    <div className="card" data-testid="overlap">
      <div className="card-header">
        <h2>Overlap of saved segments</h2>
        <span className="muted small">people in both, now; the diagonal is each audience's size</span>
      </div>
      {error && <ErrorNotice error={error} />}
      {matrix && (
        <div className="preview-scroll">
          <table className="table overlap-table">
            <thead>
              <tr>
                <th />
                {matrix.names.map((n) => (
                  <th key={n} className="num" title={n}>
                    {n}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.names.map((row, i) => (
                <tr key={row}>
                  <th scope="row">{row}</th>
                  {(matrix.shared[i] ?? []).map((v, j) => {
                    const own = matrix.shared[i]?.[i] ?? 0;
                    const share = own > 0 ? v / own : 0;
                    return (
                      <td
                        key={j}
                        className={i === j ? "num overlap-self" : "num"}
                        style={i === j ? undefined : { background: `color-mix(in srgb, var(--accent) ${Math.round(share * 45)}%, transparent)` }}
                        title={i === j ? `${row}: ${v}` : `${v} of ${row}'s ${own} are also in ${matrix.names[j] ?? ""}`}
                      >
                        {count(v)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Unix microseconds of the end of a YYYY-MM-DD UTC day (what "as of" that day means). */
export function endOfDayMicros(day: string): number {
  return (Date.parse(`${day}T00:00:00Z`) + 86_400_000) * 1000;
}

function PersonDrawer({ personId, asOf, onClose }: { personId: number; asOf: string | null; onClose: () => void }) {
  const cut = asOf ? endOfDayMicros(asOf) : null;
  const backend = useBackend();
  const [timeline, setTimeline] = useState<PersonTimeline | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  useEffect(() => {
    let live = true;
    setTimeline(null);
    backend.personTimeline(personId, 0, TIMELINE_PAGE).then(
      (t) => live && setTimeline(t),
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, personId]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  const more = async () => {
    if (!timeline) return;
    try {
      const page = await backend.personTimeline(personId, timeline.events.length, TIMELINE_PAGE);
      setTimeline({ ...timeline, events: [...timeline.events, ...page.events] });
    } catch (e) {
      setError(toBackendError(e));
    }
  };
  const t = timeline;
  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <aside className="drawer" role="dialog" aria-label="Person timeline" data-testid="person-timeline" onClick={(e) => e.stopPropagation()}>
        <div className="drawer-header">
          <div>
            <h2>{t ? personName(t) : `Person ${personId}`}</h2>
            {t && (
              <p className="muted small">
                {[t.country, t.time_zone, t.locale].filter(Boolean).join(" · ")} · first seen {when(t.first_seen_at)} · last seen {when(t.last_seen_at)}
              </p>
            )}
          </div>
          <button type="button" className="icon-button" aria-label="Close" data-testid="person-close" onClick={onClose}>
            <X size={18} />
          </button>
        </div>
        {error && <ErrorNotice error={error} />}
        {t && (
          <div className="drawer-body">
            <h3>Ids stitched to this person</h3>
            <ul className="identity-list">
              {t.identities.length === 0 && <li className="muted small">No ids recorded.</li>}
              {t.identities.map((i) => (
                <li key={`${i.kind}:${i.value}`}>
                  <span className="badge badge-neutral">{label(i.kind)}</span> <code>{i.value}</code>
                </li>
              ))}
            </ul>
            <h3>Devices</h3>
            <ul className="identity-list" data-testid="person-devices">
              {t.devices.length === 0 && <li className="muted small">No devices recorded.</li>}
              {t.devices.map((d) => (
                <li key={d.id}>
                  <span className="badge badge-neutral">{d.category}</span> {[d.os, d.browser].filter(Boolean).join(", ") || d.external_id}{" "}
                  <span className="muted small">· {plural(d.events, "event")}</span>
                </li>
              ))}
            </ul>
            <h3>
              Timeline · {plural(t.total_events, "event")} on {plural(t.devices.length, "device")}
            </h3>
            {cut !== null && t.events.some((e) => e.ts >= cut) && (
              <p className="muted small" data-testid="timeline-after-as-of">
                Events after the end of {day(asOf!)} are dimmed: the segment is evaluated as of that day and does not count them.
              </p>
            )}
            <table className="table timeline" data-testid="timeline-events">
              <tbody>
                {t.events.map((e) => (
                  <tr key={e.id} className={cut !== null && e.ts >= cut ? "after-as-of" : undefined}>
                    <td className="nowrap muted small">{when(e.ts)}</td>
                    <td>
                      <span className="cell-title" title={e.name}>{eventLabel(e.name)}</span>
                      <span className="cell-sub">
                        {e.product_title && <span>{e.product_title}</span>}
                        {e.category && <span>{e.category}</span>}
                        {e.page && <span>{e.page}</span>}
                        {e.value_minor != null && e.currency && <span>{money(e.value_minor, e.currency)}</span>}
                      </span>
                    </td>
                    <td className="nowrap small">
                      {e.device_category && <span className="badge badge-neutral">{e.device_category}</span>}
                      {e.source && <span className="muted"> {e.source}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {t.events.length < t.total_events && (
              <button type="button" className="button small-button" onClick={more}>
                Show {Math.min(TIMELINE_PAGE, t.total_events - t.events.length)} more
              </button>
            )}
          </div>
        )}
      </aside>
    </div>
  );
}

// The Sequences section: saved flows and templates, the flow builder,
// message previews for a person (desktop, mobile, plain text) in a
// sandboxed frame, the dry run with progress and cancel, exports, the
// sending rules and the SMTP settings for "send a test e-mail to myself".

import { Download, FileJson, Play, Plus, Save, Send, Trash2, Workflow } from "lucide-react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { type Backend, type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { DryRun } from "../bindings/sequences/DryRun";
import type { Flow } from "../bindings/sequences/Flow";
import type { FlowStatus } from "../bindings/sequences/FlowStatus";
import type { FlowTemplate } from "../bindings/sequences/FlowTemplate";
import type { MessagePreview } from "../bindings/sequences/MessagePreview";
import type { PreviewPerson } from "../bindings/sequences/PreviewPerson";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import type { SavedFlow } from "../bindings/sequences/SavedFlow";
import type { SendingRules } from "../bindings/sequences/SendingRules";
import type { SmtpSettings } from "../bindings/sequences/SmtpSettings";
import type { Trigger } from "../bindings/sequences/Trigger";
import { ErrorNotice } from "../components/ErrorNotice";
import { InfoNotice } from "../components/InfoNotice";
import { type Job, JobProgress } from "../components/JobProgress";
import { count, eventLabel, plural } from "../lib/format";
import { addDays, SCHEMA_VERSION } from "../segments/rules";
import { allSteps, emptyFlow, messageSteps, stepTitle } from "./flow";
import { StepList } from "./StepEditor";
import { templateWords } from "./words";
import "./sequences.css";

type Tab = "builder" | "preview" | "dry-run" | "rules";
type Width = "desktop" | "mobile" | "text";

interface Draft {
  id: number | null;
  status: FlowStatus;
  flow: Flow;
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function Sequences({ revision }: { revision: number }) {
  const backend = useBackend();
  const [templates, setTemplates] = useState<FlowTemplate[]>([]);
  const [saved, setSaved] = useState<SavedFlow[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [tab, setTab] = useState<Tab>("builder");
  const [error, setError] = useState<BackendError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [previewStep, setPreviewStep] = useState<string | null>(null);

  const reload = useCallback(() => {
    backend.sequences().then(setSaved, (e) => setError(toBackendError(e)));
  }, [backend]);
  useEffect(() => {
    backend.sequenceTemplates().then(setTemplates, (e) => setError(toBackendError(e)));
    reload();
  }, [backend, reload, revision]);

  const open = (d: Draft) => {
    setDraft(d);
    setTab("builder");
    setError(null);
  };
  const onSave = async () => {
    if (!draft) return;
    setError(null);
    try {
      const s = await backend.saveSequence(draft.id, draft.flow, draft.status);
      setDraft({ id: s.id, status: s.status, flow: s.flow });
      setNotice(`Saved “${s.flow.name}”.`);
      reload();
    } catch (e) {
      setError(toBackendError(e));
    }
  };
  const onDelete = async () => {
    if (!draft || draft.id === null) return;
    try {
      await backend.deleteSequence(draft.id);
      setDraft(null);
      reload();
    } catch (e) {
      setError(toBackendError(e));
    }
  };
  const onExportJson = async () => {
    if (!draft) return;
    try {
      if (await backend.exportSequenceJson(draft.flow, `${draft.flow.name}.json`)) setNotice("Exported the flow as JSON.");
    } catch (e) {
      setError(toBackendError(e));
    }
  };

  return (
    <section className="page" data-testid="sequences">
      <header className="page-header">
        <div>
          <h1>Sequences</h1>
          <p className="muted">Journeys across ads, e-mail, SMS and push, tried on your own history before anything is sent.</p>
        </div>
        <div className="row header-actions">
          <button type="button" className="button primary" data-testid="new-flow" onClick={() => open({ id: null, status: "draft", flow: emptyFlow("New flow") })}>
            <Plus size={16} aria-hidden /> New flow
          </button>
        </div>
      </header>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      {notice && (
        <InfoNotice message={notice} onDismiss={() => setNotice(null)} testId="sequence-notice" />
      )}
      <div className="seq-layout">
        <aside className="seq-side">
          <div className="card">
            <div className="card-header">
              <h2>Saved flows</h2>
            </div>
            {saved && saved.length === 0 && <p className="muted small">None yet. Start from a template or a blank flow.</p>}
            <ul className="list" data-testid="saved-flows">
              {(saved ?? []).map((s) => (
                <li key={s.id}>
                  <button type="button" className={draft?.id === s.id ? "list-item active" : "list-item"} data-testid="saved-flow" onClick={() => open({ id: s.id, status: s.status, flow: s.flow })}>
                    <Workflow size={16} aria-hidden />
                    <span className="list-item-body">
                      <span className="cell-title">{s.flow.name}</span>
                      <span className="cell-sub">{s.status}</span>
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
            <ul className="list" data-testid="flow-templates">
              {templates.map((t) => (
                <li key={t.key}>
                  <button type="button" className="list-item" data-testid={`flow-template-${t.key}`} onClick={() => open({ id: null, status: "draft", flow: t.flow })}>
                    <Workflow size={16} aria-hidden />
                    <span className="list-item-body">
                      <span className="cell-title">{t.flow.name}</span>
                      {t.flow.description && <span className="cell-sub">{t.flow.description}</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </aside>
        <div className="seq-main">
          {!draft && tab !== "rules" && (
            <div className="card empty">
              <p>Open a saved flow or a template, or start a new flow.</p>
              <button type="button" className="button" onClick={() => setTab("rules")} data-testid="open-rules">
                Sending rules and test e-mail settings
              </button>
            </div>
          )}
          {(draft || tab === "rules") && (
            <nav className="seq-tabs" role="tablist">
              {(["builder", "preview", "dry-run", "rules"] as const).map((t) => (
                <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? "seq-tab active" : "seq-tab"} onClick={() => setTab(t)} data-testid={`tab-${t}`} disabled={!draft && t !== "rules"}>
                  {t === "builder" ? "Builder" : t === "preview" ? "Message preview" : t === "dry-run" ? "Dry run" : "Rules & e-mail"}
                </button>
              ))}
            </nav>
          )}
          {draft && tab === "builder" && (
            <Builder
              draft={draft}
              onDraft={setDraft}
              onSave={onSave}
              onDelete={onDelete}
              onExportJson={onExportJson}
              onPreview={(stepId) => {
                setPreviewStep(stepId);
                setTab("preview");
              }}
            />
          )}
          {draft && tab === "preview" && <PreviewPanel key={previewStep ?? ""} flow={draft.flow} stepId={previewStepOf(draft.flow, previewStep)} onError={setError} onNotice={setNotice} />}
          {draft && tab === "dry-run" && <DryRunPanel flow={draft.flow} onError={setError} onNotice={setNotice} />}
          {tab === "rules" && <RulesPanel onError={setError} onNotice={setNotice} />}
        </div>
      </div>
    </section>
  );
}

/** The message step the preview opens on: the one asked for, if it is in the flow, else the first. */
function previewStepOf(flow: Flow, asked: string | null): string | null {
  const ids = messageSteps(flow).map((m) => m.id);
  return asked && ids.includes(asked) ? asked : (ids[0] ?? null);
}

function Builder({ draft, onDraft, onSave, onDelete, onExportJson, onPreview }: { draft: Draft; onDraft: (d: Draft) => void; onSave: () => void; onDelete: () => void; onExportJson: () => void; onPreview: (id: string) => void }) {
  const flow = draft.flow;
  const setFlow = (f: Flow) => onDraft({ ...draft, flow: f });
  const trigger = flow.trigger;
  const exitsOnPurchase = flow.exit_on.some((e) => e.name === "purchase");
  return (
    <div className="card seq-builder" data-testid="flow-builder">
      <div className="seq-form">
        <label className="field">
          Name
          <input value={flow.name} onChange={(e) => setFlow({ ...flow, name: e.target.value })} data-testid="flow-name" />
        </label>
        <label className="field">
          Status
          <select value={draft.status} onChange={(e) => onDraft({ ...draft, status: e.target.value as FlowStatus })} data-testid="flow-status">
            <option value="draft">Draft</option>
            <option value="active">Active (shares caps in other dry runs)</option>
            <option value="paused">Paused</option>
            <option value="archived">Archived</option>
          </select>
        </label>
        <div className="field seq-wide">
          Trigger
          <span className="row seq-inline">
            <select
              aria-label="Trigger"
              value={trigger.type}
              data-testid="trigger-type"
              onChange={(e) => setFlow({ ...flow, trigger: e.target.value === "event" ? { type: "event", event: { name: "add_to_cart" } } : { type: "segment_entry", segment: "cart_abandoners" } })}
            >
              <option value="event">When someone does an event</option>
              <option value="segment_entry">When someone joins a segment</option>
            </select>
            {trigger.type === "event" ? (
              <>
                <input aria-label="Trigger event" value={trigger.event.name} onChange={(e) => setFlow({ ...flow, trigger: { type: "event", event: { ...trigger.event, name: e.target.value } } })} data-testid="trigger-event" />
                <input aria-label="On page" placeholder="on page (optional)" value={trigger.event.page ?? ""} onChange={(e) => setFlow({ ...flow, trigger: { type: "event", event: { name: trigger.event.name, ...(e.target.value ? { page: e.target.value } : {}) } } })} />
              </>
            ) : (
              <input aria-label="Segment" value={trigger.segment} onChange={(e) => setFlow({ ...flow, trigger: { type: "segment_entry", segment: e.target.value } })} data-testid="trigger-segment" />
            )}
          </span>
        </div>
        <label className="row seq-inline">
          <input type="checkbox" checked={exitsOnPurchase} onChange={(e) => setFlow({ ...flow, exit_on: e.target.checked ? [...flow.exit_on, { name: "purchase" }] : flow.exit_on.filter((x) => x.name !== "purchase") })} data-testid="exit-on-purchase" />
          Leave the flow as soon as they purchase
        </label>
        <span className="row seq-inline">
          Goal: purchase within
          <input aria-label="Goal days" type="number" min={1} max={365} className="seq-num" value={flow.goal?.within_days ?? 7} onChange={(e) => setFlow({ ...flow, goal: { event: flow.goal?.event ?? { name: "purchase" }, within_days: Math.max(1, Number.parseInt(e.target.value, 10) || 1) } })} />
          days
        </span>
      </div>
      <h2 className="seq-h2">Steps</h2>
      <StepList flow={flow} steps={flow.steps} path={[]} onFlow={setFlow} onPreview={onPreview} />
      <div className="row seq-actions">
        <button type="button" className="button primary" onClick={onSave} data-testid="save-flow">
          <Save size={16} aria-hidden /> Save
        </button>
        <button type="button" className="button" onClick={onExportJson} data-testid="export-flow-json">
          <FileJson size={16} aria-hidden /> Export JSON
        </button>
        {draft.id !== null && (
          <button type="button" className="button" onClick={onDelete} data-testid="delete-flow">
            <Trash2 size={16} aria-hidden /> Delete
          </button>
        )}
      </div>
    </div>
  );
}

function PreviewPanel({ flow, stepId, onError, onNotice }: { flow: Flow; stepId: string | null; onError: (e: BackendError) => void; onNotice: (n: string) => void }) {
  const backend = useBackend();
  const [people, setPeople] = useState<PreviewPerson[]>([]);
  const [step, setStep] = useState<string | null>(stepId);
  const [person, setPerson] = useState<number | null>(null);
  const [variant, setVariant] = useState(0);
  const [width, setWidth] = useState<Width>("desktop");
  const [preview, setPreview] = useState<MessagePreview | null>(null);
  const [sending, setSending] = useState(false);
  const messages = messageSteps(flow);
  const current = messages.find((m) => m.id === step);
  const variants = current && current.message.channel === "email" ? current.message.subjects.length : 1;

  useEffect(() => {
    backend.sequencePeople(30).then((p) => {
      setPeople(p);
      setPerson((old) => old ?? p[0]?.person_id ?? null);
    }, (e) => onError(toBackendError(e)));
  }, [backend, onError]);
  useEffect(() => {
    if (!step || person === null) return;
    let live = true;
    backend.previewMessage(flow, step, person, variant).then((p) => live && setPreview(p), (e) => live && onError(toBackendError(e)));
    return () => {
      live = false;
    };
  }, [backend, flow, step, person, variant, onError]);

  if (messages.length === 0) return <div className="card empty">This flow has no message step yet: add an e-mail, SMS or push in the builder.</div>;
  const sendTest = async () => {
    if (!step || person === null) return;
    setSending(true);
    try {
      const to = await backend.sendTestEmail(flow, step, person, variant);
      onNotice(`Sent a test e-mail to ${to}.`);
    } catch (e) {
      onError(toBackendError(e));
    } finally {
      setSending(false);
    }
  };
  return (
    <div className="card" data-testid="message-preview">
      <div className="row seq-inline">
        <label className="field">
          Message
          <select value={step ?? ""} onChange={(e) => { setStep(e.target.value); setVariant(0); }} data-testid="preview-step-picker">
            {messages.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id} ({m.message.channel})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          For
          <select value={person ?? ""} onChange={(e) => setPerson(Number(e.target.value))} data-testid="preview-person">
            {people.map((p) => (
              <option key={p.person_id} value={p.person_id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {variants > 1 && (
          <label className="field">
            Subject
            <select value={variant} onChange={(e) => setVariant(Number(e.target.value))}>
              {Array.from({ length: variants }, (_, i) => (
                <option key={i} value={i}>
                  Variant {i + 1}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {preview && preview.channel === "email" && (
        <>
          <div className="row seq-widths" role="group" aria-label="Width">
            {(["desktop", "mobile", "text"] as const).map((w) => (
              <button key={w} type="button" className={width === w ? "button small-button primary" : "button small-button"} onClick={() => setWidth(w)} data-testid={`width-${w}`}>
                {w === "desktop" ? "Desktop" : w === "mobile" ? "Mobile" : "Plain text"}
              </button>
            ))}
            <button type="button" className="button small-button" onClick={sendTest} disabled={sending} data-testid="send-test-email">
              <Send size={14} aria-hidden /> {sending ? "Sending…" : "Send a test e-mail to myself"}
            </button>
          </div>
          <div className="seq-inbox">
            <p className="seq-subject" data-testid="preview-subject">{preview.subject}</p>
            <p className="muted small" data-testid="preview-preheader">{preview.preheader}</p>
          </div>
          {width === "text" ? (
            <pre className="seq-text" data-testid="preview-text">{preview.text}</pre>
          ) : (
            <iframe
              title="E-mail preview"
              sandbox=""
              srcDoc={preview.html_document}
              className={width === "mobile" ? "seq-frame seq-frame-mobile" : "seq-frame"}
              data-testid="preview-frame"
            />
          )}
          <Warnings list={preview.warnings} />
        </>
      )}
      {preview && preview.channel === "sms" && (
        <>
          <div className="seq-phone" data-testid="preview-sms">{preview.text}</div>
          <p className="muted small" data-testid="sms-length">
            {plural(preview.length.characters, "character")} · {preview.length.encoding === "gsm7" ? "GSM-7" : "UCS-2"} · {plural(preview.length.segments, "segment")} · {preview.length.remaining_in_segment} left in the last
          </p>
          <Warnings list={preview.warnings} />
        </>
      )}
      {preview && preview.channel === "push" && (
        <>
          <div className="seq-phone" data-testid="preview-push">
            <strong>{preview.title}</strong>
            <br />
            {preview.body}
          </div>
          <p className="muted small">
            Title {preview.title_characters}/{preview.title_limit} · text {preview.body_characters}/{preview.body_limit} characters
          </p>
          <Warnings list={preview.warnings} />
        </>
      )}
    </div>
  );
}

function Warnings({ list }: { list: string[] }) {
  if (list.length === 0) return null;
  return (
    <ul className="seq-warnings" data-testid="preview-warnings">
      {list.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}

/** How many days a dry run covers unless the marketer says otherwise. */
const DRY_RUN_DAYS = 30;

/**
 * The segment whose data a flow's trigger reads: the trigger's segment
 * (saved, by name, or a template, by key), or "did the trigger event".
 */
async function triggerDefinition(backend: Backend, trigger: Trigger): Promise<SegmentDefinition | null> {
  if (trigger.type === "event") {
    return {
      version: SCHEMA_VERSION,
      name: eventLabel(trigger.event.name),
      purpose: "retargeting",
      rule: { type: "did", event: { name: trigger.event.name, filters: [] }, count: { op: "at_least", n: 1 }, window: { kind: "ever" } },
    };
  }
  const [saved, templates] = await Promise.all([backend.segments(), backend.segmentTemplates()]);
  return (
    saved.find((s) => s.definition.name === trigger.segment)?.definition ??
    templates.find((t) => t.key === trigger.segment)?.definition ??
    null
  );
}

function DryRunPanel({ flow, onError, onNotice }: { flow: Flow; onError: (e: BackendError) => void; onNotice: (n: string) => void }) {
  const backend = useBackend();
  // The 30 days to the end of the data the trigger reads, until the marketer picks days.
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [picked, setPicked] = useState(false);
  // The trigger, not the whole flow, decides the data's end: keyed by its JSON.
  const triggerKey = JSON.stringify(flow.trigger);
  const trigger = useMemo(() => JSON.parse(triggerKey) as Trigger, [triggerKey]);
  useEffect(() => {
    if (picked) return;
    let live = true;
    const fallback = isoDay(new Date());
    triggerDefinition(backend, trigger)
      .then((definition) => (definition ? backend.segmentCount(definition, null) : null))
      .then(
        (c) => {
          if (!live) return;
          const last = c?.data?.last_day ?? fallback;
          setTo(last);
          setFrom(addDays(last, 1 - DRY_RUN_DAYS));
        },
        (e) => live && onError(toBackendError(e)),
      );
    return () => {
      live = false;
    };
  }, [backend, trigger, picked, onError]);
  const [seed, setSeed] = useState(42);
  const [personText, setPersonText] = useState("");
  const [job, setJob] = useState<Job | null>(null);
  const [result, setResult] = useState<DryRun | null>(null);
  const options = () => ({ from, to, seed, ...(personText.trim() ? { person_id: Number(personText) } : {}) });

  const run = async () => {
    const id = `dry-run-${Date.now()}`;
    setJob({ id, title: `Dry run of ${flow.name}`, progress: null, cancelling: false });
    try {
      const r = await backend.dryRun(flow, options(), id, (p) => setJob((j) => (j ? { ...j, progress: p } : j)));
      setResult(r);
      if (!personText.trim() && r.deliveries[0]) setPersonText(String(r.deliveries[0].person_id));
    } catch (e) {
      const err = toBackendError(e);
      if (err.code !== "cancelled") onError(err);
    } finally {
      setJob(null);
    }
  };
  const exportCsv = async () => {
    try {
      const n = await backend.exportSequenceCsv(flow, options(), `${flow.name} audience.csv`);
      if (n !== null) onNotice(`Exported ${plural(n, "person", "people")} as CSV.`);
    } catch (e) {
      onError(toBackendError(e));
    }
  };
  return (
    <div className="card" data-testid="dry-run">
      <div className="row seq-inline">
        <label className="field">
          From
          <input type="date" value={from} onChange={(e) => { setPicked(true); setFrom(e.target.value); }} data-testid="dry-run-from" />
        </label>
        <label className="field">
          To
          <input type="date" value={to} onChange={(e) => { setPicked(true); setTo(e.target.value); }} data-testid="dry-run-to" />
        </label>
        <label className="field">
          Seed
          <input type="number" className="seq-num" value={seed} onChange={(e) => setSeed(Number.parseInt(e.target.value, 10) || 0)} />
        </label>
        <label className="field">
          Person's timeline (id)
          <input value={personText} onChange={(e) => setPersonText(e.target.value.replace(/[^0-9]/g, ""))} className="seq-num-wide" data-testid="dry-run-person" />
        </label>
        <button type="button" className="button primary" onClick={run} disabled={job !== null || !from || !to} data-testid="run-dry-run">
          <Play size={16} aria-hidden /> Run
        </button>
        <button type="button" className="button" onClick={exportCsv} disabled={!from || !to} data-testid="export-audience-csv">
          <Download size={16} aria-hidden /> Audience CSV
        </button>
      </div>
      {job && (
        <JobProgress
          job={job}
          onCancel={() => {
            setJob((j) => (j ? { ...j, cancelling: true } : j));
            void backend.cancelJob(job.id);
          }}
        />
      )}
      {result && <DryRunResult result={result} flow={flow} />}
    </div>
  );
}

function DryRunResult({ result, flow }: { result: DryRun; flow: Flow }) {
  const r = result;
  // The draft's own titles; the engine's label (in words too) for a step edited away since the run.
  const steps = new Map(allSteps(flow.steps).map((s) => [s.id, s]));
  const titleOf = (id: string, label: string) => {
    const step = steps.get(id);
    return step ? stepTitle(step) : templateWords(label);
  };
  return (
    <div data-testid="dry-run-result">
      <div className="kpis seq-kpis">
        <Kpi title="Entered" value={count(r.entered)} testId="dry-run-entered" />
        <Kpi title="Left (purchased)" value={count(r.exited)} />
        <Kpi title="Completed" value={count(r.completed)} />
        <Kpi title="Quiet-hour / send-time holds" value={count(r.holds_total)} />
        <Kpi title="Cap collisions" value={count(r.collisions_total)} />
      </div>
      <p className="seq-conversions" data-testid="dry-run-conversions">
        Conversions ({eventLabel(r.conversions.goal)} within {plural(r.conversions.within_days, "day")}): <strong>{count(r.conversions.observed)}</strong> observed in history without this flow ·{" "}
        <strong>{r.conversions.projected.toFixed(1)}</strong> projected from the flow's touches at historical rates
        {r.other_flows.length > 0 && <> · caps shared with {r.other_flows.join(", ")}</>}
      </p>
      <table className="table" data-testid="dry-run-steps">
        <thead>
          <tr>
            <th>Step</th>
            <th className="num">Reached</th>
            <th className="num">Sent</th>
            <th className="num">Held</th>
            <th className="num">Capped</th>
            <th className="num">No consent</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {r.steps.map((s) => (
            <tr key={s.step_id} data-testid="dry-run-step" data-step-id={s.step_id}>
              <td style={{ paddingLeft: 8 + s.depth * 18 }}>
                <span className="cell-title">{titleOf(s.step_id, s.label)}</span> <code className="muted small">{s.step_id}</code>
              </td>
              <td className="num">{count(s.reached)}</td>
              <td className="num">{s.kind === "message" || s.kind === "retarget" ? count(s.sent) : ""}</td>
              <td className="num">{s.kind === "message" ? count(s.held) : ""}</td>
              <td className="num">{s.kind === "message" || s.kind === "retarget" ? count(s.capped) : ""}</td>
              <td className="num">{s.kind === "message" || s.kind === "retarget" ? count(s.no_consent) : ""}</td>
              <td className="small">
                {s.kind === "branch" && `${count(s.yes)} yes · ${count(s.no)} no`}
                {s.kind === "wait" && s.yes + s.no > 0 && `${count(s.yes)} did it · ${count(s.no)} timed out`}
                {s.arms.map((a) => `${a.arm}: ${count(a.people)}`).join(" · ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="seq-two">
        <div>
          <h3>Who gets what, when</h3>
          <table className="table small" data-testid="dry-run-deliveries">
            <tbody>
              {r.deliveries.slice(0, 12).map((d, i) => (
                <tr key={i}>
                  <td>#{d.person_id}</td>
                  <td>{d.step_id}</td>
                  <td>{d.local_time}</td>
                  <td className="muted">{templateWords(d.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            {plural(r.deliveries_total, "send or audience join", "sends and audience joins")} in all.
          </p>
          <h3>Holds and collisions</h3>
          <ul className="small seq-plain" data-testid="dry-run-holds">
            {r.holds.slice(0, 5).map((h, i) => (
              <li key={`h${i}`}>
                #{h.person_id} {h.step_id}: held for {h.reason === "quiet_hours" ? "quiet hours" : "send time"} from {h.local_from} to {h.local_until}
              </li>
            ))}
            {r.collisions.slice(0, 5).map((c, i) => (
              <li key={`c${i}`}>
                #{c.person_id} {c.step_id}: not sent, cap “{c.cap}” filled by {c.filled_by.join(", ")}
              </li>
            ))}
            {r.holds.length + r.collisions.length === 0 && <li className="muted">None.</li>}
          </ul>
        </div>
        <div>
          <h3>{r.person ? `Person #${r.person.person_id} (${r.person.time_zone})` : "One person's timeline"}</h3>
          {r.person ? (
            <ol className="seq-timeline" data-testid="dry-run-timeline">
              {r.person.entries.map((e, i) => (
                <li key={i} className={`seq-tl seq-tl-${e.kind}`}>
                  <span className="muted small">{e.local_time}</span> <span>{templateWords(e.detail)}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted small">Give a person's id and run again to see their timeline.</p>
          )}
        </div>
      </div>
      <ul className="muted small seq-plain">
        {r.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
}

function Kpi({ title, value, testId }: { title: string; value: string; testId?: string }) {
  return (
    <div className="card">
      <div className="kpi-title">{title}</div>
      <div className="kpi-value small-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

function RulesPanel({ onError, onNotice }: { onError: (e: BackendError) => void; onNotice: (n: string) => void }) {
  const backend = useBackend();
  const [rules, setRules] = useState<SendingRules | null>(null);
  const [smtp, setSmtp] = useState<SmtpSettings | null>(null);
  const [password, setPassword] = useState("");
  useEffect(() => {
    backend.sendingRules().then(setRules, (e) => onError(toBackendError(e)));
    backend.smtpSettings().then(setSmtp, (e) => onError(toBackendError(e)));
  }, [backend, onError]);
  if (!rules || !smtp) return <div className="card muted">Loading…</div>;
  const saveRules = async () => {
    try {
      setRules(await backend.saveSendingRules(rules));
      onNotice("Saved the sending rules.");
    } catch (e) {
      onError(toBackendError(e));
    }
  };
  const saveSmtp = async () => {
    try {
      setSmtp(await backend.saveSmtpSettings({ ...smtp, ...(password ? { password } : {}) }));
      setPassword("");
      onNotice("Saved the SMTP settings.");
    } catch (e) {
      onError(toBackendError(e));
    }
  };
  return (
    <div className="seq-two" data-testid="sending-rules">
      <div className="card">
        <h2>Rules for every flow</h2>
        <h3>Frequency caps (per person, all flows)</h3>
        {rules.caps.map((c, i) => (
          <span key={i} className="row seq-inline">
            <select aria-label="Channel" value={c.channel} onChange={(e) => setRules({ ...rules, caps: rules.caps.map((x, j) => (j === i ? { ...x, channel: e.target.value as typeof c.channel } : x)) })}>
              <option value="email">E-mail</option>
              <option value="sms">SMS</option>
              <option value="push">Push</option>
              <option value="ads">Ad audiences</option>
            </select>
            at most
            <input aria-label="Max" type="number" min={1} className="seq-num" value={c.max} onChange={(e) => setRules({ ...rules, caps: rules.caps.map((x, j) => (j === i ? { ...x, max: Math.max(1, Number(e.target.value) || 1) } : x)) })} />
            per
            <input aria-label="Days" type="number" min={1} className="seq-num" value={c.per_days} onChange={(e) => setRules({ ...rules, caps: rules.caps.map((x, j) => (j === i ? { ...x, per_days: Math.max(1, Number(e.target.value) || 1) } : x)) })} />
            days
            <button type="button" className="icon-button" aria-label="Remove cap" onClick={() => setRules({ ...rules, caps: rules.caps.filter((_, j) => j !== i) })}>
              <Trash2 size={14} />
            </button>
          </span>
        ))}
        <button type="button" className="button small-button" onClick={() => setRules({ ...rules, caps: [...rules.caps, { channel: "email", max: 1, per_days: 1 }] })}>
          <Plus size={14} aria-hidden /> Cap
        </button>
        <h3>Quiet hours (the person's local time)</h3>
        <label className="row seq-inline">
          <input type="checkbox" checked={rules.quiet_hours !== undefined} onChange={(e) => setRules(e.target.checked ? { ...rules, quiet_hours: { start_hour: 21, end_hour: 8 } } : (({ quiet_hours: _, ...rest }) => rest)(rules))} />
          No messages from
          <input aria-label="Quiet from" type="number" min={0} max={23} className="seq-num" disabled={!rules.quiet_hours} value={rules.quiet_hours?.start_hour ?? 21} onChange={(e) => rules.quiet_hours && setRules({ ...rules, quiet_hours: { ...rules.quiet_hours, start_hour: Number(e.target.value) } })} />
          to
          <input aria-label="Quiet to" type="number" min={0} max={23} className="seq-num" disabled={!rules.quiet_hours} value={rules.quiet_hours?.end_hour ?? 8} onChange={(e) => rules.quiet_hours && setRules({ ...rules, quiet_hours: { ...rules.quiet_hours, end_hour: Number(e.target.value) } })} />
          h
        </label>
        <label className="row seq-inline">
          <input type="checkbox" checked={rules.require_consent} onChange={(e) => setRules({ ...rules, require_consent: e.target.checked })} /> Only with granted consent for the channel
        </label>
        <label className="row seq-inline">
          <input type="checkbox" checked={rules.send_time_optimisation} onChange={(e) => setRules({ ...rules, send_time_optimisation: e.target.checked })} data-testid="rule-sto" /> Send at each person's usual opening hour
        </label>
        <button type="button" className="button primary" onClick={saveRules} data-testid="save-rules">
          Save rules
        </button>
      </div>
      <div className="card">
        <h2>Test e-mails</h2>
        <p className="muted small">“Send a test e-mail to myself” goes through your own SMTP server. The password stays on this computer and is never shown again.</p>
        <label className="field">
          SMTP server
          <input value={smtp.host} onChange={(e) => setSmtp({ ...smtp, host: e.target.value })} data-testid="smtp-host" />
        </label>
        <span className="row seq-inline">
          <label className="field">
            Port
            <input type="number" className="seq-num-wide" value={smtp.port || ""} onChange={(e) => setSmtp({ ...smtp, port: Number(e.target.value) || 0 })} data-testid="smtp-port" />
          </label>
          <label className="field">
            Security
            <select value={smtp.security} onChange={(e) => setSmtp({ ...smtp, security: e.target.value as SmtpSettings["security"] })} data-testid="smtp-security">
              <option value="starttls">STARTTLS</option>
              <option value="tls">TLS</option>
              <option value="none">None (local server)</option>
            </select>
          </label>
        </span>
        <label className="field">
          User name
          <input value={smtp.username ?? ""} onChange={(e) => setSmtp({ ...smtp, username: e.target.value })} />
        </label>
        <label className="field">
          Password {smtp.password_set && <span className="muted small">(stored; type to replace)</span>}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label className="field">
          From
          <input value={smtp.from} onChange={(e) => setSmtp({ ...smtp, from: e.target.value })} data-testid="smtp-from" />
        </label>
        <label className="field">
          My address
          <input value={smtp.to} onChange={(e) => setSmtp({ ...smtp, to: e.target.value })} data-testid="smtp-to" />
        </label>
        <button type="button" className="button primary" onClick={saveSmtp} data-testid="save-smtp">
          Save SMTP settings
        </button>
      </div>
    </div>
  );
}

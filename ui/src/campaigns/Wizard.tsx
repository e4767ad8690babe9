// The campaign wizard: goal › audience › channels › creatives or sequence ›
// budget and schedule › review with reach and projected results. Every
// figure comes from the backend (reach after consent, projections from the
// workspace's own history); this file only edits the draft.

import { useEffect, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { CampaignDraft } from "../bindings/campaigns/CampaignDraft";
import type { CampaignStatus } from "../bindings/campaigns/CampaignStatus";
import type { ChannelKey } from "../bindings/campaigns/ChannelKey";
import type { DraftProblem } from "../bindings/campaigns/DraftProblem";
import type { Goal } from "../bindings/campaigns/Goal";
import type { Plan } from "../bindings/campaigns/Plan";
import type { WizardOptions } from "../bindings/campaigns/WizardOptions";
import type { WizardStep } from "../bindings/campaigns/WizardStep";
import { ErrorNotice } from "../components/ErrorNotice";
import { ZeroExplained } from "../segments/ZeroExplained";
import { asOfDay, count, day, minorDigits, money, plural, toMajor, toMinor } from "../lib/format";

export const STEPS: { id: WizardStep; label: string }[] = [
  { id: "goal", label: "Goal" },
  { id: "audience", label: "Audience" },
  { id: "channels", label: "Channels" },
  { id: "content", label: "Creatives or sequence" },
  { id: "budget_schedule", label: "Budget and schedule" },
  { id: "review", label: "Review" },
];

export const CHANNELS: { id: ChannelKey; label: string; ads: boolean }[] = [
  { id: "meta_ads", label: "Meta Ads", ads: true },
  { id: "google_ads", label: "Google Ads", ads: true },
  { id: "email", label: "E-mail", ads: false },
  { id: "sms", label: "SMS", ads: false },
  { id: "push", label: "Push", ads: false },
];

const GOALS: { id: Goal; label: string; text: string }[] = [
  { id: "retargeting", label: "Retargeting ads", text: "Paid ads on Meta or Google, shown because of what people did." },
  { id: "remarketing", label: "Remarketing sequence", text: "E-mail, SMS or push to people who can be contacted." },
  { id: "journey", label: "Journey", text: "Ads and owned channels together, like pricing page › ad › e-mail › demo ad." },
];

export function channelLabel(c: ChannelKey): string {
  return CHANNELS.find((x) => x.id === c)?.label ?? c;
}

export function emptyDraft(currency: string): CampaignDraft {
  return {
    name: "",
    goal: "retargeting",
    segment_id: null,
    channels: [],
    creative_ids: [],
    sequence_id: null,
    messages_per_person: 1,
    budget: { kind: "daily", amount_minor: 5_000, currency },
    starts_on: null,
    ends_on: null,
    status: "draft",
    platform_campaign_id: null,
  };
}

function num(v: number | null | undefined, digits = 0): string {
  return v === null || v === undefined ? "—" : count(Number(v.toFixed(digits)));
}

export function Wizard(props: {
  id: number | null;
  initial: CampaignDraft;
  options: WizardOptions;
  onSaved: (id: number) => void;
  onCancel: () => void;
}) {
  const backend = useBackend();
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<CampaignDraft>(props.initial);
  // What blocks even a draft, and the draft it was checked for: until the
  // current draft is checked, Next and Save wait.
  const [checked, setChecked] = useState<{ key: string; problems: DraftProblem[] } | null>(null);
  // The plan and the draft it was made for: a slow answer for an older draft is never shown.
  const [planned, setPlanned] = useState<{ key: string; plan: Plan } | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [busy, setBusy] = useState(false);
  const current = STEPS[step]?.id ?? "goal";

  useEffect(() => {
    let live = true;
    const t = window.setTimeout(() => {
      const checkedKey = JSON.stringify(draft);
      backend
        .checkCampaign({ ...draft, status: "draft" })
        .then((p) => live && setChecked({ key: checkedKey, problems: p }))
        .catch((e: unknown) => live && setError(toBackendError(e)));
      if (current === "audience" || current === "review") {
        // Before channels are chosen, reach is shown for the goal's usual ones.
        const channels: ChannelKey[] = draft.channels.length > 0 ? draft.channels : draft.goal === "retargeting" ? ["meta_ads"] : draft.goal === "remarketing" ? ["email"] : ["meta_ads", "email"];
        const key = JSON.stringify(draft);
        backend
          .campaignPlan({ ...draft, channels, status: "active" })
          .then((p) => live && setPlanned({ key, plan: p }))
          .catch((e: unknown) => live && setError(toBackendError(e)));
      }
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [backend, draft, current]);

  const set = (patch: Partial<CampaignDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const upToDate = checked !== null && checked.key === JSON.stringify(draft);
  const hard = upToDate ? checked.problems : [];
  const stepHard = hard.filter((p) => p.step === current);
  const toggleChannel = (c: ChannelKey) =>
    set({ channels: draft.channels.includes(c) ? draft.channels.filter((x) => x !== c) : [...draft.channels, c] });
  const hasAds = draft.channels.some((c) => CHANNELS.find((x) => x.id === c)?.ads);
  const hasOwned = draft.channels.some((c) => !CHANNELS.find((x) => x.id === c)?.ads);

  const saveAs = async (status: CampaignStatus) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await backend.saveCampaign(props.id, { ...draft, status });
      props.onSaved(saved.id);
    } catch (e) {
      setError(toBackendError(e));
    } finally {
      setBusy(false);
    }
  };
  const plan = planned && planned.key === JSON.stringify(draft) ? planned.plan : null;
  const liveProblems = plan?.problems ?? [];
  const cur = plan?.projection.currency ?? draft.budget?.currency ?? "USD";

  return (
    <div className="card wizard" data-testid="campaign-wizard">
      <ol className="wizard-steps">
        {STEPS.map((s, i) => (
          <li key={s.id} className={i === step ? "current" : i < step ? "done" : undefined}>
            <span className="wizard-step-number">{i + 1}</span> {s.label}
          </li>
        ))}
      </ol>
      <div className="wizard-body" data-testid={`wizard-step-${current}`}>
        {current === "goal" && (
          <>
            <label className="field">
              <span>Campaign name</span>
              <input className="input" data-testid="campaign-name" value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="Cart rescue, December" />
            </label>
            <div className="goal-choices" role="radiogroup" aria-label="Goal">
              {GOALS.map((g) => (
                <label key={g.id} className={`goal-choice${draft.goal === g.id ? " checked" : ""}`}>
                  <input type="radio" name="goal" checked={draft.goal === g.id} onChange={() => set({ goal: g.id })} data-testid={`goal-${g.id}`} />
                  <span className={`badge badge-${g.id}`}>{g.label}</span>
                  <span className="muted small">{g.text}</span>
                </label>
              ))}
            </div>
          </>
        )}
        {current === "audience" && (
          <>
            <label className="field">
              <span>Segment</span>
              <select className="select" data-testid="campaign-segment" value={draft.segment_id ?? ""} onChange={(e) => set({ segment_id: e.target.value === "" ? null : Number(e.target.value) })}>
                <option value="">Choose a saved segment…</option>
                {props.options.segments.map((s) => (
                  <option key={s.id} value={s.id}>{s.name} ({s.detail})</option>
                ))}
              </select>
            </label>
            {props.options.segments.length === 0 && <p className="muted small">No saved segments yet: save one in Segments first (a template is a good start).</p>}
            {plan?.reach?.zero && <ZeroExplained zero={plan.reach.zero} shownDay={asOfDay(plan.reach.default_as_of)} />}
            {plan?.reach && (
              <p className="muted small" data-testid="audience-reach-moment">
                People in the segment at the end of {day(asOfDay(plan.reach.as_of))}, as Segments counts it
                {plan.reach.zero?.suggestion ? ": the nearest day that has anyone in it." : "."}
              </p>
            )}
            {plan?.reach ? (
              <table className="table" data-testid="audience-reach">
                <thead>
                  <tr><th>Channel</th><th className="num">In the segment</th><th className="num">Reachable (consent)</th><th className="num">Left out</th></tr>
                </thead>
                <tbody>
                  {plan.reach.channels.map((c) => (
                    <tr key={c.channel}>
                      <td>{channelLabel(c.channel)}</td>
                      <td className="num">{count(c.matched)}</td>
                      <td className="num">{count(c.reachable)}</td>
                      <td className="num">{count(c.without_consent)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {plan?.reach && draft.channels.length === 0 && <p className="muted small">Shown for the goal's usual channels; choose yours next.</p>}
          </>
        )}
        {current === "channels" && (
          <div className="channel-choices">
            {CHANNELS.map((c) => (
              <label key={c.id} className="checkbox">
                <input type="checkbox" checked={draft.channels.includes(c.id)} onChange={() => toggleChannel(c.id)} data-testid={`channel-${c.id}`} />
                {c.label} <span className="muted small">{c.ads ? "ads" : "owned"}</span>
              </label>
            ))}
          </div>
        )}
        {current === "content" && (
          <>
            {hasAds && (
              <fieldset className="field">
                <legend>Creatives the ads show</legend>
                {props.options.creatives.length === 0 && <p className="muted small">No creatives saved yet (Creatives section).</p>}
                {props.options.creatives.map((c) => (
                  <label key={c.id} className="checkbox">
                    <input
                      type="checkbox"
                      data-testid={`creative-${c.id}`}
                      checked={draft.creative_ids.includes(c.id)}
                      onChange={() => set({ creative_ids: draft.creative_ids.includes(c.id) ? draft.creative_ids.filter((x) => x !== c.id) : [...draft.creative_ids, c.id] })}
                    />
                    {c.name} <span className="muted small">{c.detail}</span>
                  </label>
                ))}
              </fieldset>
            )}
            {hasOwned && (
              <>
                <label className="field">
                  <span>Sequence</span>
                  <select className="select" data-testid="campaign-sequence" value={draft.sequence_id ?? ""} onChange={(e) => set({ sequence_id: e.target.value === "" ? null : Number(e.target.value) })}>
                    <option value="">No sequence</option>
                    {props.options.sequences.map((s) => (
                      <option key={s.id} value={s.id}>{s.name} ({s.detail})</option>
                    ))}
                  </select>
                </label>
                <label className="field">
                  <span>Messages per person</span>
                  <input className="input" type="number" min={0} max={50} data-testid="messages-per-person" value={draft.messages_per_person} onChange={(e) => set({ messages_per_person: Math.max(0, Math.round(Number(e.target.value) || 0)) })} />
                </label>
              </>
            )}
            {!hasAds && !hasOwned && <p className="muted">Choose channels first.</p>}
          </>
        )}
        {current === "budget_schedule" && (
          <>
            <div className="field-row">
              <label className="field">
                <span>Budget</span>
                <select className="select" data-testid="budget-kind" value={draft.budget ? draft.budget.kind : "none"} onChange={(e) => {
                  const v = e.target.value;
                  set({ budget: v === "none" ? null : { kind: v === "total" ? "total" : "daily", amount_minor: draft.budget?.amount_minor ?? 5_000, currency: draft.budget?.currency ?? props.options.currencies[0] ?? "USD" } });
                }}>
                  <option value="daily">Per day</option>
                  <option value="total">For the whole schedule</option>
                  <option value="none">No budget (owned channels only)</option>
                </select>
              </label>
              {draft.budget && (
                <>
                  <label className="field">
                    <span>Amount</span>
                    <input className="input" type="number" min={0} step={10 ** -minorDigits(draft.budget.currency)} data-testid="budget-amount" value={toMajor(draft.budget.amount_minor, draft.budget.currency)} onChange={(e) => draft.budget && set({ budget: { ...draft.budget, amount_minor: toMinor(e.target.value, draft.budget.currency) ?? 0 } })} />
                  </label>
                  <label className="field">
                    <span>Currency</span>
                    <input className="input" data-testid="budget-currency" value={draft.budget.currency} maxLength={3} onChange={(e) => draft.budget && set({ budget: { ...draft.budget, currency: e.target.value.toUpperCase() } })} />
                  </label>
                </>
              )}
            </div>
            <div className="field-row">
              <label className="field">
                <span>Starts</span>
                <input className="input" type="date" data-testid="starts-on" value={draft.starts_on ?? ""} onChange={(e) => set({ starts_on: e.target.value || null })} />
              </label>
              <label className="field">
                <span>Ends (optional)</span>
                <input className="input" type="date" data-testid="ends-on" value={draft.ends_on ?? ""} onChange={(e) => set({ ends_on: e.target.value || null })} />
              </label>
              <label className="field">
                <span>Platform campaign id (optional)</span>
                <input className="input" data-testid="platform-id" value={draft.platform_campaign_id ?? ""} onChange={(e) => set({ platform_campaign_id: e.target.value || null })} placeholder="attaches imported reports with this id" />
              </label>
            </div>
          </>
        )}
        {current === "review" && (
          <div className="review" data-testid="campaign-review">
            <dl className="facts">
              <dt>Name</dt><dd>{draft.name || "—"}</dd>
              <dt>Goal</dt><dd>{GOALS.find((g) => g.id === draft.goal)?.label}</dd>
              <dt>Audience</dt><dd>{props.options.segments.find((s) => s.id === draft.segment_id)?.name ?? "none yet"}</dd>
              <dt>Channels</dt><dd>{draft.channels.map(channelLabel).join(", ") || "none"}</dd>
              <dt>Budget</dt><dd>{draft.budget ? `${money(draft.budget.amount_minor, draft.budget.currency)} ${draft.budget.kind === "daily" ? "a day" : "in all"}` : "none"}</dd>
              <dt>Schedule</dt><dd>{draft.starts_on ?? "not set"} – {draft.ends_on ?? "until stopped"}</dd>
            </dl>
            {!plan && <p className="muted" data-testid="plan-pending">Working out reach and projected results…</p>}
            {plan && (
              <>
                <h3>Projected results, {plural(plan.projection.days, "day")}</h3>
                <p className="muted small">From this workspace's own last 90 days in {cur}. Nothing is projected where there is no history.</p>
                <table className="table" data-testid="projection">
                  <thead>
                    <tr><th>Channel</th><th className="num">Reachable</th><th className="num">Sends</th><th className="num">Clicks</th><th className="num">Conversions</th><th className="num">Cost</th><th className="num">Revenue</th><th>Basis</th></tr>
                  </thead>
                  <tbody>
                    {plan.projection.channels.map((c) => (
                      <tr key={c.channel}>
                        <td>{channelLabel(c.channel)}</td>
                        <td className="num">{num(c.reachable)}</td>
                        <td className="num">{num(c.sends)}</td>
                        <td className="num">{num(c.clicks)}</td>
                        <td className="num">{num(c.conversions, 1)}</td>
                        <td className="num">{c.cost_minor === null ? "—" : money(c.cost_minor, cur)}</td>
                        <td className="num">{c.revenue_minor === null ? "—" : money(c.revenue_minor, cur)}</td>
                        <td className="muted small">{c.basis}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <td>Total</td><td /><td /><td />
                      <td className="num" data-testid="projected-conversions">{num(plan.projection.conversions, 1)}</td>
                      <td className="num">{plan.projection.cost_minor === null ? "—" : money(plan.projection.cost_minor, cur)}</td>
                      <td className="num">{plan.projection.revenue_minor === null ? "—" : money(plan.projection.revenue_minor, cur)}</td>
                      <td className="muted small">{plan.projection.roas === null ? "" : `ROAS ${plan.projection.roas.toFixed(2)}`}</td>
                    </tr>
                  </tfoot>
                </table>
                {plan.projection.notes.map((n) => <p key={n} className="muted small">{n}</p>)}
              </>
            )}
            {liveProblems.length > 0 && (
              <div className="notice notice-warn" data-testid="live-problems">
                <div className="notice-body">
                  <strong>Before it can go live:</strong>
                  <ul>{liveProblems.map((p) => <li key={p.field + p.message}>{p.message}</li>)}</ul>
                  <span className="muted small">It can be saved as a draft now and finished later.</span>
                </div>
              </div>
            )}
          </div>
        )}
        {stepHard.length > 0 && (
          <ul className="problems" data-testid="step-problems">
            {stepHard.map((p) => <li key={p.field + p.message} className="field-error">{p.message}</li>)}
          </ul>
        )}
        {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      </div>
      <div className="wizard-actions">
        <button type="button" className="button" onClick={props.onCancel} data-testid="wizard-cancel">Cancel</button>
        <span className="grow" />
        <button type="button" className="button" disabled={step === 0} onClick={() => setStep((s) => s - 1)} data-testid="wizard-back">Back</button>
        {current !== "review" ? (
          <button type="button" className="button primary" disabled={!upToDate || stepHard.length > 0} onClick={() => setStep((s) => s + 1)} data-testid="wizard-next">Next</button>
        ) : (
          props.id !== null && props.initial.status !== "draft" ? (
            <button type="button" className="button primary" disabled={busy || !plan || hard.length > 0 || liveProblems.length > 0} onClick={() => void saveAs(props.initial.status)} data-testid="save-changes">Save changes</button>
          ) : (
            <>
              <button type="button" className="button" disabled={busy || !upToDate || hard.length > 0} onClick={() => void saveAs("draft")} data-testid="save-draft">Save as draft</button>
              <button type="button" className="button primary" disabled={busy || !plan || hard.length > 0 || liveProblems.length > 0} onClick={() => void saveAs("active")} data-testid="save-active">Save and activate</button>
            </>
          )
        )}
      </div>
    </div>
  );
}

// The Campaigns section: the list with states, the wizard (new or editing),
// and the dashboard of one campaign or of all, with its attached reports.

import { Pencil, Plus, X } from "lucide-react";
import { useCallback, useEffect, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ChartTheme } from "../bindings/ChartTheme";
import type { Campaign } from "../bindings/campaigns/Campaign";
import type { CampaignDraft } from "../bindings/campaigns/CampaignDraft";
import type { CampaignStatus } from "../bindings/campaigns/CampaignStatus";
import type { WizardOptions } from "../bindings/campaigns/WizardOptions";
import { ErrorNotice } from "../components/ErrorNotice";
import { plural } from "../lib/format";
import { InfoNotice } from "../components/InfoNotice";
import { CampaignDashboard } from "./CampaignDashboard";
import { channelLabel, emptyDraft, Wizard } from "./Wizard";
import "./campaigns.css";

type View = { kind: "dashboard"; id: number | null } | { kind: "wizard"; id: number | null; draft: CampaignDraft };

const NEXT_STATES: Record<CampaignStatus, { status: CampaignStatus; label: string }[]> = {
  draft: [{ status: "active", label: "Activate" }],
  active: [{ status: "paused", label: "Pause" }, { status: "completed", label: "Complete" }],
  paused: [{ status: "active", label: "Resume" }, { status: "completed", label: "Complete" }],
  completed: [{ status: "active", label: "Reopen" }],
};

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function Campaigns(props: { revision: number; chartTheme: ChartTheme }) {
  const backend = useBackend();
  const [list, setList] = useState<Campaign[] | null>(null);
  const [options, setOptions] = useState<WizardOptions | null>(null);
  const [view, setView] = useState<View>({ kind: "dashboard", id: null });
  const [error, setError] = useState<BackendError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [attachId, setAttachId] = useState<string>("");

  const reload = useCallback(async () => {
    try {
      const [l, o] = await Promise.all([backend.campaigns(), backend.campaignWizardOptions()]);
      setList(l);
      setOptions(o);
    } catch (e) {
      setError(toBackendError(e));
    }
  }, [backend]);

  useEffect(() => {
    void reload();
  }, [reload, props.revision]);

  const selected = view.kind === "dashboard" && view.id !== null ? (list?.find((c) => c.id === view.id) ?? null) : null;
  const act = async (f: () => Promise<unknown>, message?: string) => {
    setError(null);
    try {
      await f();
      if (message) setNotice(message);
      await reload();
    } catch (e) {
      setError(toBackendError(e));
    }
  };
  const topLevel = (list ?? []).filter((c) => c.attached_to === null);
  const lastDay = options?.last_metrics_day ?? today();

  return (
    <section className="page" data-testid="campaigns">
      <header className="page-header">
        <div>
          <h1>Campaigns</h1>
          <p className="muted">Plan a campaign step by step, then follow what its imported ad and e-mail reports say.</p>
        </div>
        <div className="row header-actions">
          <button
            type="button"
            className="button primary"
            data-testid="new-campaign"
            onClick={() => setView({ kind: "wizard", id: null, draft: emptyDraft(options?.currencies[0] ?? "USD") })}
          >
            <Plus size={15} aria-hidden /> New campaign
          </button>
        </div>
      </header>
      {notice && (
        <InfoNotice message={notice} onDismiss={() => setNotice(null)} testId="campaigns-notice" />
      )}
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      <div className="campaigns-layout">
        <aside className="card campaigns-side">
          <ul className="list" data-testid="campaign-list">
            <li>
              <button type="button" className={`list-item${view.kind === "dashboard" && view.id === null ? " selected" : ""}`} onClick={() => setView({ kind: "dashboard", id: null })} data-testid="campaign-all">
                <span className="list-item-body"><span className="cell-title">All campaigns</span><span className="cell-sub">{plural(topLevel.length, "campaign")}</span></span>
              </button>
            </li>
            {topLevel.map((c) => (
              <li key={c.id}>
                <button type="button" className={`list-item${view.kind === "dashboard" && view.id === c.id ? " selected" : ""}`} onClick={() => setView({ kind: "dashboard", id: c.id })} data-testid={`campaign-${c.id}`}>
                  <span className="list-item-body">
                    <span className="cell-title">{c.name}</span>
                    <span className="cell-sub">
                      <span className={`status status-${c.status}`}>{c.status}</span>
                      {c.campaign_type && <span className="badge badge-neutral">{c.campaign_type}</span>}
                      {c.goal && <span className={`badge badge-${c.goal}`}>{c.goal}</span>}
                      <span>{c.channels.map(channelLabel).join(", ")}</span>
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {list && list.length === 0 && <p className="muted small">No campaigns yet. Import ad reports, or start one with New campaign.</p>}
        </aside>
        <div className="campaigns-main">
          {view.kind === "wizard" && options ? (
            <Wizard
              key={view.id ?? "new"}
              id={view.id}
              initial={view.draft}
              options={options}
              onCancel={() => setView({ kind: "dashboard", id: view.id })}
              onSaved={(id) => {
                setNotice(view.id === null ? "Campaign saved." : "Campaign updated.");
                setView({ kind: "dashboard", id });
                void reload();
              }}
            />
          ) : (
            <>
              {selected && (
                <div className="card campaign-head" data-testid="campaign-head">
                  <div className="campaign-title-row">
                    <div>
                      <h2 data-testid="campaign-title">{selected.name}</h2>
                      <div className="cell-sub">
                        <span className={`status status-${selected.status}`} data-testid="campaign-status">{selected.status}</span>
                        {selected.campaign_type && <span className="badge badge-neutral" data-testid="campaign-type">{selected.campaign_type}</span>}
                        {selected.goal && <span className={`badge badge-${selected.goal}`}>{selected.goal}</span>}
                        <span>{selected.channels.map(channelLabel).join(", ") || "no channel"}</span>
                        {selected.segment_name && <span>audience: {selected.segment_name}</span>}
                        <span>{selected.origin === "wizard" ? "built here" : `from ${selected.import_file ?? "an import"}`}</span>
                      </div>
                    </div>
                    <div className="row">
                      {NEXT_STATES[selected.status].map((s) => (
                        <button key={s.status} type="button" className="button" data-testid={`status-${s.status}`} onClick={() => void act(() => backend.setCampaignStatus(selected.id, s.status))}>
                          {s.label}
                        </button>
                      ))}
                      <button type="button" className="button" data-testid="edit-campaign" onClick={() => setView({ kind: "wizard", id: selected.id, draft: { ...draftOf(selected) } })}>
                        <Pencil size={14} aria-hidden /> Edit
                      </button>
                    </div>
                  </div>
                  <div className="attached" data-testid="attached-reports">
                    <span className="muted small">Imported reports counted here:</span>
                    {selected.attached.length === 0 && <span className="muted small">none attached</span>}
                    {selected.attached.map((a) => (
                      <span key={a.source_campaign_id} className="attached-chip">
                        {a.name} <span className="muted">· {a.platform} · {a.mode === "auto" ? "matched by name or id" : "attached by hand"}</span>
                        <button type="button" className="icon-button" aria-label={`Detach ${a.name}`} onClick={() => void act(() => backend.detachReport(a.source_campaign_id), `${a.name} detached.`)}>
                          <X size={13} aria-hidden />
                        </button>
                      </span>
                    ))}
                    {options && options.reports.length > 0 && (
                      <span className="row attach-row">
                        <select className="select" value={attachId} onChange={(e) => setAttachId(e.target.value)} data-testid="attach-select">
                          <option value="">Attach an imported report…</option>
                          {options.reports.filter((r) => r.id !== selected.id).map((r) => <option key={r.id} value={r.id}>{r.name} ({r.detail})</option>)}
                        </select>
                        <button type="button" className="small-button" disabled={attachId === ""} data-testid="attach-button" onClick={() => void act(() => backend.attachReport(selected.id, Number(attachId)), "Report attached.").then(() => setAttachId(""))}>
                          Attach
                        </button>
                      </span>
                    )}
                  </div>
                </div>
              )}
              {list && (
                <CampaignDashboard
                  key={`${selected?.id ?? "all"}-${props.revision}-${selected?.attached.length ?? 0}`}
                  campaign={selected}
                  lastDay={lastDay}
                  chartTheme={props.chartTheme}
                  onExported={(name) => setNotice(`Saved ${name}.`)}
                />
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}

/**
 * The wizard's starting goal for an imported campaign, whose report says
 * none: what its channels allow. The person sees it and can change it.
 */
function goalForChannels(channels: Campaign["channels"]): CampaignDraft["goal"] {
  const ads = channels.some((c) => c === "meta_ads" || c === "google_ads");
  const owned = channels.some((c) => c !== "meta_ads" && c !== "google_ads");
  return ads && owned ? "journey" : ads ? "retargeting" : "remarketing";
}

function draftOf(c: Campaign): CampaignDraft {
  return {
    name: c.name,
    goal: c.goal ?? goalForChannels(c.channels),
    segment_id: c.segment_id,
    channels: c.channels,
    creative_ids: c.creative_ids,
    sequence_id: c.sequence_id,
    messages_per_person: c.messages_per_person,
    budget: c.budget,
    starts_on: c.starts_on,
    ends_on: c.ends_on,
    status: c.status,
    platform_campaign_id: c.platform_campaign_id,
  };
}

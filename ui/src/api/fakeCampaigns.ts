// The in-memory fake's campaigns: a few demo-like campaigns with daily rows
// generated from a fixed formula, so the screens can be built and tested in
// a browser. The KPI arithmetic here is only what the screen needs to look
// right; the real query layer, attribution and projections are in
// rebound-campaigns.

import type { AttributionReport } from "../bindings/campaigns/AttributionReport";
import type { Campaign } from "../bindings/campaigns/Campaign";
import type { CampaignSummary } from "../bindings/campaigns/CampaignSummary";
import type { CampaignDraft } from "../bindings/campaigns/CampaignDraft";
import type { ChannelKey } from "../bindings/campaigns/ChannelKey";
import type { DraftProblem } from "../bindings/campaigns/DraftProblem";
import type { Kpis } from "../bindings/campaigns/Kpis";
import type { KpiDelta } from "../bindings/campaigns/KpiDelta";
import type { MetricsQuery } from "../bindings/campaigns/MetricsQuery";
import type { MetricsReport } from "../bindings/campaigns/MetricsReport";
import type { MetricsRow } from "../bindings/campaigns/MetricsRow";
import type { OverMessagingReport } from "../bindings/campaigns/OverMessagingReport";
import type { Plan } from "../bindings/campaigns/Plan";
import { BackendError } from "./backend";
import type { CampaignBackend } from "./campaigns";

type Sums = Pick<Kpis, "impressions" | "reach" | "clicks" | "cost_minor" | "conversions" | "revenue_minor" | "sends" | "opens" | "unsubscribes" | "bounces">;

const NONE: Sums = { impressions: null, reach: null, clicks: null, cost_minor: null, conversions: null, revenue_minor: null, sends: null, opens: null, unsubscribes: null, bounces: null };

/** A rate of two reported figures: null when either is not reported or the denominator is 0, as in rebound-campaigns. */
function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

export function kpisOf(s: Sums): Kpis {
  return {
    ...s,
    ctr: ratio(s.clicks, s.impressions),
    cpc_minor: ratio(s.cost_minor, s.clicks),
    cpm_minor: ratio(s.cost_minor === null ? null : s.cost_minor * 1000, s.impressions),
    cvr: ratio(s.conversions, s.clicks),
    cpa_minor: ratio(s.cost_minor, s.conversions),
    roas: ratio(s.revenue_minor, s.cost_minor),
    roi: ratio(s.revenue_minor === null || s.cost_minor === null ? null : s.revenue_minor - s.cost_minor, s.cost_minor),
    open_rate: ratio(s.opens, s.sends),
    unsubscribe_rate: ratio(s.unsubscribes, s.sends),
    bounce_rate: ratio(s.bounces, s.sends),
  };
}

/** The sum of two reported figures: absent only when neither reports it. */
function plus(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
}

function add(a: Sums, b: Sums): Sums {
  const out = { ...a };
  for (const k of Object.keys(NONE) as (keyof Sums)[]) out[k] = plus(a[k], b[k]);
  return out;
}

const KEYS = ["impressions", "reach", "clicks", "ctr", "cost", "cpc", "cpm", "conversions", "cvr", "cpa", "revenue", "roas", "roi", "sends", "open_rate", "unsubscribe_rate", "bounce_rate"] as const;

function values(k: Kpis): (number | null)[] {
  return [k.impressions, k.reach, k.clicks, k.ctr, k.cost_minor, k.cpc_minor, k.cpm_minor, k.conversions, k.cvr, k.cpa_minor, k.revenue_minor, k.roas, k.roi, k.sends, k.open_rate, k.unsubscribe_rate, k.bounce_rate];
}

function deltas(now: Kpis, before: Kpis): KpiDelta[] {
  const a = values(now);
  const b = values(before);
  return KEYS.map((kpi, i) => {
    const c = a[i] ?? null;
    const p = b[i] ?? null;
    const absolute = c !== null && p !== null ? c - p : null;
    return { kpi, current: c, previous: p, absolute, relative: absolute !== null && p ? absolute / p : null };
  });
}

function day(offset: number, end = "2026-10-31"): string {
  const d = new Date(`${end}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

function problems(d: CampaignDraft): DraftProblem[] {
  const out: DraftProblem[] = [];
  if (!d.name.trim()) out.push({ step: "goal", field: "name", message: "give the campaign a name" });
  if (d.channels.length === 0) out.push({ step: "channels", field: "channels", message: "choose at least one channel" });
  const ads = d.channels.some((c) => c === "meta_ads" || c === "google_ads");
  const owned = d.channels.some((c) => c !== "meta_ads" && c !== "google_ads");
  if (d.goal === "retargeting" && owned) out.push({ step: "channels", field: "channels", message: "a retargeting campaign runs on ad channels only; choose a journey to add e-mail, SMS or push" });
  if (d.goal === "remarketing" && ads) out.push({ step: "channels", field: "channels", message: "a remarketing campaign runs on owned channels only; choose a journey to add ads" });
  if (d.goal === "journey" && d.channels.length > 0 && !(ads && owned)) out.push({ step: "channels", field: "channels", message: "a journey combines at least one ad channel with e-mail, SMS or push" });
  if (d.budget && d.budget.amount_minor <= 0) out.push({ step: "budget_schedule", field: "budget", message: "the budget must be more than zero" });
  if (d.starts_on && d.ends_on && d.ends_on < d.starts_on) out.push({ step: "budget_schedule", field: "ends_on", message: "the end date is before the start date" });
  if (d.status !== "draft") {
    if (d.segment_id === null) out.push({ step: "audience", field: "segment_id", message: "choose the segment the campaign reaches" });
    if (ads && !d.budget) out.push({ step: "budget_schedule", field: "budget", message: "ads need a budget" });
    if (!d.starts_on) out.push({ step: "budget_schedule", field: "starts_on", message: "say when the campaign starts" });
  }
  return out;
}

export function createFakeCampaigns(): CampaignBackend {
  let nextId = 10;
  const base = (id: number, name: string, goal: Campaign["goal"], channels: ChannelKey[], status: Campaign["status"]): Campaign => ({
    id, name, goal, campaign_type: null, status, channels, platform: channels[0] ?? "mixed", segment_id: null, segment_name: null, creative_ids: [], sequence_id: null,
    messages_per_person: 1, budget: null, starts_on: "2026-08-03", ends_on: null, platform_campaign_id: null, origin: "imported", import_file: null,
    attached: [], attached_to: null, created_at: id,
  });
  const campaigns: Campaign[] = [
    base(1, "Meta DPA · Viewed, not bought", "retargeting", ["meta_ads"], "active"),
    base(2, "Google Display · Cart abandoners", "retargeting", ["google_ads"], "active"),
    base(3, "Abandoned cart e-mails", "remarketing", ["email"], "active"),
  ];
  const rows = (id: number, d: number): Sums => {
    const wave = 1 + 0.3 * Math.sin((d + id) / 4);
    if (id === 3) return { ...NONE, sends: Math.round(40 * wave), opens: Math.round(18 * wave), clicks: Math.round(5 * wave), conversions: 1, revenue_minor: Math.round(6_000 * wave), bounces: 0, unsubscribes: d % 9 === 0 ? 1 : 0 };
    const clicks = Math.round((id === 1 ? 14 : 9) * wave);
    return { ...NONE, impressions: clicks * 110, reach: clicks * 45, clicks, cost_minor: clicks * (id === 1 ? 240 : 170), conversions: Math.round(clicks * 0.06), revenue_minor: Math.round(clicks * 0.06) * 8_500 };
  };
  const inRange = (d: string, from: string, to: string) => d >= from && d <= to;
  const collect = (q: MetricsQuery, from: string, to: string) => {
    const out: { key: string; label: string; s: Sums }[] = [];
    for (let i = -120; i <= 0; i += 1) {
      const d = day(i);
      if (!inRange(d, from, to)) continue;
      for (const c of campaigns) {
        if (c.origin !== "imported") continue;
        if (q.campaign_id !== null && q.campaign_id !== c.id) continue;
        const key = q.by === "channel" ? (c.channels[0] ?? "mixed") : q.by === "campaign" ? String(c.id).padStart(9, "0") : q.by === "month" ? d.slice(0, 7) : d;
        const label = q.by === "campaign" ? c.name : q.by === "channel" ? (c.channels[0] ?? "mixed") : key;
        out.push({ key, label, s: rows(c.id, i) });
      }
    }
    return out;
  };
  const shift = (d: string, n: number) => {
    const x = new Date(`${d}T00:00:00Z`);
    x.setUTCDate(x.getUTCDate() + n);
    return x.toISOString().slice(0, 10);
  };
  const find = (id: number) => {
    const c = campaigns.find((x) => x.id === id);
    if (!c) throw new BackendError({ code: "not_found", message: `no campaign with id ${id}` });
    return c;
  };
  const metrics = (q: MetricsQuery): MetricsReport => {
    if (q.to < q.from) throw new BackendError({ code: "invalid_input", message: `the to date ${q.to} is before the from date ${q.from}` });
    const len = Math.round((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000) + 1;
    const pFrom = shift(q.from, -len);
    const pTo = shift(q.from, -1);
    const grouped = new Map<string, { label: string; s: Sums }>();
    let total = NONE;
    for (const r of collect(q, q.from, q.to)) {
      const g = grouped.get(r.key) ?? { label: r.label, s: NONE };
      grouped.set(r.key, { label: g.label, s: add(g.s, r.s) });
      total = add(total, r.s);
    }
    const prev = collect(q, pFrom, pTo).reduce((a, r) => add(a, r.s), NONE);
    const list: MetricsRow[] = [...grouped.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => ({ key, label: g.label, kpis: kpisOf(g.s) }));
    const totals = kpisOf(total);
    const previous = kpisOf(prev);
    return {
      from: q.from, to: q.to, previous_from: pFrom, previous_to: pTo, by: q.by, campaign_id: q.campaign_id,
      blocks: list.length > 0 ? [{ currency: "USD", totals, previous, deltas: deltas(totals, previous), rows: list }] : [],
      undated: [], mixed_currencies: false, warnings: [],
    };
  };
  const summary = (c: Campaign): CampaignSummary => {
    const imported = c.origin === "imported";
    let s = NONE;
    if (imported) for (let i = -120; i <= 0; i += 1) s = add(s, rows(c.id, i));
    return {
      id: c.id, name: c.name, goal: c.goal, campaign_type: c.campaign_type, channel: c.channels[0] ?? "mixed", platform: c.platform, status: c.status,
      currency: imported ? "USD" : null, first_day: imported ? day(-120) : null, last_day: imported ? day(0) : null, undated_periods: [], kpis: kpisOf(s),
    };
  };
  return {
    campaigns: async () => campaigns.map((c) => ({ ...c })).sort((a, b) => b.created_at - a.created_at),
    campaignSummaries: async () => campaigns.map(summary),
    campaignWizardOptions: async () => ({
      segments: [{ id: 1, name: "Cart abandoners", detail: "retargeting" }, { id: 2, name: "Trial sign-ups not converted", detail: "remarketing" }],
      creatives: [{ id: 1, name: "Aperture & Co. · Still thinking", detail: "meta · meta_square" }],
      sequences: [{ id: 1, name: "Cart recovery", detail: "draft" }],
      reports: [{ id: 7, name: "Spring sale", detail: "Google Ads · campaign_report.csv" }],
      currencies: ["USD"],
      last_metrics_day: "2026-10-31",
    }),
    checkCampaign: async (draft) => problems(draft),
    campaignPlan: async (draft): Promise<Plan> => {
      const reach = draft.segment_id === null ? null : {
        segment_id: draft.segment_id, segment_name: draft.segment_id === 1 ? "Cart abandoners" : "Trial sign-ups not converted", as_of: 0, default_as_of: 0,
        channels: draft.channels.map((channel) => {
          const reachable = channel === "sms" ? 120 : channel === "email" ? 610 : 740;
          return { channel, matched: 900, reachable, without_consent: 900 - reachable };
        }),
      };
      const days = draft.starts_on && draft.ends_on ? Math.round((Date.parse(draft.ends_on) - Date.parse(draft.starts_on)) / 86_400_000) + 1 : 30;
      const spend = draft.budget ? (draft.budget.kind === "daily" ? draft.budget.amount_minor * days : draft.budget.amount_minor) : null;
      const ads = draft.channels.filter((c) => c === "meta_ads" || c === "google_ads").length;
      const channels = draft.channels.map((channel) => {
        const r = reach?.channels.find((c) => c.channel === channel)?.reachable ?? null;
        if (channel === "meta_ads" || channel === "google_ads") {
          const cost = spend === null ? null : spend / ads;
          const clicks = cost === null ? null : cost / 220;
          const conversions = clicks === null ? null : clicks * 0.05;
          return { channel, basis: "90 of 90 days: CPC 2.20, 5.00% of clicks convert", reachable: r, sends: null, clicks, conversions, cost_minor: cost, revenue_minor: conversions === null ? null : conversions * 8_500 };
        }
        const sends = r === null ? null : r * Math.max(1, draft.messages_per_person);
        return { channel, basis: "3,120 sends in 88 days: 0.012 conversions per send", reachable: r, sends, clicks: sends === null ? null : sends * 0.04, conversions: sends === null ? null : sends * 0.012, cost_minor: 0, revenue_minor: sends === null ? null : sends * 0.012 * 6_000 };
      });
      const sum = (f: (c: (typeof channels)[number]) => number | null) => {
        const v = channels.map(f).filter((x): x is number => x !== null);
        return v.length ? v.reduce((a, b) => a + b, 0) : null;
      };
      const conversions = sum((c) => c.conversions);
      const cost = sum((c) => c.cost_minor);
      const revenue = sum((c) => c.revenue_minor);
      return {
        reach,
        projection: {
          currency: draft.budget?.currency ?? "USD", days, channels, conversions, cost_minor: cost, revenue_minor: revenue,
          roas: revenue !== null && cost ? revenue / cost : null, cpa_minor: cost !== null && conversions ? cost / conversions : null,
          notes: draft.ends_on ? [] : ["the schedule has no end date: projected for 30 days"],
        },
        problems: problems(draft),
      };
    },
    saveCampaign: async (id, draft) => {
      const p = problems(draft);
      if (p.length > 0) throw new BackendError({ code: "invalid_input", message: `cannot save campaign '${draft.name.trim()}': ${p.map((x) => x.message).join("; ")}` });
      const segment_name = draft.segment_id === 1 ? "Cart abandoners" : draft.segment_id === 2 ? "Trial sign-ups not converted" : null;
      if (id !== null) {
        const c = find(id);
        Object.assign(c, { ...draft, segment_name, platform_campaign_id: draft.platform_campaign_id });
        return { ...c };
      }
      nextId += 1;
      const c: Campaign = { ...base(nextId, draft.name.trim(), draft.goal, draft.channels, draft.status), ...draft, name: draft.name.trim(), segment_name, origin: "wizard", platform: "rebound", created_at: 1_000 + nextId };
      campaigns.push(c);
      return { ...c };
    },
    setCampaignStatus: async (id, status) => {
      const c = find(id);
      c.status = status;
      return { ...c };
    },
    deleteCampaign: async (id) => {
      const i = campaigns.findIndex((c) => c.id === id);
      if (i >= 0) campaigns.splice(i, 1);
    },
    attachReport: async (campaignId, sourceId) => {
      const c = find(campaignId);
      c.attached.push({ source_campaign_id: sourceId, name: "Spring sale", platform: "Google Ads", external_id: null, mode: "manual", file_name: "campaign_report.csv" });
      return { ...c };
    },
    detachReport: async (sourceId) => {
      for (const c of campaigns) c.attached = c.attached.filter((a) => a.source_campaign_id !== sourceId);
    },
    campaignMetrics: async (q) => metrics(q),
    campaignChart: async (q, currency, kpi) => {
      const b = metrics(q).blocks.find((x) => x.currency === currency);
      const n = b?.rows.length ?? 0;
      return `<svg xmlns="http://www.w3.org/2000/svg" width="880" height="300"><title>${kpi} by ${q.by}, ${n} rows</title><rect x="0" y="0" width="880" height="300" fill="none"/></svg>`;
    },
    campaignAttribution: async (q): Promise<AttributionReport> => ({
      from: q.from, to: q.to, lookback_days: q.lookback_days, touch_events: ["ad_click", "email_open", "email_click"],
      blocks: [{
        currency: "USD", conversions: 10, revenue_minor: 100_000, touched: 6,
        rows: [
          { campaign_id: 1, campaign: "Meta DPA · Viewed, not bought", last_touch: { conversions: 4, revenue_minor: 40_000 }, first_touch: { conversions: 2, revenue_minor: 20_000 }, linear: { conversions: 3, revenue_minor: 30_000 }, position_based: { conversions: 3, revenue_minor: 30_000 } },
          { campaign_id: 3, campaign: "Abandoned cart e-mails", last_touch: { conversions: 2, revenue_minor: 20_000 }, first_touch: { conversions: 4, revenue_minor: 40_000 }, linear: { conversions: 3, revenue_minor: 30_000 }, position_based: { conversions: 3, revenue_minor: 30_000 } },
          { campaign_id: null, campaign: "No campaign touch", last_touch: { conversions: 4, revenue_minor: 40_000 }, first_touch: { conversions: 4, revenue_minor: 40_000 }, linear: { conversions: 4, revenue_minor: 40_000 }, position_based: { conversions: 4, revenue_minor: 40_000 } },
        ],
      }],
    }),
    campaignOverMessaging: async (from, to): Promise<OverMessagingReport> => ({
      from, to, caps_source: "sending_rules",
      channels: [{
        channel: "email",
        caps: [
          { cap: { channel: "email", max: 1, per_days: 1 }, description: "email at most 1 per 1 day", people_over: 12, messages_over: 14 },
          { cap: { channel: "email", max: 3, per_days: 7 }, description: "email at most 3 per 7 days", people_over: 5, messages_over: 9 },
        ],
        messages: 1_240, people: 400, people_over: 14, messages_over_cap: 19, max_per_day: 3, max_per_week: 5,
        per_week: [{ messages: 1, person_weeks: 600 }, { messages: 2, person_weeks: 120 }, { messages: 4, person_weeks: 5 }],
        worst: [{ person_id: 42, cap: "email at most 3 per 7 days", first_day: "2026-10-05", last_day: "2026-10-09", messages: 5, campaigns: ["Abandoned cart e-mails", "Monthly newsletter"] }],
      }],
      ad_campaigns: [{ campaign_id: 1, campaign: "Meta DPA · Viewed, not bought", impressions: 120_000, reach: 48_000, frequency: 2.5 }],
      ad_distribution: [{ label: "under 1.5", rows: 0 }, { label: "1.5 – 2", rows: 10 }, { label: "2 – 3", rows: 70 }, { label: "3 – 5", rows: 10 }, { label: "5 – 10", rows: 0 }, { label: "10 or more", rows: 0 }],
      notes: [],
    }),
    exportCampaignChart: async () => true,
    exportTable: async () => true,
  };
}

// The campaigns part of the Backend: its methods, and their implementation
// over Tauri IPC (tauri.ts spreads it in). The fake is in fakeCampaigns.ts.

import { save } from "@tauri-apps/plugin-dialog";
import type { Commands } from "../bindings/api/commands";
import type { ChartTheme } from "../bindings/ChartTheme";
import type { AttributionQuery } from "../bindings/campaigns/AttributionQuery";
import type { AttributionReport } from "../bindings/campaigns/AttributionReport";
import type { Campaign } from "../bindings/campaigns/Campaign";
import type { CampaignSummary } from "../bindings/campaigns/CampaignSummary";
import type { CampaignDraft } from "../bindings/campaigns/CampaignDraft";
import type { CampaignStatus } from "../bindings/campaigns/CampaignStatus";
import type { ChartKpi } from "../bindings/campaigns/ChartKpi";
import type { DraftProblem } from "../bindings/campaigns/DraftProblem";
import type { MetricsQuery } from "../bindings/campaigns/MetricsQuery";
import type { MetricsReport } from "../bindings/campaigns/MetricsReport";
import type { OverMessagingReport } from "../bindings/campaigns/OverMessagingReport";
import type { Plan } from "../bindings/campaigns/Plan";
import type { Table } from "../bindings/campaigns/Table";
import type { WizardOptions } from "../bindings/campaigns/WizardOptions";

export type ChartFileKind = "png" | "svg";

export interface CampaignBackend {
  /** Every campaign, newest first; imported reports are attached by name or id first. */
  campaigns(): Promise<Campaign[]>;
  /** Every campaign's figures over everything the workspace holds, per currency, for the Dashboard. */
  campaignSummaries(): Promise<CampaignSummary[]>;
  campaignWizardOptions(): Promise<WizardOptions>;
  /** What is wrong with a draft, step by step (no workspace reads). */
  checkCampaign(draft: CampaignDraft): Promise<DraftProblem[]>;
  /** Reach after consent per channel, projected results and what is still wrong with the draft. */
  campaignPlan(draft: CampaignDraft): Promise<Plan>;
  /** Saves a new campaign (id null) or replaces a saved one's wizard fields. */
  saveCampaign(id: number | null, draft: CampaignDraft): Promise<Campaign>;
  setCampaignStatus(id: number, status: CampaignStatus): Promise<Campaign>;
  deleteCampaign(id: number): Promise<void>;
  attachReport(campaignId: number, sourceId: number): Promise<Campaign>;
  detachReport(sourceId: number): Promise<void>;
  campaignMetrics(query: MetricsQuery): Promise<MetricsReport>;
  /** The chart of one currency's rows, as SVG. */
  campaignChart(query: MetricsQuery, currency: string, kpi: ChartKpi, theme: ChartTheme): Promise<string>;
  campaignAttribution(query: AttributionQuery): Promise<AttributionReport>;
  campaignOverMessaging(from: string, to: string): Promise<OverMessagingReport>;
  /** Asks where to save (native dialog), then writes the chart; false when cancelled. */
  exportCampaignChart(query: MetricsQuery, currency: string, kpi: ChartKpi, kind: ChartFileKind, suggestedName: string): Promise<boolean>;
  /** Asks where to save (native dialog), then writes the table as CSV; false when cancelled. */
  exportTable(table: Table, suggestedName: string): Promise<boolean>;
}

export function campaignsOverTauri(api: Commands): CampaignBackend {
  return {
    campaigns: api.campaignsList,
    campaignSummaries: api.campaignSummaries,
    campaignWizardOptions: api.campaignWizardOptions,
    checkCampaign: api.campaignCheck,
    campaignPlan: api.campaignPlan,
    saveCampaign: api.campaignSave,
    setCampaignStatus: api.campaignSetStatus,
    deleteCampaign: (id) => api.campaignDelete(id).then(() => undefined),
    attachReport: api.campaignAttach,
    detachReport: (sourceId) => api.campaignDetach(sourceId).then(() => undefined),
    campaignMetrics: api.campaignMetrics,
    campaignChart: api.campaignChart,
    campaignAttribution: api.campaignAttribution,
    campaignOverMessaging: (from, to) => api.campaignOverMessaging({ from, to }),
    exportCampaignChart: async (query, currency, kpi, kind, suggestedName) => {
      const path = await save({ defaultPath: suggestedName, filters: [{ name: kind.toUpperCase(), extensions: [kind] }] });
      if (typeof path !== "string") return false;
      await api.campaignChartExport(query, currency, kpi, path);
      return true;
    },
    exportTable: async (table, suggestedName) => {
      const path = await save({ defaultPath: suggestedName, filters: [{ name: "CSV", extensions: ["csv"] }] });
      if (typeof path !== "string") return false;
      await api.campaignTableExport(table, path);
      return true;
    },
  };
}

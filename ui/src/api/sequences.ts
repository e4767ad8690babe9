// The sequences part of the Backend: its methods, and their implementation
// over Tauri IPC (tauri.ts spreads it in). The fake is in fakeSequences.ts.

import { save } from "@tauri-apps/plugin-dialog";
import type { Commands } from "../bindings/api/commands";
import type { DryRun } from "../bindings/sequences/DryRun";
import type { DryRunOptions } from "../bindings/sequences/DryRunOptions";
import type { Flow } from "../bindings/sequences/Flow";
import type { FlowStatus } from "../bindings/sequences/FlowStatus";
import type { FlowTemplate } from "../bindings/sequences/FlowTemplate";
import type { MessagePreview } from "../bindings/sequences/MessagePreview";
import type { PreviewPerson } from "../bindings/sequences/PreviewPerson";
import type { SavedFlow } from "../bindings/sequences/SavedFlow";
import type { SendingRules } from "../bindings/sequences/SendingRules";
import type { SmtpSettings } from "../bindings/sequences/SmtpSettings";
import type { Progress } from "../bindings/Progress";

export interface SequenceBackend {
  /** The seed's pricing-page journey and an abandoned-cart flow. */
  sequenceTemplates(): Promise<FlowTemplate[]>;
  sequences(): Promise<SavedFlow[]>;
  /** Saves a new flow (id null) or replaces a saved one. */
  saveSequence(id: number | null, flow: Flow, status: FlowStatus): Promise<SavedFlow>;
  deleteSequence(id: number): Promise<void>;
  sendingRules(): Promise<SendingRules>;
  saveSendingRules(rules: SendingRules): Promise<SendingRules>;
  /** People worth previewing messages for. */
  sequencePeople(limit: number): Promise<PreviewPerson[]>;
  /** A message step rendered for a person (subject variant `variant`). */
  previewMessage(flow: Flow, stepId: string, personId: number, variant: number): Promise<MessagePreview>;
  /** Replays history through the flow; progress streams to `onProgress`; cancel with cancelJob(jobId). */
  dryRun(flow: Flow, options: DryRunOptions, jobId: string, onProgress: (p: Progress) => void): Promise<DryRun>;
  /** Asks where to save (native dialog), writes the flow JSON; false when cancelled. */
  exportSequenceJson(flow: Flow, suggestedName: string): Promise<boolean>;
  /** Asks where to save, writes the dry run's audience CSV; its rows, or null when cancelled. */
  exportSequenceCsv(flow: Flow, options: DryRunOptions, suggestedName: string): Promise<number | null>;
  smtpSettings(): Promise<SmtpSettings>;
  saveSmtpSettings(settings: SmtpSettings): Promise<SmtpSettings>;
  /** Sends the e-mail step rendered for a person to the SMTP settings' address; that address. */
  sendTestEmail(flow: Flow, stepId: string, personId: number, variant: number): Promise<string>;
}

export function sequencesOverTauri(api: Commands): SequenceBackend {
  return {
    sequenceTemplates: api.sequenceTemplates,
    sequences: api.sequencesList,
    saveSequence: api.sequenceSave,
    deleteSequence: (id) => api.sequenceDelete(id).then(() => undefined),
    sendingRules: api.sequenceRules,
    saveSendingRules: api.sequenceRulesSave,
    sequencePeople: api.sequencePeople,
    previewMessage: api.sequencePreview,
    dryRun: api.sequenceDryRun,
    exportSequenceJson: async (flow, suggestedName) => {
      const path = await save({ defaultPath: suggestedName, filters: [{ name: "Rebound flow (JSON)", extensions: ["json"] }] });
      if (typeof path !== "string") return false;
      await api.sequenceExportJson(flow, path);
      return true;
    },
    exportSequenceCsv: async (flow, options, suggestedName) => {
      const path = await save({ defaultPath: suggestedName, filters: [{ name: "CSV", extensions: ["csv"] }] });
      if (typeof path !== "string") return null;
      return api.sequenceExportCsv(flow, options, path);
    },
    smtpSettings: api.smtpSettings,
    saveSmtpSettings: api.smtpSettingsSave,
    sendTestEmail: api.sequenceSendTest,
  };
}

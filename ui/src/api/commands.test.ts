// The generated call layer (bindings/api/commands.ts): each function sends
// its command by name with its arguments under the names the Rust function
// has, a job's progress through the channel it is given; and the hand-written
// adapters over it type no command name of their own.

import { describe, expect, it } from "vitest";
import { COMMANDS, commands } from "../bindings/api/commands";
import type { Progress } from "../bindings/Progress";
import type { TemplateDefinition } from "../bindings/creatives/TemplateDefinition";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import tauriSource from "./tauri.ts?raw";
import campaignsSource from "./campaigns.ts?raw";
import creativesSource from "./creatives.ts?raw";
import sequencesSource from "./sequences.ts?raw";

function recorder() {
  const sent: { command: string; args: Record<string, unknown> }[] = [];
  const channels: ((p: Progress) => void)[] = [];
  const api = commands(
    async <T>(command: string, args: Record<string, unknown>) => {
      sent.push({ command, args });
      return null as T;
    },
    (onProgress) => {
      channels.push(onProgress);
      return { channel: channels.length };
    },
  );
  return { api, sent, channels };
}

describe("the generated call layer", () => {
  it("sends each command by its name with camelCase arguments", async () => {
    const { api, sent } = recorder();
    const definition: SegmentDefinition = { version: 1, name: "Lapsed", purpose: "retargeting", rule: { type: "all", rules: [] } };
    const template: TemplateDefinition = {
      name: "Starter",
      headline: "{{product.title}}",
      description: "Still thinking it over?",
      call_to_action: "Shop now",
      business_name: "Shop",
      colors: { background: "#ffffff", text: "#111111", accent: "#e4572e", accent_text: "#ffffff" },
      default_format: "meta_square",
    };
    await api.segmentCount(definition, "2026-11-30");
    await api.campaignAttach(4, 9);
    await api.creativeExport(template, "meta_square", 12, "/tmp/ad.png", null, null, null);
    expect(sent).toEqual([
      { command: "segment_count", args: { definition, asOfDay: "2026-11-30" } },
      { command: "campaign_attach", args: { campaignId: 4, sourceId: 9 } },
      {
        command: "creative_export",
        args: { definition: template, format: "meta_square", personId: 12, path: "/tmp/ad.png", kind: null, images: null, asOfDay: null },
      },
    ]);
  });

  it("gives a job its id and a progress channel", async () => {
    const { api, sent, channels } = recorder();
    const seen: Progress[] = [];
    await api.importRun({ path: "/x.csv", format: null, mapping: null, save_mapping: false }, "job-1", (p) => seen.push(p));
    expect(sent[0]).toEqual({
      command: "import_run",
      args: { request: { path: "/x.csv", format: null, mapping: null, save_mapping: false }, jobId: "job-1", onProgress: { channel: 1 } },
    });
    const progress = { stage: "Importing", done: 3, total: 10, unit: "rows", elapsed_ms: 5, bytes_done: null, bytes_total: null, fraction: 0.3, rate: null, remaining_ms: null };
    channels[0]!(progress);
    expect(seen).toEqual([progress]);
  });

  it("lists every command once, each with its function", () => {
    const { api } = recorder();
    expect(new Set(COMMANDS).size).toBe(COMMANDS.length);
    expect(COMMANDS.length).toBe(Object.keys(api).length);
    expect(COMMANDS).toContain("segment_count");
  });

  it("is the only place command names are written", () => {
    for (const source of [tauriSource, campaignsSource, creativesSource, sequencesSource]) {
      const typed = COMMANDS.filter((name) => source.includes(`"${name}"`));
      expect(typed).toEqual([]);
    }
  });
});

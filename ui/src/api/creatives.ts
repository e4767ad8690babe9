// The creatives part of the Backend: its methods, and their implementation
// over Tauri IPC (tauri.ts spreads it in). The fake is in fakeCreatives.ts.

import { open, save } from "@tauri-apps/plugin-dialog";
import type { AdFormat } from "../bindings/creatives/AdFormat";
import type { FormatSpec } from "../bindings/creatives/FormatSpec";
import type { LogoChoice } from "../bindings/creatives/LogoChoice";
import type { Preview } from "../bindings/creatives/Preview";
import type { PreviewGrid } from "../bindings/creatives/PreviewGrid";
import type { SavedTemplate } from "../bindings/creatives/SavedTemplate";
import type { SuggestedPerson } from "../bindings/creatives/SuggestedPerson";
import type { TemplateDefinition } from "../bindings/creatives/TemplateDefinition";
import type { TokenHelp } from "../bindings/creatives/TokenHelp";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";

export type CreativeFileKind = "png" | "svg";

export interface CreativeBackend {
  /** Meta and Google formats with their sizes and text limits. */
  creativeFormats(): Promise<FormatSpec[]>;
  creativeLogos(): Promise<LogoChoice[]>;
  creativeTokens(): Promise<TokenHelp[]>;
  /** The workspace's templates (the demo brand's are added the first time). */
  creativeTemplates(): Promise<SavedTemplate[]>;
  /** Saves a new template (id null) or replaces a saved one. */
  saveCreativeTemplate(id: number | null, definition: TemplateDefinition): Promise<SavedTemplate>;
  deleteCreativeTemplate(id: number): Promise<void>;
  /** People worth previewing: recent cart additions they did not buy. */
  creativePeople(limit: number): Promise<SuggestedPerson[]>;
  /** The ad one person would see, with the picks, their reasons and the linter's findings. */
  creativePreview(definition: TemplateDefinition, format: AdFormat, personId: number): Promise<Preview>;
  /** The ads of a sample of a segment. */
  creativeGrid(definition: TemplateDefinition, format: AdFormat, segment: SegmentDefinition, size: number, seed: number): Promise<PreviewGrid>;
  /** Asks where to save (native dialog), then writes the ad; null when cancelled, else the bytes written. */
  exportCreative(definition: TemplateDefinition, format: AdFormat, personId: number, kind: CreativeFileKind, suggestedName: string): Promise<number | null>;
  /** The folder local product images are looked up in, if chosen. */
  creativeImagesFolder(): Promise<string | null>;
  /** Asks for a folder (native dialog) and uses it for product images; null when cancelled. */
  pickCreativeImagesFolder(): Promise<string | null>;
}

type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

export function creativesOverTauri(call: Call): CreativeBackend {
  return {
    creativeFormats: () => call<FormatSpec[]>("creative_formats"),
    creativeLogos: () => call<LogoChoice[]>("creative_logos"),
    creativeTokens: () => call<TokenHelp[]>("creative_tokens"),
    creativeTemplates: () => call<SavedTemplate[]>("creative_templates"),
    saveCreativeTemplate: (id, definition) => call<SavedTemplate>("creative_template_save", { id, definition }),
    deleteCreativeTemplate: (id) => call<null>("creative_template_delete", { id }).then(() => undefined),
    creativePeople: (limit) => call<SuggestedPerson[]>("creative_people", { limit }),
    creativePreview: (definition, format, personId) => call<Preview>("creative_preview", { definition, format, personId }),
    creativeGrid: (definition, format, segment, size, seed) => call<PreviewGrid>("creative_grid", { definition, format, segment, size, seed }),
    exportCreative: async (definition, format, personId, kind, suggestedName) => {
      const path = await save({ defaultPath: suggestedName, filters: [{ name: kind.toUpperCase(), extensions: [kind] }] });
      if (typeof path !== "string") return null;
      return call<number>("creative_export", { definition, format, personId, path, kind });
    },
    creativeImagesFolder: () => call<string | null>("creative_images_folder"),
    pickCreativeImagesFolder: async () => {
      const picked = await open({ multiple: false, directory: true });
      if (typeof picked !== "string") return null;
      await call<null>("creative_set_images_folder", { folder: picked });
      return picked;
    },
  };
}

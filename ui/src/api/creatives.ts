// The creatives part of the Backend: its methods, and their implementation
// over Tauri IPC (tauri.ts spreads it in). The fake is in fakeCreatives.ts.

import { open, save } from "@tauri-apps/plugin-dialog";
import type { Commands } from "../bindings/api/commands";
import type { ImageKind } from "../bindings/creatives/ImageKind";
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

/** The file type an ad is exported as. */
export type CreativeFileKind = ImageKind;

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

export function creativesOverTauri(api: Commands): CreativeBackend {
  return {
    creativeFormats: api.creativeFormats,
    creativeLogos: api.creativeLogos,
    creativeTokens: api.creativeTokens,
    creativeTemplates: api.creativeTemplates,
    saveCreativeTemplate: api.creativeTemplateSave,
    deleteCreativeTemplate: (id) => api.creativeTemplateDelete(id).then(() => undefined),
    creativePeople: (limit) => api.creativePeople(limit, null),
    creativePreview: api.creativePreview,
    creativeGrid: api.creativeGrid,
    exportCreative: async (definition, format, personId, kind, suggestedName) => {
      const path = await save({ defaultPath: suggestedName, filters: [{ name: kind.toUpperCase(), extensions: [kind] }] });
      if (typeof path !== "string") return null;
      const written = await api.creativeExport(definition, format, personId, path, kind, null, null);
      return written.bytes;
    },
    creativeImagesFolder: api.creativeImagesFolder,
    pickCreativeImagesFolder: async () => {
      const picked = await open({ multiple: false, directory: true });
      if (typeof picked !== "string") return null;
      await api.creativeSetImagesFolder(picked);
      return picked;
    },
  };
}

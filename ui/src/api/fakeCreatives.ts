// The in-memory fake's creatives: the real formats and the demo brand's
// templates, and a simple SVG per preview so the screen can be built and
// tested in a browser. Nothing here picks products or lints for real; the
// engine is rebound-creatives.

import type { AdFormat } from "../bindings/creatives/AdFormat";
import type { FormatSpec } from "../bindings/creatives/FormatSpec";
import type { Preview } from "../bindings/creatives/Preview";
import type { SavedTemplate } from "../bindings/creatives/SavedTemplate";
import type { TemplateDefinition } from "../bindings/creatives/TemplateDefinition";
import { BackendError } from "./backend";
import type { CreativeBackend } from "./creatives";

const META = { headline: 40, description: 125, call_to_action: 20, business_name: 25 };
const GOOGLE = { headline: 30, description: 90, call_to_action: 15, business_name: 25 };

export const FAKE_FORMATS: FormatSpec[] = [
  { format: "meta_square", platform: "meta", label: "Meta 1:1", width: 1080, height: 1080, max_products: 1, limits: META },
  { format: "meta_portrait", platform: "meta", label: "Meta 4:5", width: 1080, height: 1350, max_products: 1, limits: META },
  { format: "meta_story", platform: "meta", label: "Meta 9:16", width: 1080, height: 1920, max_products: 1, limits: META },
  { format: "meta_carousel", platform: "meta", label: "Meta carousel", width: 1080, height: 1080, max_products: 10, limits: { ...META, headline: 32 } },
  { format: "google_landscape", platform: "google", label: "Google 1.91:1", width: 1200, height: 628, max_products: 1, limits: GOOGLE },
  { format: "google_square", platform: "google", label: "Google 1:1", width: 1200, height: 1200, max_products: 1, limits: GOOGLE },
  { format: "google_300x250", platform: "google", label: "Google 300×250", width: 300, height: 250, max_products: 1, limits: GOOGLE },
  { format: "google_728x90", platform: "google", label: "Google 728×90", width: 728, height: 90, max_products: 1, limits: GOOGLE },
  { format: "google_160x600", platform: "google", label: "Google 160×600", width: 160, height: 600, max_products: 1, limits: GOOGLE },
  { format: "google_320x50", platform: "google", label: "Google 320×50", width: 320, height: 50, max_products: 1, limits: GOOGLE },
];

const BUILTIN: TemplateDefinition = {
  name: "Aperture & Co. · Still thinking",
  headline: "{{product.title}}",
  description: "Still thinking it over, {{person.first_name | there}}? Free 2-day shipping and 30-day returns.",
  call_to_action: "Shop now",
  business_name: "Aperture & Co.",
  colors: { background: "#ffffff", text: "#111827", accent: "#e4572e", accent_text: "#ffffff" },
  logo: "aperture-co",
  default_format: "meta_square",
};

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fill(text: string, title: string, name: string): string {
  return text
    .replace(/\{\{\s*product\.title\s*\}\}/g, title)
    .replace(/\{\{\s*person\.first_name\s*(\|\s*([^}]*))?\}\}/g, (_m, _f, fallback: string | undefined) => name || (fallback ?? "").trim());
}

function fakeSvg(d: TemplateDefinition, spec: FormatSpec, title: string, name: string): string {
  const { width: w, height: h } = spec;
  const c = d.colors;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<rect width="${w}" height="${h}" fill="${escape(c.background)}"/>` +
    `<rect width="${w}" height="${h * 0.55}" fill="#f1f5f9"/>` +
    `<text x="${w * 0.05}" y="${h * 0.7}" font-size="${Math.max(10, h * 0.05)}" font-weight="bold" fill="${escape(c.text)}">${escape(fill(d.headline, title, name))}</text>` +
    `<rect x="${w * 0.7}" y="${h * 0.8}" width="${w * 0.25}" height="${h * 0.1}" rx="8" fill="${escape(c.accent)}"/>` +
    `<text x="${w * 0.825}" y="${h * 0.865}" font-size="${Math.max(9, h * 0.035)}" text-anchor="middle" fill="${escape(c.accent_text)}">${escape(d.call_to_action)}</text>` +
    `</svg>`
  );
}

export function createFakeCreatives(): CreativeBackend {
  let templates: SavedTemplate[] = [{ id: 1, definition: BUILTIN, created_at: 0, updated_at: 0 }];
  let nextId = 2;
  let folder: string | null = null;
  const preview = (definition: TemplateDefinition, format: AdFormat, personId: number): Preview => {
    const spec = FAKE_FORMATS.find((f) => f.format === format) ?? FAKE_FORMATS[0]!;
    const title = "Kestrel K7 Full-Frame Mirrorless Camera";
    const name = personId % 2 === 0 ? "Maya" : "";
    const product = {
      id: 1,
      external_id: "SKU-10000",
      title,
      price_minor: 249_900,
      currency: "USD",
      availability: "in_stock",
      link: "https://shop.example/products/kestrel-k7",
      image_link: "https://shop.example/images/kestrel-k7.jpg",
      brand: "Kestrel",
      category: "Cameras",
    };
    return {
      person: { id: personId, first_name: name || undefined, locale: "en-US" },
      picks: [{ product, kind: "carted", reason: "In their cart since 18 Nov, not bought" }],
      ad: { format, width: spec.width, height: spec.height, svg: fakeSvg(definition, spec, title, name), texts: [], images: [], product_ids: [1] },
      findings: [
        {
          severity: "warning",
          code: "image_not_local",
          card: 0,
          message: `${title}: a placeholder is shown because no images folder chosen; images are never downloaded`,
        },
      ],
    };
  };
  return {
    async creativeFormats() {
      return FAKE_FORMATS;
    },
    async creativeLogos() {
      return [{ name: "aperture-co", label: "Aperture & Co. (demo shop)", data_url: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnLz4=" }];
    },
    async creativeTokens() {
      return [
        { token: "{{product.title}}", meaning: "the product's title from the feed", example: "Kestrel K7 Full-Frame Mirrorless Camera" },
        { token: "{{product.price}}", meaning: "the feed price, formatted for the person's locale", example: "$2,499.00" },
        { token: "{{person.first_name}}", meaning: "the person's first name; add a fallback: {{person.first_name | there}}", example: "Maya" },
      ];
    },
    async creativeTemplates() {
      return templates;
    },
    async saveCreativeTemplate(id, definition) {
      if (!definition.name.trim()) throw new BackendError({ code: "invalid_template", message: `invalid template "": name: a template needs a name` });
      if (templates.some((t) => t.definition.name === definition.name && t.id !== id)) {
        throw new BackendError({ code: "already_exists", message: `cannot save template "${definition.name}": a template with that name already exists` });
      }
      const saved: SavedTemplate = { id: id ?? nextId++, definition, created_at: 1, updated_at: 2 };
      templates = [...templates.filter((t) => t.id !== saved.id), saved].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
      return saved;
    },
    async deleteCreativeTemplate(id) {
      templates = templates.filter((t) => t.id !== id);
    },
    async creativePeople(limit) {
      return [
        { person: { id: 2266, first_name: "Harper", locale: "de-DE", country: "DE" }, summary: "Carted Kestrel K7 Full-Frame Mirrorless Camera, not bought" },
        { person: { id: 1518, first_name: "Elijah", locale: "en-GB", country: "GB" }, summary: "Carted Sigmar 100-400mm Sports Zoom, not bought" },
      ].slice(0, limit);
    },
    async creativePreview(definition, format, personId) {
      return preview(definition, format, personId);
    },
    async creativeGrid(definition, format, segment, size) {
      const cells = Array.from({ length: Math.min(size, 4) }, (_, i) => {
        const p = preview(definition, format, 100 + i);
        return { person: p.person, ad: p.ad, picks: p.picks, findings: p.findings };
      });
      return { segment: segment.name, members: 42, cells, cells_with_errors: 0 };
    },
    async exportCreative() {
      return 12_345;
    },
    async creativeImagesFolder() {
      return folder;
    },
    async pickCreativeImagesFolder() {
      folder = "/home/demo/Pictures/products";
      return folder;
    },
  };
}

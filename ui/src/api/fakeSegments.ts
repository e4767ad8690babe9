// The in-memory fake's segments: a few templates, saved segments kept in
// memory, and live figures derived from the definition's text so that an
// edit visibly changes the count. Nothing here evaluates rules; the real
// engine is rebound-segments.

import type { SavedSegment } from "../bindings/segments/SavedSegment";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import type { Template } from "../bindings/segments/Template";
import type { Backend } from "./backend";
import { BackendError } from "./backend";

type SegmentMethods = Pick<
  Backend,
  | "segmentTemplates"
  | "segmentVocabulary"
  | "segments"
  | "saveSegment"
  | "deleteSegment"
  | "segmentCount"
  | "segmentEngineReading"
  | "segmentEngineCancel"
  | "segmentSample"
  | "segmentBreakdowns"
  | "segmentMembership"
  | "segmentsOverlap"
  | "personTimeline"
  | "exportSegments"
  | "importSegments"
>;

export const FAKE_TEMPLATES: Template[] = [
  {
    key: "cart_abandoners",
    definition: {
      version: 1,
      name: "Cart abandoners",
      description: "Added to cart in the last 14 days, no purchase within 24 hours and none since.",
      purpose: "retargeting",
      rule: {
        type: "not_followed_by",
        first: { name: "add_to_cart", filters: [] },
        then: { name: "purchase", filters: [] },
        within: { hours: 24 },
        window: { kind: "last_days", days: 14 },
        none_since: true,
      },
    },
  },
  {
    key: "lapsed_customers",
    definition: {
      version: 1,
      name: "Lapsed customers",
      purpose: "remarketing",
      consent: { channel: "email", include_without_consent: false },
      rule: { type: "recency", event: { name: "purchase", filters: [] }, op: "more_than_ago", days: 60 },
    },
  },
];

/** A stable number from a string (FNV-1a), so the same draft gives the same figures. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function matched(definition: SegmentDefinition): number {
  return 200 + (hash(JSON.stringify(definition.rule)) % 1800);
}

const NAMES = ["Ada Byrne", "Jonas Meyer", "Priya Shah", "Lena Novak", "Omar Haddad", "Mia Rossi", "Tom Walsh", "Yuki Sato"];

export function createFakeSegments(): SegmentMethods {
  let saved: SavedSegment[] = [];
  let nextId = 1;
  const now = Date.UTC(2026, 10, 1) * 1000;
  return {
    async segmentTemplates() {
      return FAKE_TEMPLATES;
    },
    async segmentVocabulary() {
      return {
        event_names: [
          { name: "view_item", count: 120_000 },
          { name: "add_to_cart", count: 18_000 },
          { name: "purchase", count: 3_100 },
          { name: "page_view", count: 60_000 },
        ],
        categories: [
          { value: "Cameras", label: "Cameras" },
          { value: "Lenses", label: "Lenses" },
          { value: "Software", label: "Software" },
          { value: "electronics.audio.headphone", label: "Electronics › Audio › Headphone" },
        ],
        products: [{ external_id: "SKU-1", title: "Kestrel K7 Camera" }],
        sources: ["google", "meta", "email"],
        countries: ["US", "GB", "DE"],
        currencies: ["USD"],
        property_keys: ["registered"],
        first_event_day: "2026-08-03",
        last_event_day: "2026-10-31",
      };
    },
    async segments() {
      return [...saved].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
    },
    async saveSegment(id, definition) {
      if (definition.name.trim() === "") throw new BackendError({ code: "invalid_rule", message: "invalid segment \"\": name: the name is empty" });
      if (saved.some((s) => s.definition.name === definition.name && s.id !== id)) {
        throw new BackendError({ code: "already_exists", message: `cannot save segment "${definition.name}": a segment with that name already exists` });
      }
      const existing = saved.find((s) => s.id === id);
      const row: SavedSegment = { id: existing?.id ?? nextId++, definition, created_at: existing?.created_at ?? now, updated_at: now };
      saved = [...saved.filter((s) => s.id !== row.id), row];
      return row;
    },
    async deleteSegment(id) {
      saved = saved.filter((s) => s.id !== id);
    },
    // The fake has everything in memory already: there is never a read under way.
    async segmentEngineReading() {
      return null;
    },
    async segmentEngineCancel() {
      return false;
    },
    async segmentCount(definition, asOfDay) {
      const m = matched(definition);
      // As the backend does: the day given, else the end of the last day of data.
      const day = asOfDay ?? "2026-10-31";
      const asOf = (Date.parse(`${day}T00:00:00Z`) + 86_400_000) * 1000;
      const without = definition.consent ? Math.round(m * 0.35) : 0;
      const leaveOut = definition.consent !== undefined && !definition.consent.include_without_consent;
      return {
        matched: m,
        members: leaveOut ? m - without : m,
        without_consent: without,
        consent_channel: definition.consent?.channel,
        left_out_without_consent: leaveOut,
        as_of: asOf,
        elapsed_ms: 4,
        data: { events: [], first_day: "2026-08-03", last_day: "2026-10-31" },
      };
    },
    async segmentSample(definition, _asOf, size) {
      const base = hash(JSON.stringify(definition.rule)) % 5000;
      return NAMES.slice(0, size).map((name, i) => {
        const [first, last] = name.split(" ");
        return { person_id: base + i * 7 + 1, first_name: first, last_name: last, country: i % 2 ? "GB" : "US", last_seen_at: now - i * 3_600_000_000 };
      });
    },
    async segmentBreakdowns(definition) {
      const m = matched(definition);
      return {
        members: m,
        devices: [
          { key: "mobile", label: "mobile", people: Math.round(m * 0.6) },
          { key: "desktop", label: "desktop", people: Math.round(m * 0.5) },
        ],
        without_device: 0,
        top_products: [{ key: "SKU-1", label: "Kestrel K7 Camera", people: Math.round(m * 0.2) }],
        top_categories: [{ key: "Cameras", label: "Cameras", people: Math.round(m * 0.4) }],
      };
    },
    async segmentMembership(definition, from) {
      const m = matched(definition);
      const days = Array.from({ length: 7 }, (_, i) => {
        const d = new Date(`${from}T00:00:00Z`);
        d.setUTCDate(d.getUTCDate() + i);
        return { day: d.toISOString().slice(0, 10), members: m + i * 3, entries: 10 + i, exits: 7 + (i % 3) };
      });
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="760" height="300"><rect width="760" height="300" fill="none"/></svg>';
      return { days, svg };
    },
    async segmentsOverlap() {
      const sizes = saved.map((s) => matched(s.definition));
      return {
        names: saved.map((s) => s.definition.name),
        shared: sizes.map((a, i) => sizes.map((b, j) => (i === j ? a : Math.round(Math.min(a, b) * 0.3)))),
        as_of: now,
      };
    },
    async personTimeline(personId, offset, limit) {
      const events = Array.from({ length: 12 }, (_, i) => ({
        id: 1000 - i,
        ts: now - i * 5_400_000_000,
        name: ["add_to_cart", "view_item", "page_view"][i % 3] ?? "view_item",
        device_id: i % 2 ? 2 : 1,
        device_category: i % 2 ? "desktop" : "mobile",
        product_id: "SKU-1",
        product_title: "Kestrel K7 Camera",
        category: "Cameras",
        source: "google",
      }));
      return {
        person_id: personId,
        first_name: "Ada",
        last_name: "Byrne",
        country: "US",
        time_zone: "America/New_York",
        locale: "en-US",
        first_seen_at: now - 40 * 86_400_000_000,
        last_seen_at: now,
        properties: '{"registered":true}',
        identities: [
          { kind: "visitor_id", value: "v-8841" },
          { kind: "email_sha256", value: "3f0a…" },
        ],
        devices: [
          { id: 1, external_id: "d-1", category: "mobile", os: "iOS", browser: "Safari", events: 6 },
          { id: 2, external_id: "d-2", category: "desktop", os: "Windows", browser: "Chrome", events: 6 },
        ],
        total_events: events.length,
        offset,
        events: events.slice(offset, offset + limit),
      };
    },
    async exportSegments() {
      return null;
    },
    async importSegments() {
      return null;
    },
  };
}

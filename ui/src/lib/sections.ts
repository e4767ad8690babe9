// The app's sections, in navigation order. A section whose capability has not
// landed is listed as not yet available and cannot be opened: no fake screens.

import type { LucideIcon } from "lucide-react";
import { Database, FlaskConical, LayoutDashboard, Megaphone, Palette, Settings, Users, Workflow } from "lucide-react";

export type SectionId =
  | "dashboard"
  | "data"
  | "segments"
  | "creatives"
  | "sequences"
  | "campaigns"
  | "experiments"
  | "settings";

export interface Section {
  id: SectionId;
  label: string;
  icon: LucideIcon;
  available: boolean;
  /** What the section will hold, shown on the disabled entry. */
  purpose: string;
}

export const SECTIONS: readonly Section[] = [
  { id: "dashboard", label: "Dashboard", icon: LayoutDashboard, available: true, purpose: "Figures from the open workspace" },
  { id: "data", label: "Data", icon: Database, available: true, purpose: "What the workspace holds" },
  { id: "segments", label: "Segments", icon: Users, available: true, purpose: "Behaviour-based audiences" },
  { id: "creatives", label: "Creatives", icon: Palette, available: true, purpose: "Dynamic ad previews per person" },
  { id: "sequences", label: "Sequences", icon: Workflow, available: true, purpose: "Remarketing flows and dry runs" },
  { id: "campaigns", label: "Campaigns", icon: Megaphone, available: true, purpose: "Campaign wizard and metrics" },
  { id: "experiments", label: "Experiments", icon: FlaskConical, available: true, purpose: "A/B results with sound statistics" },
  { id: "settings", label: "Settings", icon: Settings, available: true, purpose: "Appearance and workspaces" },
];

/** The section a Ctrl/Cmd + digit shortcut opens, if it can be opened. */
export function sectionForShortcut(digit: string): Section | null {
  const index = Number.parseInt(digit, 10) - 1;
  const section = Number.isInteger(index) ? SECTIONS[index] : undefined;
  return section && section.available ? section : null;
}

/** The next openable section from `from` in direction `step` (+1 / -1), wrapping. */
export function nextAvailable(from: SectionId, step: 1 | -1): SectionId {
  const start = SECTIONS.findIndex((s) => s.id === from);
  for (let i = 1; i <= SECTIONS.length; i += 1) {
    const candidate = SECTIONS[(start + step * i + SECTIONS.length * 2) % SECTIONS.length];
    if (candidate?.available) return candidate.id;
  }
  return from;
}

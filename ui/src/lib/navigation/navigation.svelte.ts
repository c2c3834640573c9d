/** The sections of the sidebar, in display order. */
export const SECTIONS = ["firms", "chips", "sources", "notes", "timeline", "compare", "import"] as const;

export type Section = (typeof SECTIONS)[number];

export const SECTION_LABELS: Record<Section, string> = {
  firms: "Firms",
  chips: "Chips",
  sources: "Sources",
  notes: "Notes",
  timeline: "Timeline",
  compare: "Compare",
  import: "Import",
};

/**
 * Where the user is: a sidebar section and, within Firms, the open profile.
 * Plain state instead of a router: the desktop app has no address bar.
 */
export class Navigation {
  section: Section = $state("firms");
  /** The firm whose profile is open, or null for the list of firms. */
  firmId: number | null = $state(null);

  /** Opens a section at its start (for Firms: the list). */
  go(section: Section): void {
    this.section = section;
    this.firmId = null;
  }

  openFirm(firmId: number): void {
    this.section = "firms";
    this.firmId = firmId;
  }
}

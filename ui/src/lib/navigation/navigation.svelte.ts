/** The sections of the sidebar, in display order. */
export const SECTIONS = ["firms", "chips", "sources", "notes", "timeline", "compare", "import", "trash", "conflicts"] as const;

export type Section = (typeof SECTIONS)[number];

export const SECTION_LABELS: Record<Section, string> = {
  firms: "Firms",
  chips: "Chips",
  sources: "Sources",
  notes: "Notes",
  timeline: "Timeline",
  compare: "Compare",
  import: "Import",
  trash: "Trash",
  conflicts: "Conflicts",
};

/** The records that have a form. */
export type FormKind = "firm" | "source" | "chip" | "event" | "assessment" | "strategy" | "note";

/** Values a new record's form starts with, e.g. the firm a new chip belongs to. */
export type FormPreset = { firmId?: number; strategyId?: number };

/**
 * Where the user is. Plain state instead of a router: the desktop app has no address bar.
 * `scrollTop`: where the page was scrolled when the user left it for a source, so Back lands there again.
 */
export type Route =
  | { view: "section"; section: Section; scrollTop?: number }
  | { view: "firm"; firmId: number; scrollTop?: number }
  | { view: "note"; noteId: number; scrollTop?: number }
  | { view: "source"; sourceId: number; back: Route; scrollTop?: number }
  | { view: "form"; form: FormKind; id: number | null; preset: FormPreset; back: Route };

/** The section a route belongs to, for the sidebar. */
export function sectionOf(route: Route): Section {
  switch (route.view) {
    case "section":
      return route.section;
    case "firm":
      return "firms";
    case "note":
      return "notes";
    case "source":
    case "form":
      return sectionOf(route.back);
  }
}

/**
 * The current route, and the guard that keeps unsaved edits from being lost:
 * while a form with changes is open, leaving it asks first.
 */
export class Navigation {
  route: Route = $state({ view: "section", section: "firms" });
  /** Where the user asked to go while a form had unsaved changes; the dialog decides. */
  pending: Route | null = $state(null);

  readonly section: Section = $derived(sectionOf(this.route));
  /** The firm whose profile is open, or null. */
  readonly firmId: number | null = $derived(this.route.view === "firm" ? this.route.firmId : null);

  #hasUnsavedChanges: () => boolean = () => false;

  /** A form registers how to tell whether it has unsaved changes; returns the unregister function. */
  guard(hasUnsavedChanges: () => boolean): () => void {
    this.#hasUnsavedChanges = hasUnsavedChanges;
    return () => {
      if (this.#hasUnsavedChanges === hasUnsavedChanges) this.#hasUnsavedChanges = () => false;
    };
  }

  /** Goes to `next`, unless unsaved changes make it ask first. */
  request(next: Route): void {
    if (this.#hasUnsavedChanges()) {
      this.pending = next;
      return;
    }
    this.route = next;
  }

  /** The user chose to leave without saving. */
  discardAndLeave(): void {
    const next = this.pending;
    this.pending = null;
    this.#hasUnsavedChanges = () => false;
    if (next) this.route = next;
  }

  stay(): void {
    this.pending = null;
  }

  /** Opens a section at its start (for Firms: the list). */
  go(section: Section): void {
    this.request({ view: "section", section });
  }

  openFirm(firmId: number): void {
    this.request({ view: "firm", firmId });
  }

  openNote(noteId: number): void {
    this.request({ view: "note", noteId });
  }

  /**
   * Opens a source for reading; Back returns to the current place, scrolled to
   * `scrollTop` (a source opened from another source's page goes back to that page).
   */
  openSource(sourceId: number, scrollTop = 0): void {
    const here = this.route;
    const back: Route = here.view === "form" ? here.back : { ...here, scrollTop };
    this.request({ view: "source", sourceId, back });
  }

  /** Leaves a source's page for where it was opened from. */
  closeSource(): void {
    if (this.route.view === "source") this.request(this.route.back);
  }

  /** Opens the form for a record (`id` null: a new one); saving or cancelling comes back here. */
  openForm(form: FormKind, id: number | null, preset: FormPreset = {}): void {
    const back = this.route.view === "form" ? this.route.back : this.route;
    this.request({ view: "form", form, id, preset, back });
  }

  /** Leaves a form for where it was opened from, or for `next` (e.g. the record just created). */
  closeForm(next?: Route): void {
    const target = next ?? (this.route.view === "form" ? this.route.back : this.route);
    this.request(target);
  }
}

// Where the Sources list was left: its sort, filters, page and ticked rows,
// kept for the session across visits, so Back from a source opened in the
// list returns to the same page, sorted and filtered as it was.

import type { SourceCursor, SourceFilter, SourceKind, SourceSort } from "../bindings";
import { SourceTicks } from "./sourceSelection.svelte";

/** The conditions besides the words, as the filter bar sets them. */
export interface SourceConditions {
  kind: SourceKind | null;
  /** "A" to "F", or "none". */
  reliability: string | null;
  /** As typed: "Oct 2023", "2023-10", "2023年10月". */
  publishedFrom: string;
  publishedTo: string;
  firm: number | null;
}

export const NO_CONDITIONS: SourceConditions = { kind: null, reliability: null, publishedFrom: "", publishedTo: "", firm: null };

class SourcesListPlace {
  sort: SourceSort = $state("added");
  descending = $state(true);
  /** The filter as typed, and as applied (after a pause in typing). */
  filter = $state("");
  appliedFilter = $state("");
  conditions: SourceConditions = $state({ ...NO_CONDITIONS });
  /** Cursors of the pages before this one, so Previous can go back. */
  history: (SourceCursor | null)[] = $state([]);
  cursor: SourceCursor | null = $state(null);
  /** Only the sources one import added (its "Show the sources"); null: all. */
  importBatch: { id: number; fileName: string } | null = $state(null);
  /** Rows ticked for a bulk action. */
  readonly ticks = new SourceTicks();

  /** What the list shows, as the core reads it. */
  get sourceFilter(): SourceFilter {
    const c = this.conditions;
    return {
      words: this.appliedFilter.trim() === "" ? null : this.appliedFilter,
      importBatch: this.importBatch?.id ?? null,
      kind: c.kind,
      reliability: c.reliability,
      publishedFrom: c.publishedFrom.trim() === "" ? null : c.publishedFrom,
      publishedTo: c.publishedTo.trim() === "" ? null : c.publishedTo,
      firm: c.firm,
    };
  }

  /** Whether any condition besides the words is set. */
  get conditioned(): boolean {
    const c = this.conditions;
    return c.kind !== null || c.reliability !== null || c.publishedFrom.trim() !== "" || c.publishedTo.trim() !== "" || c.firm !== null;
  }

  /** From the first page again, nothing ticked: another filter shows other sources. */
  restart(): void {
    this.history = [];
    this.cursor = null;
    this.ticks.clear();
  }

  /** The sources an import added, from their first page, whatever the list showed. */
  showImport(id: number, fileName: string): void {
    this.importBatch = { id, fileName };
    this.filter = "";
    this.appliedFilter = "";
    this.conditions = { ...NO_CONDITIONS };
    this.sort = "added";
    this.descending = true;
    this.restart();
  }

  /** Every source again, from the first page. */
  showAll(): void {
    this.importBatch = null;
    this.filter = "";
    this.appliedFilter = "";
    this.conditions = { ...NO_CONDITIONS };
    this.restart();
  }
}

export const sourcesListPlace = new SourcesListPlace();

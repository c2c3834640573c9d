// Where the Sources list was left: its sort, filter and page, kept for the
// session across visits, so Back from a source opened in the list returns to
// the same page, sorted and filtered as it was.

import type { SourceCursor, SourceSort } from "../bindings";

class SourcesListPlace {
  sort: SourceSort = $state("added");
  descending = $state(true);
  /** The filter as typed, and as applied (after a pause in typing). */
  filter = $state("");
  appliedFilter = $state("");
  /** Cursors of the pages before this one, so Previous can go back. */
  history: (SourceCursor | null)[] = $state([]);
  cursor: SourceCursor | null = $state(null);
  /** Only the sources one import added (its "Show the sources"); null: all. */
  importBatch: { id: number; fileName: string } | null = $state(null);

  /** The sources an import added, from their first page, whatever the list showed. */
  showImport(id: number, fileName: string): void {
    this.importBatch = { id, fileName };
    this.filter = "";
    this.appliedFilter = "";
    this.sort = "added";
    this.descending = true;
    this.history = [];
    this.cursor = null;
  }

  /** Every source again, from the first page. */
  showAll(): void {
    this.importBatch = null;
    this.history = [];
    this.cursor = null;
  }
}

export const sourcesListPlace = new SourcesListPlace();

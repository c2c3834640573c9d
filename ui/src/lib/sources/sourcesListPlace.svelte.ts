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
}

export const sourcesListPlace = new SourcesListPlace();

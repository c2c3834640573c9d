import { FIRMS_BY_NAME, listFirms, loadFirmProfile } from "../api";
import type { FirmOrder, FirmProfile, FirmSort, FirmSummary } from "../bindings";
import { Resource } from "../resource.svelte";
import { numberSources, type Citation } from "../sources/sources";
import { filterFirms } from "./filter";

/** Columns whose first click shows the most first (counts); the others start A to Z. */
const MOST_FIRST: ReadonlySet<FirmSort> = new Set(["chips", "assessments", "listings"]);

/** The list of firms, its order and the text it is filtered by; kept while the user visits profiles. */
export class FirmList {
  readonly firms = new Resource<FirmSummary[], [FirmOrder]>(listFirms);
  query = $state("");
  order: FirmOrder = $state(FIRMS_BY_NAME);

  /** The firms matching `query`, in the backend's order. */
  readonly visible: FirmSummary[] = $derived(filterFirms(this.firms.value ?? [], this.query));

  /** Loads the list unless it is already here or on its way. */
  ensureLoaded(): void {
    if (this.firms.value === undefined && !this.firms.loading) void this.firms.load(this.order);
  }

  reload(): void {
    void this.firms.load(this.order);
  }

  /** Sorts by `sort`; the column already sorted by turns around. The core sorts. */
  sortBy(sort: FirmSort): void {
    this.order =
      this.order.sort === sort
        ? { sort, descending: !this.order.descending }
        : { sort, descending: MOST_FIRST.has(sort) };
    this.reload();
  }
}

/** One firm's profile, its numbered sources and the source the user last jumped to. */
export class FirmProfileState {
  readonly profile = new Resource<FirmProfile, [number]>(loadFirmProfile);
  firmId: number | null = $state(null);
  /** The source entry to highlight after a citation marker was followed. */
  highlightedSourceId: number | null = $state(null);

  /** Source id → its number in the Sources list. */
  readonly citations: Map<number, Citation> = $derived(numberSources(this.profile.value?.sources ?? []));

  /** Shows `firmId`, dropping the previous firm's data at once so it is never shown under the new name. */
  open(firmId: number): void {
    if (firmId === this.firmId && (this.profile.value !== undefined || this.profile.loading)) return;
    this.firmId = firmId;
    this.highlightedSourceId = null;
    this.profile.clear();
    void this.profile.load(firmId);
  }

  reload(): void {
    if (this.firmId !== null) void this.profile.load(this.firmId);
  }

  /** The citation for a source id, for markers. */
  citation(sourceId: number): Citation | undefined {
    return this.citations.get(sourceId);
  }
}

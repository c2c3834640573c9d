import { listFirms, loadFirmProfile } from "../api";
import type { FirmProfile, FirmSummary } from "../bindings";
import { Resource } from "../resource.svelte";
import { numberSources, type Citation } from "../sources/sources";
import { filterFirms } from "./filter";

/** The list of firms and the text it is filtered by; kept while the user visits profiles. */
export class FirmList {
  readonly firms = new Resource<FirmSummary[]>(listFirms);
  query = $state("");

  /** The firms matching `query`, in the backend's (name) order. */
  readonly visible: FirmSummary[] = $derived(filterFirms(this.firms.value ?? [], this.query));

  /** Loads the list unless it is already here or on its way. */
  ensureLoaded(): void {
    if (this.firms.value === undefined && !this.firms.loading) void this.firms.load();
  }

  reload(): void {
    void this.firms.load();
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

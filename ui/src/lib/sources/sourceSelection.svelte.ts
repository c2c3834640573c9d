// The sources ticked in the Sources list for a bulk action: some picked one
// by one, or every source the filter lets through (on all pages) but the ones
// unticked since. The core resolves the second kind itself, so "all 49,021"
// never travels as 49,021 ids.

import { SvelteSet } from "svelte/reactivity";
import type { SourceFilter, SourceSelection } from "../bindings";

export class SourceTicks {
  /** Ticked one by one (when not `allMatching`). */
  readonly picked = new SvelteSet<number>();
  /** Every source the filter lets through … */
  allMatching = $state(false);
  /** … but these, unticked since. */
  readonly except = new SvelteSet<number>();

  isTicked(id: number): boolean {
    return this.allMatching ? !this.except.has(id) : this.picked.has(id);
  }

  toggle(id: number): void {
    const set = this.allMatching ? this.except : this.picked;
    if (set.has(id)) set.delete(id);
    else set.add(id);
  }

  /** Ticks every row shown, or unticks them when all are ticked already. */
  togglePage(ids: number[]): void {
    const all = ids.length > 0 && ids.every((id) => this.isTicked(id));
    for (const id of ids) if (this.isTicked(id) === all) this.toggle(id);
  }

  selectAllMatching(): void {
    this.allMatching = true;
    this.picked.clear();
    this.except.clear();
  }

  clear(): void {
    this.allMatching = false;
    this.picked.clear();
    this.except.clear();
  }

  /** How many are ticked, given how many the filter lets through. */
  count(total: number): number {
    return this.allMatching ? Math.max(0, total - this.except.size) : this.picked.size;
  }

  /** The selection as the core's bulk actions take it. */
  selection(filter: SourceFilter): SourceSelection {
    return this.allMatching
      ? { by: "matching", filter, except: [...this.except] }
      : { by: "ids", ids: [...this.picked] };
  }
}

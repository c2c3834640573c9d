// The Compare page's state: what is compared (firms, dimensions, filters),
// the computed matrix, and the saved comparison it came from. One instance
// lives for the whole session, so leaving the page keeps the comparison.
import {
  computeComparison,
  deleteComparison,
  duplicateComparison,
  listComparisonDimensions,
  listSavedComparisons,
  renameComparison,
  saveComparison,
} from "../api";
import type {
  ComparisonCell,
  ComparisonFilters,
  ComparisonMatrix,
  ComparisonSelection,
  Dimension,
  FirmRef,
  SavedComparison,
} from "../bindings";
import { Resource } from "../resource.svelte";

export function emptyFilters(): ComparisonFilters {
  return { from: null, to: null, staleAfterDays: null, staleBefore: null };
}

export function emptySelection(): ComparisonSelection {
  return { firmIds: [], dimensions: [], filters: emptyFilters() };
}

/** Two selections ask for the same matrix. */
function sameSelection(a: ComparisonSelection, b: ComparisonSelection): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The cell whose evidence panel is open. */
export type EvidenceTarget = { firm: FirmRef; dimension: Dimension; cell: ComparisonCell };

export class ComparisonState {
  selection: ComparisonSelection = $state(emptySelection());
  /** Firms as rows instead of columns. */
  transposed = $state(false);
  /** The saved comparison open on the page, as last saved. */
  saved: SavedComparison | null = $state(null);
  /**
   * The cell whose evidence panel is open. Kept here, with the table's scroll
   * position, so that coming back from a source opened in the panel shows the
   * page as it was left.
   */
  evidence: EvidenceTarget | null = $state(null);
  tableScroll = { left: 0, top: 0 };
  /**
   * Whether the setup (firms, dimensions, filters) is unfolded. A saved
   * comparison opens folded, and saving folds it: the matrix gets the window.
   */
  setupOpen = $state(true);

  readonly matrix = new Resource<ComparisonMatrix, [ComparisonSelection]>(computeComparison);
  readonly dimensions = new Resource<Dimension[]>(listComparisonDimensions);
  readonly savedList = new Resource<SavedComparison[]>(listSavedComparisons);

  /** Changes since the open saved comparison was saved (or anything, when none is open). */
  get dirty(): boolean {
    if (this.saved === null) return this.selection.firmIds.length > 0;
    return !sameSelection(this.selection, this.saved.selection);
  }

  /** The dimension ids shown: the chosen ones, or every one when none is chosen. */
  get shownDimensionIds(): string[] {
    if (this.selection.dimensions.length > 0) return this.selection.dimensions;
    return (this.dimensions.value ?? []).map((d) => d.id);
  }

  compute(): Promise<void> {
    return this.matrix.load($state.snapshot(this.selection));
  }

  setFirms(firmIds: number[]): void {
    this.selection.firmIds = [...new Set(firmIds)];
  }

  addFirms(firmIds: number[]): void {
    this.setFirms([...this.selection.firmIds, ...firmIds]);
  }

  removeFirm(firmId: number): void {
    this.selection.firmIds = this.selection.firmIds.filter((id) => id !== firmId);
  }

  /** Moves a firm one place left (-1) or right (+1). */
  moveFirm(firmId: number, step: -1 | 1): void {
    const ids = [...this.selection.firmIds];
    const at = ids.indexOf(firmId);
    const to = at + step;
    if (at < 0 || to < 0 || to >= ids.length) return;
    const [moved] = ids.splice(at, 1);
    if (moved === undefined) return;
    ids.splice(to, 0, moved);
    this.selection.firmIds = ids;
  }

  toggleDimension(id: string): void {
    const shown = this.shownDimensionIds;
    this.selection.dimensions = shown.includes(id) ? shown.filter((d) => d !== id) : this.inCatalogOrder([...shown, id]);
  }

  /** Shows every dimension of a group, or none of them. */
  setGroup(ids: string[], on: boolean): void {
    const shown = this.shownDimensionIds.filter((d) => !ids.includes(d));
    this.selection.dimensions = this.inCatalogOrder(on ? [...shown, ...ids] : shown);
  }

  private inCatalogOrder(ids: string[]): string[] {
    const order = (this.dimensions.value ?? []).map((d) => d.id);
    return [...new Set(ids)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }

  /** Opens the evidence panel on the cell of `firmId` × `dimensionId` in the computed matrix, if it is there. */
  openEvidence(firmId: number, dimensionId: string): boolean {
    const matrix = this.matrix.value;
    const row = matrix?.firms.findIndex((f) => f.id === firmId) ?? -1;
    const column = matrix?.dimensions.findIndex((d) => d.id === dimensionId) ?? -1;
    const firm = matrix?.firms[row];
    const dimension = matrix?.dimensions[column];
    const cell = matrix?.rows[row]?.[column];
    if (!firm || !dimension || !cell) return false;
    this.evidence = { firm, dimension, cell };
    return true;
  }

  open(saved: SavedComparison): void {
    this.evidence = null;
    this.setupOpen = false;
    this.saved = saved;
    this.selection = structuredClone(saved.selection);
  }

  /** Starts an unsaved comparison from scratch. */
  reset(): void {
    this.evidence = null;
    this.setupOpen = true;
    this.saved = null;
    this.selection = emptySelection();
  }

  /** Saves over the open saved comparison, or as a new one named `name`. */
  async save(name: string | null = null): Promise<SavedComparison> {
    const draft = { name: name ?? this.saved?.name ?? "", selection: $state.snapshot(this.selection) };
    const saved =
      name === null && this.saved !== null
        ? await saveComparison(this.saved.id, this.saved.revision, draft)
        : await saveComparison(null, null, draft);
    this.saved = saved;
    this.setupOpen = false;
    await this.savedList.load();
    return saved;
  }

  async rename(name: string): Promise<void> {
    if (this.saved === null) return;
    this.saved = await renameComparison(this.saved.id, name);
    await this.savedList.load();
  }

  async duplicate(): Promise<void> {
    if (this.saved === null) return;
    this.open(await duplicateComparison(this.saved.id, null));
    await this.savedList.load();
  }

  async remove(): Promise<void> {
    if (this.saved === null) return;
    await deleteComparison(this.saved.id);
    this.saved = null;
    await this.savedList.load();
  }

  /** After an export of the open saved comparison: it now has a last export. */
  async refreshSaved(): Promise<void> {
    await this.savedList.load();
    const id = this.saved?.id;
    const fresh = this.savedList.value?.find((s) => s.id === id);
    if (fresh) this.saved = fresh;
  }
}

export const comparison = new ComparisonState();

// The earlier imports listed under the wizard, and undoing one of them.
import { listImportBatches, undoImport } from "../api";
import type { AppError, ImportBatch } from "../bindings";
import { changes } from "../changes.svelte";
import { countLabel } from "../format";
import { Resource } from "../resource.svelte";

export class ImportHistory {
  readonly batches = new Resource<ImportBatch[]>(listImportBatches);
  /** An undo refused because records were edited since the import: asked again before removing them too. */
  confirming: { batch: ImportBatch; edited: string } | null = $state(null);
  /** What the last undo removed, or why it failed. */
  message: string | null = $state(null);

  load(): Promise<void> {
    return this.batches.load();
  }

  /** Undoes `batch`; `force` also removes records edited since it was imported. */
  async undo(batch: ImportBatch, force: boolean): Promise<void> {
    this.message = null;
    try {
      const done = await undoImport(batch.id, force);
      this.confirming = null;
      const removed = done.removedSources + done.removedFirms + done.removedChips;
      this.message = `Import #${batch.id} undone: ${countLabel(removed, "record")} removed${done.revertedFills ? `, ${countLabel(done.revertedFills, "filled field")} emptied again` : ""}.`;
      changes.bump();
      await this.batches.load();
    } catch (error) {
      const appError = error as AppError;
      // Records edited since the import: ask before removing them too.
      if (appError.kind === "conflict" && !force) this.confirming = { batch, edited: appError.message };
      else this.message = appError.message;
    }
  }

  /** Keeps the import after all (the edited records stay). */
  keep(): void {
    this.confirming = null;
  }
}

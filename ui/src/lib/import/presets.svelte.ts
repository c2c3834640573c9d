// The column mappings saved for a kind of file, to read the next such file
// by one of them, and saving the current mapping under a name.
import { listImportPresets, saveImportPreset } from "../api";
import type { AppError, ImportPreset, ImportTarget, Mapping } from "../bindings";
import { Resource } from "../resource.svelte";

export class ImportPresets {
  readonly list = new Resource<ImportPreset[], [ImportTarget]>(listImportPresets);
  /** The dialog asking for the name is open. */
  naming = $state(false);
  /** Why the last name was refused (e.g. already taken). */
  error: string | null = $state(null);
  /** The name the mapping was last saved under, for the notice. */
  savedAs: string | null = $state(null);

  load(target: ImportTarget): Promise<void> {
    return this.list.load(target);
  }

  /** Opens the dialog asking for a name. */
  ask(): void {
    this.error = null;
    this.naming = true;
  }

  cancel(): void {
    this.naming = false;
  }

  /** Saves `mapping` as `name` for files of `target`; the dialog stays open with the reason when refused. */
  async save(name: string, target: ImportTarget, mapping: Mapping | null): Promise<void> {
    if (!mapping) return;
    this.error = null;
    try {
      await saveImportPreset(name, target, $state.snapshot(mapping) as Mapping);
      this.naming = false;
      await this.list.load(target);
      this.savedAs = name;
    } catch (error) {
      this.error = (error as AppError).message;
    }
  }
}

import { toAppError } from "../api";
import type { AppError, Editing } from "../bindings";

/** What the screen showing a record's form passes to it, whatever the kind of record. */
export interface RecordFormProps {
  /** The record to edit; null for a new one. */
  id: number | null;
  /** After a save, with the saved record's id. */
  onsaved: (id: number) => void;
  oncancel: () => void;
  /** Registers "are there unsaved changes?" with navigation; returns the unregistering function. */
  guard: (hasUnsavedChanges: () => boolean) => () => void;
  /** After the record was moved to the Trash from its form. */
  ondeleted: () => void;
}

/** A record's form: what is typed, what was loaded, and what the backend said about it. */
export class EntityForm<D> {
  /** The record being edited; null for a new one. */
  id: number | null = $state(null);
  revision: number | null = $state(null);
  draft: D = $state() as D;
  /** The draft as loaded or last saved, to tell whether anything changed. */
  #saved: string = $state("");
  loading = $state(false);
  saving = $state(false);
  /** A problem with the whole record (conflict, not found, internal); field problems go to `fieldError`. */
  error: AppError | null = $state.raw(null);
  /** The field the backend refused, and why (its message without the field prefix). */
  fieldError: { field: string; message: string } | null = $state.raw(null);

  readonly dirty: boolean = $derived(JSON.stringify(this.draft) !== this.#saved);
  /** Whether there is a draft to show: a new record started, or a saved one loaded. */
  readonly ready: boolean = $derived(!this.loading && this.draft !== undefined);

  #load: (id: number) => Promise<Editing<D>>;
  #save: (id: number | null, revision: number | null, draft: D) => Promise<Editing<D>>;

  constructor(
    load: (id: number) => Promise<Editing<D>>,
    save: (id: number | null, revision: number | null, draft: D) => Promise<Editing<D>>,
  ) {
    this.#load = load;
    this.#save = save;
  }

  /** Loads record `id`, or starts a new record from `blank()` when `id` is null. */
  async begin(id: number | null, blank: () => D): Promise<void> {
    if (id === null) this.start(blank());
    else await this.open(id);
  }

  /** A new record starting from `blank`. */
  start(blank: D): void {
    this.#accept({ id: null, revision: null, draft: blank });
  }

  /** Loads record `id` for editing. */
  async open(id: number): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      this.#accept(await this.#load(id));
    } catch (thrown) {
      this.error = toAppError(thrown);
    } finally {
      this.loading = false;
    }
  }

  /** Saves; resolves to the saved record, or undefined when the backend refused (see `error`, `fieldError`). */
  async submit(): Promise<Editing<D> | undefined> {
    this.saving = true;
    this.error = null;
    this.fieldError = null;
    try {
      const saved = await this.#save(this.id, this.revision, $state.snapshot(this.draft) as D);
      this.#accept(saved);
      return saved;
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.kind === "invalidInput" && error.field) {
        this.fieldError = { field: error.field, message: withoutFieldPrefix(error.message, error.field) };
      } else {
        this.error = error;
      }
      return undefined;
    } finally {
      this.saving = false;
    }
  }

  /** The backend's message for `field` (or for anything inside it, e.g. "listings[0].listedOn" under "listings[0]"). */
  errorFor(field: string): string | undefined {
    const refused = this.fieldError;
    if (!refused) return undefined;
    return refused.field === field ? refused.message : undefined;
  }

  /** Forgets a field's error once the user edits that field (or, for a list, any of its items). */
  touched(field: string): void {
    const refused = this.fieldError?.field;
    if (refused === field || refused?.startsWith(`${field}[`)) this.fieldError = null;
  }

  /** The message for `field` or any item of it ("aliases" covers "aliases[2]"). */
  errorUnder(field: string): string | undefined {
    const refused = this.fieldError;
    return refused && (refused.field === field || refused.field.startsWith(`${field}[`)) ? refused.message : undefined;
  }

  #accept(record: { id: number | null; revision: number | null; draft: D }): void {
    this.id = record.id;
    this.revision = record.revision;
    this.draft = record.draft;
    this.#saved = JSON.stringify(record.draft);
    this.fieldError = null;
  }
}

/** "publishedOn: 'x' is not a date" → "'x' is not a date". */
export function withoutFieldPrefix(message: string, field: string): string {
  const prefix = `${field}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** The text of an optional input: empty becomes null, so the backend sees "not given". */
export function optionalText(value: string): string | null {
  return value.trim() === "" ? null : value;
}

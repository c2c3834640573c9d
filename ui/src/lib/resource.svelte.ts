import type { AppError } from "./bindings";
import { toAppError } from "./api";

/**
 * One value fetched from the backend, with its loading and error state.
 * Only the latest `load` counts: an older request that answers late is
 * dropped, so quick navigation never shows the wrong data.
 */
export class Resource<T, A extends unknown[] = []> {
  /** The last value loaded; kept while a reload runs. */
  value: T | undefined = $state.raw(undefined);
  error: AppError | null = $state.raw(null);
  loading = $state(false);

  #fetch: (...args: A) => Promise<T>;
  #latest = 0;

  constructor(fetch: (...args: A) => Promise<T>) {
    this.#fetch = fetch;
  }

  /** Fetches anew. Resolves once this request is settled; never rejects. */
  async load(...args: A): Promise<void> {
    const request = ++this.#latest;
    this.loading = true;
    this.error = null;
    try {
      const value = await this.#fetch(...args);
      if (request !== this.#latest) return;
      this.value = value;
    } catch (thrown) {
      if (request !== this.#latest) return;
      this.error = toAppError(thrown);
    } finally {
      if (request === this.#latest) this.loading = false;
    }
  }

  /** Forgets the value, e.g. before loading a different record. */
  clear(): void {
    this.#latest++;
    this.value = undefined;
    this.error = null;
    this.loading = false;
  }
}

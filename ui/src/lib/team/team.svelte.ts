// The open workspace's team state, shared by the sidebar, the workspace menu,
// the navigation and the Conflicts page: its status (null when it is no team
// replica), the sync running now, the last sync's report or failure, and the
// periodic sync.

import { listConflicts, syncNow, teamStatus, toAppError } from "../api";
import type { SyncReport, TeamStatus } from "../bindings";
import { changes } from "../changes.svelte";
import { changedLocalData, periodicSyncDue, recordedFailure, SYNC_INTERVAL_MS, syncFailure, type SyncFailure } from "./team";

/** How often "5 min ago" is worked out again. */
const CLOCK_MS = 30_000;

export class TeamSync {
  /** undefined until loaded; null when the open workspace is not a team replica. */
  status: TeamStatus | null | undefined = $state.raw(undefined);
  /** Conflicts kept in a workspace that is no team replica (any left from when it was one). */
  conflictsLeft = $state(false);
  syncing = $state(false);
  /** What the last sync of this session did, until the next one. */
  report: SyncReport | null = $state.raw(null);
  /** Why the last sync of this session failed; before the first, the one the workspace recorded. */
  failure: SyncFailure | null = $state.raw(null);
  /** Now, as "5 min ago" reads it: moved on by the periodic clock. */
  now: Date = $state.raw(new Date());

  readonly isTeam: boolean = $derived(this.status !== null && this.status !== undefined);
  /** Whether the Conflicts page is offered: a team replica, or conflicts left here. */
  readonly showConflicts: boolean = $derived(this.isTeam || this.conflictsLeft);
  readonly openConflicts: number = $derived(this.status?.conflicts ?? 0);

  #syncedThisSession = false;
  #latest = 0;

  /** Loads the status again (after a sync, a save, a resolved conflict). Never rejects. */
  async refresh(): Promise<void> {
    const request = ++this.#latest;
    try {
      const status = await teamStatus();
      const left = status === null ? (await listConflicts()).some((c) => c.resolution === null) : false;
      if (request !== this.#latest) return;
      this.status = status;
      this.conflictsLeft = left;
      this.now = new Date();
      if (!this.#syncedThisSession) this.failure = recordedFailure(status);
    } catch {
      // The sidebar keeps what it showed; the workspace's own error screen tells of a broken workspace.
      if (request === this.#latest && this.status === undefined) this.status = null;
    }
  }

  /**
   * Pushes and pulls now; `password` (typed after a refused login) is kept in
   * memory by the shell for the rest of the session, and with `keep` in
   * ~/.pgpass once it worked. Views load again when the sync brought changes.
   * Resolves to whether it succeeded; never rejects.
   */
  async sync(password: string | null = null, keep = false): Promise<boolean> {
    if (this.syncing) return false;
    this.syncing = true;
    let ok = false;
    try {
      const report = await syncNow(password && password !== "" ? password : null, keep);
      this.report = report;
      this.failure = null;
      ok = true;
      if (changedLocalData(report)) changes.bump();
    } catch (thrown) {
      this.report = null;
      this.failure = syncFailure(toAppError(thrown));
    } finally {
      this.#syncedThisSession = true;
      this.syncing = false;
    }
    await this.refresh();
    return ok;
  }

  /** Whether the periodic sync would run now. */
  get periodicDue(): boolean {
    return periodicSyncDue({ team: this.isTeam, syncing: this.syncing, failure: this.failure });
  }

  /**
   * Syncs every two minutes while a team workspace is open (the first one two
   * minutes after opening), unless the last sync failed for a reason waiting
   * cannot fix; moves the clock on. Returns the function that stops both.
   */
  startPeriodic(intervalMs = SYNC_INTERVAL_MS): () => void {
    const sync = setInterval(() => {
      if (this.periodicDue) void this.sync();
    }, intervalMs);
    const clock = setInterval(() => (this.now = new Date()), CLOCK_MS);
    return () => {
      clearInterval(sync);
      clearInterval(clock);
    };
  }
}

export const team = new TeamSync();

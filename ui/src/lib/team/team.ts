// Team workspaces, what the UI decides by itself: how a failed sync is worded
// and whether it should stop the periodic sync, when the next periodic sync
// runs, and how a sync's report and the last sync's time read. No Svelte, no
// DOM: tested alone. The rules of sync itself are the core's.

import type { AppError, SyncReport, TeamStatus } from "../bindings";
import { countLabel, formatDate, formatNumber } from "../format";

/** How often a team workspace syncs by itself while it is open (docs/TEAM.md). */
export const SYNC_INTERVAL_MS = 2 * 60 * 1000;

/**
 * Why a sync failed, as far as the UI acts on it:
 * - login: the server refused the login (a wrong or missing password): ask for the password;
 * - role: the login may only read, is not a member, or is no Chipwatch user: trying again changes nothing;
 * - unreachable: the server could not be reached or the connection dropped: the next sync retries;
 * - other: anything else (shown as it came).
 */
export type FailureReason = "login" | "role" | "unreachable" | "other";

export type SyncFailure = { reason: FailureReason; message: string };

/** The line above a failed sync's message, short enough for the sidebar. */
export const FAILURE_HEADLINES: Record<FailureReason, string> = {
  login: "The server refused the login",
  role: "Your role does not allow this",
  unreachable: "The server is out of reach",
  other: "The sync failed",
};

/**
 * The reason behind a team error's message. The core words these messages
 * (crates/sync/src/error.rs); they reach the UI as AppError kind "team" with
 * the message only, so the wording is what tells them apart.
 */
export function failureReason(message: string): FailureReason {
  if (/refused the login|password missing|password authentication failed|no password (was )?(given|supplied)/i.test(message)) {
    return "login";
  }
  if (/may only read|is not a member|not a Chipwatch user/i.test(message)) return "role";
  if (/cannot reach the team server|connection to the team server was lost/i.test(message)) return "unreachable";
  return "other";
}

/** A failed sync as the sidebar keeps it; null for errors that are not the team server's. */
export function syncFailure(error: AppError): SyncFailure {
  return { reason: error.kind === "team" ? failureReason(error.message) : "other", message: error.message };
}

/**
 * The failure the last sync left in the workspace (`lastOutcome` "failed: …"),
 * for a window just opened, before it syncs itself.
 */
export function recordedFailure(status: TeamStatus | null): SyncFailure | null {
  const outcome = status?.lastOutcome ?? null;
  if (outcome === null || !outcome.startsWith("failed: ")) return null;
  const message = outcome.slice("failed: ".length);
  return { reason: failureReason(message), message };
}

/** Whether a failure stops the periodic sync: a refused login or a role that cannot write is not fixed by waiting. */
export function stopsPeriodicSync(failure: SyncFailure | null): boolean {
  return failure !== null && (failure.reason === "login" || failure.reason === "role");
}

/** Whether the periodic sync runs now: a team workspace is open, no sync is running, and the last one did not fail for a login or role reason. */
export function periodicSyncDue(state: { team: boolean; syncing: boolean; failure: SyncFailure | null }): boolean {
  return state.team && !state.syncing && !stopsPeriodicSync(state.failure);
}

/** Whether a sync changed what this replica shows (so the views load again); pushes alone change nothing shown. */
export function changedLocalData(report: SyncReport): boolean {
  return report.pulled > 0 || report.merged > 0 || report.conflicts > 0 || report.notices > 0;
}

/** What a sync did, in a line: "Up to date", or "Sent 2 · received 5 · 1 conflict". */
export function reportSummary(report: SyncReport): string {
  const parts: string[] = [];
  if (report.pushed > 0) parts.push(`sent ${formatNumber(report.pushed)}`);
  if (report.pulled > 0) parts.push(`received ${formatNumber(report.pulled)}`);
  if (report.merged > 0) parts.push(`${formatNumber(report.merged)} merged`);
  if (report.conflicts > 0) parts.push(countLabel(report.conflicts, "conflict"));
  if (report.notices > 0) parts.push(countLabel(report.notices, "notice"));
  if (report.problems.length > 0) parts.push(countLabel(report.problems.length, "change", "changes") + " not applied");
  if (parts.length === 0) return "Up to date";
  const line = parts.join(" · ");
  return line.charAt(0).toUpperCase() + line.slice(1);
}

/** What sharing did: "Shared: 1,204 records pushed to the team workspace." */
export function shareSummary(report: SyncReport): string {
  return `Shared: ${countLabel(report.pushed, "record")} pushed to the team workspace.`;
}

/**
 * When the last sync finished, for the sidebar: "just now", "5 min ago",
 * "2 h ago" today within 12 hours, else as every timestamp is shown
 * (formatDate: "1 Dec 2026, 23:22"); "never" before the first.
 */
export function lastSyncLabel(at: string | null, now: Date): string {
  if (at === null || at.trim() === "") return "never";
  const shown = formatDate(at);
  const moment = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(at) ? at : `${at.replace(" ", "T")}Z`);
  if (Number.isNaN(moment)) return shown;
  const minutes = Math.floor((now.getTime() - moment) / 60_000);
  // A clock a little behind the one that wrote the time still reads "just now".
  if (minutes < -5) return shown;
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 12 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return shown;
}

/** What a Share or Join dialog lacks before it can ask the server; null when nothing (the core checks the rest). */
export function missingField(fields: { server: string; name: string }): string | null {
  if (fields.server.trim() === "") return "Give the server's address, e.g. postgresql://alice@db.example.org/chipwatch";
  if (fields.name.trim() === "") return "Give the team workspace's name";
  return null;
}

/** The login named in a connection string, for "Password for alice"; null when it names none. */
export function loginIn(server: string): string | null {
  const url = /^postgres(?:ql)?:\/\/([^@/?#]+)@/i.exec(server.trim());
  if (url?.[1]) {
    const user = url[1].split(":")[0] ?? "";
    try {
      return decodeURIComponent(user) || null;
    } catch {
      return user || null;
    }
  }
  const keyword = /(?:^|\s)user=(\S+)/.exec(server);
  return keyword?.[1] ?? null;
}

/** How a settled conflict was settled: "kept mine", "kept theirs", "merged". */
export function settledLabel(resolution: string): string {
  switch (resolution) {
    case "mine":
      return "kept mine";
    case "theirs":
      return "kept theirs";
    case "merged":
      return "merged by hand";
    default:
      return resolution;
  }
}

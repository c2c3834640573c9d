import { describe, expect, it } from "vitest";
import type { SyncReport, TeamStatus } from "../bindings";
import { formatDate } from "../format";
import {
  changedLocalData,
  failureReason,
  lastSyncLabel,
  loginIn,
  missingField,
  periodicSyncDue,
  recordedFailure,
  reportSummary,
  settledLabel,
  shareSummary,
  stopsPeriodicSync,
  syncFailure,
} from "./team";

// The messages as crates/sync/src/error.rs words them.
const MESSAGES = {
  wrongPassword:
    'the team server at 127.0.0.1:5432/chipwatch refused the login alice: password authentication failed for user "alice". Check the user name and password.',
  noPassword:
    "the team server at db.example.org:5432/chipwatch refused the login alice without a password: put it in ~/.pgpass (or PGPASSFILE) or PGPASSWORD, or type it in the app",
  unreachable:
    "cannot reach the team server at 127.0.0.1:5432/postgres: error connecting to server: Connection refused (os error 111). Check the address and that the server is running, then sync again.",
  lost: "the connection to the team server was lost (terminating connection due to administrator command); nothing was changed here, sync again",
  readOnly:
    'analyst3 may only read workspace "Export controls": your role may only read this workspace, so your changes stay here. Ask an admin of the workspace to make you an editor.',
  notMember:
    "analyst2 is not a member of workspace 0190e0a4-0000-4000-8000-000000000000, or it does not exist. Ask an admin of the workspace to add you.",
  notChipwatchUser: "login outsider is not a Chipwatch user on this server: the database administrator runs GRANT chipwatch_user TO outsider",
  newer: "the team server's schema is version 3, newer than this Chipwatch knows (1): update Chipwatch",
};

const report = (fields: Partial<SyncReport> = {}): SyncReport => ({
  pushed: 0,
  pulled: 0,
  merged: 0,
  conflicts: 0,
  notices: 0,
  problems: [],
  ...fields,
});

const status = (fields: Partial<TeamStatus> = {}): TeamStatus => ({
  link: { server: "postgresql://alice@db.example.org/chipwatch", name: "出口管制 team", workspace: "w", login: "alice" },
  waiting: 0,
  conflicts: 0,
  cursor: 0,
  lastSync: null,
  lastOutcome: null,
  ...fields,
});

describe("why a sync failed", () => {
  it("tells a refused login (wrong or missing password) from a role that may not write and from a server out of reach", () => {
    expect(failureReason(MESSAGES.wrongPassword)).toBe("login");
    expect(failureReason(MESSAGES.noPassword)).toBe("login");
    expect(failureReason(MESSAGES.readOnly)).toBe("role");
    expect(failureReason(MESSAGES.notMember)).toBe("role");
    expect(failureReason(MESSAGES.notChipwatchUser)).toBe("role");
    expect(failureReason(MESSAGES.unreachable)).toBe("unreachable");
    expect(failureReason(MESSAGES.lost)).toBe("unreachable");
    expect(failureReason(MESSAGES.newer)).toBe("other");
  });

  it("keeps the message as the core wrote it, and reads only team errors for a reason", () => {
    expect(syncFailure({ kind: "team", message: MESSAGES.wrongPassword, field: null })).toEqual({ reason: "login", message: MESSAGES.wrongPassword });
    // A local refusal that happens to mention a password is no refused login.
    expect(syncFailure({ kind: "invalidInput", message: "the password file is unreadable", field: null }).reason).toBe("other");
  });

  it("reads the failure the workspace recorded from its last sync", () => {
    expect(recordedFailure(null)).toBeNull();
    expect(recordedFailure(status({ lastOutcome: "pushed 1, pulled 0, merged 0, conflicts 0" }))).toBeNull();
    expect(recordedFailure(status({ lastOutcome: `failed: ${MESSAGES.readOnly}` }))).toEqual({ reason: "role", message: MESSAGES.readOnly });
  });
});

describe("the periodic sync", () => {
  const failure = (message: string) => ({ reason: failureReason(message), message });

  it("runs in a team workspace when no sync is running", () => {
    expect(periodicSyncDue({ team: true, syncing: false, failure: null })).toBe(true);
    expect(periodicSyncDue({ team: false, syncing: false, failure: null })).toBe(false);
    expect(periodicSyncDue({ team: true, syncing: true, failure: null })).toBe(false);
  });

  it("keeps trying after the server was out of reach, and stops after a refused login or a role that cannot write", () => {
    expect(periodicSyncDue({ team: true, syncing: false, failure: failure(MESSAGES.unreachable) })).toBe(true);
    expect(periodicSyncDue({ team: true, syncing: false, failure: failure(MESSAGES.newer) })).toBe(true);
    expect(periodicSyncDue({ team: true, syncing: false, failure: failure(MESSAGES.wrongPassword) })).toBe(false);
    expect(periodicSyncDue({ team: true, syncing: false, failure: failure(MESSAGES.noPassword) })).toBe(false);
    expect(periodicSyncDue({ team: true, syncing: false, failure: failure(MESSAGES.readOnly) })).toBe(false);
    expect(stopsPeriodicSync(null)).toBe(false);
  });
});

describe("what a sync did", () => {
  it("says it in a line", () => {
    expect(reportSummary(report())).toBe("Up to date");
    expect(reportSummary(report({ pushed: 1 }))).toBe("Sent 1");
    expect(reportSummary(report({ pushed: 1200, pulled: 3, merged: 1, conflicts: 1, notices: 2, problems: ["x"] }))).toBe(
      "Sent 1,200 · received 3 · 1 merged · 1 conflict · 2 notices · 1 change not applied",
    );
    expect(shareSummary(report({ pushed: 1204 }))).toBe("Shared: 1,204 records pushed to the team workspace.");
    expect(shareSummary(report({ pushed: 1 }))).toBe("Shared: 1 record pushed to the team workspace.");
  });

  it("reloads the views only when it changed what this replica shows", () => {
    expect(changedLocalData(report({ pushed: 40 }))).toBe(false);
    expect(changedLocalData(report({ pulled: 1 }))).toBe(true);
    expect(changedLocalData(report({ merged: 1 }))).toBe(true);
    expect(changedLocalData(report({ conflicts: 1 }))).toBe(true);
    expect(changedLocalData(report({ notices: 1 }))).toBe(true);
  });
});

describe("the last sync's time", () => {
  const now = new Date("2026-12-01T12:00:00Z");

  it("reads relative within hours, else as every timestamp is shown", () => {
    expect(lastSyncLabel(null, now)).toBe("never");
    expect(lastSyncLabel("2026-12-01T11:59:40Z", now)).toBe("just now");
    expect(lastSyncLabel("2026-12-01T11:55:00Z", now)).toBe("5 min ago");
    expect(lastSyncLabel("2026-12-01T09:00:00Z", now)).toBe("3 h ago");
    expect(lastSyncLabel("2026-11-28T09:00:00Z", now)).toBe(formatDate("2026-11-28T09:00:00Z"));
    // A clock a little behind the one that wrote the time: never "-2 min ago".
    expect(lastSyncLabel("2026-12-01T12:02:00Z", now)).toBe("just now");
    expect(lastSyncLabel("2026-12-02T12:00:00Z", now)).toBe(formatDate("2026-12-02T12:00:00Z"));
  });
});

describe("the Share and Join dialogs", () => {
  it("ask for the server and the name before asking the server", () => {
    expect(missingField({ server: " ", name: "Export controls" })).toMatch(/server's address/);
    expect(missingField({ server: "postgresql://alice@db.example.org/chipwatch", name: "" })).toMatch(/name/);
    expect(missingField({ server: "postgresql://alice@db.example.org/chipwatch", name: "出口管制" })).toBeNull();
  });

  it("name the login whose password is asked for", () => {
    expect(loginIn("postgresql://alice@db.example.org/chipwatch")).toBe("alice");
    expect(loginIn("postgres://bob:secret@127.0.0.1:5432/postgres")).toBe("bob");
    expect(loginIn("postgresql://%E5%BC%A0@db/x")).toBe("张");
    expect(loginIn("host=db.example.org user=carol dbname=chipwatch")).toBe("carol");
    expect(loginIn("postgresql://db.example.org/chipwatch")).toBeNull();
  });
});

describe("a settled conflict", () => {
  it("says which side was kept", () => {
    expect(settledLabel("mine")).toBe("kept mine");
    expect(settledLabel("theirs")).toBe("kept theirs");
    expect(settledLabel("merged")).toBe("merged by hand");
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const { teamStatus, listConflicts, syncNow } = vi.hoisted(() => ({ teamStatus: vi.fn(), listConflicts: vi.fn(), syncNow: vi.fn() }));
vi.mock("../api", () => ({ teamStatus, listConflicts, syncNow, toAppError: (thrown: unknown) => thrown }));

import type { TeamStatus } from "../bindings";
import { changes } from "../changes.svelte";
import { TeamSync } from "./team.svelte";

const status: TeamStatus = {
  link: { server: "postgresql://alice@127.0.0.1/postgres", name: "Export controls", workspace: "w", login: "alice" },
  waiting: 1,
  conflicts: 0,
  cursor: 3,
  lastSync: null,
  lastOutcome: null,
};
const empty = { pushed: 0, pulled: 0, merged: 0, conflicts: 0, notices: 0, problems: [] };
const refused = { kind: "team", message: "the team server at 127.0.0.1:5432/postgres refused the login alice: password authentication failed", field: null };

describe("the team state", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    teamStatus.mockReset().mockResolvedValue(status);
    listConflicts.mockReset().mockResolvedValue([]);
    syncNow.mockReset().mockResolvedValue(empty);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("offers Conflicts in a team workspace, and in another only when conflicts are left open", async () => {
    const team = new TeamSync();
    await team.refresh();
    expect(team.isTeam).toBe(true);
    expect(team.showConflicts).toBe(true);

    teamStatus.mockResolvedValue(null);
    await team.refresh();
    expect(team.isTeam).toBe(false);
    expect(team.showConflicts).toBe(false);

    listConflicts.mockResolvedValue([{ id: 1, resolution: null }]);
    await team.refresh();
    expect(team.showConflicts).toBe(true);
  });

  it("reloads the views after a sync that brought changes, not after one that only pushed", async () => {
    const team = new TeamSync();
    await team.refresh();
    const before = changes.version;
    syncNow.mockResolvedValueOnce({ ...empty, pushed: 2 });
    expect(await team.sync()).toBe(true);
    expect(changes.version).toBe(before);
    syncNow.mockResolvedValueOnce({ ...empty, pulled: 1 });
    await team.sync();
    expect(changes.version).toBe(before + 1);
    expect(syncNow).toHaveBeenLastCalledWith(null, false);
  });

  it("syncs every two minutes until a login is refused, and again once a typed password works", async () => {
    const team = new TeamSync();
    await team.refresh();
    const stop = team.startPeriodic();
    await vi.advanceTimersByTimeAsync(2 * 60 * 1000);
    expect(syncNow).toHaveBeenCalledTimes(1);

    syncNow.mockRejectedValueOnce(refused);
    await vi.advanceTimersByTimeAsync(2 * 60 * 1000);
    expect(syncNow).toHaveBeenCalledTimes(2);
    expect(team.failure?.reason).toBe("login");
    await vi.advanceTimersByTimeAsync(6 * 60 * 1000);
    expect(syncNow).toHaveBeenCalledTimes(2);

    expect(await team.sync("typed", true)).toBe(true);
    expect(syncNow).toHaveBeenLastCalledWith("typed", true);
    expect(team.failure).toBeNull();
    await vi.advanceTimersByTimeAsync(2 * 60 * 1000);
    expect(syncNow).toHaveBeenCalledTimes(4);
    stop();
    await vi.advanceTimersByTimeAsync(10 * 60 * 1000);
    expect(syncNow).toHaveBeenCalledTimes(4);
  });

  it("keeps trying while the server is out of reach", async () => {
    const team = new TeamSync();
    await team.refresh();
    syncNow.mockRejectedValue({ kind: "team", message: "cannot reach the team server at 127.0.0.1:5432/postgres: refused", field: null });
    const stop = team.startPeriodic();
    await vi.advanceTimersByTimeAsync(4 * 60 * 1000);
    expect(syncNow).toHaveBeenCalledTimes(2);
    expect(team.failure?.reason).toBe("unreachable");
    stop();
  });
});

// Opening and creating workspaces from the UI. A switch reloads the window,
// so every view starts afresh on the new workspace with nothing stale kept.
import { choosePath, createWorkspace, joinTeamWorkspace, openWorkspace } from "../api";

/** Asks for a workspace file and opens it; false when the user cancelled. Throws AppError. */
export async function chooseAndOpen(): Promise<boolean> {
  const path = await choosePath("openWorkspace");
  if (path === null) return false;
  await openAndReload(path);
  return true;
}

/** Asks where the new workspace goes; null when the user cancelled. */
export function chooseNewPath(): Promise<string | null> {
  return choosePath("newWorkspace", "workspace.db");
}

export async function openAndReload(path: string): Promise<void> {
  await openWorkspace(path);
  window.location.reload();
}

export async function createAndReload(path: string, seeded: boolean): Promise<void> {
  await createWorkspace(path, seeded);
  window.location.reload();
}

/** Makes a new replica of a team workspace at `path` and opens it. Throws AppError. */
export async function joinAndReload(
  path: string,
  server: string,
  name: string,
  password: string | null,
  keep: boolean,
): Promise<void> {
  await joinTeamWorkspace(path, server, name, password, keep);
  window.location.reload();
}

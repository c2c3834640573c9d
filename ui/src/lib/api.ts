// The one door to the backend for the rest of the UI. The typed wrapper of
// every command is generated from the shell's command list into commands.ts
// (`make bindings`); this module re-exports them and adds what a wrapper
// alone cannot: defaults, a progress channel, bytes as numbers, picker rows.
// A command renamed or removed in the shell breaks the type check here.

import { Channel, isTauri } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import * as commands from "./commands";
import { sourceByline } from "./sources/sources";
import type { BackupInfo, FirmOrder, FirmSummary, ImportOptions, ImportProgress, ImportReport, ImportTarget, PathPurpose, SyncReport } from "./bindings";

export { isAppError, shownMessage, toAppError } from "./ipc";

export {
  workspaceInfo,
  loadFirmProfile,
  loadFirmDraft,
  saveFirm,
  findFirmConflicts,
  listStrategies,
  loadStrategyDraft,
  saveStrategy,
  loadAssessmentDraft,
  saveAssessment,
  listChips,
  loadChipDraft,
  saveChip,
  estimateChipMetrics,
  readDate,
  sourcesByIds,
  loadSourceDraft,
  loadSourceReading,
  openWebAddress,
  saveSource,
  loadEventDraft,
  saveEvent,
  loadTimeline,
  loadNotePage,
  listNoteTags,
  renderNote,
  previewNote,
  saveNote,
  suggestLinks,
  search,
  deleteImpact,
  deleteRecord,
  listTrash,
  restoreFromTrash,
  purgeFromTrash,
  emptyTrash,
  loadSourcePage,
  tagSources,
  untagSources,
  linkSourcesToFirm,
  unlinkSourcesFromFirm,
  sourcesTrashImpact,
  trashSources,
  recentWorkspaces,
  openWorkspace,
  listBackups,
  restoreBackup,
  damageCheck,
  pageRestored,
  createWorkspace,
  listComparisonDimensions,
  computeComparison,
  loadCellSources,
  firmsWithStanceOn,
  listSavedComparisons,
  saveComparison,
  renameComparison,
  duplicateComparison,
  deleteComparison,
  exportComparison,
  exportCitations,
  previewImport,
  cancelImport,
  saveImportProblems,
  listImportBatches,
  undoImport,
  listImportPresets,
  saveImportPreset,
  loadMentionPage,
  removeMentions,
  recordHistory,
  teamStatus,
  listConflicts,
  resolveConflict,
  mergeConflict,
  shareWorkspace,
  joinTeamWorkspace,
} from "./commands";

/** How the firms list starts: by name, A to Z. */
export const FIRMS_BY_NAME: FirmOrder = { sort: "name", descending: false };

/** Every firm in `order` (sorted by the core, ties by name); by name unless asked otherwise. */
export function listFirms(order: FirmOrder = FIRMS_BY_NAME): Promise<FirmSummary[]> {
  return commands.listFirms(order);
}

/** A source as a picker lists it. */
export type SourceMatch = { id: number; title: string; detail: string };

/** Sources matching `text` through the search index, best first (at most 20), for pickers. */
export async function findSources(text: string): Promise<SourceMatch[]> {
  const found = await commands.findSources(text);
  return found.map((source) => ({ id: source.id, title: source.title, detail: sourceByline(source) }));
}

/** Shows the native file dialog; null when the user cancels. */
export function choosePath(purpose: PathPurpose, suggestedName: string | null = null): Promise<string | null> {
  return commands.choosePath(purpose, suggestedName);
}

/** Files dragged over the window from a file manager, and their paths once dropped. */
export type FileDrag = { kind: "over" } | { kind: "leave" } | { kind: "drop"; paths: string[] };

/**
 * Calls `handler` while files are dragged over the window and when they are
 * dropped (Tauri's drag-and-drop events: a web page never sees a dropped
 * file's path). Resolves to the function that stops listening.
 */
export async function onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void> {
  if (!isTauri()) return () => undefined;
  return getCurrentWebview().onDragDropEvent(({ payload }) => {
    if (payload.type === "drop") handler({ kind: "drop", paths: payload.paths });
    else if (payload.type === "leave") handler({ kind: "leave" });
    else handler({ kind: "over" });
  });
}

/** Writes a file the user saves (a chart image) to `path`, whole or not at all (replacing a file there). */
export function saveFile(path: string, contents: Uint8Array): Promise<void> {
  return commands.saveFile(path, Array.from(contents));
}

/**
 * Pushes this replica's changes and pulls the team's. `password`: one typed
 * after a refused login (the shell keeps it in memory for the session, and with
 * `keep` in ~/.pgpass once it worked; never in the workspace); null leaves it to
 * a password typed earlier, PGPASSWORD or ~/.pgpass.
 */
export function syncNow(password: string | null = null, keep = false): Promise<SyncReport> {
  return commands.syncNow(password, keep);
}

/** Backs the open workspace up: into its backups folder, or to `out`. */
export function backupNow(out: string | null = null): Promise<BackupInfo> {
  return commands.backupNow(out);
}

/**
 * Imports the file (or, with `options.dryRun`, checks it and writes nothing),
 * calling `onprogress` about every 100 ms. Other screens keep working meanwhile.
 */
export function runImport(
  path: string,
  target: ImportTarget,
  options: ImportOptions,
  onprogress: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const onProgress = new Channel<ImportProgress>();
  onProgress.onmessage = onprogress;
  return commands.runImport(path, target, options, onProgress);
}

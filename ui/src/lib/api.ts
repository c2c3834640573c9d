// The one door to the backend. Every Tauri command the UI uses is wrapped here
// with its argument and result types; nothing else in the UI calls `invoke`.
//
// Every failure leaves this module as an `AppError`, whatever the backend or
// the IPC layer threw, so the UI handles all failures the same way.

import { Channel, invoke, isTauri } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { sourceByline } from "./sources/sources";
import type {
  AppError,
  PathPurpose,
  FirmMentions,
  BackupInfo,
  RestoreReport,
  ImportBatch,
  ImportOptions,
  ImportPreset,
  ImportPreview,
  ImportProblem,
  ImportProgress,
  ImportReport,
  ImportTarget,
  Mapping,
  UndoReport,
  CellSource,
  ComparisonDraft,
  ComparisonMatrix,
  ComparisonSelection,
  Dimension,
  ExportRequest,
  ExportSummary,
  FirmRef,
  SavedComparison,
  AssessmentDraft,
  Chip,
  ChipDraft,
  ChipMetrics,
  DeleteImpact,
  Editing,
  EventDraft,
  FirmConflict,
  FirmDraft,
  FirmProfile,
  FirmSummary,
  LinkTarget,
  Note,
  NoteDraft,
  NoteList,
  NoteListQuery,
  RenderedNote,
  SearchHit,
  SearchQuery,
  Source,
  SourceDraft,
  SourcePage,
  SourcePageQuery,
  RecentWorkspace,
  RestoredRef,
  Strategy,
  StrategyDraft,
  TrashEntry,
  TrashKind,
  TagCount,
  TimelineEntry,
  TimelineQuery,
  WorkspaceInfo,
} from "./bindings";
import { ERROR_KINDS } from "./bindings";


/** True when `value` has the shape of the backend's `AppError`. */
export function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.kind === "string" &&
    (ERROR_KINDS as readonly string[]).includes(candidate.kind) &&
    typeof candidate.message === "string" &&
    (candidate.field === null || candidate.field === undefined || typeof candidate.field === "string")
  );
}

/**
 * Turns anything thrown into an `AppError`. Backend errors keep their kind;
 * strings, `Error`s and anything else become kind "internal".
 */
export function toAppError(thrown: unknown): AppError {
  if (isAppError(thrown)) {
    return { kind: thrown.kind, message: thrown.message, field: thrown.field ?? null };
  }
  return { kind: "internal", message: describe(thrown), field: null };
}

function describe(thrown: unknown): string {
  if (typeof thrown === "string") return thrown.trim() || "Unknown error.";
  if (thrown instanceof Error) return thrown.message.trim() || thrown.name || "Unknown error.";
  if (typeof thrown === "object" && thrown !== null) {
    const message = (thrown as Record<string, unknown>).message;
    if (typeof message === "string" && message.trim() !== "") return message;
    try {
      return `Unexpected error: ${JSON.stringify(thrown)}`;
    } catch {
      return "Unknown error.";
    }
  }
  if (thrown === undefined || thrown === null) return "Unknown error.";
  return String(thrown);
}

const NO_BACKEND: AppError = {
  kind: "internal",
  message:
    "The Chipwatch backend is not reachable. Open the interface through the desktop app, not a plain web browser.",
  field: null,
};

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    if (!isAppError(thrown) && !isTauri()) throw NO_BACKEND;
    throw toAppError(thrown);
  }
}

/** The open workspace: its file, schema version and how much it holds. */
export function workspaceInfo(): Promise<WorkspaceInfo> {
  return call<WorkspaceInfo>("workspace_info");
}

/** Every firm, sorted by name by the backend. */
export function listFirms(): Promise<FirmSummary[]> {
  return call<FirmSummary[]>("list_firms");
}

/** A firm with everything shown on its profile, and every source those claims cite. */
export function loadFirmProfile(firmId: number): Promise<FirmProfile> {
  return call<FirmProfile>("load_firm_profile", { firmId });
}

// ---- Forms: each entity loads as Editing<Draft> and saves with the revision it loaded.
// A save with `id` null creates the record.

export function loadFirmDraft(firmId: number): Promise<Editing<FirmDraft>> {
  return call<Editing<FirmDraft>>("load_firm_draft", { firmId });
}

export function saveFirm(firmId: number | null, revision: number | null, draft: FirmDraft): Promise<Editing<FirmDraft>> {
  return call<Editing<FirmDraft>>("save_firm", { firmId, revision, draft });
}

/** Other firms already using a name, native name or alias typed into the form. */
export function findFirmConflicts(draft: FirmDraft, exceptFirmId: number | null): Promise<FirmConflict[]> {
  return call<FirmConflict[]>("find_firm_conflicts", { draft, exceptFirmId });
}

export function listStrategies(): Promise<Strategy[]> {
  return call<Strategy[]>("list_strategies");
}

export function loadStrategyDraft(strategyId: number): Promise<Editing<StrategyDraft>> {
  return call<Editing<StrategyDraft>>("load_strategy_draft", { strategyId });
}

export function saveStrategy(
  strategyId: number | null,
  revision: number | null,
  draft: StrategyDraft,
): Promise<Editing<StrategyDraft>> {
  return call<Editing<StrategyDraft>>("save_strategy", { strategyId, revision, draft });
}

export function loadAssessmentDraft(assessmentId: number): Promise<Editing<AssessmentDraft>> {
  return call<Editing<AssessmentDraft>>("load_assessment_draft", { assessmentId });
}

export function saveAssessment(
  assessmentId: number | null,
  revision: number | null,
  draft: AssessmentDraft,
): Promise<Editing<AssessmentDraft>> {
  return call<Editing<AssessmentDraft>>("save_assessment", { assessmentId, revision, draft });
}

/** Every chip, newest first. */
export function listChips(): Promise<Chip[]> {
  return call<Chip[]>("list_chips");
}

export function loadChipDraft(chipId: number): Promise<Editing<ChipDraft>> {
  return call<Editing<ChipDraft>>("load_chip_draft", { chipId });
}

export function saveChip(chipId: number | null, revision: number | null, draft: ChipDraft): Promise<Editing<ChipDraft>> {
  return call<Editing<ChipDraft>>("save_chip", { chipId, revision, draft });
}

/** TPP, density and 3A090 paragraphs from the figures typed so far (computed by the core). */
export function estimateChipMetrics(draft: ChipDraft): Promise<ChipMetrics> {
  return call<ChipMetrics>("estimate_chip_metrics", { draft });
}

/** A source as a picker lists it. */
export type SourceMatch = { id: number; title: string; detail: string };

/** Sources matching `text` through the search index, best first (at most 20), for pickers. */
export async function findSources(text: string): Promise<SourceMatch[]> {
  const found = await call<Source[]>("find_sources", { text });
  return found.map((source) => ({ id: source.id, title: source.title, detail: sourceByline(source) }));
}

/** The sources with these ids, in that order; ids that no longer exist are left out. */
export function sourcesByIds(ids: number[]): Promise<Source[]> {
  return call<Source[]>("sources_by_ids", { ids });
}

export function loadSourceDraft(sourceId: number): Promise<Editing<SourceDraft>> {
  return call<Editing<SourceDraft>>("load_source_draft", { sourceId });
}

export function saveSource(
  sourceId: number | null,
  revision: number | null,
  draft: SourceDraft,
): Promise<Editing<SourceDraft>> {
  return call<Editing<SourceDraft>>("save_source", { sourceId, revision, draft });
}

export function loadEventDraft(eventId: number): Promise<Editing<EventDraft>> {
  return call<Editing<EventDraft>>("load_event_draft", { eventId });
}

export function saveEvent(eventId: number | null, revision: number | null, draft: EventDraft): Promise<Editing<EventDraft>> {
  return call<Editing<EventDraft>>("save_event", { eventId, revision, draft });
}

/** Events, chip announcements and listings on one axis, oldest first. */
export function loadTimeline(query: TimelineQuery): Promise<TimelineEntry[]> {
  return call<TimelineEntry[]>("load_timeline", { query });
}

/** One page of the Notes list: newest change first, or best match first when words are given. */
export function loadNotePage(query: NoteListQuery): Promise<NoteList> {
  return call<NoteList>("load_note_page", { query });
}

/** Every tag on a note, most used first. */
export function listNoteTags(): Promise<TagCount[]> {
  return call<TagCount[]>("list_note_tags");
}

/** A note with its body as sanitised HTML and its [[links]] resolved. */
export function renderNote(noteId: number): Promise<RenderedNote> {
  return call<RenderedNote>("render_note", { noteId });
}

/** The sanitised HTML a body would render to (nothing is saved). */
export function previewNote(body: string): Promise<string> {
  return call<string>("preview_note", { body });
}

export function saveNote(noteId: number | null, revision: number | null, draft: NoteDraft): Promise<Note> {
  return call<Note>("save_note", { noteId, revision, draft });
}

/** Records whose name starts with (then contains) `text`, for [[link]] autocomplete. */
export function suggestLinks(text: string): Promise<LinkTarget[]> {
  return call<LinkTarget[]>("suggest_links", { text });
}

/** Full-text search over firms, chips, sources, notes and events (English and Chinese), grouped by kind. */
export function search(query: SearchQuery): Promise<SearchHit[]> {
  return call<SearchHit[]>("search", { query });
}

// ---- Trash: a delete moves the record and everything that went with it to the Trash.

/** What deleting a record would take along or unlink, shown before deleting it. */
export function deleteImpact(kind: TrashKind, id: number): Promise<DeleteImpact> {
  return call<DeleteImpact>("delete_impact", { kind, id });
}

export function deleteRecord(kind: TrashKind, id: number): Promise<TrashEntry> {
  return call<TrashEntry>("delete_record", { kind, id });
}

/** The Trash, most recently deleted first. */
export function listTrash(): Promise<TrashEntry[]> {
  return call<TrashEntry[]>("list_trash");
}

export function restoreFromTrash(trashId: number): Promise<RestoredRef> {
  return call<RestoredRef>("restore_from_trash", { trashId });
}

/** Deletes a Trash entry for good. */
export function purgeFromTrash(trashId: number): Promise<void> {
  return call<void>("purge_from_trash", { trashId });
}

/** One page of the sources list, sorted through an index (fast at a million sources). */
export function loadSourcePage(query: SourcePageQuery): Promise<SourcePage> {
  return call<SourcePage>("load_source_page", { query });
}

/** Shows the native file dialog; null when the user cancels. */
export function choosePath(purpose: PathPurpose, suggestedName: string | null = null): Promise<string | null> {
  return call<string | null>("choose_path", { purpose, suggestedName });
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

/** Writes a file the user saves (a chart image, a problems CSV) to `path`, whole or not at all (replacing a file there). */
export function saveFile(path: string, contents: Uint8Array): Promise<void> {
  return call<void>("save_file", { path, contents: Array.from(contents) });
}

/** The workspaces opened lately, newest first. */
export function recentWorkspaces(): Promise<RecentWorkspace[]> {
  return call<RecentWorkspace[]>("recent_workspaces");
}

/** Opens another existing workspace; the current one stays open if this fails. */
export function openWorkspace(path: string): Promise<void> {
  return call<void>("open_workspace", { path });
}

/** Backs the open workspace up: into its backups folder, or to `out`. */
export function backupNow(out: string | null = null): Promise<BackupInfo> {
  return call<BackupInfo>("backup_now", { out });
}

/** The automatic and manual backups in the workspace's backups folder, newest first. */
export function listBackups(): Promise<BackupInfo[]> {
  return call<BackupInfo[]>("list_backups");
}

/** Replaces the open workspace with a checked backup; the current state is backed up first. */
export function restoreBackup(from: string): Promise<RestoreReport> {
  return call<RestoreReport>("restore_backup", { from });
}

/** Creates a workspace (with the default dataset when `seeded`) and opens it. */
export function createWorkspace(path: string, seeded: boolean): Promise<void> {
  return call<void>("create_workspace", { path, seeded });
}

// ---- Compare: firms side by side, each cell traced to its sources (core: compare/).

/** Every dimension that can be compared, grouped: profile, strategies, chips, activity. */
export function listComparisonDimensions(): Promise<Dimension[]> {
  return call<Dimension[]>("list_comparison_dimensions");
}

/** The matrix for a selection: `rows[i][j]` is firm i on dimension j. */
export function computeComparison(selection: ComparisonSelection): Promise<ComparisonMatrix> {
  return call<ComparisonMatrix>("compute_comparison", { selection });
}

/** The sources behind one cell, with what each backs and where in it. */
export function loadCellSources(firmId: number, dimensionId: string): Promise<CellSource[]> {
  return call<CellSource[]>("load_cell_sources", { firmId, dimensionId });
}

/** Firms with an assessment of this strategy. */
export function firmsWithStanceOn(strategyId: number): Promise<FirmRef[]> {
  return call<FirmRef[]>("firms_with_stance_on", { strategyId });
}

export function listSavedComparisons(): Promise<SavedComparison[]> {
  return call<SavedComparison[]>("list_saved_comparisons");
}

/** Creates (id null) or updates a saved comparison; an update names the revision it loaded. */
export function saveComparison(id: number | null, revision: number | null, draft: ComparisonDraft): Promise<SavedComparison> {
  return call<SavedComparison>("save_comparison", { id, revision, draft });
}

export function renameComparison(id: number, name: string): Promise<SavedComparison> {
  return call<SavedComparison>("rename_comparison", { id, name });
}

export function duplicateComparison(id: number, name: string | null): Promise<SavedComparison> {
  return call<SavedComparison>("duplicate_comparison", { id, name });
}

export function deleteComparison(id: number): Promise<void> {
  return call<void>("delete_comparison", { id });
}

/** Writes the comparison sheet (XLSX, CSV, long CSV or Markdown) whole, or not at all. */
export function exportComparison(request: ExportRequest): Promise<ExportSummary> {
  return call<ExportSummary>("export_comparison", { request });
}

// ---- Import: CSV files into sources, firms or chips (core: import/).

/** How the file will be read, and its first rows as they will be stored. Writes nothing. */
export function previewImport(path: string, target: ImportTarget, options: ImportOptions): Promise<ImportPreview> {
  return call<ImportPreview>("preview_import", { path, target, options });
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
  return call<ImportReport>("run_import", { path, target, options, onProgress });
}

/** Stops the running import; it rolls back whole. */
export function cancelImport(): Promise<void> {
  return call<void>("cancel_import");
}

/** Saves a report's row problems as a spreadsheet (row, column, value, message). */
export function saveImportProblems(path: string, problems: ImportProblem[]): Promise<void> {
  return call<void>("save_import_problems", { path, problems });
}

export function listImportBatches(): Promise<ImportBatch[]> {
  return call<ImportBatch[]>("list_import_batches");
}

/** Removes what a batch added; refuses when some were edited since, unless `force`. */
export function undoImport(batch: number, force: boolean): Promise<UndoReport> {
  return call<UndoReport>("undo_import", { batch, force });
}

export function listImportPresets(target: ImportTarget): Promise<ImportPreset[]> {
  return call<ImportPreset[]>("list_import_presets", { target });
}

/** Saves a mapping under a name (replacing a preset of that name). */
export function saveImportPreset(name: string, target: ImportTarget, mapping: Mapping): Promise<ImportPreset> {
  return call<ImportPreset>("save_import_preset", { name, target, mapping });
}

/** The newest sources that mention a firm by name (at most `limit`) and how many there are. */
export function loadFirmMentions(firmId: number, limit: number): Promise<FirmMentions> {
  return call<FirmMentions>("load_firm_mentions", { firmId, limit });
}

/** Removes a wrong mention; the source and the firm stay. */
export function removeMention(sourceId: number, firmId: number): Promise<void> {
  return call<void>("remove_mention", { sourceId, firmId });
}

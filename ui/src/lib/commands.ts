// This file is generated from src-tauri/src/command_list.rs by `make bindings`. Do not edit.
import type { Channel } from "@tauri-apps/api/core";
import type { AssessmentDraft, BackupInfo, BulkOutcome, BulkTrashImpact, CellSource, Chip, ChipDraft, ChipMetrics, CitationExportRequest, CitationExportSummary, ComparisonDraft, ComparisonMatrix, ComparisonSelection, Conflict, DamageCheckState, DeleteImpact, Dimension, Editing, EventDraft, ExportRequest, ExportSummary, FirmConflict, FirmDraft, FirmOrder, FirmProfile, FirmRef, FirmSummary, HistoryEntry, ImportBatch, ImportOptions, ImportPreset, ImportPreview, ImportProblem, ImportProgress, ImportReport, ImportTarget, KeepSide, LinkTarget, Mapping, MentionPage, MentionPageQuery, MentionSelection, Note, NoteDraft, NoteList, NoteListQuery, PathPurpose, RecentWorkspace, RecordKind, RenderedNote, RestoreReport, RestoredRef, SavedComparison, SearchHit, SearchQuery, Source, SourceDraft, SourcePage, SourcePageQuery, SourceReading, SourceSelection, Strategy, StrategyDraft, SyncReport, TagCount, TeamStatus, TimelinePage, TimelineQuery, TrashEntry, TrashKind, TrashPage, UndoReport, WorkspaceInfo } from "./bindings";
import { call } from "./ipc";

/** The open workspace: its file, schema version and how much it holds. */
export function workspaceInfo(): Promise<WorkspaceInfo> {
  return call<WorkspaceInfo>("workspace_info");
}

/** Every firm, sorted by one of the list's columns (ties by name). */
export function listFirms(order: FirmOrder): Promise<Array<FirmSummary>> {
  return call<Array<FirmSummary>>("list_firms", { order });
}

/** A firm with everything shown on its profile, and every source those claims cite. */
export function loadFirmProfile(firmId: number): Promise<FirmProfile> {
  return call<FirmProfile>("load_firm_profile", { firmId });
}

/** A firm as its form edits it, with the revision a save must name. */
export function loadFirmDraft(firmId: number): Promise<Editing<FirmDraft>> {
  return call<Editing<FirmDraft>>("load_firm_draft", { firmId });
}

/** Creates (`firmId` null) or updates a firm; an update names the revision it loaded. */
export function saveFirm(firmId: number | null, revision: number | null, draft: FirmDraft): Promise<Editing<FirmDraft>> {
  return call<Editing<FirmDraft>>("save_firm", { firmId, revision, draft });
}

/** Other firms already using a name, native name or alias typed into the form. */
export function findFirmConflicts(draft: FirmDraft, exceptFirmId: number | null): Promise<Array<FirmConflict>> {
  return call<Array<FirmConflict>>("find_firm_conflicts", { draft, exceptFirmId });
}

/** Every strategy. */
export function listStrategies(): Promise<Array<Strategy>> {
  return call<Array<Strategy>>("list_strategies");
}

export function loadStrategyDraft(strategyId: number): Promise<Editing<StrategyDraft>> {
  return call<Editing<StrategyDraft>>("load_strategy_draft", { strategyId });
}

export function saveStrategy(strategyId: number | null, revision: number | null, draft: StrategyDraft): Promise<Editing<StrategyDraft>> {
  return call<Editing<StrategyDraft>>("save_strategy", { strategyId, revision, draft });
}

export function loadAssessmentDraft(assessmentId: number): Promise<Editing<AssessmentDraft>> {
  return call<Editing<AssessmentDraft>>("load_assessment_draft", { assessmentId });
}

export function saveAssessment(assessmentId: number | null, revision: number | null, draft: AssessmentDraft): Promise<Editing<AssessmentDraft>> {
  return call<Editing<AssessmentDraft>>("save_assessment", { assessmentId, revision, draft });
}

/** Every chip, newest first. */
export function listChips(): Promise<Array<Chip>> {
  return call<Array<Chip>>("list_chips");
}

export function loadChipDraft(chipId: number): Promise<Editing<ChipDraft>> {
  return call<Editing<ChipDraft>>("load_chip_draft", { chipId });
}

export function saveChip(chipId: number | null, revision: number | null, draft: ChipDraft): Promise<Editing<ChipDraft>> {
  return call<Editing<ChipDraft>>("save_chip", { chipId, revision, draft });
}

/** TPP, density and 3A090 paragraphs from the figures typed so far. */
export function estimateChipMetrics(draft: ChipDraft): Promise<ChipMetrics> {
  return call<ChipMetrics>("estimate_chip_metrics", { draft });
}

/** A date as typed into the date field `field` (one of DATE_FIELDS), in the stored form (2023, 2023-10, 2023-10-17); null when blank. Refused with the field's label and the forms to write, as a save would be. */
export function readDate(field: string, text: string): Promise<string | null> {
  return call<string | null>("read_date", { field, text });
}

/** Sources matching `text` through the search index, best first (at most 20). */
export function findSources(text: string): Promise<Array<Source>> {
  return call<Array<Source>>("find_sources", { text });
}

/** The sources with these ids, in that order; ids that no longer exist are left out. */
export function sourcesByIds(ids: Array<number>): Promise<Array<Source>> {
  return call<Array<Source>>("sources_by_ids", { ids });
}

export function loadSourceDraft(sourceId: number): Promise<Editing<SourceDraft>> {
  return call<Editing<SourceDraft>>("load_source_draft", { sourceId });
}

/** A source for reading: its citation, the addresses the browser may open, what cites it. */
export function loadSourceReading(sourceId: number): Promise<SourceReading> {
  return call<SourceReading>("load_source_reading", { sourceId });
}

/** Opens an http(s) address (a source's web address or DOI link) in the system browser. */
export function openWebAddress(address: string): Promise<void> {
  return call<void>("open_web_address", { address });
}

export function saveSource(sourceId: number | null, revision: number | null, draft: SourceDraft): Promise<Editing<SourceDraft>> {
  return call<Editing<SourceDraft>>("save_source", { sourceId, revision, draft });
}

export function loadEventDraft(eventId: number): Promise<Editing<EventDraft>> {
  return call<Editing<EventDraft>>("load_event_draft", { eventId });
}

export function saveEvent(eventId: number | null, revision: number | null, draft: EventDraft): Promise<Editing<EventDraft>> {
  return call<Editing<EventDraft>>("save_event", { eventId, revision, draft });
}

/** One page of the timeline (events, chip announcements, listings; oldest first), with counts and years. */
export function loadTimeline(query: TimelineQuery, offset: number, limit: number): Promise<TimelinePage> {
  return call<TimelinePage>("load_timeline", { query, offset, limit });
}

/** One page of the Notes list: newest change first, or best match first when words are given. */
export function loadNotePage(query: NoteListQuery): Promise<NoteList> {
  return call<NoteList>("load_note_page", { query });
}

/** Every tag on a note, most used first. */
export function listNoteTags(): Promise<Array<TagCount>> {
  return call<Array<TagCount>>("list_note_tags");
}

/** A note with its body as sanitised HTML and its [[links]] resolved. */
export function renderNote(noteId: number): Promise<RenderedNote> {
  return call<RenderedNote>("render_note", { noteId });
}

/** The sanitised HTML a body would render to (nothing is saved). */
export function previewNote(body: string): Promise<string> {
  return call<string>("preview_note", { body });
}

/** Creates (`noteId` null) or updates a note; an update names the revision it loaded. */
export function saveNote(noteId: number | null, revision: number | null, draft: NoteDraft): Promise<Note> {
  return call<Note>("save_note", { noteId, revision, draft });
}

/** Records whose name starts with (then contains) `text`, for [[link]] autocomplete. */
export function suggestLinks(text: string): Promise<Array<LinkTarget>> {
  return call<Array<LinkTarget>>("suggest_links", { text });
}

/** Full-text search over firms, chips, sources, notes and events (English and Chinese). */
export function search(query: SearchQuery): Promise<Array<SearchHit>> {
  return call<Array<SearchHit>>("search", { query });
}

/** What deleting a record would take along or unlink, shown before deleting it. */
export function deleteImpact(kind: TrashKind, id: number): Promise<DeleteImpact> {
  return call<DeleteImpact>("delete_impact", { kind, id });
}

/** Moves a record (and what goes with it) to the Trash. */
export function deleteRecord(kind: TrashKind, id: number): Promise<TrashEntry> {
  return call<TrashEntry>("delete_record", { kind, id });
}

/** A page of the Trash, most recently deleted first, with how many of each kind it holds. */
export function listTrash(offset: number, limit: number): Promise<TrashPage> {
  return call<TrashPage>("list_trash", { offset, limit });
}

export function restoreFromTrash(trashId: number): Promise<RestoredRef> {
  return call<RestoredRef>("restore_from_trash", { trashId });
}

/** Deletes a Trash entry for good. */
export function purgeFromTrash(trashId: number): Promise<void> {
  return call<void>("purge_from_trash", { trashId });
}

/** Deletes everything in the Trash for good; how many entries went. */
export function emptyTrash(): Promise<number> {
  return call<number>("empty_trash");
}

/** One page of the sources list, sorted through an index (fast at a million sources). */
export function loadSourcePage(query: SourcePageQuery): Promise<SourcePage> {
  return call<SourcePage>("load_source_page", { query });
}

/** Tags every selected source (the tag is created if new). */
export function tagSources(selection: SourceSelection, tag: string): Promise<BulkOutcome> {
  return call<BulkOutcome>("tag_sources", { selection, tag });
}

/** Takes a tag off every selected source that has it. */
export function untagSources(selection: SourceSelection, tag: string): Promise<BulkOutcome> {
  return call<BulkOutcome>("untag_sources", { selection, tag });
}

/** Marks every selected source as about the firm (listed on its profile). */
export function linkSourcesToFirm(selection: SourceSelection, firmId: number): Promise<BulkOutcome> {
  return call<BulkOutcome>("link_sources_to_firm", { selection, firmId });
}

/** Not about this firm: removes the firm's mention from every selected source. */
export function unlinkSourcesFromFirm(selection: SourceSelection, firmId: number): Promise<BulkOutcome> {
  return call<BulkOutcome>("unlink_sources_from_firm", { selection, firmId });
}

/** What moving the selected sources to the Trash would take along. */
export function sourcesTrashImpact(selection: SourceSelection): Promise<BulkTrashImpact> {
  return call<BulkTrashImpact>("sources_trash_impact", { selection });
}

/** Moves the selected sources to the Trash, each as its own entry. */
export function trashSources(selection: SourceSelection): Promise<BulkOutcome> {
  return call<BulkOutcome>("trash_sources", { selection });
}

/** Every dimension that can be compared: profile, strategies, chips, activity. */
export function listComparisonDimensions(): Promise<Array<Dimension>> {
  return call<Array<Dimension>>("list_comparison_dimensions");
}

/** The matrix for a selection: `rows[i][j]` is firm i on dimension j. */
export function computeComparison(selection: ComparisonSelection): Promise<ComparisonMatrix> {
  return call<ComparisonMatrix>("compute_comparison", { selection });
}

/** The sources behind one cell, with what each backs and where in it. */
export function loadCellSources(firmId: number, dimensionId: string): Promise<Array<CellSource>> {
  return call<Array<CellSource>>("load_cell_sources", { firmId, dimensionId });
}

/** Firms with an assessment of this strategy. */
export function firmsWithStanceOn(strategyId: number): Promise<Array<FirmRef>> {
  return call<Array<FirmRef>>("firms_with_stance_on", { strategyId });
}

export function listSavedComparisons(): Promise<Array<SavedComparison>> {
  return call<Array<SavedComparison>>("list_saved_comparisons");
}

/** Creates (`id` null) or updates a saved comparison; an update names the revision it loaded. */
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

/** Writes the comparison sheet (XLSX, CSV, long CSV or Markdown) to a file the person chose. */
export function exportComparison(request: ExportRequest): Promise<ExportSummary> {
  return call<ExportSummary>("export_comparison", { request });
}

/** Writes sources (all, a Sources selection, a firm's, a comparison's) as BibTeX, RIS or CSL-JSON to a file the person chose; how many it wrote. */
export function exportCitations(request: CitationExportRequest): Promise<CitationExportSummary> {
  return call<CitationExportSummary>("export_citations", { request });
}

/** How the file will be read, and its first rows as they will be stored. Writes nothing. */
export function previewImport(path: string, target: ImportTarget, options: ImportOptions): Promise<ImportPreview> {
  return call<ImportPreview>("preview_import", { path, target, options });
}

/** Imports the file (or, with `options.dryRun`, checks it), streaming progress. */
export function runImport(path: string, target: ImportTarget, options: ImportOptions, onProgress: Channel<ImportProgress>): Promise<ImportReport> {
  return call<ImportReport>("run_import", { path, target, options, onProgress });
}

/** Stops the running import (or preview); it rolls back whole. */
export function cancelImport(): Promise<void> {
  return call<void>("cancel_import");
}

/** Saves a report's row problems and row warnings as a spreadsheet where the person chose. */
export function saveImportProblems(path: string, problems: Array<ImportProblem>, rowWarnings: Array<ImportProblem>): Promise<void> {
  return call<void>("save_import_problems", { path, problems, rowWarnings });
}

export function listImportBatches(): Promise<Array<ImportBatch>> {
  return call<Array<ImportBatch>>("list_import_batches");
}

/** Removes what a batch added; refuses when some were edited since, unless `force`. */
export function undoImport(batch: number, force: boolean): Promise<UndoReport> {
  return call<UndoReport>("undo_import", { batch, force });
}

export function listImportPresets(target: ImportTarget): Promise<Array<ImportPreset>> {
  return call<Array<ImportPreset>>("list_import_presets", { target });
}

/** Saves a mapping under a name (replacing a preset of that name). */
export function saveImportPreset(name: string, target: ImportTarget, mapping: Mapping): Promise<ImportPreset> {
  return call<ImportPreset>("save_import_preset", { name, target, mapping });
}

/** One sorted page of a firm's mentions for its profile's table. */
export function loadMentionPage(query: MentionPageQuery): Promise<MentionPage> {
  return call<MentionPage>("load_mention_page", { query });
}

/** Removes the selected mentions of a firm (or all, at the count shown) in one transaction. */
export function removeMentions(firmId: number, selection: MentionSelection): Promise<number> {
  return call<number>("remove_mentions", { firmId, selection });
}

/** Backs the open workspace up: into its backups folder, or to a file the person chose. */
export function backupNow(out: string | null): Promise<BackupInfo> {
  return call<BackupInfo>("backup_now", { out });
}

/** The backups in the workspace's backups folder, newest first. */
export function listBackups(): Promise<Array<BackupInfo>> {
  return call<Array<BackupInfo>>("list_backups");
}

/** Replaces the open workspace with a checked backup; the current state is backed up first. */
export function restoreBackup(from: string): Promise<RestoreReport> {
  return call<RestoreReport>("restore_backup", { from });
}

/** What the check for damage after an unclean shutdown found; waits until it has finished. */
export function damageCheck(): Promise<DamageCheckState> {
  return call<DamageCheckState>("damage_check");
}

/** Whether the page was loaded again after its web process crashed (true once, then false). */
export function pageRestored(): Promise<boolean> {
  return call<boolean>("page_restored");
}

/** Shows the native file dialog; null when the person cancels. */
export function choosePath(purpose: PathPurpose, suggestedName: string | null): Promise<string | null> {
  return call<string | null>("choose_path", { purpose, suggestedName });
}

/** Writes a file the person saves (a chart image) where they chose, whole or not at all. */
export function saveFile(path: string, contents: Array<number>): Promise<void> {
  return call<void>("save_file", { path, contents });
}

/** The workspaces opened lately, newest first. */
export function recentWorkspaces(): Promise<Array<RecentWorkspace>> {
  return call<Array<RecentWorkspace>>("recent_workspaces");
}

/** Opens another existing workspace; the current one stays open if this fails. */
export function openWorkspace(path: string): Promise<void> {
  return call<void>("open_workspace", { path });
}

/** Creates a workspace (with the default dataset when `seeded`) and opens it. */
export function createWorkspace(path: string, seeded: boolean): Promise<void> {
  return call<void>("create_workspace", { path, seeded });
}

/** A record's history, oldest first: who changed what, when (old → new). */
export function recordHistory(kind: RecordKind, recordId: number): Promise<Array<HistoryEntry>> {
  return call<Array<HistoryEntry>>("record_history", { kind, recordId });
}

/** The team workspace this one is a replica of, with what waits and the last sync (null: none). */
export function teamStatus(): Promise<TeamStatus | null> {
  return call<TeamStatus | null>("team_status");
}

/** Fields a teammate and this replica changed differently (open first), and notices. */
export function listConflicts(): Promise<Array<Conflict>> {
  return call<Array<Conflict>>("list_conflicts");
}

/** Keeps one side of a conflict; keeping mine goes out with the next sync. */
export function resolveConflict(conflictId: number, keep: KeepSide): Promise<void> {
  return call<void>("resolve_conflict", { conflictId, keep });
}

/** Settles a conflict with an edited merge the person typed (text, or a number for a numeric field; empty clears it); it goes out with the next sync. */
export function mergeConflict(conflictId: number, typed: string): Promise<void> {
  return call<void>("merge_conflict", { conflictId, typed });
}

/** Pushes this replica's changes and pulls the team's; `password` (kept in memory for the session) when PGPASSWORD or ~/.pgpass has none; `keep`: once it worked, also keep it in ~/.pgpass (PGPASSFILE), readable by the person only. */
export function syncNow(password: string | null, keep: boolean): Promise<SyncReport> {
  return call<SyncReport>("sync_now", { password, keep });
}

/** Publishes the open workspace as a new team workspace on a PostgreSQL server. */
export function shareWorkspace(server: string, name: string, password: string | null, keep: boolean): Promise<SyncReport> {
  return call<SyncReport>("share_workspace", { server, name, password, keep });
}

/** Makes a new local replica of a team workspace at `path` (a new file) and opens it. */
export function joinTeamWorkspace(path: string, server: string, name: string, password: string | null, keep: boolean): Promise<void> {
  return call<void>("join_team_workspace", { path, server, name, password, keep });
}

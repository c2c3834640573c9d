// Every command the UI may call, defined once. `for_each_command!(callback)`
// hands this list to a macro that makes something of it:
// - lib.rs (`define_commands!`): the Tauri command functions, the handler that
//   registers them, and the specs from which `make bindings` writes the UI's
//   typed wrappers (ui/src/lib/commands.ts);
// - build.rs (`command_names!`): the command list tauri-build turns into
//   permissions, and the capability that allows exactly these.
// A command missing here does not exist for the UI: its wrapper disappears and
// every call to it fails the UI's type check.
//
// Each entry: its doc (becomes the wrapper's JSDoc), a kind, the name, the
// arguments the UI passes (`as "TS type"` where ts-rs cannot name one), the
// result, and the body:
// - read:  `|store| core_call(store, …)`, a use case that only reads;
// - write: `|store| core_call(store, …)`, a use case that writes (one writer);
// - pure:  `|| core_call(…)`, no workspace at all (a `Result`, like the others);
// - shell_read / shell_write: `shell::function`, called with the app handle,
//   the state and the arguments, for what needs the window (dialogs,
//   progress), the session or the person's chosen files; _write when it
//   changes the workspace or writes a file.
// The write kinds are the operations the CLI must offer too (a CLI test reads
// this list: crates/cli/tests/routes.rs).
macro_rules! for_each_command {
    ($callback:ident) => {
        $callback! {
            /// The open workspace: its file, schema version and how much it holds.
            read workspace_info() -> WorkspaceInfo = |store| workspace::info(store);
            /// Every firm, sorted by one of the list's columns (ties by name).
            read list_firms(order: FirmOrder) -> Vec<FirmSummary> = |store| firms::list_sorted(store, order, None);
            /// A firm with everything shown on its profile, and every source those claims cite.
            read load_firm_profile(firm_id: Id) -> FirmProfile =
                |store| profile::load_profile(store, firm_id);
            /// A firm as its form edits it, with the revision a save must name.
            read load_firm_draft(firm_id: Id) -> Editing<FirmDraft> =
                |store| firms::load_draft(store, firm_id);
            /// Creates (`firmId` null) or updates a firm; an update names the revision it loaded.
            write save_firm(firm_id: Option<Id>, revision: Option<i64>, draft: FirmDraft) -> Editing<FirmDraft> =
                |store| firms::save(store, firm_id, revision, &draft);
            /// Other firms already using a name, native name or alias typed into the form.
            read find_firm_conflicts(draft: FirmDraft, except_firm_id: Option<Id>) -> Vec<FirmConflict> =
                |store| firms::find_conflicts(store, &draft, except_firm_id);
            /// Every strategy.
            read list_strategies() -> Vec<Strategy> = |store| strategies::list(store, None);
            read load_strategy_draft(strategy_id: Id) -> Editing<StrategyDraft> =
                |store| strategies::load_draft(store, strategy_id);
            write save_strategy(strategy_id: Option<Id>, revision: Option<i64>, draft: StrategyDraft) -> Editing<StrategyDraft> =
                |store| strategies::save(store, strategy_id, revision, &draft);
            read load_assessment_draft(assessment_id: Id) -> Editing<AssessmentDraft> =
                |store| assessments::load_draft(store, assessment_id);
            write save_assessment(assessment_id: Option<Id>, revision: Option<i64>, draft: AssessmentDraft) -> Editing<AssessmentDraft> =
                |store| assessments::save(store, assessment_id, revision, &draft);
            /// Every chip, newest first.
            read list_chips() -> Vec<Chip> = |store| chips::list(store, None);
            read load_chip_draft(chip_id: Id) -> Editing<ChipDraft> =
                |store| chips::load_draft(store, chip_id);
            write save_chip(chip_id: Option<Id>, revision: Option<i64>, draft: ChipDraft) -> Editing<ChipDraft> =
                |store| chips::save(store, chip_id, revision, &draft);
            /// TPP, density and 3A090 paragraphs from the figures typed so far.
            pure estimate_chip_metrics(draft: ChipDraft) -> ChipMetrics =
                || Ok::<_, chipwatch_core::Error>(chips::estimate_metrics(&draft));
            /// A date as typed into the date field `field` (one of DATE_FIELDS), in the stored
            /// form (2023, 2023-10, 2023-10-17); null when blank. Refused with the field's label
            /// and the forms to write, as a save would be.
            pure read_date(field: String, text: String) -> Option<String> =
                || date::read_field(&field, &text);
            /// Sources matching `text` through the search index, best first (at most 20).
            read find_sources(text: String) -> Vec<Source> = |store| sources::find(store, &text, sources::PICKER_MATCHES);
            /// The sources with these ids, in that order; ids that no longer exist are left out.
            read sources_by_ids(ids: Vec<Id>) -> Vec<Source> = |store| sources::by_ids(store, &ids);
            read load_source_draft(source_id: Id) -> Editing<SourceDraft> =
                |store| sources::load_draft(store, source_id);
            /// A source for reading: its citation, the addresses the browser may open, what cites it.
            read load_source_reading(source_id: Id) -> SourceReading =
                |store| source_reading::load(store, source_id);
            /// Opens an http(s) address (a source's web address or DOI link) in the system browser.
            shell_read open_web_address(address: String) -> () = shell::open_web_address;
            write save_source(source_id: Option<Id>, revision: Option<i64>, draft: SourceDraft) -> Editing<SourceDraft> =
                |store| sources::save(store, source_id, revision, &draft);
            read load_event_draft(event_id: Id) -> Editing<EventDraft> =
                |store| events::load_draft(store, event_id);
            write save_event(event_id: Option<Id>, revision: Option<i64>, draft: EventDraft) -> Editing<EventDraft> =
                |store| events::save(store, event_id, revision, &draft);
            /// One page of the timeline (events, chip announcements, listings; oldest first), with counts and years.
            read load_timeline(query: TimelineQuery, offset: u32, limit: u32) -> TimelinePage =
                |store| timeline::page(store, &query, offset, limit);
            /// One page of the Notes list: newest change first, or best match first when words are given.
            read load_note_page(query: NoteListQuery) -> NoteList = |store| notes::page(store, &query);
            /// Every tag on a note, most used first.
            read list_note_tags() -> Vec<TagCount> = |store| notes::tags(store);
            /// A note with its body as sanitised HTML and its [[links]] resolved.
            read render_note(note_id: Id) -> RenderedNote = |store| notes::render(store, note_id);
            /// The sanitised HTML a body would render to (nothing is saved).
            shell_read preview_note(body: String) -> String = shell::preview_note;
            /// Creates (`noteId` null) or updates a note; an update names the revision it loaded.
            write save_note(note_id: Option<Id>, revision: Option<i64>, draft: NoteDraft) -> Note =
                |store| notes::save(store, note_id, &draft, revision);
            /// Records whose name starts with (then contains) `text`, for [[link]] autocomplete.
            read suggest_links(text: String) -> Vec<LinkTarget> = |store| links::suggest(store, &text, links::SUGGESTIONS);
            /// Full-text search over firms, chips, sources, notes and events (English and Chinese).
            read search(query: SearchQuery) -> Vec<SearchHit> = |store| search::search(store, &query);
            /// What deleting a record would take along or unlink, shown before deleting it.
            read delete_impact(kind: TrashKind, id: Id) -> DeleteImpact = |store| trash::impact(store, kind, id);
            /// Moves a record (and what goes with it) to the Trash.
            write delete_record(kind: TrashKind, id: Id) -> TrashEntry = |store| trash::delete(store, kind, id);
            /// A page of the Trash, most recently deleted first, with how many of each kind it holds.
            read list_trash(offset: u32, limit: u32) -> TrashPage = |store| trash::page(store, offset, limit);
            write restore_from_trash(trash_id: Id) -> RestoredRef = |store| trash::restore(store, trash_id);
            /// Deletes a Trash entry for good.
            write purge_from_trash(trash_id: Id) -> () = |store| trash::purge(store, trash_id);
            /// Deletes everything in the Trash for good; how many entries went.
            write empty_trash() -> usize = |store| trash::empty(store);
            /// One page of the sources list, sorted through an index (fast at a million sources).
            read load_source_page(query: SourcePageQuery) -> SourcePage = |store| sources::page(store, &query);
            /// Tags every selected source (the tag is created if new).
            write tag_sources(selection: SourceSelection, tag: String) -> BulkOutcome =
                |store| sources_bulk::add_tag(store, &selection, &tag);
            /// Takes a tag off every selected source that has it.
            write untag_sources(selection: SourceSelection, tag: String) -> BulkOutcome =
                |store| sources_bulk::remove_tag(store, &selection, &tag);
            /// Marks every selected source as about the firm (listed on its profile).
            write link_sources_to_firm(selection: SourceSelection, firm_id: Id) -> BulkOutcome =
                |store| sources_bulk::link_firm(store, &selection, firm_id);
            /// Not about this firm: removes the firm's mention from every selected source.
            write unlink_sources_from_firm(selection: SourceSelection, firm_id: Id) -> BulkOutcome =
                |store| sources_bulk::unlink_firm(store, &selection, firm_id);
            /// What moving the selected sources to the Trash would take along.
            read sources_trash_impact(selection: SourceSelection) -> BulkTrashImpact =
                |store| sources_bulk::trash_impact(store, &selection);
            /// Moves the selected sources to the Trash, each as its own entry.
            write trash_sources(selection: SourceSelection) -> BulkOutcome =
                |store| sources_bulk::trash(store, &selection);
            /// Every dimension that can be compared: profile, strategies, chips, activity.
            read list_comparison_dimensions() -> Vec<Dimension> = |store| compare::dimensions(store);
            /// The matrix for a selection: `rows[i][j]` is firm i on dimension j.
            read compute_comparison(selection: ComparisonSelection) -> ComparisonMatrix =
                |store| compare::compute(store, &selection);
            /// The sources behind one cell, with what each backs and where in it.
            read load_cell_sources(firm_id: Id, dimension_id: String) -> Vec<CellSource> =
                |store| compare::cell_sources(store, firm_id, &dimension_id);
            /// Firms with an assessment of this strategy.
            read firms_with_stance_on(strategy_id: Id) -> Vec<FirmRef> =
                |store| compare::firms_with_stance_on(store, strategy_id);
            read list_saved_comparisons() -> Vec<SavedComparison> = |store| saved::list(store);
            /// Creates (`id` null) or updates a saved comparison; an update names the revision it loaded.
            write save_comparison(id: Option<Id>, revision: Option<i64>, draft: ComparisonDraft) -> SavedComparison =
                |store| saved::save(store, id, revision, &draft);
            write rename_comparison(id: Id, name: String) -> SavedComparison =
                |store| saved::rename(store, id, &name);
            write duplicate_comparison(id: Id, name: Option<String>) -> SavedComparison =
                |store| saved::duplicate(store, id, name.as_deref());
            write delete_comparison(id: Id) -> () = |store| saved::delete(store, id);
            /// Writes the comparison sheet (XLSX, CSV, long CSV or Markdown) to a file the person chose.
            shell_write export_comparison(request: ExportRequest) -> ExportSummary = shell::export_comparison;
            /// Writes sources (all, a Sources selection, a firm's, a comparison's) as BibTeX, RIS or
            /// CSL-JSON to a file the person chose; how many it wrote.
            shell_write export_citations(request: CitationExportRequest) -> CitationExportSummary =
                shell::export_citations;
            /// How the file will be read, and its first rows as they will be stored. Writes nothing.
            shell_read preview_import(path: String, target: ImportTarget, options: ImportOptions) -> ImportPreview =
                shell::preview_import;
            /// Imports the file (or, with `options.dryRun`, checks it), streaming progress.
            shell_write run_import(
                path: String,
                target: ImportTarget,
                options: ImportOptions,
                on_progress: Channel<ImportProgress> as "Channel<ImportProgress>"
            ) -> ImportReport = shell::run_import;
            /// Stops the running import (or preview); it rolls back whole.
            shell_write cancel_import() -> () = shell::cancel_import;
            /// Saves a report's row problems and row warnings as a spreadsheet where the person chose.
            shell_write save_import_problems(
                path: String,
                problems: Vec<ImportProblem>,
                row_warnings: Vec<ImportProblem>
            ) -> () =
                shell::save_import_problems;
            read list_import_batches() -> Vec<ImportBatch> = |store| import::list_batches(store);
            /// Removes what a batch added; refuses when some were edited since, unless `force`.
            write undo_import(batch: Id, force: bool) -> UndoReport = |store| import::undo(store, batch, force);
            read list_import_presets(target: ImportTarget) -> Vec<ImportPreset> =
                |store| presets::list(store, Some(target));
            /// Saves a mapping under a name (replacing a preset of that name).
            write save_import_preset(name: String, target: ImportTarget, mapping: Mapping) -> ImportPreset =
                |store| presets::save(store, &name, target, &mapping);
            /// One sorted page of a firm's mentions for its profile's table.
            read load_mention_page(query: MentionPageQuery) -> MentionPage = |store| mentions::page(store, &query);
            /// Removes the selected mentions of a firm (or all, at the count shown) in one transaction.
            write remove_mentions(firm_id: Id, selection: MentionSelection) -> u32 =
                |store| mentions::remove(store, firm_id, &selection);
            /// Backs the open workspace up: into its backups folder, or to a file the person chose.
            shell_write backup_now(out: Option<String>) -> BackupInfo = shell::backup_now;
            /// The backups in the workspace's backups folder, newest first.
            shell_read list_backups() -> Vec<BackupInfo> = shell::list_backups;
            /// Replaces the open workspace with a checked backup; the current state is backed up first.
            shell_write restore_backup(from: String) -> RestoreReport = shell::restore_backup;
            /// What the check for damage after an unclean shutdown found; waits until it has finished.
            shell_read damage_check() -> DamageCheckState = shell::damage_check;
            /// Whether the page was loaded again after its web process crashed (true once, then false).
            shell_read page_restored() -> bool = shell::page_restored;
            /// Shows the native file dialog; null when the person cancels.
            shell_read choose_path(purpose: PathPurpose, suggested_name: Option<String>) -> Option<String> =
                shell::choose_path;
            /// Writes a file the person saves (a chart image) where they chose, whole or not at all.
            shell_write save_file(path: String, contents: Vec<u8>) -> () = shell::save_file;
            /// The workspaces opened lately, newest first.
            shell_read recent_workspaces() -> Vec<RecentWorkspace> = shell::recent_workspaces;
            /// Opens another existing workspace; the current one stays open if this fails.
            shell_read open_workspace(path: String) -> () = shell::open_workspace;
            /// Creates a workspace (with the default dataset when `seeded`) and opens it.
            shell_write create_workspace(path: String, seeded: bool) -> () = shell::create_workspace;
            /// A record's history, oldest first: who changed what, when (old → new).
            read record_history(kind: RecordKind, record_id: Id) -> Vec<HistoryEntry> =
                |store| history::history(store, kind, record_id);
            /// The team workspace this one is a replica of, with what waits and the last sync (null: none).
            read team_status() -> Option<TeamStatus> = |store| replica::status(store);
            /// Fields a teammate and this replica changed differently (open first), and notices.
            read list_conflicts() -> Vec<Conflict> = |store| conflicts::list(store);
            /// Keeps one side of a conflict; keeping mine goes out with the next sync.
            write resolve_conflict(conflict_id: i64, keep: KeepSide) -> () =
                |store| conflicts::resolve(store, conflict_id, keep.into());
            /// Settles a conflict with an edited merge the person typed (text, or a number
            /// for a numeric field; empty clears it); it goes out with the next sync.
            write merge_conflict(conflict_id: i64, typed: String) -> () =
                |store| conflicts::resolve_typed(store, conflict_id, &typed);
            /// Pushes this replica's changes and pulls the team's; `password` (kept in memory
            /// for the session) when PGPASSWORD or ~/.pgpass has none; `keep`: once it
            /// worked, also keep it in ~/.pgpass (PGPASSFILE), readable by the person only.
            shell_write sync_now(password: Option<String>, keep: bool) -> SyncReport = shell::sync_now;
            /// Publishes the open workspace as a new team workspace on a PostgreSQL server.
            shell_write share_workspace(server: String, name: String, password: Option<String>, keep: bool) -> SyncReport =
                shell::share_workspace;
            /// Makes a new local replica of a team workspace at `path` (a new file) and opens it.
            shell_write join_team_workspace(path: String, server: String, name: String, password: Option<String>, keep: bool) -> () =
                shell::join_team_workspace;
        }
    };
}

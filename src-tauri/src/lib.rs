//! The desktop shell: opens the workspace and exposes core use cases as commands.
//! Each command is one call into chipwatch-core; nothing here is worth testing alone.
//!
//! Commands are async and run their use case on a blocking worker thread, never
//! on the UI thread, so a slow query cannot freeze the window. Multi-statement
//! reads take one snapshot through `Store::read` inside the core.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chipwatch_core::backups::{self, BackupInfo, RestoreReport};
use chipwatch_core::compare::export::{self, ExportRequest, ExportSummary};
use chipwatch_core::compare::saved::{self, ComparisonDraft, SavedComparison};
use chipwatch_core::compare::{self, CellSource, ComparisonMatrix, ComparisonSelection, Dimension};
use chipwatch_core::import::presets::{self, ImportPreset};
use chipwatch_core::import::{
    self, FirmMentions, ImportBatch, ImportOptions, ImportPreview, ImportProblem, ImportProgress,
    ImportReport, ImportTarget, Mapping, UndoReport,
};
use chipwatch_core::links::{self, LinkTarget};
use chipwatch_core::lock::WorkspaceLock;
use chipwatch_core::model::{
    AssessmentDraft, Chip, ChipDraft, ChipMetrics, DeleteImpact, Editing, EventDraft, FirmConflict,
    FirmDraft, FirmProfile, FirmRef, FirmSummary, Id, Note, NoteDraft, RestoredRef, Source,
    SourceDraft, SourcePage, SourcePageQuery, Strategy, StrategyDraft, TrashEntry, TrashKind,
    WorkspaceInfo,
};
use chipwatch_core::notes::{self, NoteList, NoteListQuery, RenderedNote, TagCount};
use chipwatch_core::recent::{self, RecentWorkspace};
use chipwatch_core::search::{self, SearchHit, SearchQuery};
use chipwatch_core::session;
use chipwatch_core::timeline::{self, TimelineEntry, TimelineQuery};
use chipwatch_core::trash;
use chipwatch_core::workspace::{self, Seed};
use chipwatch_core::{
    assessments, chips, events, files, firms, sources, strategies, AppError, Error, ErrorKind,
    Store,
};
use tauri::ipc::Channel;
use tauri::{Manager, State};

/// The open workspace, or why it could not be opened (shown by the UI's error
/// screen). The workspace menu replaces it whole.
struct Session {
    store: Result<Arc<Mutex<Store>>, AppError>,
    /// Held while the workspace is open: a second window on it is refused.
    _lock: Option<WorkspaceLock>,
}

struct AppState {
    session: Mutex<Session>,
    /// The cancel flag of the import that is running, if one is.
    import_cancel: Mutex<Option<Arc<AtomicBool>>>,
    /// Files the person chose in a dialog or dropped: the only paths commands take.
    chosen: files::ChosenPaths,
}

impl AppState {
    fn open() -> AppState {
        let session = match workspace::default_path() {
            Ok(path) => {
                let store = session::open(&path, session::Open::Default, recent_list().as_deref());
                if let Ok(Some(done)) = store.as_ref().map(|open| open.store.upgrade()) {
                    eprintln!(
                        "Chipwatch: upgraded the workspace from schema version {}; backup at {}",
                        done.from_version,
                        done.backup.display()
                    );
                }
                Session::new(store)
            }
            Err(error) => Session::new(Err(error)),
        };
        AppState {
            session: Mutex::new(session),
            import_cancel: Mutex::new(None),
            chosen: files::ChosenPaths::default(),
        }
    }

    /// The open store, or the error that kept it closed.
    fn store(&self) -> Result<Arc<Mutex<Store>>, AppError> {
        let session = self.session.lock().map_err(|_| poisoned())?;
        session.store.clone()
    }

    /// `path` if the person chose it in a dialog or dropped it on the window.
    fn chosen(&self, path: &str) -> Result<PathBuf, AppError> {
        self.chosen.require(path).map_err(AppError::from)
    }

    /// The open workspace's file, if one is open (what exports never write over).
    fn open_workspace_path(&self) -> Option<PathBuf> {
        self.workspace_path().ok()
    }

    /// The open workspace's file (imports open their own connection to it).
    fn workspace_path(&self) -> Result<PathBuf, AppError> {
        let store = self.store()?;
        let store = store.lock().map_err(|_| poisoned())?;
        store
            .path()
            .map(Path::to_path_buf)
            .ok_or_else(|| internal("the workspace has no file"))
    }

    /// Registers a new import's cancel flag; refused while another import runs.
    /// The flag is taken back when the returned guard drops, however the import ends.
    fn start_import(&self) -> Result<ImportSlot<'_>, AppError> {
        let mut running = self.import_cancel.lock().map_err(|_| poisoned())?;
        if running.is_some() {
            return Err(AppError::from(Error::invalid(
                "import",
                "another import is running; wait for it or cancel it",
            )));
        }
        let cancel = Arc::new(AtomicBool::new(false));
        *running = Some(Arc::clone(&cancel));
        Ok(ImportSlot {
            state: self,
            cancel,
        })
    }

    fn replace(&self, session: Session) -> Result<(), AppError> {
        *self.session.lock().map_err(|_| poisoned())? = session;
        Ok(())
    }

    /// Runs `use_case` on a blocking worker thread with the store locked.
    async fn run<T: Send + 'static>(
        &self,
        use_case: impl FnOnce(&mut Store) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, AppError> {
        let store = self.store()?;
        blocking(move || {
            let mut store = store.lock().map_err(|_| poisoned())?;
            use_case(&mut store).map_err(AppError::from)
        })
        .await
    }
}

/// The running import's place in [`AppState`]; freed on drop.
struct ImportSlot<'a> {
    state: &'a AppState,
    cancel: Arc<AtomicBool>,
}

impl Drop for ImportSlot<'_> {
    fn drop(&mut self) {
        if let Ok(mut running) = self.state.import_cancel.lock() {
            *running = None;
        }
    }
}

impl Session {
    fn new(opened: Result<session::OpenWorkspace, Error>) -> Session {
        match opened {
            Ok(session::OpenWorkspace { store, lock }) => Session {
                store: Ok(Arc::new(Mutex::new(store))),
                _lock: Some(lock),
            },
            Err(error) => Session {
                store: Err(AppError::from(error)),
                _lock: None,
            },
        }
    }
}

/// Runs `work` on a blocking worker thread, never the UI thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| internal(&format!("a command stopped unexpectedly: {e}")))?
}

fn poisoned() -> AppError {
    internal("an earlier command failed midway; restart Chipwatch")
}

fn recent_list() -> Option<PathBuf> {
    recent::default_list_path()
}

fn internal(message: &str) -> AppError {
    AppError {
        kind: ErrorKind::Internal,
        message: message.into(),
        field: None,
    }
}

#[tauri::command]
async fn workspace_info(state: State<'_, AppState>) -> Result<WorkspaceInfo, AppError> {
    state.run(|store| workspace::info(store)).await
}

#[tauri::command]
async fn list_firms(state: State<'_, AppState>) -> Result<Vec<FirmSummary>, AppError> {
    state.run(|store| firms::list(store, None)).await
}

#[tauri::command]
async fn load_firm_profile(
    state: State<'_, AppState>,
    firm_id: Id,
) -> Result<FirmProfile, AppError> {
    state
        .run(move |store| chipwatch_core::profile::load_profile(store, firm_id))
        .await
}

#[tauri::command]
async fn load_firm_draft(
    state: State<'_, AppState>,
    firm_id: Id,
) -> Result<Editing<FirmDraft>, AppError> {
    state
        .run(move |store| firms::load_draft(store, firm_id))
        .await
}

#[tauri::command]
async fn save_firm(
    state: State<'_, AppState>,
    firm_id: Option<Id>,
    revision: Option<i64>,
    draft: FirmDraft,
) -> Result<Editing<FirmDraft>, AppError> {
    state
        .run(move |store| firms::save(store, firm_id, revision, &draft))
        .await
}

#[tauri::command]
async fn find_firm_conflicts(
    state: State<'_, AppState>,
    draft: FirmDraft,
    except_firm_id: Option<Id>,
) -> Result<Vec<FirmConflict>, AppError> {
    state
        .run(move |store| firms::find_conflicts(store, &draft, except_firm_id))
        .await
}

#[tauri::command]
async fn list_strategies(state: State<'_, AppState>) -> Result<Vec<Strategy>, AppError> {
    state.run(|store| strategies::list(store, None)).await
}

#[tauri::command]
async fn load_strategy_draft(
    state: State<'_, AppState>,
    strategy_id: Id,
) -> Result<Editing<StrategyDraft>, AppError> {
    state
        .run(move |store| strategies::load_draft(store, strategy_id))
        .await
}

#[tauri::command]
async fn save_strategy(
    state: State<'_, AppState>,
    strategy_id: Option<Id>,
    revision: Option<i64>,
    draft: StrategyDraft,
) -> Result<Editing<StrategyDraft>, AppError> {
    state
        .run(move |store| strategies::save(store, strategy_id, revision, &draft))
        .await
}

#[tauri::command]
async fn load_assessment_draft(
    state: State<'_, AppState>,
    assessment_id: Id,
) -> Result<Editing<AssessmentDraft>, AppError> {
    state
        .run(move |store| assessments::load_draft(store, assessment_id))
        .await
}

#[tauri::command]
async fn save_assessment(
    state: State<'_, AppState>,
    assessment_id: Option<Id>,
    revision: Option<i64>,
    draft: AssessmentDraft,
) -> Result<Editing<AssessmentDraft>, AppError> {
    state
        .run(move |store| assessments::save(store, assessment_id, revision, &draft))
        .await
}

#[tauri::command]
async fn list_chips(state: State<'_, AppState>) -> Result<Vec<Chip>, AppError> {
    state.run(|store| chips::list(store, None)).await
}

#[tauri::command]
async fn load_chip_draft(
    state: State<'_, AppState>,
    chip_id: Id,
) -> Result<Editing<ChipDraft>, AppError> {
    state
        .run(move |store| chips::load_draft(store, chip_id))
        .await
}

#[tauri::command]
async fn save_chip(
    state: State<'_, AppState>,
    chip_id: Option<Id>,
    revision: Option<i64>,
    draft: ChipDraft,
) -> Result<Editing<ChipDraft>, AppError> {
    state
        .run(move |store| chips::save(store, chip_id, revision, &draft))
        .await
}

#[tauri::command]
fn estimate_chip_metrics(draft: ChipDraft) -> ChipMetrics {
    chips::estimate_metrics(&draft)
}

#[tauri::command]
async fn find_sources(state: State<'_, AppState>, text: String) -> Result<Vec<Source>, AppError> {
    state
        .run(move |store| sources::find(store, &text, 20))
        .await
}

#[tauri::command]
async fn sources_by_ids(state: State<'_, AppState>, ids: Vec<Id>) -> Result<Vec<Source>, AppError> {
    state.run(move |store| sources::by_ids(store, &ids)).await
}

#[tauri::command]
async fn load_source_draft(
    state: State<'_, AppState>,
    source_id: Id,
) -> Result<Editing<SourceDraft>, AppError> {
    state
        .run(move |store| sources::load_draft(store, source_id))
        .await
}

#[tauri::command]
async fn save_source(
    state: State<'_, AppState>,
    source_id: Option<Id>,
    revision: Option<i64>,
    draft: SourceDraft,
) -> Result<Editing<SourceDraft>, AppError> {
    state
        .run(move |store| sources::save(store, source_id, revision, &draft))
        .await
}

#[tauri::command]
async fn load_event_draft(
    state: State<'_, AppState>,
    event_id: Id,
) -> Result<Editing<EventDraft>, AppError> {
    state
        .run(move |store| events::load_draft(store, event_id))
        .await
}

#[tauri::command]
async fn save_event(
    state: State<'_, AppState>,
    event_id: Option<Id>,
    revision: Option<i64>,
    draft: EventDraft,
) -> Result<Editing<EventDraft>, AppError> {
    state
        .run(move |store| events::save(store, event_id, revision, &draft))
        .await
}

#[tauri::command]
async fn load_timeline(
    state: State<'_, AppState>,
    query: TimelineQuery,
) -> Result<Vec<TimelineEntry>, AppError> {
    state
        .run(move |store| timeline::entries(store, &query))
        .await
}

#[tauri::command]
async fn load_note_page(
    state: State<'_, AppState>,
    query: NoteListQuery,
) -> Result<NoteList, AppError> {
    state.run(move |store| notes::page(store, &query)).await
}

#[tauri::command]
async fn list_note_tags(state: State<'_, AppState>) -> Result<Vec<TagCount>, AppError> {
    state.run(|store| notes::tags(store)).await
}

#[tauri::command]
async fn render_note(state: State<'_, AppState>, note_id: Id) -> Result<RenderedNote, AppError> {
    state.run(move |store| notes::render(store, note_id)).await
}

#[tauri::command]
async fn preview_note(state: State<'_, AppState>, body: String) -> Result<String, AppError> {
    state.run(move |store| notes::preview(store, &body)).await
}

#[tauri::command]
async fn save_note(
    state: State<'_, AppState>,
    note_id: Option<Id>,
    revision: Option<i64>,
    draft: NoteDraft,
) -> Result<Note, AppError> {
    state
        .run(move |store| notes::save(store, note_id, &draft, revision))
        .await
}

#[tauri::command]
async fn suggest_links(
    state: State<'_, AppState>,
    text: String,
) -> Result<Vec<LinkTarget>, AppError> {
    state
        .run(move |store| links::suggest(store, &text, 12))
        .await
}

#[tauri::command]
async fn search(
    state: State<'_, AppState>,
    query: SearchQuery,
) -> Result<Vec<SearchHit>, AppError> {
    state.run(move |store| search::search(store, &query)).await
}

#[tauri::command]
async fn delete_impact(
    state: State<'_, AppState>,
    kind: TrashKind,
    id: Id,
) -> Result<DeleteImpact, AppError> {
    state.run(move |store| trash::impact(store, kind, id)).await
}

#[tauri::command]
async fn delete_record(
    state: State<'_, AppState>,
    kind: TrashKind,
    id: Id,
) -> Result<TrashEntry, AppError> {
    state.run(move |store| trash::delete(store, kind, id)).await
}

#[tauri::command]
async fn list_trash(state: State<'_, AppState>) -> Result<Vec<TrashEntry>, AppError> {
    state.run(|store| trash::list(store)).await
}

#[tauri::command]
async fn restore_from_trash(
    state: State<'_, AppState>,
    trash_id: Id,
) -> Result<RestoredRef, AppError> {
    state
        .run(move |store| trash::restore(store, trash_id))
        .await
}

#[tauri::command]
async fn purge_from_trash(state: State<'_, AppState>, trash_id: Id) -> Result<(), AppError> {
    state.run(move |store| trash::purge(store, trash_id)).await
}

#[tauri::command]
async fn load_source_page(
    state: State<'_, AppState>,
    query: SourcePageQuery,
) -> Result<SourcePage, AppError> {
    state.run(move |store| sources::page(store, &query)).await
}

#[tauri::command]
async fn list_comparison_dimensions(
    state: State<'_, AppState>,
) -> Result<Vec<Dimension>, AppError> {
    state.run(|store| compare::dimensions(store)).await
}

#[tauri::command]
async fn compute_comparison(
    state: State<'_, AppState>,
    selection: ComparisonSelection,
) -> Result<ComparisonMatrix, AppError> {
    state
        .run(move |store| compare::compute(store, &selection))
        .await
}

#[tauri::command]
async fn load_cell_sources(
    state: State<'_, AppState>,
    firm_id: Id,
    dimension_id: String,
) -> Result<Vec<CellSource>, AppError> {
    state
        .run(move |store| compare::cell_sources(store, firm_id, &dimension_id))
        .await
}

#[tauri::command]
async fn firms_with_stance_on(
    state: State<'_, AppState>,
    strategy_id: Id,
) -> Result<Vec<FirmRef>, AppError> {
    state
        .run(move |store| compare::firms_with_stance_on(store, strategy_id))
        .await
}

#[tauri::command]
async fn list_saved_comparisons(
    state: State<'_, AppState>,
) -> Result<Vec<SavedComparison>, AppError> {
    state.run(|store| saved::list(store)).await
}

#[tauri::command]
async fn save_comparison(
    state: State<'_, AppState>,
    id: Option<Id>,
    revision: Option<i64>,
    draft: ComparisonDraft,
) -> Result<SavedComparison, AppError> {
    state
        .run(move |store| saved::save(store, id, revision, &draft))
        .await
}

#[tauri::command]
async fn rename_comparison(
    state: State<'_, AppState>,
    id: Id,
    name: String,
) -> Result<SavedComparison, AppError> {
    state
        .run(move |store| saved::rename(store, id, &name))
        .await
}

#[tauri::command]
async fn duplicate_comparison(
    state: State<'_, AppState>,
    id: Id,
    name: Option<String>,
) -> Result<SavedComparison, AppError> {
    state
        .run(move |store| saved::duplicate(store, id, name.as_deref()))
        .await
}

#[tauri::command]
async fn delete_comparison(state: State<'_, AppState>, id: Id) -> Result<(), AppError> {
    state.run(move |store| saved::delete(store, id)).await
}

#[tauri::command]
async fn export_comparison(
    state: State<'_, AppState>,
    request: ExportRequest,
) -> Result<ExportSummary, AppError> {
    state.chosen(&request.path)?;
    state
        .run(move |store| export::export(store, &request))
        .await
}

#[tauri::command]
async fn preview_import(
    state: State<'_, AppState>,
    path: String,
    target: ImportTarget,
    options: ImportOptions,
) -> Result<ImportPreview, AppError> {
    let path = state.chosen(&path)?;
    state
        .run(move |store| import::preview(store, &path, target, &options, PREVIEW_ROWS))
        .await
}

/// Rows the import preview shows.
const PREVIEW_ROWS: usize = 20;

/// Runs an import (or a dry run) on a connection of its own in a worker
/// thread, so every other screen keeps reading while it writes (WAL), and
/// streams its progress to the UI. One import runs at a time.
#[tauri::command]
async fn run_import(
    state: State<'_, AppState>,
    path: String,
    target: ImportTarget,
    options: ImportOptions,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, AppError> {
    let path = state.chosen(&path)?;
    let workspace = state.workspace_path()?;
    let slot = state.start_import()?;
    let cancel = Arc::clone(&slot.cancel);
    blocking(move || {
        let mut progress = |p: &ImportProgress| {
            let _ = on_progress.send(*p);
        };
        import::import_into(&workspace, target, &path, &options, &mut progress, &cancel)
            .map_err(AppError::from)
    })
    .await
}

/// Asks the running import to stop; it rolls back and leaves no trace.
#[tauri::command]
async fn cancel_import(state: State<'_, AppState>) -> Result<(), AppError> {
    if let Some(cancel) = state.import_cancel.lock().map_err(|_| poisoned())?.as_ref() {
        cancel.store(true, Ordering::Relaxed);
    }
    Ok(())
}

/// Saves an import report's row problems as CSV where the user chose.
#[tauri::command]
async fn save_import_problems(
    state: State<'_, AppState>,
    path: String,
    problems: Vec<ImportProblem>,
) -> Result<(), AppError> {
    let path = state.chosen(&path)?;
    let workspace = state.open_workspace_path();
    blocking(move || {
        import::save_problems(&path, &problems, workspace.as_deref()).map_err(AppError::from)
    })
    .await
}

#[tauri::command]
async fn list_import_batches(state: State<'_, AppState>) -> Result<Vec<ImportBatch>, AppError> {
    state.run(|store| import::list_batches(store)).await
}

#[tauri::command]
async fn undo_import(
    state: State<'_, AppState>,
    batch: Id,
    force: bool,
) -> Result<UndoReport, AppError> {
    state
        .run(move |store| import::undo(store, batch, force))
        .await
}

#[tauri::command]
async fn list_import_presets(
    state: State<'_, AppState>,
    target: ImportTarget,
) -> Result<Vec<ImportPreset>, AppError> {
    state
        .run(move |store| presets::list(store, Some(target)))
        .await
}

#[tauri::command]
async fn save_import_preset(
    state: State<'_, AppState>,
    name: String,
    target: ImportTarget,
    mapping: Mapping,
) -> Result<ImportPreset, AppError> {
    state
        .run(move |store| presets::save(store, &name, target, &mapping))
        .await
}

/// Backs the workspace up now: into its backups folder, or to `out`.
#[tauri::command]
async fn backup_now(
    state: State<'_, AppState>,
    out: Option<String>,
) -> Result<BackupInfo, AppError> {
    let out = out.map(|out| state.chosen(&out)).transpose()?;
    state
        .run(move |store| backups::backup_now(store, out.as_deref()))
        .await
}

/// The backups in the workspace's backups folder; each may then be restored.
#[tauri::command]
async fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupInfo>, AppError> {
    let listed = state
        .run(|store| match store.path() {
            Some(path) => backups::list_backups(path),
            None => Ok(Vec::new()),
        })
        .await?;
    for backup in &listed {
        state.chosen.remember(Path::new(&backup.path));
    }
    Ok(listed)
}

/// Replaces the open workspace with a backup after checking it; the current
/// state is backed up first. The UI reloads afterwards.
#[tauri::command]
async fn restore_backup(
    state: State<'_, AppState>,
    from: String,
) -> Result<RestoreReport, AppError> {
    let from = state.chosen(&from)?;
    state
        .run(move |store| backups::restore_into(store, &from))
        .await
}

#[tauri::command]
async fn load_firm_mentions(
    state: State<'_, AppState>,
    firm_id: Id,
    limit: usize,
) -> Result<FirmMentions, AppError> {
    state
        .run(move |store| import::mentions_of_firm(store, firm_id, limit))
        .await
}

#[tauri::command]
async fn remove_mention(
    state: State<'_, AppState>,
    source_id: Id,
    firm_id: Id,
) -> Result<(), AppError> {
    state
        .run(move |store| import::remove_mention(store, source_id, firm_id))
        .await
}

/// Environment variable naming a file whose first line answers the next file
/// dialog instead of showing it (an empty line cancels). WebDriver cannot reach
/// a native dialog; the E2E tests (debug builds) use this. Release builds do
/// not have it at all.
#[cfg(debug_assertions)]
const TEST_DIALOG_ANSWER: &str = "CHIPWATCH_TEST_DIALOG_ANSWER";

/// The test's answer to a file dialog, when one is set (debug builds only).
#[cfg(debug_assertions)]
fn test_dialog_answer() -> Option<Option<String>> {
    let answer_file = std::env::var_os(TEST_DIALOG_ANSWER)?;
    let answer = std::fs::read_to_string(answer_file).unwrap_or_default();
    let first = answer.lines().next().unwrap_or("").trim().to_owned();
    Some(Some(first).filter(|a| !a.is_empty()))
}

#[cfg(not(debug_assertions))]
fn test_dialog_answer() -> Option<Option<String>> {
    None
}

/// Shows the native file dialog for `purpose`; None when the user cancels.
/// The path chosen is remembered: commands accept only such paths.
#[tauri::command]
async fn choose_path(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    purpose: files::PathPurpose,
    suggested_name: Option<String>,
) -> Result<Option<String>, AppError> {
    use tauri_plugin_dialog::DialogExt;
    let chosen = match test_dialog_answer() {
        Some(answer) => answer,
        None => {
            let spec = purpose.dialog();
            let mut dialog = app
                .dialog()
                .file()
                .set_title(spec.title)
                .add_filter(spec.filter, spec.extensions);
            if let Some(name) = suggested_name {
                dialog = dialog.set_file_name(name);
            }
            blocking(move || {
                let chosen = if spec.saves {
                    dialog.blocking_save_file()
                } else {
                    dialog.blocking_pick_file()
                };
                chosen
                    .map(|path| path.into_path().map(|p| p.to_string_lossy().into_owned()))
                    .transpose()
                    .map_err(|e| internal(&format!("the file dialog returned no usable path: {e}")))
            })
            .await?
        }
    };
    if let Some(path) = &chosen {
        state.chosen.remember(Path::new(path));
    }
    Ok(chosen)
}

/// Writes a file the user asked for (a chart) to the path they chose, whole or not at all.
#[tauri::command]
async fn save_file(
    state: State<'_, AppState>,
    path: String,
    contents: Vec<u8>,
) -> Result<(), AppError> {
    let path = state.chosen(&path)?;
    let workspace = state.open_workspace_path();
    blocking(move || {
        files::write_atomically(&path, &contents, workspace.as_deref()).map_err(AppError::from)
    })
    .await
}

/// The recent workspaces; the person chose each of them before, so they may be opened.
#[tauri::command]
async fn recent_workspaces(state: State<'_, AppState>) -> Result<Vec<RecentWorkspace>, AppError> {
    let recent = blocking(|| {
        Ok(recent_list()
            .map(|list| recent::list(&list))
            .unwrap_or_default())
    })
    .await?;
    for workspace in &recent {
        state.chosen.remember(Path::new(&workspace.path));
    }
    Ok(recent)
}

/// Opens another existing workspace in place of the current one; on failure the
/// current one stays open and the error says why.
#[tauri::command]
async fn open_workspace(state: State<'_, AppState>, path: String) -> Result<(), AppError> {
    switch_workspace(&state, path, session::Open::Existing).await
}

/// Creates a new workspace (seeded with the default dataset, or empty) and opens it.
#[tauri::command]
async fn create_workspace(
    state: State<'_, AppState>,
    path: String,
    seeded: bool,
) -> Result<(), AppError> {
    let seed = if seeded {
        Seed::DefaultDataset
    } else {
        Seed::Empty
    };
    switch_workspace(&state, path, session::Open::New(seed)).await
}

async fn switch_workspace(
    state: &AppState,
    path: String,
    how: session::Open,
) -> Result<(), AppError> {
    let path = state.chosen(&path)?;
    let current = state.open_workspace_path();
    let opened = blocking(move || {
        session::switch(current.as_deref(), &path, how, recent_list().as_deref())
            .map_err(AppError::from)
    })
    .await?;
    // None: the workspace asked for is the one open; nothing to switch.
    match opened {
        // The old workspace (and its lock) is let go before the new one is kept.
        Some(opened) => state.replace(Session::new(Ok(opened))),
        None => Ok(()),
    }
}

pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::open())
        // A file dropped on the window was chosen by the person, like one from a dialog.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                let state = window.state::<AppState>();
                for path in paths {
                    state.chosen.remember(path);
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            choose_path,
            save_file,
            recent_workspaces,
            open_workspace,
            create_workspace,
            save_import_problems,
            load_firm_mentions,
            remove_mention,
            backup_now,
            list_backups,
            restore_backup,
            preview_import,
            run_import,
            cancel_import,
            list_import_batches,
            undo_import,
            list_import_presets,
            save_import_preset,
            list_comparison_dimensions,
            compute_comparison,
            load_cell_sources,
            firms_with_stance_on,
            list_saved_comparisons,
            save_comparison,
            rename_comparison,
            duplicate_comparison,
            delete_comparison,
            export_comparison,
            workspace_info,
            list_firms,
            load_firm_profile,
            load_firm_draft,
            save_firm,
            find_firm_conflicts,
            list_strategies,
            load_strategy_draft,
            save_strategy,
            load_assessment_draft,
            save_assessment,
            list_chips,
            load_chip_draft,
            save_chip,
            estimate_chip_metrics,
            find_sources,
            sources_by_ids,
            load_source_draft,
            save_source,
            load_event_draft,
            save_event,
            load_timeline,
            load_note_page,
            list_note_tags,
            render_note,
            preview_note,
            save_note,
            suggest_links,
            search,
            delete_impact,
            delete_record,
            list_trash,
            restore_from_trash,
            purge_from_trash,
            load_source_page
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Chipwatch could not start: {error}");
        std::process::exit(1);
    }
}

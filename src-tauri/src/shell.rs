//! The commands that need more than a store: the window (file dialogs,
//! progress), the session (switching workspaces) or the person's chosen
//! files. Each checks what the page sent, then makes one call into the core.

use std::path::Path;
use std::sync::Arc;

use chipwatch_core::backups::{self, BackupInfo, RestoreReport};
use chipwatch_core::citations::{self, CitationExportRequest, CitationExportSummary};
use chipwatch_core::compare::export::{self, ExportRequest, ExportSummary};
use chipwatch_core::damage_check::DamageCheckState;
use chipwatch_core::files::{self, PathPurpose};
use chipwatch_core::import::{
    self, ImportOptions, ImportPreview, ImportProblem, ImportProgress, ImportReport, ImportTarget,
};
use chipwatch_core::notes;
use chipwatch_core::recent::{self, RecentWorkspace};
use chipwatch_core::replica::SyncReport;
use chipwatch_core::restore;
use chipwatch_core::session;
use chipwatch_core::validate;
use chipwatch_core::workspace::Seed;
use chipwatch_core::AppError;
use chipwatch_sync::team;
use tauri::ipc::Channel;
use tauri::AppHandle;

use crate::state::{blocking, internal, poisoned, recent_list, AppState, Session};

/// The HTML a note body would render to (nothing is saved).
pub async fn preview_note(
    _: &AppHandle,
    state: &AppState,
    body: String,
) -> Result<String, AppError> {
    state.read(move |store| notes::preview(store, &body)).await
}

/// Environment variable naming a file to which opened web addresses are
/// appended, one a line, instead of starting a browser: WebDriver cannot see
/// a browser, and a test must not start one (debug builds only; release
/// builds do not have it). Only addresses the core's check let through are
/// written, and they hold no spaces or line breaks, so a line is one address.
#[cfg(debug_assertions)]
const TEST_OPEN_URL_LOG: &str = "CHIPWATCH_TEST_OPEN_URL_LOG";

/// Opens an http(s) address in the system browser, after the core's check
/// (no javascript:, file:, credentials before the host …).
pub async fn open_web_address(
    app: &AppHandle,
    _: &AppState,
    address: String,
) -> Result<(), AppError> {
    use tauri_plugin_opener::OpenerExt;
    let address = validate::openable_web_address(&address)?;
    #[cfg(debug_assertions)]
    if let Some(log) = std::env::var_os(TEST_OPEN_URL_LOG) {
        use std::io::Write;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log);
        return file
            .and_then(|mut f| writeln!(f, "{address}"))
            .map_err(|error| internal(&format!("cannot log the address: {error}")));
    }
    app.opener()
        .open_url(address, None::<&str>)
        .map_err(|error| internal(&format!("cannot open the browser: {error}")))
}

pub async fn export_comparison(
    _: &AppHandle,
    state: &AppState,
    request: ExportRequest,
) -> Result<ExportSummary, AppError> {
    state.chosen(&request.path)?;
    state
        .write(move |store| export::export(store, &request))
        .await
}

/// Streams the sources to the chosen file on a read connection of its own,
/// so the other screens keep answering while a large export runs.
pub async fn export_citations(
    _: &AppHandle,
    state: &AppState,
    request: CitationExportRequest,
) -> Result<CitationExportSummary, AppError> {
    state.chosen(&request.path)?;
    state
        .read(move |store| citations::export(store, &request))
        .await
}

/// Reads the start of the file without holding the workspace (the mapping
/// takes a read connection for a moment); Cancel stops it.
pub async fn preview_import(
    _: &AppHandle,
    state: &AppState,
    path: String,
    target: ImportTarget,
    options: ImportOptions,
) -> Result<ImportPreview, AppError> {
    let path = state.chosen(&path)?;
    let readers = state
        .readers()?
        .ok_or_else(|| internal("the workspace has no file"))?;
    let cancel = state.import.start_preview();
    blocking(move || {
        import::preview_in(
            &readers,
            &path,
            target,
            &options,
            import::PREVIEW_ROWS,
            &cancel,
        )
        .map_err(AppError::from)
    })
    .await
}

/// Runs an import (or a dry run) on a connection of its own in a worker
/// thread, so every other screen keeps reading while it writes (WAL), and
/// streams its progress to the UI. One import runs at a time; its checkpoint
/// runs on after the report, on a thread of its own.
pub async fn run_import(
    _: &AppHandle,
    state: &AppState,
    path: String,
    target: ImportTarget,
    options: ImportOptions,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, AppError> {
    let path = state.chosen(&path)?;
    let workspace = state.workspace_path()?;
    let slot = state.import.start()?;
    let cancel = Arc::clone(&slot.cancel);
    blocking(move || {
        let mut progress = |p: &ImportProgress| {
            let _ = on_progress.send(*p);
        };
        let (report, connection) =
            import::import_into(&workspace, target, &path, &options, &mut progress, &cancel)?;
        // The report goes to the screen now; the WAL is copied into the file
        // meanwhile, while every screen keeps reading.
        std::thread::spawn(move || connection.checkpoint());
        Ok(report)
    })
    .await
}

pub async fn cancel_import(_: &AppHandle, state: &AppState) -> Result<(), AppError> {
    state.import.cancel();
    Ok(())
}

pub async fn save_import_problems(
    _: &AppHandle,
    state: &AppState,
    path: String,
    problems: Vec<ImportProblem>,
    row_warnings: Vec<ImportProblem>,
) -> Result<(), AppError> {
    let path = state.chosen(&path)?;
    let workspace = state.open_workspace_path();
    blocking(move || {
        import::save_problems(&path, &problems, &row_warnings, workspace.as_deref())
            .map_err(AppError::from)
    })
    .await
}

pub async fn backup_now(
    _: &AppHandle,
    state: &AppState,
    out: Option<String>,
) -> Result<BackupInfo, AppError> {
    let out = out.map(|out| state.chosen(&out)).transpose()?;
    state
        .read(move |store| backups::backup_now(store, out.as_deref()))
        .await
}

/// The backups in the workspace's backups folder; each may then be restored.
pub async fn list_backups(_: &AppHandle, state: &AppState) -> Result<Vec<BackupInfo>, AppError> {
    let listed = state.read(backups::list_backups_of).await?;
    for backup in &listed {
        state.chosen.remember(Path::new(&backup.path));
    }
    Ok(listed)
}

pub async fn restore_backup(
    _: &AppHandle,
    state: &AppState,
    from: String,
) -> Result<RestoreReport, AppError> {
    let from = state.chosen(&from)?;
    let report = state
        .write(move |store| restore::restore_into(store, &from))
        .await?;
    state.restored();
    Ok(report)
}

/// What the check for damage after an unclean shutdown found (`notNeeded`
/// after a clean one); waits until it has finished.
pub async fn damage_check(_: &AppHandle, state: &AppState) -> Result<DamageCheckState, AppError> {
    state.damage_check().await
}

/// Whether the page was loaded again after its web process crashed since it
/// last asked: true once, then false.
pub async fn page_restored(_: &AppHandle, state: &AppState) -> Result<bool, AppError> {
    Ok(state
        .page_restored
        .swap(false, std::sync::atomic::Ordering::SeqCst))
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

/// Shows the native file dialog for `purpose`; None when the person cancels.
/// The path chosen is remembered: commands accept only such paths.
pub async fn choose_path(
    app: &AppHandle,
    state: &AppState,
    purpose: PathPurpose,
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

pub async fn save_file(
    _: &AppHandle,
    state: &AppState,
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
pub async fn recent_workspaces(
    _: &AppHandle,
    state: &AppState,
) -> Result<Vec<RecentWorkspace>, AppError> {
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

pub async fn open_workspace(_: &AppHandle, state: &AppState, path: String) -> Result<(), AppError> {
    switch_workspace(state, path, session::Open::Existing).await
}

pub async fn create_workspace(
    _: &AppHandle,
    state: &AppState,
    path: String,
    seeded: bool,
) -> Result<(), AppError> {
    let seed = if seeded {
        Seed::DefaultDataset
    } else {
        Seed::Empty
    };
    switch_workspace(state, path, session::Open::New(seed)).await
}

/// Opens another workspace in place of the current one; on failure the
/// current one stays open and the error says why. The UI reloads afterwards.
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
    match opened {
        // The old workspace (and its lock) is let go before the new one is kept.
        Some(opened) => state.replace(Session::new(Ok(opened))),
        // The workspace asked for is the one open: nothing to switch.
        None => Ok(()),
    }
}

/// A team server's error as the UI receives every error.
fn team_error(error: chipwatch_sync::SyncError) -> AppError {
    AppError::from(&chipwatch_core::Error::from(error))
}

/// The password for this sync: the one typed now (remembered for the
/// session), else one typed earlier; None leaves it to PGPASSWORD / ~/.pgpass.
fn team_password(state: &AppState, typed: Option<String>) -> Result<Option<String>, AppError> {
    let mut kept = state.team_password.lock().map_err(|_| poisoned())?;
    if let Some(typed) = typed.filter(|p| !p.is_empty()) {
        *kept = Some(typed);
    }
    Ok(kept.clone())
}

pub async fn sync_now(
    _: &AppHandle,
    state: &AppState,
    password: Option<String>,
    keep: bool,
) -> Result<SyncReport, AppError> {
    let workspace = state.workspace_path()?;
    let password = team_password(state, password)?;
    blocking(move || team::sync_file(&workspace, login(&password, keep)).map_err(team_error)).await
}

fn login(password: &Option<String>, keep: bool) -> team::Login<'_> {
    team::Login {
        password: password.as_deref(),
        keep,
    }
}

pub async fn share_workspace(
    _: &AppHandle,
    state: &AppState,
    server: String,
    name: String,
    password: Option<String>,
    keep: bool,
) -> Result<SyncReport, AppError> {
    let workspace = state.workspace_path()?;
    let password = team_password(state, password)?;
    blocking(move || {
        team::create_file(&workspace, &server, &name, login(&password, keep)).map_err(team_error)
    })
    .await
}

pub async fn join_team_workspace(
    _: &AppHandle,
    state: &AppState,
    path: String,
    server: String,
    name: String,
    password: Option<String>,
    keep: bool,
) -> Result<(), AppError> {
    let file = state.chosen(&path)?;
    let password = team_password(state, password)?;
    blocking(move || {
        team::join_file(&file, &server, &name, login(&password, keep))
            .map(drop)
            .map_err(team_error)
    })
    .await?;
    switch_workspace(state, path, session::Open::Existing).await
}

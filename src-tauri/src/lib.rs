//! The desktop shell: opens the workspace and exposes core use cases as
//! commands. Every command is defined once, in `command_list.rs`; this file
//! turns that list into Tauri commands, their handler and the specs the UI's
//! typed wrappers are generated from. Nothing here is worth testing alone.

#[cfg(test)]
mod bindings;
#[macro_use]
mod command_list;
mod shell;
mod state;

use tauri::Manager;

use state::AppState;

/// Turns the command list into the Tauri command functions (in `commands`),
/// `commands::handler()` that registers them, and `commands::specs()`.
macro_rules! define_commands {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident $name:ident ( $( $arg:ident : $ty:ty $(as $ts:literal)? ),* $(,)? ) -> $ret:ty = $body:expr ;
    )*) => {
        /// The Tauri commands, one per entry of `command_list.rs`.
        pub mod commands {
            #![allow(clippy::unused_unit)]
            use chipwatch_core::backups::{BackupInfo, RestoreReport};
            use chipwatch_core::citations::{CitationExportRequest, CitationExportSummary};
            use chipwatch_core::compare::export::{ExportRequest, ExportSummary};
            use chipwatch_core::compare::saved::{self, ComparisonDraft, SavedComparison};
            use chipwatch_core::compare::{self, CellSource, ComparisonMatrix, ComparisonSelection, Dimension};
            use chipwatch_core::damage_check::DamageCheckState;
            use chipwatch_core::files::PathPurpose;
            use chipwatch_core::import::presets::{self, ImportPreset};
            use chipwatch_core::import::{
                self, ImportBatch, ImportOptions, ImportPreview, ImportProblem,
                ImportProgress, ImportReport, ImportTarget, Mapping, UndoReport,
            };
            use chipwatch_core::links::{self, LinkTarget};
            use chipwatch_core::mentions::{self, MentionPage, MentionPageQuery, MentionSelection};
            use chipwatch_core::model::{
                AssessmentDraft, BulkOutcome, BulkTrashImpact, Chip, ChipDraft, ChipMetrics,
                DeleteImpact, Editing, EventDraft, FirmConflict, FirmDraft, FirmOrder, FirmProfile,
                FirmRef, FirmSummary, Id, Note, NoteDraft, RestoredRef, Source, SourceDraft,
                SourcePage, SourcePageQuery, SourceSelection, Strategy, StrategyDraft, TrashEntry, TrashPage,
                TrashKind, WorkspaceInfo,
            };
            use chipwatch_core::notes::{self, NoteList, NoteListQuery, RenderedNote, TagCount};
            use chipwatch_core::recent::RecentWorkspace;
            use chipwatch_core::records::history::{self, HistoryEntry};
            use chipwatch_core::records::RecordKind;
            use chipwatch_core::replica::conflicts::{self, Conflict, KeepSide};
            use chipwatch_core::replica::{self, SyncReport, TeamStatus};
            use chipwatch_core::search::{self, SearchHit, SearchQuery};
            use chipwatch_core::source_reading::{self, SourceReading};
            use chipwatch_core::timeline::{self, TimelinePage, TimelineQuery};
            use chipwatch_core::{assessments, chips, date, events, firms, profile, sources, sources_bulk, strategies, trash, workspace};
            use chipwatch_core::AppError;
            use tauri::ipc::Channel;
            use tauri::State;

            use crate::shell;
            use crate::state::{blocking, AppState};

            $( define_commands!(@command $(#[doc = $doc])* $kind $name ( $( $arg : $ty ),* ) -> $ret = $body); )*

            /// Registers every command with Tauri.
            pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
                tauri::generate_handler![$($name),*]
            }

            /// What the UI's typed wrappers are generated from (`make bindings`).
            #[cfg(test)]
            pub fn specs(cfg: &ts_rs::Config) -> Vec<crate::CommandSpec> {
                vec![$(
                    crate::CommandSpec {
                        name: stringify!($name),
                        doc: vec![$($doc),*],
                        writes: matches!(stringify!($kind), "write" | "shell_write"),
                        args: vec![$(
                            (stringify!($arg), define_commands!(@ts cfg, $ty $(, $ts)?)),
                        )*],
                        returns: <$ret as ts_rs::TS>::name(cfg),
                    },
                )*]
            }
        }
    };
    (@ts $cfg:ident, $ty:ty, $ts:literal) => { String::from($ts) };
    (@ts $cfg:ident, $ty:ty) => { <$ty as ts_rs::TS>::name($cfg) };
    (@command $(#[doc = $doc:literal])* read $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty = $body:expr) => {
        $(#[doc = $doc])*
        #[tauri::command]
        pub async fn $name(state: State<'_, AppState>, $($arg: $ty),*) -> Result<$ret, AppError> {
            state.read(move |store| ($body)(store)).await
        }
    };
    (@command $(#[doc = $doc:literal])* write $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty = $body:expr) => {
        $(#[doc = $doc])*
        #[tauri::command]
        pub async fn $name(state: State<'_, AppState>, $($arg: $ty),*) -> Result<$ret, AppError> {
            state.write(move |store| ($body)(store)).await
        }
    };
    (@command $(#[doc = $doc:literal])* pure $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty = $body:expr) => {
        $(#[doc = $doc])*
        #[tauri::command]
        pub async fn $name($($arg: $ty),*) -> Result<$ret, AppError> {
            blocking(move || ($body)().map_err(AppError::from)).await
        }
    };
    (@command $(#[doc = $doc:literal])* shell_read $($rest:tt)*) => {
        define_commands!(@command $(#[doc = $doc])* shell $($rest)*);
    };
    (@command $(#[doc = $doc:literal])* shell_write $($rest:tt)*) => {
        define_commands!(@command $(#[doc = $doc])* shell $($rest)*);
    };
    (@command $(#[doc = $doc:literal])* shell $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty = $body:expr) => {
        $(#[doc = $doc])*
        #[tauri::command]
        pub async fn $name(app: tauri::AppHandle, state: State<'_, AppState>, $($arg: $ty),*) -> Result<$ret, AppError> {
            ($body)(&app, &state, $($arg),*).await
        }
    };
}

for_each_command!(define_commands);

/// One command as the UI's generated wrapper sees it.
#[cfg(test)]
pub struct CommandSpec {
    pub name: &'static str,
    pub doc: Vec<&'static str>,
    /// Changes the workspace (the CLI must offer the same operation).
    pub writes: bool,
    /// Argument names as in Rust (the wrapper uses camelCase) and TS types.
    pub args: Vec<(&'static str, String)>,
    pub returns: String,
}

/// Chipwatch is one local page that never navigates: what WebKit keeps for
/// pages left and resources no longer shown (its default cache model is a web
/// browser's) only holds memory. The document-viewer model keeps none
/// (measured by scripts/bench-footprint.sh).
#[cfg(target_os = "linux")]
fn without_page_caches(app: &tauri::App) {
    use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
    for window in app.webview_windows().values() {
        let set = window.with_webview(|webview| {
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(error) = set {
            eprintln!("Chipwatch could not set the web view's cache model: {error}");
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn without_page_caches(_app: &tauri::App) {}

/// A web process that crashed (or that the system killed for memory) leaves
/// an empty window that answers nothing. Every change is already in the
/// workspace, so the page is loaded again; only text typed in an open form is
/// gone.
#[cfg(target_os = "linux")]
fn reload_after_page_crash(app: &tauri::App) {
    use webkit2gtk::WebViewExt;
    for window in app.webview_windows().values() {
        let handle = app.handle().clone();
        let set = window.with_webview(move |webview| {
            let reloads = std::cell::Cell::new(0);
            webview
                .inner()
                .connect_web_process_terminated(move |view, reason| {
                    if reload_page(view, reason, &reloads) {
                        // The page tells the person why the screen started over.
                        handle
                            .state::<AppState>()
                            .page_restored
                            .store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                });
        });
        if let Err(error) = set {
            eprintln!("Chipwatch could not watch the web view's process: {error}");
        }
    }
}

/// Reloads the page after its process ended unasked, at most a few times, so
/// a page that crashes as it loads cannot loop. Returns whether it reloaded.
#[cfg(target_os = "linux")]
fn reload_page(
    view: &webkit2gtk::WebView,
    reason: webkit2gtk::WebProcessTerminationReason,
    reloads: &std::cell::Cell<u32>,
) -> bool {
    use webkit2gtk::{WebProcessTerminationReason, WebViewExt};
    const MOST_RELOADS: u32 = 3;
    let what = match reason {
        WebProcessTerminationReason::Crashed => "crashed",
        WebProcessTerminationReason::ExceededMemoryLimit => "went over WebKit's memory limit",
        // Ended on purpose (the window is closing): nothing to bring back.
        _ => return false,
    };
    if reloads.get() >= MOST_RELOADS {
        eprintln!("Chipwatch: the page's web process {what} again; restart Chipwatch.");
        return false;
    }
    reloads.set(reloads.get() + 1);
    eprintln!("Chipwatch: the page's web process {what}; loading the page again.");
    view.reload();
    true
}

#[cfg(not(target_os = "linux"))]
fn reload_after_page_crash(_app: &tauri::App) {}

pub fn run() {
    let built = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
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
        .invoke_handler(commands::handler())
        .setup(|app| {
            without_page_caches(app);
            reload_after_page_crash(app);
            Ok(())
        })
        .build(tauri::generate_context!());
    match built {
        // Tauri ends the process without dropping what it manages, so the
        // workspace is closed here; a crash never gets here, and the next
        // start checks for damage (chipwatch_core::damage_check).
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                app.state::<AppState>().close();
            }
        }),
        Err(error) => {
            eprintln!("Chipwatch could not start: {error}");
            std::process::exit(1);
        }
    }
}

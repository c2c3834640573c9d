//! The desktop shell: opens the workspace and exposes core use cases as commands.
//! Each command is one call into chipwatch-core; nothing here is worth testing alone.
//!
//! Commands are async and run their use case on a blocking worker thread, never
//! on the UI thread, so a slow query cannot freeze the window. Multi-statement
//! reads take one snapshot through `Store::read` inside the core.

use std::sync::{Arc, Mutex};

use chipwatch_core::model::{FirmProfile, FirmSummary, Id, WorkspaceInfo};
use chipwatch_core::workspace::{self, Seed};
use chipwatch_core::{firms, AppError, Error, ErrorKind, Store};
use tauri::State;

/// The open workspace, or why it could not be opened (shown by the UI's error screen).
struct AppState(Result<Arc<Mutex<Store>>, AppError>);

impl AppState {
    fn open() -> AppState {
        let opened = workspace::default_path()
            .and_then(|path| workspace::open_or_init(&path, Seed::DefaultDataset));
        if let Ok((store, _)) = &opened {
            if let Some(done) = store.upgrade() {
                eprintln!(
                    "Chipwatch: upgraded the workspace from schema version {}; backup at {}",
                    done.from_version,
                    done.backup.display()
                );
            }
        }
        AppState(
            opened
                .map(|(store, _)| Arc::new(Mutex::new(store)))
                .map_err(AppError::from),
        )
    }

    /// Runs `use_case` on a blocking worker thread with the store locked.
    async fn run<T: Send + 'static>(
        &self,
        use_case: impl FnOnce(&mut Store) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, AppError> {
        let store = Arc::clone(self.0.as_ref().map_err(Clone::clone)?);
        tauri::async_runtime::spawn_blocking(move || {
            let mut store = store
                .lock()
                .map_err(|_| internal("an earlier command failed midway; restart Chipwatch"))?;
            use_case(&mut store).map_err(AppError::from)
        })
        .await
        .map_err(|e| internal(&format!("a command stopped unexpectedly: {e}")))?
    }
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
        .run(move |store| firms::load_profile(store, firm_id))
        .await
}

pub fn run() {
    let result = tauri::Builder::default()
        .manage(AppState::open())
        .invoke_handler(tauri::generate_handler![
            workspace_info,
            list_firms,
            load_firm_profile
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Chipwatch could not start: {error}");
        std::process::exit(1);
    }
}

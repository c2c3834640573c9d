//! The desktop shell: opens the workspace and exposes core use cases as commands.
//! Each command is one call into chipwatch-core; nothing here is worth testing alone.

use std::sync::Mutex;

use chipwatch_core::model::{FirmProfile, FirmSummary, Id, WorkspaceInfo};
use chipwatch_core::workspace::{self, Seed};
use chipwatch_core::{firms, AppError, Error, ErrorKind, Store};
use tauri::State;

/// The open workspace, or why it could not be opened (shown by the UI's error screen).
struct AppState(Result<Mutex<Store>, AppError>);

impl AppState {
    fn open() -> AppState {
        let opened = workspace::default_path()
            .and_then(|path| workspace::open_or_init(&path, Seed::DefaultDataset));
        AppState(
            opened
                .map(|(store, _)| Mutex::new(store))
                .map_err(AppError::from),
        )
    }

    fn with_store<T>(
        &self,
        use_case: impl FnOnce(&Store) -> Result<T, Error>,
    ) -> Result<T, AppError> {
        let store = self.0.as_ref().map_err(Clone::clone)?;
        let store = store.lock().map_err(|_| AppError {
            kind: ErrorKind::Internal,
            message: "an earlier command failed midway; restart Chipwatch".into(),
            field: None,
        })?;
        use_case(&store).map_err(AppError::from)
    }
}

#[tauri::command]
fn workspace_info(state: State<'_, AppState>) -> Result<WorkspaceInfo, AppError> {
    state.with_store(workspace::info)
}

#[tauri::command]
fn list_firms(state: State<'_, AppState>) -> Result<Vec<FirmSummary>, AppError> {
    state.with_store(|store| firms::list(store, None))
}

#[tauri::command]
fn load_firm_profile(state: State<'_, AppState>, firm_id: Id) -> Result<FirmProfile, AppError> {
    state.with_store(|store| firms::load_profile(store, firm_id))
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

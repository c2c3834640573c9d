//! What the shell keeps while the app runs: the open workspace (or why it could
//! not be opened), the running import's cancel flag, and the files the person
//! chose. Commands run their use case on a blocking worker thread, never on
//! the UI thread, so a slow query cannot freeze the window.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use chipwatch_core::damage_check::{DamageCheck, DamageCheckState};
use chipwatch_core::import::ImportRun;
use chipwatch_core::lock::WorkspaceLock;
use chipwatch_core::readers::Readers;
use chipwatch_core::recent;
use chipwatch_core::session;
use chipwatch_core::workspace;
use chipwatch_core::{files, AppError, Error, ErrorKind, Store};

/// The open workspace, or why it could not be opened (shown by the UI's error
/// screen). The workspace menu replaces it whole.
pub struct Session {
    /// The one writer.
    store: Result<Arc<Mutex<Store>>, AppError>,
    /// Connections for commands that only read: they never wait for the writer.
    readers: Option<Arc<Readers>>,
    /// Held while the workspace is open: a second window on it is refused.
    /// Declared after the store and readers, so it is released after they close.
    _lock: Option<WorkspaceLock>,
    /// The check for damage after an unclean shutdown, when one runs.
    damage_check: Option<DamageCheck>,
}

impl Session {
    pub fn new(opened: Result<session::OpenWorkspace, Error>) -> Session {
        match opened {
            Ok(session::OpenWorkspace {
                store,
                lock,
                damage_check,
            }) => Session {
                readers: store.path().map(|path| Arc::new(Readers::new(path))),
                store: Ok(Arc::new(Mutex::new(store))),
                _lock: Some(lock),
                damage_check,
            },
            Err(error) => Session {
                store: Err(AppError::from(error)),
                readers: None,
                _lock: None,
                damage_check: None,
            },
        }
    }
}

pub struct AppState {
    session: Mutex<Session>,
    /// The import (or preview) running now, if any: one at a time.
    pub import: ImportRun,
    /// Files the person chose in a dialog or dropped: the only paths commands take.
    pub chosen: files::ChosenPaths,
    /// The team server password the person typed, for this session's syncs;
    /// never written anywhere.
    pub team_password: Mutex<Option<String>>,
    /// Set when the page was loaded again after its web process crashed; the
    /// page asks once as it starts, to tell the person (`page_restored`).
    pub page_restored: AtomicBool,
}

impl AppState {
    /// Opens the default workspace (creating and seeding it on first start).
    pub fn open() -> AppState {
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
            import: ImportRun::default(),
            chosen: files::ChosenPaths::default(),
            team_password: Mutex::new(None),
            page_restored: AtomicBool::new(false),
        }
    }

    /// The open store, or the error that kept it closed.
    fn store(&self) -> Result<Arc<Mutex<Store>>, AppError> {
        let session = self.session.lock().map_err(|_| poisoned())?;
        session.store.clone()
    }

    /// `path` if the person chose it in a dialog or dropped it on the window.
    pub fn chosen(&self, path: &str) -> Result<PathBuf, AppError> {
        self.chosen.require(path).map_err(AppError::from)
    }

    /// The open workspace's file, if one is open (what exports never write over).
    pub fn open_workspace_path(&self) -> Option<PathBuf> {
        self.workspace_path().ok()
    }

    /// The open workspace's file (imports open their own connection to it).
    pub fn workspace_path(&self) -> Result<PathBuf, AppError> {
        let store = self.store()?;
        let store = store.lock().map_err(|_| poisoned())?;
        store
            .path()
            .map(Path::to_path_buf)
            .ok_or_else(|| internal("the workspace has no file"))
    }

    pub fn replace(&self, session: Session) -> Result<(), AppError> {
        *self.session.lock().map_err(|_| poisoned())? = session;
        Ok(())
    }

    /// Closes the workspace as the app quits: its connections close, then its
    /// lock is released marked clean (see chipwatch_core::lock).
    pub fn close(&self) {
        if let Ok(mut session) = self.session.lock() {
            *session = Session::new(Err(Error::invalid("workspace", "Chipwatch is closing")));
        }
    }

    /// What the check for damage after an unclean shutdown found; waits for
    /// it to finish (on a worker thread).
    pub async fn damage_check(&self) -> Result<DamageCheckState, AppError> {
        let check = {
            let session = self.session.lock().map_err(|_| poisoned())?;
            session.damage_check.clone()
        };
        match check {
            Some(check) => blocking(move || Ok(check.wait())).await,
            None => Ok(DamageCheckState::NotNeeded),
        }
    }

    /// A checked backup replaced the open workspace: what the check for
    /// damage found no longer holds.
    pub fn restored(&self) {
        if let Ok(session) = self.session.lock() {
            if let Some(check) = &session.damage_check {
                check.restored();
            }
        }
    }

    /// The open workspace's read connections (`None` in memory), or the
    /// error that kept it closed.
    pub fn readers(&self) -> Result<Option<Arc<Readers>>, AppError> {
        let session = self.session.lock().map_err(|_| poisoned())?;
        session.store.as_ref().map_err(Clone::clone)?;
        Ok(session.readers.clone())
    }

    /// Runs a use case that only reads, on a read connection of its own, so
    /// it never waits for a write (WAL).
    pub async fn read<T: Send + 'static>(
        &self,
        use_case: impl FnOnce(&Store) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, AppError> {
        match self.readers()? {
            Some(readers) => blocking(move || readers.read(use_case).map_err(AppError::from)).await,
            // An in-memory workspace has no file to open a second connection to.
            None => self.with_store(move |store| use_case(store)).await,
        }
    }

    /// Runs a use case that writes.
    pub async fn write<T: Send + 'static>(
        &self,
        use_case: impl FnOnce(&mut Store) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, AppError> {
        self.with_store(use_case).await
    }

    /// Runs `use_case` on a blocking worker thread with the store locked.
    async fn with_store<T: Send + 'static>(
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

/// Runs `work` on a blocking worker thread, never the UI thread.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| internal(&format!("a command stopped unexpectedly: {e}")))?
}

pub fn recent_list() -> Option<PathBuf> {
    recent::default_list_path()
}

pub fn poisoned() -> AppError {
    internal("an earlier command failed midway; restart Chipwatch")
}

pub fn internal(message: &str) -> AppError {
    AppError {
        kind: ErrorKind::Internal,
        message: message.into(),
        field: None,
    }
}

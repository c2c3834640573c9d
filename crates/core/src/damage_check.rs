//! The check for damage after an unclean shutdown. Opening a workspace reads
//! its header and schema only (store.rs), so that it costs the same at 1 MB and
//! at 2 GB; when the lock file says the last window on the workspace did not
//! close it cleanly (a crash, a kill, a power cut: see `lock.rs`), the app
//! reads every page with SQLite's quick_check on a thread of its own, while
//! the first screen shows, and the UI asks for the outcome afterwards.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use serde::Serialize;
use ts_rs::TS;

use crate::lock::OwedCheck;
use crate::workspace;

/// What the check for damage after an unclean shutdown found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum DamageCheckState {
    /// The workspace was closed cleanly last time: nothing to check.
    NotNeeded,
    Running,
    Healthy,
    /// The first lines SQLite's quick_check wrote about the damage.
    Damaged {
        problems: Vec<String>,
    },
    /// The check could not finish, and why.
    Unfinished {
        reason: String,
    },
}

/// A check running (or done) in the background; clones share it.
#[derive(Debug, Clone)]
pub struct DamageCheck {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<DamageCheckState>,
    finished: Condvar,
    owed: OwedCheck,
}

impl DamageCheck {
    /// Starts checking the workspace at `path` on a thread of its own. When
    /// it finds no damage, `owed` is settled, so that the next clean close
    /// marks the workspace clean again; otherwise the next start checks again.
    pub fn start(path: &Path, owed: OwedCheck) -> DamageCheck {
        let check = DamageCheck {
            shared: Arc::new(Shared {
                state: Mutex::new(DamageCheckState::Running),
                finished: Condvar::new(),
                owed,
            }),
        };
        let shared = Arc::clone(&check.shared);
        let path: PathBuf = path.to_path_buf();
        let spawned = std::thread::Builder::new()
            .name("damage-check".into())
            .spawn(move || finish(&shared, outcome(&path)));
        if let Err(e) = spawned {
            finish(
                &check.shared,
                DamageCheckState::Unfinished {
                    reason: format!("the check could not start: {e}"),
                },
            );
        }
        check
    }

    /// What the check has found so far.
    pub fn state(&self) -> DamageCheckState {
        lock(&self.shared.state).clone()
    }

    /// Waits until the check has finished, and returns what it found.
    pub fn wait(&self) -> DamageCheckState {
        let mut state = lock(&self.shared.state);
        while *state == DamageCheckState::Running {
            state = self
                .shared
                .finished
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.clone()
    }

    /// A checked backup replaced the workspace (`restore::restore_into`):
    /// whatever the check found before no longer holds.
    pub fn restored(&self) {
        finish_with(&self.shared, DamageCheckState::Healthy, true);
    }
}

fn outcome(path: &Path) -> DamageCheckState {
    match workspace::find_damage(path) {
        Ok(problems) if problems.is_empty() => DamageCheckState::Healthy,
        Ok(problems) => DamageCheckState::Damaged { problems },
        Err(e) => DamageCheckState::Unfinished {
            reason: e.to_string(),
        },
    }
}

fn finish(shared: &Shared, found: DamageCheckState) {
    finish_with(shared, found, false);
}

/// Records `found` (over a running check; over anything when `always`) and
/// wakes whoever waits for it.
fn finish_with(shared: &Shared, found: DamageCheckState, always: bool) {
    let mut state = lock(&shared.state);
    if always || *state == DamageCheckState::Running {
        if found == DamageCheckState::Healthy {
            shared.owed.settle();
        }
        *state = found;
    }
    drop(state);
    shared.finished.notify_all();
}

/// The state, even after a panic elsewhere held it: it is replaced whole, never half-written.
fn lock(state: &Mutex<DamageCheckState>) -> MutexGuard<'_, DamageCheckState> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

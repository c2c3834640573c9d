//! One import at a time in the app, and a way to stop it (or the preview
//! being read) from another thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// The import and the preview running now, each with its cancel flag.
#[derive(Debug, Default)]
pub struct ImportRun {
    import: Mutex<Option<Arc<AtomicBool>>>,
    preview: Mutex<Option<Arc<AtomicBool>>>,
}

/// A running import's place in [`ImportRun`]; dropping it frees the place,
/// however the import ended.
#[derive(Debug)]
pub struct ImportSlot<'a> {
    run: &'a ImportRun,
    pub cancel: Arc<AtomicBool>,
}

impl ImportRun {
    /// Takes the place of the one import; refused while another runs.
    pub fn start(&self) -> Result<ImportSlot<'_>> {
        let mut running = self.import.lock().map_err(|_| busy())?;
        if running.is_some() {
            return Err(Error::invalid(
                "import",
                "another import is running; wait for it or cancel it",
            ));
        }
        let cancel = Arc::new(AtomicBool::new(false));
        *running = Some(Arc::clone(&cancel));
        Ok(ImportSlot { run: self, cancel })
    }

    /// The cancel flag of a new preview; a preview still being read is
    /// stopped, since only the newest one is shown.
    pub fn start_preview(&self) -> Arc<AtomicBool> {
        let cancel = Arc::new(AtomicBool::new(false));
        if let Ok(mut preview) = self.preview.lock() {
            if let Some(previous) = preview.replace(Arc::clone(&cancel)) {
                previous.store(true, Ordering::Relaxed);
            }
        }
        cancel
    }

    /// Asks the running import and preview to stop; they leave no trace.
    pub fn cancel(&self) {
        for flag in [&self.import, &self.preview] {
            if let Ok(flag) = flag.lock() {
                if let Some(cancel) = flag.as_ref() {
                    cancel.store(true, Ordering::Relaxed);
                }
            }
        }
    }
}

impl Drop for ImportSlot<'_> {
    fn drop(&mut self) {
        if let Ok(mut running) = self.run.import.lock() {
            *running = None;
        }
    }
}

fn busy() -> Error {
    Error::invalid(
        "import",
        "the import state was left inconsistent; restart Chipwatch",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_import_at_a_time_and_the_place_is_freed_however_it_ends() -> Result<()> {
        let run = ImportRun::default();
        let first = run.start()?;
        let refused = run.start().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(refused.contains("another import is running"), "{refused}");
        run.cancel();
        assert!(first.cancel.load(Ordering::Relaxed));
        drop(first);
        assert!(!run.start()?.cancel.load(Ordering::Relaxed));
        Ok(())
    }

    #[test]
    fn a_new_preview_stops_the_one_still_being_read() {
        let run = ImportRun::default();
        let old = run.start_preview();
        let new = run.start_preview();
        assert!(old.load(Ordering::Relaxed));
        assert!(!new.load(Ordering::Relaxed));
        run.cancel();
        assert!(new.load(Ordering::Relaxed));
    }
}

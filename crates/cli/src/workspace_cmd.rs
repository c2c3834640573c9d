//! Commands on a whole workspace: `init`, `upgrade`, `check`, `generate-sample`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::lock;
use chipwatch_core::sample::{self, SampleSpec};
use chipwatch_core::workspace::{self, Opened, Seed};
use chipwatch_core::{Error, Store};

use crate::print_json;

pub(crate) fn init(path: &Path, seed: Seed) -> Result<ExitCode, Error> {
    let (store, opened) = workspace::open_or_init(path, seed)?;
    let stats = workspace::stats(&store)?;
    match opened {
        Opened::Created => println_escaped!(
            "Created {} ({} firms, {} chips, {} sources, {} notes, {} events).",
            path.display(),
            stats.firms,
            stats.chips,
            stats.sources,
            stats.notes,
            stats.events
        ),
        Opened::Existing => match store.upgrade() {
            Some(done) => println_escaped!(
                "{} already exists; upgraded it from schema version {} to {} ({} firms); the old file is kept as {}.",
                path.display(),
                done.from_version,
                store.schema_version()?,
                stats.firms,
                done.backup.display()
            ),
            None => println_escaped!(
                "{} already exists; left as it is ({} firms).",
                path.display(),
                stats.firms
            ),
        },
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn upgrade(path: &Path) -> Result<ExitCode, Error> {
    let store = Store::open(path)?;
    match store.upgrade() {
        Some(done) => println_escaped!(
            "Upgraded {} from schema version {} to {}; the old file is kept as {}.",
            path.display(),
            done.from_version,
            store.schema_version()?,
            done.backup.display()
        ),
        None => println_escaped!(
            "{} is up to date (schema version {}).",
            path.display(),
            store.schema_version()?
        ),
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn check(path: &Path, json: bool) -> Result<ExitCode, Error> {
    let report = workspace::check(path)?;
    if json {
        print_json(&report)?;
    } else if report.is_healthy() {
        println_escaped!(
            "{}: ok (schema version {})",
            report.path,
            report.schema_version.unwrap_or_default()
        );
    } else {
        for problem in report.problems() {
            println_escaped!("{}: {problem}", report.path);
        }
    }
    if report.is_healthy() {
        // Checked in full: an unclean shutdown before no longer calls for a check.
        lock::settle_unclean_shutdown(path);
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln_escaped!(
            "chipwatch: {} has problems; if the app refuses it, `chipwatch backups` lists its backups \
             and `chipwatch restore FILE` puts one back.",
            report.path
        );
        Ok(ExitCode::from(1))
    }
}

/// One line on stderr when the last Chipwatch window on the workspace did not
/// close it cleanly (a crash, a kill, a power cut). Opening reads only the
/// header and schema, so damage elsewhere shows only in `chipwatch check`
/// (or when a command reads the damaged page); this costs one small read.
pub(crate) fn hint_after_unclean_shutdown(path: &Path) {
    if let Some(unclean) = lock::unclean_shutdown(path) {
        let by = unclean
            .pid
            .map(|pid| format!(" (Chipwatch, pid {pid}, stopped without closing it)"))
            .unwrap_or_default();
        eprintln_escaped!(
            "chipwatch: {} was not closed cleanly last time{by}; run `chipwatch check` to look for damage.",
            path.display()
        );
    }
}

pub(crate) fn generate_sample(
    path: &Path,
    spec: SampleSpec,
    append: bool,
) -> Result<ExitCode, Error> {
    let exists = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    if exists && !append {
        return Err(Error::invalid(
            "append",
            format!(
                "{} already exists; generate-sample writes made-up rows, so it fills only a new \
                 workspace. Name a new file with --workspace, or add --append to add to this one",
                path.display()
            ),
        ));
    }
    let (mut store, _) = workspace::open_or_init(path, Seed::DefaultDataset)?;
    let started = std::time::Instant::now();
    let written = sample::generate(&mut store, &spec)?;
    println_escaped!(
        "Added {} sources, {} notes and {} events (linked to {} firms) to {} in {:.1} s.",
        written.sources,
        written.notes,
        written.events,
        written.firms,
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

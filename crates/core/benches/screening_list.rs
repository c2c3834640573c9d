//! `cargo bench -p chipwatch-core --bench screening_list`: importing the US
//! Consolidated Screening List (~26,000 rows as published in 2026).
//!
//! Writes CHIPWATCH_BENCH_CSL_ROWS (default 26,000) CSL rows (`import::
//! screening_sample`: 29 columns, four lists, Chinese alternative names,
//! people and vessels to skip) and times, on a workspace with the default
//! dataset:
//! - the first copy (every party matched or created, every listing written);
//! - the same copy again (nothing changes: every listing compared, none written);
//! - a newer copy (1% gone, 1% new with timeline events, 1% changed);
//! - the first copy narrowed to the Entity List in China (`--list`, `--country`);
//!
//! against the sqlite3 shell's `.import` of the same file into a plain table
//! (no matching, no listings: the floor of reading the file into SQLite).
//! Target: each import <= 5 s (the issue: "imports in seconds").
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use chipwatch_core::import::screening_sample::{write_screening_list_csv, CSL_HEADERS};
use chipwatch_core::import::{self, ImportOptions};
use chipwatch_core::workspace::{open_or_init, Seed};
use chipwatch_core::Store;

const TARGET_S: f64 = 5.0;

fn write_copy(path: &Path, rows: usize, copy: u8) -> u64 {
    let out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write_screening_list_csv(out, rows, chipwatch_core::sample::DEFAULT_SEED, copy).unwrap()
}

fn timed(label: &str, store: &mut Store, file: &Path, options: &ImportOptions) -> f64 {
    let started = Instant::now();
    let report =
        import::import_listings(store, file, options, &mut |_| {}, &AtomicBool::new(false))
            .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let listings = report.listings.unwrap();
    println!(
        "{label}: {seconds:.2} s (target <= {TARGET_S} s){}: {} rows, {} firms created, {} appeared, {} changed, {} unchanged, {} removed, {} events; skipped {} people, {} vessels",
        if seconds <= TARGET_S { "" } else { "  OVER BUDGET" },
        report.read,
        report.created_firms.len(),
        listings.appeared,
        listings.changed,
        listings.unchanged,
        listings.removed,
        listings.events,
        listings.skipped_individuals,
        listings.skipped_vessels
    );
    seconds
}

fn main() {
    let rows = common::env_count("CHIPWATCH_BENCH_CSL_ROWS", 26_000);
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("csl-1.csv");
    let second = dir.path().join("csl-2.csv");
    let bytes = write_copy(&first, rows, 1);
    write_copy(&second, rows, 2);
    println!(
        "generated two copies of a {rows}-row screening list ({:.1} MB each)",
        bytes as f64 / 1e6
    );

    let dated = |date: &str| ImportOptions {
        copy_date: Some(date.into()),
        ..ImportOptions::default()
    };
    let (mut store, _) =
        open_or_init(&dir.path().join("workspace.db"), Seed::DefaultDataset).unwrap();
    let ours = timed(
        "first copy, into the default dataset",
        &mut store,
        &first,
        &dated("2026-10-01"),
    );
    timed(
        "the same copy again",
        &mut store,
        &first,
        &dated("2026-10-01"),
    );
    timed("a newer copy", &mut store, &second, &dated("2026-11-15"));
    drop(store);

    let (mut narrow, _) =
        open_or_init(&dir.path().join("narrow.db"), Seed::DefaultDataset).unwrap();
    timed(
        "first copy, Entity List in China only",
        &mut narrow,
        &first,
        &ImportOptions {
            lists: vec!["Entity List".into()],
            countries: vec!["CN".into()],
            ..dated("2026-10-01")
        },
    );
    drop(narrow);

    let columns: Vec<String> = CSL_HEADERS
        .iter()
        .map(|h| format!("\"{h}\" TEXT"))
        .collect();
    let script = format!(
        "PRAGMA journal_mode=WAL;\nCREATE TABLE csl ({});\nCREATE INDEX csl_name ON csl(name);\n.import --csv --skip 1 '{}' csl\nSELECT count(*) FROM csl;\n",
        columns.join(", "),
        first.display()
    );
    let started = Instant::now();
    let Ok(mut child) = Command::new("sqlite3")
        .arg(dir.path().join("sqlite3.db"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        println!("sqlite3 shell not found: install it (scripts/install-deps.sh) for the baseline");
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap();
    let theirs = started.elapsed().as_secs_f64();
    println!("baseline, sqlite3 .import of the first copy into a plain table: {theirs:.2} s (first copy / baseline: {:.1}x)", ours / theirs);
}

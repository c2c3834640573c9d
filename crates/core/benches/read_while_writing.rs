//! `make bench`: how long a read command (the workspace summary every screen
//! shows, `workspace::info`) takes while the app writes: an export of 200
//! firms × 40 dimensions runs again and again on the writer, and an import of
//! 100,000 rows runs on its own connection, as the app runs them.
//!
//! Two ways of reading are measured in the same run, on the same workspace:
//! - baseline, the app before: every command went through the one store
//!   behind a mutex, so a read waited for the export holding it;
//! - now: reads go through `Readers`, connections of their own beside the
//!   writer (WAL), as the app's read commands do.
//!
//! Budget: p99 of the read ≤ 20 ms. CHIPWATCH_BENCH_SOURCES and
//! CHIPWATCH_BENCH_IMPORT_ROWS make it smaller for a quick look.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{env_count, report};

use chipwatch_core::compare::export::{self, ExportFormat, ExportRequest};
use chipwatch_core::compare::sample::{generate_firms, FirmSampleSpec};
use chipwatch_core::compare::{self, ComparisonFilters, ComparisonSelection};
use chipwatch_core::import::{self, ImportOptions, ImportTarget};
use chipwatch_core::readers::Readers;
use chipwatch_core::sample::{self, SampleSpec, DEFAULT_SEED};
use chipwatch_core::workspace::{self, open_or_init, Seed};
use chipwatch_core::{firms, Store};

const FIRMS: usize = 200;
const DIMENSIONS: usize = 40;
/// How often the reader asks, like a screen refreshing its summary.
const READ_EVERY: Duration = Duration::from_millis(5);

fn build_workspace(dir: &Path, sources: usize) -> PathBuf {
    let path = dir.join("workspace.db");
    let (mut store, _) = open_or_init(&path, Seed::DefaultDataset).unwrap();
    sample::generate(
        &mut store,
        &SampleSpec {
            sources,
            notes: 2_000,
            seed: DEFAULT_SEED,
        },
    )
    .unwrap();
    generate_firms(
        &mut store,
        &FirmSampleSpec {
            firms: FIRMS,
            strategies: 10,
            seed: DEFAULT_SEED,
        },
    )
    .unwrap();
    path
}

fn selection(store: &Store) -> ComparisonSelection {
    let firm_ids = firms::list(store, None)
        .unwrap()
        .into_iter()
        .filter(|f| f.name.starts_with("Sample Firm "))
        .map(|f| f.id)
        .collect();
    let dimensions = compare::dimensions(store)
        .unwrap()
        .into_iter()
        .take(DIMENSIONS)
        .map(|d| d.id)
        .collect();
    ComparisonSelection {
        firm_ids,
        dimensions,
        filters: ComparisonFilters::default(),
    }
}

/// Latencies of `read` asked every few ms while the export loop and the
/// import run; returns them sorted, and the export count.
fn reads_while_writing(
    workspace: &Path,
    csv: &Path,
    out: &Path,
    read: impl Fn(&Arc<Mutex<Store>>) + Send + Sync,
) -> (Vec<Duration>, usize) {
    let writer = Arc::new(Mutex::new(Store::open(workspace).unwrap()));
    let request = ExportRequest {
        selection: selection(&writer.lock().unwrap()),
        saved_id: None,
        format: ExportFormat::Xlsx,
        path: out.join("comparison.xlsx").display().to_string(),
        include_changes: false,
    };
    let importing = AtomicBool::new(true);
    let mut exports = 0;
    let mut latencies = Vec::new();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let never = AtomicBool::new(false);
            let (_, connection) = import::import_into(
                workspace,
                ImportTarget::Sources,
                csv,
                &ImportOptions::default(),
                &mut |_| {},
                &never,
            )
            .unwrap();
            importing.store(false, Ordering::Relaxed);
            connection.checkpoint();
        });
        let exporter = scope.spawn(|| {
            let mut count = 0;
            while importing.load(Ordering::Relaxed) {
                let mut store = writer.lock().unwrap();
                export::export(&mut store, &request).unwrap();
                count += 1;
            }
            count
        });
        while importing.load(Ordering::Relaxed) {
            let start = Instant::now();
            read(&writer);
            latencies.push(start.elapsed());
            std::thread::sleep(READ_EVERY);
        }
        exports = exporter.join().unwrap();
    });
    latencies.sort();
    (latencies, exports)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1e3
}

fn main() {
    let sources = env_count("CHIPWATCH_BENCH_SOURCES", 100_000);
    let rows = env_count("CHIPWATCH_BENCH_IMPORT_ROWS", 100_000);
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let original = build_workspace(dir.path(), sources);
    let csv = dir.path().join("import.csv");
    import::sample::write_zotero_csv(
        std::io::BufWriter::new(std::fs::File::create(&csv).unwrap()),
        rows,
        DEFAULT_SEED,
    )
    .unwrap();
    println!(
        "workspace of {sources} sources and {FIRMS} firms, {rows}-row import file: built in {:.0} s",
        start.elapsed().as_secs_f64()
    );

    let mut ok = true;
    for (name, use_readers) in [
        ("baseline: read through the one store (mutex)", false),
        ("read on its own connection (Readers)", true),
    ] {
        let run_dir = tempfile::tempdir().unwrap();
        let workspace = run_dir.path().join("workspace.db");
        std::fs::copy(&original, &workspace).unwrap();
        let readers = Readers::new(&workspace);
        let (latencies, exports) =
            reads_while_writing(&workspace, &csv, run_dir.path(), |writer| {
                if use_readers {
                    readers.read(workspace::info).unwrap();
                } else {
                    workspace::info(&writer.lock().unwrap()).unwrap();
                }
            });
        println!(
            "{name}: {} reads during the import and {exports} exports; p50 {:.1} ms, max {:.1} ms",
            latencies.len(),
            percentile(&latencies, 0.5),
            percentile(&latencies, 1.0)
        );
        let p99 = percentile(&latencies, 0.99);
        ok &= report(
            &format!("p99 workspace_info while writing: {name}"),
            p99,
            if use_readers { Some(20.0) } else { None },
        );
    }
    if !ok {
        println!("some figures are over budget");
        std::process::exit(1);
    }
}

//! `make bench`: a comparison of 200 firms × 40 dimensions over a workspace of a
//! million sources, against budgets: computing the matrix ≤ 100 ms, the XLSX
//! export ≤ 1 s (CSV and Markdown are printed beside it).
//!
//! The workspace (default dataset + `sample::generate`: 1,000,000 sources and
//! 20,000 notes, + `compare::sample::generate_firms`: 200 firms with 10
//! strategies, assessments, chips, listings and events citing those sources)
//! takes minutes to build, so it is built once into Cargo's target tmp folder
//! and reused while the schema and the generators stay the same.
//! CHIPWATCH_BENCH_SOURCES makes it smaller for a quick look.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{env_count, median_of, ms, report};

use chipwatch_core::compare::export::{self, ExportFormat, ExportRequest};
use chipwatch_core::compare::sample::{generate_firms, FirmSampleSpec};
use chipwatch_core::compare::{self, ComparisonFilters, ComparisonSelection};
use chipwatch_core::sample::{self, SampleSpec, DEFAULT_SEED};
use chipwatch_core::store::SCHEMA_VERSION;
use chipwatch_core::workspace::{self, open_or_init, Seed};
use chipwatch_core::{firms, Store};

const RUNS: usize = 7;
const FIRMS: usize = 200;
const STRATEGIES: usize = 10;
const DIMENSIONS: usize = 40;
/// Bump when the generators change, so an old cached workspace is not reused.
const GENERATOR_VERSION: u32 = 1;

/// The cached workspace, built first when missing (into a temporary name, then
/// renamed, so an interrupted build is never reused).
fn workspace(sources: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!(
        "compare-bench-{sources}-s{SCHEMA_VERSION}-g{GENERATOR_VERSION}.db"
    ));
    if path.exists() {
        println!("reusing {}", path.display());
        return path;
    }
    let building = dir.join(format!("building-{}.db", std::process::id()));
    let start = Instant::now();
    let (mut store, _) = open_or_init(&building, Seed::DefaultDataset).unwrap();
    sample::generate(
        &mut store,
        &SampleSpec {
            sources,
            notes: 20_000,
            seed: DEFAULT_SEED,
        },
    )
    .unwrap();
    let (_, made) = generate_firms(
        &mut store,
        &FirmSampleSpec {
            firms: FIRMS,
            strategies: STRATEGIES,
            seed: DEFAULT_SEED,
        },
    )
    .unwrap();
    drop(store);
    // Fold the WAL into the file before it is renamed.
    let conn = rusqlite::Connection::open(&building).unwrap();
    let _: i64 = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
        .unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    std::fs::rename(&building, &path).unwrap();
    println!(
        "built {} in {:.0} s: {made:?}",
        path.display(),
        start.elapsed().as_secs_f64()
    );
    path
}

fn megabytes(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len()) >> 20
}

fn main() {
    let source_count = env_count("CHIPWATCH_BENCH_SOURCES", 1_000_000);
    let path = workspace(source_count);
    let store = Store::open_read_only(&path).unwrap();
    let stats = workspace::stats(&store).unwrap();
    let firm_ids: Vec<i64> = firms::list(&store, None)
        .unwrap()
        .into_iter()
        .filter(|f| f.name.starts_with("Sample Firm "))
        .map(|f| f.id)
        .collect();
    assert_eq!(firm_ids.len(), FIRMS);
    let dimensions: Vec<String> = compare::dimensions(&store)
        .unwrap()
        .into_iter()
        .take(DIMENSIONS)
        .map(|d| d.id)
        .collect();
    assert_eq!(dimensions.len(), DIMENSIONS);
    let selection = ComparisonSelection {
        firm_ids,
        dimensions,
        filters: ComparisonFilters {
            from: Some("2020".into()),
            to: Some("2025-06".into()),
            stale_after_days: None,
            stale_before: Some("2023-10-17".into()),
        },
    };
    let matrix = compare::compute(&store, &selection).unwrap();
    let cited: usize = matrix.rows.iter().flatten().map(|c| c.sources.len()).sum();
    println!(
        "workspace: {} sources, {} notes, {} events, {} firms, {} assessments, {} chips; file {} MB",
        stats.sources,
        stats.notes,
        stats.events,
        stats.firms,
        stats.assessments,
        stats.chips,
        megabytes(&path)
    );
    println!(
        "comparison: {} firms × {} dimensions = {} cells citing sources {cited} times; median of {RUNS} runs (after one warm-up)",
        matrix.firms.len(),
        matrix.dimensions.len(),
        matrix.firms.len() * matrix.dimensions.len(),
    );

    let mut ok = report(
        "compute the matrix (compare::compute)",
        ms(median_of(RUNS, || {
            drop(compare::compute(&store, &selection).unwrap())
        })),
        Some(100.0),
    );

    let out = tempfile::tempdir().unwrap();
    let mut store = store;
    for (format, name, budget) in [
        (ExportFormat::Xlsx, "comparison.xlsx", Some(1_000.0)),
        (ExportFormat::Csv, "comparison.csv", None),
        (ExportFormat::CsvLong, "comparison-long.csv", None),
        (ExportFormat::Markdown, "comparison.md", None),
    ] {
        let file = out.path().join(name);
        let request = ExportRequest {
            selection: selection.clone(),
            saved_id: None,
            format,
            path: file.display().to_string(),
            include_changes: false,
        };
        let took = median_of(RUNS, || drop(export::export(&mut store, &request).unwrap()));
        let size = std::fs::metadata(&file).map_or(0, |m| m.len());
        ok &= report(
            &format!(
                "export {} ({} KB, compute included)",
                format.as_str(),
                size >> 10
            ),
            ms(took),
            budget,
        );
    }

    if !ok {
        println!("some figures are over budget");
        std::process::exit(1);
    }
}

//! `make bench`: search and the big lists at a million sources, against budgets.
//! Builds one temporary workspace (default dataset + `sample::generate`: 1,000,000
//! sources and 100,000 notes; CHIPWATCH_BENCH_SOURCES / CHIPWATCH_BENCH_NOTES
//! make it smaller for a quick look), prints how long that took, then:
//! - 20 typical queries (English words, Chinese two-character terms, phrases,
//!   prefixes; top 50 per kind with snippets): p50 and p95 of their medians,
//!   next to the bare FTS5 MATCH (no ranking, no snippets) as the baseline;
//! - a firm profile citing ~1,000 sources;
//! - the first page of the paged sources list, in three orders, filtered by
//!   words, kind, grade, dates and firm, alone and together.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::time::{Duration, Instant};

use common::{env_count, median_of, ms, report};

use chipwatch_core::model::{SourceFilter, SourceKind, SourcePageQuery, SourceSort};
use chipwatch_core::sample::{self, SampleSpec, DEFAULT_SEED};
use chipwatch_core::search::{self, SearchQuery};
use chipwatch_core::workspace::{open_or_init, Seed};
use chipwatch_core::{profile, sources, Store};

const RUNS: usize = 7;

const QUERIES: [&str; 20] = [
    "huawei",
    "export controls",
    "\"export controls\"",
    "SMIC 7nm",
    "asc",
    "lithography tools",
    "HBM supply",
    "nvidia h20",
    "semicond",
    "Cambricon",
    "华为",
    "芯片",
    "算力",
    "昇腾",
    "光刻机",
    "中芯国际",
    "华为 芯片",
    "出口管制",
    "先进封装",
    "gallium germanium",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

/// A workspace at `path`: the default dataset and `sources` sample sources, `notes` notes.
fn generate(path: &std::path::Path, sources: usize, notes: usize) {
    let (mut store, _) = open_or_init(path, Seed::DefaultDataset).unwrap();
    let start = Instant::now();
    let written = sample::generate(
        &mut store,
        &SampleSpec {
            sources,
            notes,
            seed: DEFAULT_SEED,
        },
    )
    .unwrap();
    let took = start.elapsed();
    let rows = written.sources + written.notes + written.events;
    let bytes = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let megabytes = (bytes(path) + bytes(&path.with_extension("db-wal"))) >> 20;
    println!(
        "generated {} sources, {} notes, {} events (indexed for search) in {:.1} s: {:.0} rows/s; file {megabytes} MB",
        written.sources,
        written.notes,
        written.events,
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64(),
    );
}

fn main() {
    let source_count = env_count("CHIPWATCH_BENCH_SOURCES", 1_000_000);
    let note_count = env_count("CHIPWATCH_BENCH_NOTES", 100_000);
    let dir = tempfile::tempdir().unwrap();
    // CHIPWATCH_BENCH_SEARCH_WORKSPACE=FILE keeps the workspace there and
    // measures it again next time without generating it (the counts above
    // then apply only to its first run).
    let kept = std::env::var_os("CHIPWATCH_BENCH_SEARCH_WORKSPACE").map(std::path::PathBuf::from);
    let path = kept.clone().unwrap_or_else(|| dir.path().join("big.db"));
    if kept.is_some() && path.exists() {
        println!("measuring the kept workspace {}", path.display());
    } else {
        generate(&path, source_count, note_count);
    }
    // Once: opening reads the header and schema only, at any size (store.rs;
    // `chipwatch check` reads every page).
    let start = Instant::now();
    let store = Store::open(&path).unwrap();
    let opened = start.elapsed();
    let raw = rusqlite::Connection::open(&path).unwrap();
    let source_count: i64 = raw
        .query_row("SELECT count(*) FROM sources", [], |r| r.get(0))
        .unwrap();

    println!(
        "chipwatch-core search benchmarks at {source_count} sources: median of {RUNS} runs (after one warm-up)"
    );
    let mut ok = report(
        "open the workspace (header and schema only), one run",
        ms(opened),
        Some(250.0),
    );

    // Search: every kind, top 50 of each, with snippets; and the bare MATCH.
    let mut full = Vec::new();
    let mut bare = Vec::new();
    for text in QUERIES {
        let query = SearchQuery {
            text: text.to_owned(),
            limit: Some(50),
            ..SearchQuery::default()
        };
        let hits = search::search(&store, &query).unwrap();
        let expression = search::match_expression(&store, text).unwrap().unwrap();
        let matched: i64 = raw
            .query_row(
                "SELECT count(*) FROM search_index WHERE search_index MATCH ?1",
                [&expression],
                |r| r.get(0),
            )
            .unwrap();
        let searched = median_of(RUNS, || drop(search::search(&store, &query).unwrap()));
        let mut stmt = raw
            .prepare("SELECT rowid FROM search_index WHERE search_index MATCH ?1 LIMIT 50")
            .unwrap();
        let matched_bare = median_of(RUNS, || {
            let rows: Vec<i64> = stmt
                .query_map([&expression], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(!rows.is_empty(), "{text}: no match");
        });
        println!(
            "  {:<22} {:>8.3} ms  (bare MATCH {:>7.3} ms)  {:>7} rows match, {:>3} hits",
            format!("{text:?}"),
            ms(searched),
            ms(matched_bare),
            matched,
            hits.len()
        );
        full.push(searched);
        bare.push(matched_bare);
    }
    full.sort();
    bare.sort();
    ok &= report(
        "search, 20 queries, top 50 + snippets: p50",
        ms(percentile(&full, 0.5)),
        None,
    );
    ok &= report(
        "search, 20 queries, top 50 + snippets: p95",
        ms(percentile(&full, 0.95)),
        Some(20.0),
    );
    report(
        "baseline: bare FTS5 MATCH, LIMIT 50, no rank or snippets: p50",
        ms(percentile(&bare, 0.5)),
        None,
    );
    report(
        "baseline: bare FTS5 MATCH, LIMIT 50, no rank or snippets: p95",
        ms(percentile(&bare, 0.95)),
        None,
    );
    for (name, query) in [
        (
            "search \"huawei\" published from 2024 on",
            SearchQuery {
                from: Some("2024".into()),
                ..SearchQuery {
                    text: "huawei ".into(),
                    limit: Some(50),
                    ..SearchQuery::default()
                }
            },
        ),
        (
            "search \"芯片\" tagged \"talent\" (a rare tag)",
            SearchQuery {
                tag: Some("talent".into()),
                ..SearchQuery {
                    text: "芯片".into(),
                    limit: Some(50),
                    ..SearchQuery::default()
                }
            },
        ),
    ] {
        report(
            name,
            ms(median_of(RUNS, || {
                drop(search::search(&store, &query).unwrap())
            })),
            None,
        );
    }

    // The firm whose profile cites the most sources.
    let (firm_id, cited): (i64, i64) = raw
        .query_row(
            "SELECT ef.firm_id, count(DISTINCT es.source_id) FROM event_firms ef
             JOIN event_sources es ON es.event_id = ef.event_id
             GROUP BY ef.firm_id ORDER BY 2 DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let profile = profile::load_profile(&store, firm_id).unwrap();
    assert!(profile.sources.len() as i64 >= cited);
    ok &= report(
        &format!(
            "firm profile citing {} sources ({} events)",
            profile.sources.len(),
            profile.events.len()
        ),
        ms(median_of(RUNS, || {
            drop(profile::load_profile(&store, firm_id).unwrap())
        })),
        Some(50.0),
    );

    // The paged sources list.
    let first_page = |sort: SourceSort, descending: bool, filter: Option<&str>| SourcePageQuery {
        sort,
        descending,
        filter: SourceFilter {
            words: filter.map(str::to_owned),
            ..SourceFilter::default()
        },
        after: None,
        offset: None,
        limit: 50,
    };
    for (name, query) in [
        (
            "sources page 1, newest published first (default)",
            first_page(SourceSort::Published, true, None),
        ),
        (
            "sources page 1, by title",
            first_page(SourceSort::Title, false, None),
        ),
        (
            "sources page 1, by publisher, descending",
            first_page(SourceSort::Publisher, true, None),
        ),
        (
            "sources page 1, by title, filter \"huawei\"",
            first_page(SourceSort::Title, false, Some("huawei")),
        ),
        (
            "sources page 1, by title, filter \"gallium\"",
            first_page(SourceSort::Title, false, Some("gallium")),
        ),
    ] {
        let page = sources::page(&store, &query).unwrap();
        assert_eq!(page.rows.len(), 50, "{name}");
        ok &= report(
            name,
            ms(median_of(RUNS, || {
                drop(sources::page(&store, &query).unwrap())
            })),
            Some(50.0),
        );
    }
    // The Sources filters, alone and together, on the default order and by title.
    let filtered = |filter: SourceFilter, sort: SourceSort, descending: bool| SourcePageQuery {
        filter,
        ..first_page(sort, descending, None)
    };
    let kind = |kind| SourceFilter {
        kind: Some(kind),
        ..SourceFilter::default()
    };
    let reliability = |grade: &str| SourceFilter {
        reliability: Some(grade.into()),
        ..SourceFilter::default()
    };
    let dates = |from: &str, to: &str| SourceFilter {
        published_from: Some(from.into()),
        published_to: Some(to.into()),
        ..SourceFilter::default()
    };
    let about = |firm| SourceFilter {
        firm: Some(firm),
        ..SourceFilter::default()
    };
    for (name, query) in [
        (
            "sources filtered: kind regulation (rare), newest first",
            filtered(kind(SourceKind::Regulation), SourceSort::Published, true),
        ),
        (
            "sources filtered: kind article (common), by title",
            filtered(kind(SourceKind::Article), SourceSort::Title, false),
        ),
        (
            "sources filtered: reliability F, newest first",
            filtered(reliability("F"), SourceSort::Published, true),
        ),
        (
            "sources filtered: no grade, by publisher",
            filtered(reliability("none"), SourceSort::Publisher, false),
        ),
        (
            "sources filtered: published in 2023, newest first",
            filtered(dates("2023", "2023"), SourceSort::Published, true),
        ),
        (
            "sources filtered: published Mar 2021, by title",
            filtered(dates("2021-03", "2021-03"), SourceSort::Title, false),
        ),
        (
            "sources filtered: about the most cited firm, newest first",
            filtered(about(firm_id), SourceSort::Published, true),
        ),
        (
            "sources filtered: about that firm, by title",
            filtered(about(firm_id), SourceSort::Title, false),
        ),
        (
            "sources filtered: \"huawei\" + report + grade B + 2022 to 2024",
            filtered(
                SourceFilter {
                    words: Some("huawei".into()),
                    kind: Some(SourceKind::Report),
                    reliability: Some("B".into()),
                    ..dates("2022", "2024")
                },
                SourceSort::Published,
                true,
            ),
        ),
    ] {
        let page = sources::page(&store, &query).unwrap();
        assert!(!page.rows.is_empty(), "{name}: no rows");
        ok &= report(
            &format!("{name} ({} rows)", page.rows.len()),
            ms(median_of(RUNS, || {
                drop(sources::page(&store, &query).unwrap())
            })),
            Some(50.0),
        );
    }
    let mut deep = first_page(SourceSort::Title, false, None);
    deep.after = sources::page(&store, &deep).unwrap().next;
    ok &= report(
        "sources page 2 by title (keyset cursor)",
        ms(median_of(RUNS, || {
            drop(sources::page(&store, &deep).unwrap())
        })),
        Some(50.0),
    );
    ok &= report(
        "list sources --limit 50",
        ms(median_of(RUNS, || {
            drop(sources::list(&store, Some(50)).unwrap())
        })),
        Some(50.0),
    );

    if !ok {
        println!("some figures are over budget");
        std::process::exit(1);
    }
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::model::Stats;
use chipwatch_core::sample::{self, SampleSpec};
use chipwatch_core::{workspace, Store};
use common::*;

fn generated(seed: u64) -> (tempfile::TempDir, std::path::PathBuf, Stats) {
    let (dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let before = workspace::stats(&store).unwrap();
    let summary = sample::generate(
        &mut store,
        &SampleSpec {
            sources: 900,
            notes: 120,
            seed,
        },
    )
    .unwrap();
    assert_eq!((summary.sources, summary.notes), (900, 120));
    assert_eq!(summary.events, 3, "one event per 300 sources");
    assert_eq!(
        summary.firms as i64, before.firms,
        "events link to the seeded firms"
    );
    (dir, path, before)
}

fn dump(path: &std::path::Path) -> Vec<String> {
    raw_connection(path)
        .prepare(
            // The generated rows only: the seeded ones carry the time they were made.
            "SELECT * FROM (SELECT id || '|' || title || '|' || coalesce(published_on, '') || '|'
                || coalesce(abstract, '') FROM sources ORDER BY id DESC LIMIT 900)
             UNION ALL SELECT * FROM (SELECT id || '|' || title || '|' || body || '|' || created_at
                FROM notes ORDER BY id DESC LIMIT 120)
             UNION ALL SELECT * FROM (SELECT source_id || '-' || tag_id FROM source_tags
                ORDER BY source_id DESC, tag_id LIMIT 500)",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn the_same_seed_writes_the_same_rows_and_another_seed_others() {
    let (_a, first, _) = generated(42);
    let (_b, again, _) = generated(42);
    let (_c, other, _) = generated(43);
    assert_eq!(dump(&first), dump(&again));
    assert_ne!(dump(&first), dump(&other));
}

#[test]
fn sample_rows_are_valid_mixed_language_and_searchable() {
    let (_dir, path, before) = generated(42);
    let store = Store::open(&path).unwrap();
    let stats = workspace::stats(&store).unwrap();
    assert_eq!(stats.sources, before.sources + 900);
    assert_eq!(stats.notes, before.notes + 120);
    assert_eq!(stats.events, before.events + 3);
    assert!(workspace::check(&path).unwrap().is_healthy());
    let conn = raw_connection(&path);
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert!(count("SELECT count(*) FROM sources WHERE language = 'zh'") > 200);
    assert!(count("SELECT count(*) FROM sources WHERE language = 'en'") > 300);
    assert!(count("SELECT count(*) FROM sources WHERE published_on IS NULL") > 20);
    assert!(count("SELECT count(*) FROM sources WHERE length(published_on) = 4") > 50);
    assert!(count("SELECT count(*) FROM note_links WHERE firm_id IS NOT NULL") > 0);
    assert_eq!(
        count("SELECT count(*) FROM event_sources WHERE event_id IN (SELECT id FROM events ORDER BY id DESC LIMIT 3)"),
        15,
        "each event cites five of its 300 sources (a firm cites over a thousand at a million sources)"
    );
    assert_eq!(count("SELECT count(*) FROM search_dirty"), 0);
    for text in ["华为", "算力", "光刻机", "export controls", "HBM", "昇腾"] {
        let hits = chipwatch_core::search::search(
            &store,
            &chipwatch_core::search::SearchQuery {
                text: text.into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(!hits.is_empty(), "{text}");
    }
}

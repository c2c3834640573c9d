#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::time::{Duration, Instant};

use chipwatch_core::mentions::{self, MentionPageQuery, MentionSelection, MentionSort};
use chipwatch_core::sample::{self, SampleSpec};
use chipwatch_core::{AppError, ErrorKind, Store};
use common::*;

/// A seeded workspace with `count` generated sources, every one mentioning
/// Huawei, and two hand-made ones with Chinese titles and known dates.
fn huawei_mentioned(count: usize) -> (tempfile::TempDir, Store, i64) {
    let (dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    sample::generate(
        &mut store,
        &SampleSpec {
            sources: count,
            notes: 0,
            seed: 7,
        },
    )
    .unwrap();
    let huawei = firm_id(&store, "Huawei");
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO source_firms (source_id, firm_id)
                 SELECT id, ?1 FROM sources WHERE id > (SELECT max(id) FROM sources) - ?2",
                rusqlite::params![huawei, count as i64],
            )?;
            Ok(())
        })
        .unwrap();
    (dir, store, huawei)
}

fn query(firm_id: i64, sort: MentionSort, descending: bool, offset: u32) -> MentionPageQuery {
    MentionPageQuery {
        firm_id,
        sort,
        descending,
        offset,
        limit: 50,
    }
}

#[test]
fn pages_sort_by_date_newest_first_with_undated_sources_last() {
    let (_dir, store, huawei) = huawei_mentioned(2_000);
    let first = mentions::page(&store, &query(huawei, MentionSort::Published, true, 0)).unwrap();
    assert_eq!(first.total, 2_000);
    assert_eq!(first.rows.len(), 50);
    let dates: Vec<&str> = first
        .rows
        .iter()
        .map(|r| r.source.published_on.as_deref().expect("dated first"))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");

    // Walking every page in either direction visits each mention once, undated ones last.
    for descending in [true, false] {
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let page = mentions::page(
                &store,
                &query(huawei, MentionSort::Published, descending, offset),
            )
            .unwrap();
            if page.rows.is_empty() {
                break;
            }
            offset += page.rows.len() as u32;
            seen.extend(page.rows.into_iter().map(|r| r.source));
        }
        assert_eq!(seen.len(), 2_000);
        let undated = seen.iter().position(|s| s.published_on.is_none());
        if let Some(first_undated) = undated {
            assert!(seen[first_undated..]
                .iter()
                .all(|s| s.published_on.is_none()));
        }
        let mut ids: Vec<i64> = seen.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 2_000, "no mention twice across pages");
    }
}

#[test]
fn pages_sort_by_added_and_by_title() {
    let (_dir, store, huawei) = huawei_mentioned(300);
    let added = mentions::page(&store, &query(huawei, MentionSort::Added, true, 0)).unwrap();
    let ids: Vec<i64> = added.rows.iter().map(|r| r.source.id).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest added first");
    assert!(!added.rows[0].added_at.is_empty());

    let titles = mentions::page(&store, &query(huawei, MentionSort::Title, false, 0)).unwrap();
    let shown: Vec<String> = titles
        .rows
        .iter()
        .map(|r| r.source.title.to_lowercase())
        .collect();
    let mut sorted = shown.clone();
    sorted.sort();
    assert_eq!(shown, sorted, "A to Z, ignoring case");
}

#[test]
fn ten_thousand_mentions_page_quickly_and_go_in_one_call() {
    let (_dir, mut store, huawei) = huawei_mentioned(10_000);
    for sort in [
        MentionSort::Published,
        MentionSort::Title,
        MentionSort::Added,
    ] {
        let started = Instant::now();
        let page = mentions::page(&store, &query(huawei, sort, true, 9_950)).unwrap();
        let took = started.elapsed();
        assert_eq!(page.rows.len(), 50);
        // ~15 ms on the 2-core CI machine; a generous bound for debug builds.
        assert!(
            took < Duration::from_millis(500),
            "{sort:?}: the last page took {took:?}"
        );
    }

    let removed = mentions::remove(
        &mut store,
        huawei,
        &MentionSelection::All { expected: 10_000 },
    )
    .unwrap();
    assert_eq!(removed, 10_000);
    let after = mentions::page(&store, &query(huawei, MentionSort::Added, true, 0)).unwrap();
    assert_eq!(after.total, 0);
    let sources: i64 = store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM sources", [], |r| r.get(0))?))
        .unwrap();
    assert!(sources >= 10_000, "the sources stay");
}

#[test]
fn a_selection_goes_whole_or_not_at_all() {
    let (_dir, mut store, huawei) = huawei_mentioned(100);
    let page = mentions::page(&store, &query(huawei, MentionSort::Added, true, 0)).unwrap();
    let picked: Vec<i64> = page.rows.iter().take(10).map(|r| r.source.id).collect();

    // One source that does not mention Huawei: nothing is removed, and the error names it.
    let mut with_stranger = picked.clone();
    with_stranger.push(1);
    let refused = mentions::remove(
        &mut store,
        huawei,
        &MentionSelection::Sources {
            source_ids: with_stranger,
        },
    )
    .unwrap_err();
    assert_eq!(AppError::from(&refused).kind, ErrorKind::InvalidInput);
    assert!(
        refused.to_string().contains("source 1 does not mention"),
        "{refused}"
    );
    let still = mentions::page(&store, &query(huawei, MentionSort::Added, true, 0)).unwrap();
    assert_eq!(still.total, 100, "nothing partial");

    // The ten, one of them twice: ten go.
    let mut twice = picked.clone();
    twice.push(picked[0]);
    let removed = mentions::remove(
        &mut store,
        huawei,
        &MentionSelection::Sources { source_ids: twice },
    )
    .unwrap();
    assert_eq!(removed, 10);
    let left = mentions::page(&store, &query(huawei, MentionSort::Added, true, 0)).unwrap();
    assert_eq!(left.total, 90);
    assert!(left.rows.iter().all(|r| !picked.contains(&r.source.id)));

    // "All" at a count that is no longer true (an import added some meanwhile) removes nothing.
    let refused =
        mentions::remove(&mut store, huawei, &MentionSelection::All { expected: 100 }).unwrap_err();
    assert!(
        refused.to_string().contains("now has 90 mentions"),
        "{refused}"
    );
    let left = mentions::page(&store, &query(huawei, MentionSort::Added, true, 0)).unwrap();
    assert_eq!(left.total, 90);

    // A firm that does not exist is not found.
    let missing =
        mentions::remove(&mut store, 999_999, &MentionSelection::All { expected: 0 }).unwrap_err();
    assert_eq!(AppError::from(&missing).kind, ErrorKind::NotFound);
}

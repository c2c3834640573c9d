#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::model::{SourceDraft, SourceKind};
use chipwatch_core::sources;
use chipwatch_core::{workspace, Error};
use common::*;

fn draft(title: &str) -> SourceDraft {
    SourceDraft {
        kind: SourceKind::Article,
        title: title.into(),
        authors: None,
        publisher: None,
        url: None,
        doi: None,
        published_on: None,
        accessed_on: None,
        language: None,
        r#abstract: None,
        reliability: None,
        credibility: None,
        tags: vec![],
    }
}

fn invalid_field(error: Error) -> String {
    match error {
        Error::InvalidInput { field, .. } => field,
        other => panic!("expected invalid input, got {other}"),
    }
}

#[test]
fn a_source_keeps_every_citation_field_as_typed() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = chipwatch_core::Store::open(&path).unwrap();
    let typed = SourceDraft {
        authors: Some("张三; O'Brien, \"Pat\"".into()),
        publisher: Some("财新 Caixin".into()),
        url: Some("https://www.caixin.com/2023-10-18/x.html".into()),
        doi: Some("https://doi.org/10.1038/s41586-023-06004-9".into()),
        published_on: Some("2023-10".into()),
        accessed_on: Some("2023-10-20".into()),
        language: Some("zh".into()),
        r#abstract: Some(format!("{TRICKY}\n{}", "算力".repeat(5_000))),
        reliability: Some("b".into()),
        credibility: Some(2),
        tags: vec![
            "export controls".into(),
            "Export Controls".into(),
            "华为".into(),
        ],
        ..draft(TRICKY)
    };
    let saved = sources::save(&mut store, None, None, &typed).unwrap();
    assert_eq!(saved.draft.title, TRICKY.trim());
    assert_eq!(
        saved.draft.doi.as_deref(),
        Some("10.1038/s41586-023-06004-9")
    );
    assert_eq!(saved.draft.reliability.as_deref(), Some("B"));
    assert_eq!(saved.draft.r#abstract, typed.r#abstract);
    assert_eq!(saved.draft.tags, ["export controls", "华为"]);
    assert_eq!(sources::load_draft(&store, saved.id).unwrap(), saved);
    assert!(workspace::check(&path).unwrap().is_healthy());
}

#[test]
fn citation_fields_are_checked_by_field() {
    let mut store = seeded_store();
    let before = workspace::stats(&store).unwrap();
    for (typed, field) in [
        (draft(""), "title"),
        (
            SourceDraft {
                url: Some("www.example.com".into()),
                ..draft("x")
            },
            "url",
        ),
        (
            SourceDraft {
                doi: Some("doi 10/x".into()),
                ..draft("x")
            },
            "doi",
        ),
        (
            SourceDraft {
                published_on: Some("2023-02-30".into()),
                ..draft("x")
            },
            "publishedOn",
        ),
        (
            SourceDraft {
                accessed_on: Some("2023-10".into()),
                ..draft("x")
            },
            "accessedOn",
        ),
        (
            SourceDraft {
                reliability: Some("G".into()),
                ..draft("x")
            },
            "reliability",
        ),
        (
            SourceDraft {
                credibility: Some(7),
                ..draft("x")
            },
            "credibility",
        ),
    ] {
        assert_eq!(
            invalid_field(sources::save(&mut store, None, None, &typed).unwrap_err()),
            field
        );
    }
    assert_eq!(workspace::stats(&store).unwrap(), before);
}

#[test]
fn sql_looking_text_is_stored_as_typed() {
    let mut store = seeded_store();
    let typed = draft("'); DROP TABLE sources; -- <script>alert(1)</script>");
    let saved = sources::save(&mut store, None, None, &typed).unwrap();
    assert_eq!(saved.draft.title, typed.title);
    assert!(workspace::stats(&store).unwrap().sources > 1);
}

// ---- The paged list ----------------------------------------------------------

use chipwatch_core::model::{Source, SourceFilter, SourcePageQuery, SourceSort};

/// Sources with mixed case, Chinese, missing dates, publishers and grades,
/// several kinds, and ties.
fn list_fixture() -> chipwatch_core::Store {
    let mut store = seeded_store();
    type Row<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        SourceKind,
        Option<&'a str>,
        Option<i64>,
    );
    let rows: [Row; 9] = [
        (
            "alpha report",
            Some("2023"),
            Some("Reuters"),
            SourceKind::Report,
            Some("B"),
            Some(2),
        ),
        (
            "Alpha report",
            Some("2023-10"),
            None,
            SourceKind::Article,
            Some("B"),
            None,
        ),
        ("beta", None, Some("caixin"), SourceKind::Web, None, Some(1)),
        (
            "华为 Ascend",
            Some("2023-10-17"),
            Some("财新"),
            SourceKind::Article,
            Some("A"),
            Some(3),
        ),
        (
            TRICKY,
            Some("2019"),
            Some("Caixin"),
            SourceKind::Book,
            Some("B"),
            Some(2),
        ),
        ("Zeta", None, None, SourceKind::Report, None, None),
        (
            "éclair",
            Some("2023-10"),
            Some("reuters"),
            SourceKind::Paper,
            Some("F"),
            Some(6),
        ),
        (
            "gamma",
            Some("2024-01-01"),
            Some("Bloomberg"),
            SourceKind::Article,
            Some("A"),
            Some(1),
        ),
        (
            "beta",
            Some("2023-10"),
            Some("Bloomberg"),
            SourceKind::Dataset,
            Some("B"),
            Some(1),
        ),
    ];
    for (title, published, publisher, kind, reliability, credibility) in rows {
        sources::save(
            &mut store,
            None,
            None,
            &SourceDraft {
                kind,
                published_on: published.map(str::to_owned),
                publisher: publisher.map(str::to_owned),
                reliability: reliability.map(str::to_owned),
                credibility,
                ..draft(title)
            },
        )
        .unwrap();
    }
    store
}

/// A kind as stored (and as the UI receives it).
fn kind_text(kind: SourceKind) -> String {
    serde_json::to_value(kind)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

/// The order `sources::page` promises, worked out here from every source.
fn expected_order(mut all: Vec<Source>, sort: SourceSort, descending: bool) -> Vec<i64> {
    // SQLite's NOCASE folds ASCII letters only.
    let key = |s: &Source| -> Option<Vec<u8>> {
        match sort {
            SourceSort::Title => Some(s.title.to_ascii_lowercase().into_bytes()),
            SourceSort::Published => s.published_on.clone().map(String::into_bytes),
            SourceSort::Publisher => s
                .publisher
                .as_ref()
                .map(|p| p.to_ascii_lowercase().into_bytes()),
            SourceSort::Kind => Some(kind_text(s.kind).into_bytes()),
            // A1 < A3 < A (credibility unknown: after 6) < B1; none without reliability.
            SourceSort::Grade => s
                .reliability
                .as_ref()
                .map(|r| format!("{r}{}", s.credibility.unwrap_or(7)).into_bytes()),
            SourceSort::Added => Some(Vec::new()),
        }
    };
    all.sort_by(|a, b| {
        let order = match (key(a), key(b)) {
            (Some(x), Some(y)) => x.cmp(&y).then(a.id.cmp(&b.id)),
            // Without the value: after every row with it, either way.
            (Some(_), None) => return std::cmp::Ordering::Less,
            (None, Some(_)) => return std::cmp::Ordering::Greater,
            (None, None) => a.id.cmp(&b.id),
        };
        if descending {
            order.reverse()
        } else {
            order
        }
    });
    all.into_iter().map(|s| s.id).collect()
}

fn page_query(sort: SourceSort, descending: bool, limit: u32) -> SourcePageQuery {
    SourcePageQuery {
        sort,
        descending,
        filter: SourceFilter::default(),
        after: None,
        offset: None,
        limit,
    }
}

#[test]
fn pages_walk_every_source_once_in_each_order_by_cursor_and_by_offset() {
    let store = list_fixture();
    let all = sources::list(&store, None).unwrap();
    let count = all.len();
    assert!(count > 10);
    for sort in [
        SourceSort::Title,
        SourceSort::Published,
        SourceSort::Added,
        SourceSort::Publisher,
        SourceSort::Kind,
        SourceSort::Grade,
    ] {
        for descending in [false, true] {
            let expected = expected_order(all.clone(), sort, descending);
            let mut by_cursor = Vec::new();
            let mut query = page_query(sort, descending, 4);
            loop {
                let page = sources::page(&store, &query).unwrap();
                assert_eq!(page.total, count as i64);
                by_cursor.extend(page.rows.iter().map(|s| s.id));
                match page.next {
                    Some(next) => query.after = Some(next),
                    None => break,
                }
                assert!(by_cursor.len() <= count, "{sort:?}: the cursor loops");
            }
            assert_eq!(
                by_cursor, expected,
                "{sort:?} descending={descending} by cursor"
            );
            let mut by_offset = Vec::new();
            for offset in (0..count).step_by(4) {
                let page = sources::page(
                    &store,
                    &SourcePageQuery {
                        offset: Some(offset as u32),
                        ..page_query(sort, descending, 4)
                    },
                )
                .unwrap();
                by_offset.extend(page.rows.iter().map(|s| s.id));
            }
            assert_eq!(
                by_offset, expected,
                "{sort:?} descending={descending} by offset"
            );
        }
    }
}

#[test]
fn the_list_is_newest_published_first_with_undated_last_and_honours_its_limit() {
    let store = list_fixture();
    let all = sources::list(&store, None).unwrap();
    let dates: Vec<Option<String>> = all.iter().map(|s| s.published_on.clone()).collect();
    let dated = dates.iter().take_while(|d| d.is_some()).count();
    assert!(dates[dated..].iter().all(Option::is_none), "{dates:?}");
    assert!(dates[..dated].windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(sources::list(&store, Some(3)).unwrap(), all[..3].to_vec());
    assert_eq!(
        sources::page(&store, &page_query(SourceSort::Published, true, 500))
            .unwrap()
            .rows,
        all
    );
}

#[test]
fn a_page_filter_takes_search_words_and_counts_its_matches() {
    let store = list_fixture();
    let filtered = |filter: &str, sort: SourceSort| {
        sources::page(
            &store,
            &SourcePageQuery {
                filter: SourceFilter {
                    words: Some(filter.into()),
                    ..SourceFilter::default()
                },
                ..page_query(sort, false, 50)
            },
        )
        .unwrap()
    };
    let page = filtered("alpha", SourceSort::Title);
    assert_eq!(page.total, 2);
    assert!(page
        .rows
        .iter()
        .all(|s| s.title.to_lowercase().contains("alpha")));
    let chinese = filtered("华为", SourceSort::Published);
    assert!(chinese.rows.iter().any(|s| s.title == "华为 Ascend"));
    assert_eq!(filtered("okapi", SourceSort::Title).total, 0);
    // Nothing searchable in it: no filter.
    let everything = filtered("\"*-", SourceSort::Title);
    assert_eq!(
        everything.total,
        sources::list(&store, None).unwrap().len() as i64
    );
}

#[test]
fn a_broad_filter_walks_the_sort_index_and_keeps_the_order() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = chipwatch_core::Store::open(&path).unwrap();
    chipwatch_core::sample::generate(
        &mut store,
        &chipwatch_core::sample::SampleSpec {
            sources: 20_000,
            notes: 0,
            seed: 11,
        },
    )
    .unwrap();
    // Every source the index says matches, sorted here by title.
    let conn = raw_connection(&path);
    let mut matching: Vec<Source> = conn
        .prepare(
            "SELECT rowid - (3 << 40) FROM search_index WHERE search_index MATCH '\"huawei\"'
             AND rowid >= 3 << 40 AND rowid < 4 << 40",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, i64>(0))
        .unwrap()
        .map(|id| sources::by_ids(&store, &[id.unwrap()]).unwrap().remove(0))
        .collect();
    assert!(
        matching.len() > 5_000,
        "needs a broad filter: {}",
        matching.len()
    );
    let expected = expected_order(std::mem::take(&mut matching), SourceSort::Title, true);
    let mut query = SourcePageQuery {
        filter: SourceFilter {
            words: Some("Huawei ".into()),
            ..SourceFilter::default()
        },
        ..page_query(SourceSort::Title, true, 50)
    };
    let first = sources::page(&store, &query).unwrap();
    assert_eq!(first.total, expected.len() as i64);
    assert_eq!(
        first.rows.iter().map(|s| s.id).collect::<Vec<_>>(),
        expected[..50]
    );
    query.after = first.next;
    let second = sources::page(&store, &query).unwrap();
    assert_eq!(
        second.rows.iter().map(|s| s.id).collect::<Vec<_>>(),
        expected[50..100]
    );
    query.after = None;
    query.offset = Some(1_000);
    let deep = sources::page(&store, &query).unwrap();
    assert_eq!(
        deep.rows.iter().map(|s| s.id).collect::<Vec<_>>(),
        expected[1_000..1_050]
    );
}

#[test]
fn kind_and_grade_put_the_best_graded_first_and_the_ungraded_last() {
    let store = list_fixture();
    let page =
        |sort, descending| sources::page(&store, &page_query(sort, descending, 500)).unwrap();
    let grades: Vec<Option<String>> = page(SourceSort::Grade, false)
        .rows
        .iter()
        .map(|s| {
            s.reliability
                .as_ref()
                .map(|r| format!("{r}{}", s.credibility.unwrap_or(7)))
        })
        .collect();
    let graded = grades.iter().take_while(|g| g.is_some()).count();
    assert!(grades[graded..].iter().all(Option::is_none), "{grades:?}");
    assert!(
        grades[..graded].windows(2).all(|w| w[0] <= w[1]),
        "{grades:?}"
    );
    // "B" (no credibility) after B2, before the ungraded.
    assert!(grades.contains(&Some("B7".into())) && grades.contains(&Some("A3".into())));
    // Descending: worst grade first, the ungraded still last.
    let worst_first = page(SourceSort::Grade, true).rows;
    assert_eq!(worst_first[0].reliability.as_deref(), Some("F"));
    assert_eq!(worst_first.last().unwrap().reliability, None);

    let kinds: Vec<String> = page(SourceSort::Kind, false)
        .rows
        .iter()
        .map(|s| kind_text(s.kind))
        .collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
}

#[test]
fn an_import_batch_shows_only_what_it_added_in_any_order_and_with_words() {
    use chipwatch_core::import::{self, ImportOptions};
    use std::sync::atomic::AtomicBool;

    let mut store = list_fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut import_csv = |name: &str, rows: &[&str]| {
        let path = dir.path().join(name);
        let mut text = String::from("Title,Publisher,Date\n");
        for row in rows {
            text.push_str(row);
            text.push('\n');
        }
        std::fs::write(&path, text).unwrap();
        let report = import::import_sources(
            &mut store,
            &path,
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        report.batch.unwrap()
    };
    let first = import_csv(
        "first.csv",
        &[
            "\"Kunlun, \"\"second\"\" generation\",Baidu,2021",
            "昇腾 910B 量产,Caixin,2023-10",
            "Zeta report,Reuters,2022",
        ],
    );
    import_csv("second.csv", &["Another import's row,Reuters,2024"]);

    let batch_page = |sort: SourceSort, descending: bool, filter: Option<&str>, limit: u32| {
        let mut query = SourcePageQuery {
            filter: SourceFilter {
                words: filter.map(str::to_owned),
                import_batch: Some(first),
                ..SourceFilter::default()
            },
            ..page_query(sort, descending, limit)
        };
        let mut titles = Vec::new();
        loop {
            let page = sources::page(&store, &query).unwrap();
            titles.extend(page.rows.iter().map(|s| s.title.clone()));
            match page.next {
                Some(next) => query.after = Some(next),
                None => break (titles, page.total),
            }
        }
    };
    let (titles, total) = batch_page(SourceSort::Title, false, None, 2);
    assert_eq!(total, 3);
    assert_eq!(
        titles,
        [
            "Kunlun, \"second\" generation",
            "Zeta report",
            "昇腾 910B 量产"
        ],
        "this batch only, by title, across pages"
    );
    let (newest, _) = batch_page(SourceSort::Added, true, None, 50);
    assert_eq!(newest.len(), 3);
    assert_eq!(newest[0], "Zeta report");
    let (worded, total) = batch_page(SourceSort::Title, false, Some("Reuters"), 50);
    assert_eq!(
        (worded, total),
        (vec!["Zeta report".to_owned()], 1),
        "the words narrow the batch, not the workspace"
    );
}

#[test]
fn a_filter_finds_sources_whose_ids_another_program_set_very_high() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = chipwatch_core::Store::open(&path).unwrap();
    let added = sources::save(
        &mut store,
        None,
        None,
        &SourceDraft {
            kind: SourceKind::Regulation,
            ..draft("A rule renumbered by another program")
        },
    )
    .unwrap();
    drop(store);
    // Beyond what one bitmap of ids holds (64M).
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute("UPDATE sources SET id = 100000000 WHERE id = ?", [added.id])
        .unwrap();
    let expected: Vec<i64> = raw
        .prepare("SELECT id FROM sources WHERE kind = 'regulation' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(raw);
    assert!(expected.len() > 1 && expected.contains(&100_000_000));
    let store = chipwatch_core::Store::open(&path).unwrap();
    let page = sources::page(
        &store,
        &SourcePageQuery {
            filter: SourceFilter {
                kind: Some(SourceKind::Regulation),
                ..SourceFilter::default()
            },
            ..page_query(SourceSort::Added, false, 500)
        },
    )
    .unwrap();
    let mut found: Vec<i64> = page.rows.iter().map(|s| s.id).collect();
    found.sort_unstable();
    assert_eq!(found, expected);
    assert_eq!(page.total, expected.len() as i64);
}

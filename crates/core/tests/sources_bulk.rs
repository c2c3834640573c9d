//! The Sources list's filters (kind, grade, dates, firm, words, import batch)
//! and the bulk actions on a selection: tag, untag, about a firm, not about
//! it, move to the Trash.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::collections::BTreeSet;

use chipwatch_core::import;
use chipwatch_core::model::{
    Id, SourceDraft, SourceFilter, SourceKind, SourcePageQuery, SourceSelection, SourceSort,
};
use chipwatch_core::sample::{self, SampleSpec};
use chipwatch_core::{profile, sources, sources_bulk, trash, Error, Store};
use common::*;

fn draft(
    title: &str,
    kind: SourceKind,
    published: Option<&str>,
    grade: Option<&str>,
) -> SourceDraft {
    SourceDraft {
        kind,
        title: title.into(),
        authors: None,
        publisher: None,
        url: None,
        doi: None,
        published_on: published.map(str::to_owned),
        accessed_on: None,
        language: None,
        r#abstract: None,
        reliability: grade.map(str::to_owned),
        credibility: None,
        tags: vec![],
    }
}

fn add(store: &mut Store, draft: &SourceDraft) -> Id {
    sources::save(store, None, None, draft).unwrap().id
}

/// Every source the filter lets through, by walking all its pages by cursor.
fn filtered(store: &Store, filter: &SourceFilter) -> Vec<Id> {
    let mut query = SourcePageQuery {
        sort: SourceSort::Title,
        descending: false,
        filter: filter.clone(),
        after: None,
        offset: None,
        limit: 500,
    };
    let mut ids = Vec::new();
    loop {
        let page = sources::page(store, &query).unwrap();
        ids.extend(page.rows.iter().map(|s| s.id));
        match page.next {
            Some(next) => query.after = Some(next),
            None => {
                assert_eq!(ids.len() as i64, page.total, "the total counts every page");
                return ids;
            }
        }
    }
}

fn set(ids: impl IntoIterator<Item = Id>) -> BTreeSet<Id> {
    ids.into_iter().collect()
}

fn field_of(error: Error) -> String {
    match error {
        Error::InvalidInput { field, .. } => field,
        other => panic!("expected invalid input, got {other}"),
    }
}

#[test]
fn filters_by_kind_grade_and_dates_as_the_app_shows_them() {
    let mut store = Store::open_in_memory().unwrap();
    let a = add(
        &mut store,
        &draft("Year only 年", SourceKind::Report, Some("2023"), Some("A")),
    );
    let b = add(
        &mut store,
        &draft(
            "End of September",
            SourceKind::Article,
            Some("2023-09-30"),
            Some("B"),
        ),
    );
    let c = add(
        &mut store,
        &draft("October", SourceKind::Report, Some("2023-10"), None),
    );
    let d = add(
        &mut store,
        &draft(
            "First of October",
            SourceKind::Article,
            Some("2023-10-01"),
            Some("A"),
        ),
    );
    let e = add(
        &mut store,
        &draft(
            "New Year's Eve \"quoted\"",
            SourceKind::Report,
            Some("2023-12-31"),
            Some("F"),
        ),
    );
    let f = add(
        &mut store,
        &draft("New year 🚀", SourceKind::Article, Some("2024-01-01"), None),
    );
    let g = add(
        &mut store,
        &draft("Undated, with a comma", SourceKind::Report, None, Some("A")),
    );

    let by = |filter: SourceFilter| set(filtered(&store, &filter));
    assert_eq!(
        by(SourceFilter {
            kind: Some(SourceKind::Report),
            ..Default::default()
        }),
        set([a, c, e, g])
    );
    assert_eq!(
        by(SourceFilter {
            reliability: Some("A".into()),
            ..Default::default()
        }),
        set([a, d, g])
    );
    assert_eq!(
        by(SourceFilter {
            reliability: Some("none".into()),
            ..Default::default()
        }),
        set([c, f])
    );
    // The dates as the app shows them, and in Chinese; a month includes all its days.
    assert_eq!(
        by(SourceFilter {
            published_from: Some("Oct 2023".into()),
            published_to: Some("2023年12月".into()),
            ..Default::default()
        }),
        set([c, d, e])
    );
    assert_eq!(
        by(SourceFilter {
            published_to: Some("30 Sep 2023".into()),
            ..Default::default()
        }),
        set([a, b])
    );
    // Conditions together: every one must hold.
    assert_eq!(
        by(SourceFilter {
            kind: Some(SourceKind::Report),
            reliability: Some("A".into()),
            published_from: Some("2023".into()),
            ..Default::default()
        }),
        set([a])
    );
    assert_eq!(
        by(SourceFilter {
            words: Some("october".into()),
            kind: Some(SourceKind::Article),
            ..Default::default()
        }),
        set([d])
    );

    // Bad values name the filter field and say what to write.
    let error = sources::page(
        &store,
        &SourcePageQuery {
            sort: SourceSort::Added,
            descending: true,
            filter: SourceFilter {
                reliability: Some("Z".into()),
                ..Default::default()
            },
            after: None,
            offset: None,
            limit: 10,
        },
    )
    .unwrap_err();
    assert_eq!(field_of(error), "filter.reliability");
    let error = sources::page(
        &store,
        &SourcePageQuery {
            sort: SourceSort::Added,
            descending: true,
            filter: SourceFilter {
                published_from: Some("32 Oct 2023".into()),
                ..Default::default()
            },
            after: None,
            offset: None,
            limit: 10,
        },
    )
    .unwrap_err();
    assert_eq!(field_of(error), "filter.publishedFrom");
}

#[test]
fn a_broad_filter_pages_through_every_match_in_order() {
    let mut store = Store::open_in_memory().unwrap();
    // More matches than SQLite is asked to sort itself: the list walks the title index.
    sample::generate(
        &mut store,
        &SampleSpec {
            sources: 20_000,
            notes: 0,
            ..Default::default()
        },
    )
    .unwrap();
    let all = sources::list(&store, None).unwrap();
    let articles: BTreeSet<Id> = all
        .iter()
        .filter(|s| s.kind == SourceKind::Article)
        .map(|s| s.id)
        .collect();
    assert!(articles.len() > 5_000, "a broad filter: {}", articles.len());
    let filter = SourceFilter {
        kind: Some(SourceKind::Article),
        ..Default::default()
    };
    let kind_only = filtered(&store, &filter);
    assert_eq!(set(kind_only.iter().copied()), articles);
    assert_eq!(kind_only.len(), articles.len(), "no source on two pages");
    // Narrower: each grade's articles are sorted by SQLite; together they are the graded articles.
    let graded: Vec<Id> = ["A", "B", "C", "D", "E", "F"]
        .iter()
        .flat_map(|grade| {
            filtered(
                &store,
                &SourceFilter {
                    reliability: Some((*grade).into()),
                    ..filter.clone()
                },
            )
        })
        .collect();
    let expected: BTreeSet<Id> = all
        .iter()
        .filter(|s| s.kind == SourceKind::Article && s.reliability.is_some())
        .map(|s| s.id)
        .collect();
    assert_eq!(set(graded.iter().copied()), expected);
    assert_eq!(graded.len(), expected.len());
    // In title order, ignoring case.
    let titles: Vec<String> = kind_only
        .iter()
        .map(|id| {
            all.iter()
                .find(|s| s.id == *id)
                .unwrap()
                .title
                .to_lowercase()
        })
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "sorted by title");
}

#[test]
fn a_filtered_selection_is_tagged_untagged_and_found_by_its_tag() {
    let mut store = seeded_store();
    let reports: Vec<Id> = (0..30)
        .map(|i| {
            add(
                &mut store,
                &draft(
                    &format!("报告 {i}, \"bulk\""),
                    SourceKind::Report,
                    Some("2025-03"),
                    None,
                ),
            )
        })
        .collect();
    let article = add(
        &mut store,
        &draft("An article", SourceKind::Article, Some("2025-03"), None),
    );
    let kept_out = reports[3];
    let selection = SourceSelection::Matching {
        filter: SourceFilter {
            kind: Some(SourceKind::Report),
            published_from: Some("Mar 2025".into()),
            ..Default::default()
        },
        except: vec![kept_out],
    };
    let done = sources_bulk::add_tag(&mut store, &selection, " 待读 to-read ").unwrap();
    assert_eq!((done.selected, done.changed), (29, 29));
    // Again: nothing changes, and it says so.
    let again = sources_bulk::add_tag(&mut store, &selection, "待读 to-read").unwrap();
    assert_eq!((again.selected, again.changed), (29, 0));

    let tagged = set(filtered(
        &store,
        &SourceFilter {
            words: Some("待读".into()),
            ..Default::default()
        },
    ));
    let expected: BTreeSet<Id> = reports
        .iter()
        .copied()
        .filter(|id| *id != kept_out)
        .collect();
    assert_eq!(tagged, expected, "the search index knows the new tag");
    let draft = sources::load_draft(&store, reports[0]).unwrap().draft;
    assert_eq!(draft.tags, vec!["待读 to-read".to_owned()]);
    assert!(sources::load_draft(&store, article)
        .unwrap()
        .draft
        .tags
        .is_empty());

    let removed = sources_bulk::remove_tag(
        &mut store,
        &SourceSelection::Ids {
            ids: vec![reports[0], reports[1], kept_out],
        },
        "待读 to-read",
    )
    .unwrap();
    assert_eq!((removed.selected, removed.changed), (3, 2));
    assert!(sources::load_draft(&store, reports[0])
        .unwrap()
        .draft
        .tags
        .is_empty());

    // A blank tag, or a source gone since it was ticked: refused, nothing written.
    assert_eq!(
        field_of(sources_bulk::add_tag(&mut store, &selection, "  ").unwrap_err()),
        "tag"
    );
    let missing = sources_bulk::add_tag(
        &mut store,
        &SourceSelection::Ids {
            ids: vec![article, 999_999],
        },
        "x",
    )
    .unwrap_err();
    assert!(
        matches!(missing, Error::NotFound { id: 999_999, .. }),
        "{missing}"
    );
    assert!(sources::load_draft(&store, article)
        .unwrap()
        .draft
        .tags
        .is_empty());
}

#[test]
fn sources_marked_about_a_firm_are_listed_with_it_and_can_be_unmarked() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let ids: Vec<Id> = (0..5)
        .map(|i| {
            add(
                &mut store,
                &draft(
                    &format!("Supply chains {i}"),
                    SourceKind::Article,
                    None,
                    None,
                ),
            )
        })
        .collect();
    let about_huawei = |store: &Store| {
        set(filtered(
            store,
            &SourceFilter {
                firm: Some(huawei),
                ..Default::default()
            },
        ))
    };
    // Before: what Huawei's claims cite, none of the new ones.
    let cited: BTreeSet<Id> = profile::load_profile(&store, huawei)
        .unwrap()
        .assessments
        .iter()
        .flat_map(|a| a.source_ids.clone())
        .collect();
    let before = about_huawei(&store);
    assert!(!cited.is_empty() && cited.is_subset(&before));
    assert!(ids.iter().all(|id| !before.contains(id)));

    let done = sources_bulk::link_firm(
        &mut store,
        &SourceSelection::Ids { ids: ids.clone() },
        huawei,
    )
    .unwrap();
    assert_eq!(done.changed, 5);
    let mentions = import::mentions_of_firm(&store, huawei, 100).unwrap();
    assert!(ids
        .iter()
        .all(|id| mentions.sources.iter().any(|s| s.id == *id)));
    assert!(set(ids.iter().copied()).is_subset(&about_huawei(&store)));

    // "Not about this firm" for every source about Huawei: the mentions go,
    // what its claims cite stays cited.
    let everything_about = SourceSelection::Matching {
        filter: SourceFilter {
            firm: Some(huawei),
            ..Default::default()
        },
        except: vec![],
    };
    let unlinked = sources_bulk::unlink_firm(&mut store, &everything_about, huawei).unwrap();
    assert_eq!(unlinked.changed, 5);
    assert_eq!(
        import::mentions_of_firm(&store, huawei, 100).unwrap().total,
        0
    );
    assert_eq!(about_huawei(&store), before);

    let error =
        sources_bulk::link_firm(&mut store, &SourceSelection::Ids { ids }, 424_242).unwrap_err();
    assert!(
        matches!(error, Error::NotFound { id: 424_242, .. }),
        "{error}"
    );
}

#[test]
fn a_selection_goes_to_the_trash_as_one_entry_each_after_its_impact_is_shown() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let cited = profile::load_profile(&store, huawei).unwrap().assessments[0].source_ids[0];
    let plain: Vec<Id> = (0..3)
        .map(|i| {
            add(
                &mut store,
                &draft(&format!("Loose end {i}"), SourceKind::Web, None, None),
            )
        })
        .collect();
    let mut ids = plain.clone();
    ids.push(cited);
    let selection = SourceSelection::Ids { ids: ids.clone() };

    let impact = sources_bulk::trash_impact(&store, &selection).unwrap();
    assert_eq!(impact.selected, 4);
    assert_eq!(impact.cited, 1);
    assert!(impact.citations >= 1);

    let trash_before = trash::list(&store).unwrap().len();
    let done = sources_bulk::trash(&mut store, &selection).unwrap();
    assert_eq!(done.changed, 4);
    let entries = trash::list(&store).unwrap();
    assert_eq!(entries.len(), trash_before + 4);
    assert!(sources::by_ids(&store, &ids).unwrap().is_empty());
    // Each comes back on its own, the cited one with its citation.
    let entry = entries.iter().find(|e| e.entity_id == cited).unwrap();
    trash::restore(&mut store, entry.id).unwrap();
    let after = profile::load_profile(&store, huawei).unwrap();
    assert!(after.assessments[0].source_ids.contains(&cited));
}

#[test]
fn too_many_sources_for_the_trash_at_once_are_refused_whole() {
    let mut store = Store::open_in_memory().unwrap();
    sample::generate(
        &mut store,
        &SampleSpec {
            sources: sources_bulk::MAX_TRASH_AT_ONCE + 1,
            notes: 0,
            ..Default::default()
        },
    )
    .unwrap();
    let everything = SourceSelection::Matching {
        filter: SourceFilter::default(),
        except: vec![],
    };
    let error = sources_bulk::trash(&mut store, &everything).unwrap_err();
    assert_eq!(field_of(error), "selection");
    assert!(trash::list(&store).unwrap().is_empty(), "nothing moved");
    // One fewer fits.
    let one_less = SourceSelection::Matching {
        filter: SourceFilter::default(),
        except: vec![1],
    };
    let done = sources_bulk::trash(&mut store, &one_less).unwrap();
    assert_eq!(done.changed as usize, sources_bulk::MAX_TRASH_AT_ONCE);
}

/// A firm's chips are its own and its subsidiaries' (firm_chips), on the
/// profile and in the list's firm filter alike: a chip of Kunlunxin (Baidu's
/// subsidiary) is Baidu's, and the source behind it is about Baidu too.
#[test]
fn the_firm_filter_counts_a_subsidiarys_chips_as_the_profile_does() {
    let mut store = seeded_store();
    let baidu = firm_id(&store, "Baidu");
    let kunlunxin = firm_id(&store, "Kunlunxin");
    let datasheet = add(
        &mut store,
        &draft("Kunlun P800 datasheet", SourceKind::Filing, None, None),
    );
    chipwatch_core::chips::save(
        &mut store,
        None,
        None,
        &chipwatch_core::model::ChipDraft {
            firm_id: kunlunxin,
            name: "Kunlun P800".into(),
            purpose: None,
            process_node_nm: None,
            foundry_firm_id: None,
            announced_on: None,
            peak_dense_tops: None,
            peak_bit_width: None,
            die_area_mm2: None,
            memory_gb: None,
            tdp_w: None,
            notes: String::new(),
            source_ids: vec![datasheet],
        },
    )
    .unwrap();
    let profile = profile::load_profile(&store, baidu).unwrap();
    assert!(profile.sources.iter().any(|s| s.id == datasheet));
    let about = |firm| {
        set(filtered(
            &store,
            &SourceFilter {
                firm: Some(firm),
                ..Default::default()
            },
        ))
    };
    assert!(about(baidu).contains(&datasheet));
    assert!(about(kunlunxin).contains(&datasheet));
}

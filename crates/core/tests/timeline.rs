#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::model::EventKind;
use chipwatch_core::sample::{self, SampleSpec};
use chipwatch_core::timeline::{entries, page, TimelineOrigin, TimelineQuery, MAX_PAGE_ENTRIES};
use common::*;

#[test]
fn events_chips_and_listings_share_one_axis_in_calendar_order() {
    let store = seeded_store();
    let all = entries(&store, &TimelineQuery::default()).unwrap();
    let dates: Vec<&str> = all.iter().map(|e| e.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    for origin in [TimelineOrigin::Event, TimelineOrigin::Chip] {
        assert!(all.iter().any(|e| e.origin == origin), "{origin:?} missing");
    }
    assert!(all
        .iter()
        .any(|e| e.title == "Ascend 910B announced" && e.kind == EventKind::Launch));
    // Huawei's 2019 Entity List listing is also a seeded event: it shows once, as the event.
    let listed: Vec<_> = all
        .iter()
        .filter(|e| {
            e.kind == EventKind::Listing
                && e.date == "2019-05-16"
                && e.firms.iter().any(|f| f.name == "Huawei")
        })
        .collect();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].origin, TimelineOrigin::Event);
}

#[test]
fn a_firm_filter_keeps_its_moves_its_subsidiaries_and_every_rule_change() {
    let store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let shown = entries(
        &store,
        &TimelineQuery {
            firm_id: Some(huawei),
            kinds: vec![],
        },
    )
    .unwrap();
    let all = entries(&store, &TimelineQuery::default()).unwrap();
    assert!(shown.len() < all.len());
    let regulations = all
        .iter()
        .filter(|e| e.kind == EventKind::Regulation)
        .count();
    assert!(regulations >= 3);
    assert_eq!(
        shown
            .iter()
            .filter(|e| e.kind == EventKind::Regulation)
            .count(),
        regulations
    );
    for entry in shown.iter().filter(|e| e.kind != EventKind::Regulation) {
        assert!(
            entry
                .firms
                .iter()
                .any(|f| f.name == "Huawei" || f.name == "HiSilicon"),
            "{entry:?} is not Huawei's"
        );
    }
    let only_launches = entries(
        &store,
        &TimelineQuery {
            firm_id: None,
            kinds: vec![EventKind::Launch],
        },
    )
    .unwrap();
    assert!(!only_launches.is_empty() && only_launches.iter().all(|e| e.kind == EventKind::Launch));
}

#[test]
fn a_listing_without_an_event_appears_as_its_own_entry() {
    let mut store = seeded_store();
    let tencent = firm_id(&store, "Tencent");
    let mut edit = chipwatch_core::firms::load_draft(&store, tencent).unwrap();
    edit.draft
        .listings
        .push(chipwatch_core::model::ListingDraft {
            list_name: "1260H list".into(),
            listed_on: Some("2025-01".into()),
            citation: None,
            source_id: None,
            details: Default::default(),
        });
    chipwatch_core::firms::save(&mut store, Some(tencent), Some(edit.revision), &edit.draft)
        .unwrap();
    let shown = entries(
        &store,
        &TimelineQuery {
            firm_id: Some(tencent),
            kinds: vec![EventKind::Listing],
        },
    )
    .unwrap();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(
        (shown[0].origin, shown[0].date.as_str()),
        (TimelineOrigin::Listing, "2025-01")
    );
    assert_eq!(shown[0].title, "Tencent added to the 1260H list");
}

#[test]
fn a_long_timeline_comes_a_page_at_a_time_with_its_counts_and_years() {
    let mut store = seeded_store();
    // The sample adds events over many years: more than a page.
    sample::generate(
        &mut store,
        &SampleSpec {
            sources: 2_000,
            notes: 0,
            ..Default::default()
        },
    )
    .unwrap();
    let query = TimelineQuery::default();
    let all = entries(&store, &query).unwrap();
    let first = page(&store, &query, 0, 5).unwrap();
    assert_eq!(first.total as usize, all.len());
    assert_eq!(first.entries, all[..5].to_vec());
    assert_eq!(
        (first.events + first.chips + first.listings) as usize,
        all.len(),
        "every entry is counted once by what it was made from"
    );
    // Each year's first entry is where the page for that year starts.
    assert!(first.years.len() > 1);
    for year in &first.years {
        let at = page(&store, &query, year.first, 1).unwrap();
        assert!(at.entries[0].date.starts_with(&year.year));
        if year.first > 0 {
            assert!(!all[year.first as usize - 1].date.starts_with(&year.year));
        }
    }
    // Walking the pages gives every entry once, in order.
    let mut walked = Vec::new();
    let mut offset = 0;
    while offset < first.total {
        let next = page(&store, &query, offset, 7).unwrap();
        offset += next.entries.len() as u32;
        walked.extend(next.entries);
    }
    assert_eq!(walked, all);
    // Past the end: nothing; a huge page is cut to the most a page holds.
    assert!(page(&store, &query, first.total + 10, 5)
        .unwrap()
        .entries
        .is_empty());
    let big = page(&store, &query, 0, u32::MAX).unwrap();
    assert_eq!(big.entries.len(), all.len().min(MAX_PAGE_ENTRIES as usize));
}

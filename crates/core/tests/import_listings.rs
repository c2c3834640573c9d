//! The US Consolidated Screening List (src/import/screening_list.rs), on two
//! copies of a CSL-shaped file the project wrote (tests/fixtures/screening-list).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chipwatch_core::import::screening_list::{ListingChangeKind, MatchedBy};
use chipwatch_core::import::{self, ImportOptions, ImportReport};
use chipwatch_core::model::{Firm, Listing};
use chipwatch_core::{firms, profile, timeline, Store};
use common::*;

fn copy(name: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/screening-list")
        .join(name)
}

const OCTOBER: &str = "csl-2026-10-01.csv";
const NOVEMBER: &str = "csl-2026-11-15.csv";

fn dated(date: &str) -> ImportOptions {
    ImportOptions {
        copy_date: Some(date.into()),
        ..ImportOptions::default()
    }
}

fn import_copy(store: &mut Store, file: &str, options: &ImportOptions) -> ImportReport {
    import::import_listings(
        store,
        &copy(file),
        options,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

fn firm(store: &Store, name: &str) -> Firm {
    profile::load_profile(store, firm_id(store, name))
        .unwrap()
        .firm
}

fn listings_of(store: &Store, name: &str) -> Vec<Listing> {
    firm(store, name).listings
}

fn firms_named(store: &Store, name: &str) -> usize {
    firms::list(store, None)
        .unwrap()
        .into_iter()
        .filter(|f| f.name == name)
        .count()
}

fn listing(store: &Store, firm: &str, list: &str) -> Listing {
    listings_of(store, firm)
        .into_iter()
        .find(|l| l.list_name == list)
        .unwrap_or_else(|| {
            panic!(
                "{firm} has no {list} listing: {:?}",
                listings_of(store, firm)
            )
        })
}

/// Every listing row, as the test compares workspaces before and after.
fn all_listings(
    store: &Store,
) -> Vec<(i64, String, Option<String>, Option<String>, Option<String>)> {
    store
        .read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT firm_id, list_name, listed_on, citation, removed_on FROM export_control_listings ORDER BY id",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap()
}

#[test]
fn a_copy_of_the_list_becomes_firms_with_dated_cited_listings() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let report = import_copy(&mut store, OCTOBER, &dated("2026-10-01"));
    let listings = report.listings.as_ref().unwrap();

    // Individuals and vessels are counted, not imported; a row without a name is refused.
    assert_eq!(
        (listings.skipped_individuals, listings.skipped_vessels),
        (1, 1)
    );
    assert_eq!(report.rejected, 1);
    assert_eq!(report.problems[0].row, 12, "{:?}", report.problems);
    assert!(
        report.problems[0].message.contains("name is empty"),
        "{:?}",
        report.problems
    );
    let names: Vec<&str> = listings
        .lists
        .iter()
        .map(|l| l.list_name.as_str())
        .collect();
    assert!(
        names.contains(&"Entity List") && names.contains(&"Military End-User List"),
        "{names:?}"
    );

    // SMIC matched by its English name (suffix "Corporation" and the bracketed
    // short form aside), its hand-entered listing kept and filled from the list.
    let smic = listings
        .matches
        .iter()
        .find(|m| m.party.starts_with("Semiconductor Manufacturing"))
        .unwrap();
    assert_eq!(smic.firm.title, "SMIC");
    assert_eq!(smic.matched_by, MatchedBy::Alias);
    let el = listing(&store, "SMIC", "Entity List");
    assert_eq!(
        el.listed_on.as_deref(),
        Some("2020-12-18"),
        "the workspace's date stands"
    );
    assert_eq!(el.citation.as_deref(), Some("85 FR 83416"));
    assert!(el
        .details
        .license_policy
        .as_deref()
        .unwrap()
        .contains("10 nm"));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("SMIC, Entity List: the list gives 2020-12-22")),
        "{:?}",
        report.warnings
    );
    // The Treasury list in capitals still finds SMIC, as a second listing.
    let cmic = listing(
        &store,
        "SMIC",
        "Non-SDN Chinese Military-Industrial Complex Companies List",
    );
    assert_eq!(cmic.details.programs.as_deref(), Some("CMIC-EO13959"));
    assert_eq!(cmic.listed_on.as_deref(), Some("2021-06-03"));

    // Huawei by its alias "Huawei Technologies Co., Ltd.".
    let huawei = listings
        .matches
        .iter()
        .find(|m| m.party == "Huawei Technologies Co., Ltd.")
        .unwrap();
    assert_eq!(
        (huawei.firm.title.as_str(), huawei.matched_by),
        ("Huawei", MatchedBy::Alias)
    );

    // New firms: the successor phrase is not part of the name; Chinese alt
    // names become the native name, the others aliases; the country from the address.
    assert!(
        report
            .created_firms
            .contains(&"Huawei Cloud Beijing Co., Ltd.".to_owned()),
        "{:?}",
        report.created_firms
    );
    let hik = firm(&store, "Hangzhou Hikvision Digital Technology Co., Ltd.");
    assert_eq!(hik.native_name.as_deref(), Some("海康威视"));
    assert_eq!(hik.aliases, vec!["Hikvision".to_owned()]);
    assert_eq!(hik.country.as_deref(), Some("CN"));
    let hik_el = &hik.listings[0];
    assert_eq!(
        (hik_el.listed_on.as_deref(), hik_el.citation.as_deref()),
        (Some("2019-10-09"), Some("84 FR 54002"))
    );
    assert_eq!(hik_el.details.first_copy_on.as_deref(), Some("2026-10-01"));
    // Each listing cites the copy it came from, a source of its own.
    let source: String = store
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT title FROM sources WHERE id = ?1",
                [hik_el.source_ids[0]],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(source, "Consolidated Screening List (copy of 2026-10-01)");

    // "82 F.R. 48792 10/01/2017" without a start_date: citation and date from the notice.
    let uvl = listing(
        &store,
        "Shenzhen Kaiyuan \"Star\" Electronics Co., Ltd.",
        "Unverified List",
    );
    assert_eq!(
        (uvl.citation.as_deref(), uvl.listed_on.as_deref()),
        (Some("82 FR 48792"), Some("2017-10-01"))
    );

    // A first copy sets the baseline: no timeline events.
    assert_eq!(listings.events, 0);
}

#[test]
fn a_newer_copy_shows_what_appeared_changed_and_vanished_and_undo_puts_it_back() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    import_copy(&mut store, OCTOBER, &dated("2026-10-01"));
    let after_first = all_listings(&store);

    // The same copy again: nothing changes.
    let again = import_copy(&mut store, OCTOBER, &dated("2026-10-01"));
    let again_listings = again.listings.unwrap();
    assert_eq!(
        (
            again_listings.appeared,
            again_listings.changed,
            again_listings.removed
        ),
        (0, 0, 0)
    );
    assert!(again.created_firms.is_empty());
    assert_eq!(all_listings(&store), after_first);

    // An older copy after a newer one is refused, nothing written.
    let older = import::import_listings(
        &mut store,
        &copy(OCTOBER),
        &dated("2026-09-01"),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err()
    .to_string();
    assert!(
        older.contains("older than the copy of 2026-10-01"),
        "{older}"
    );

    let november = import_copy(&mut store, NOVEMBER, &dated("2026-11-15"));
    let changes = november.listings.as_ref().unwrap();
    assert_eq!(
        (changes.appeared, changes.changed, changes.removed),
        (1, 1, 1),
        "{:?}",
        changes.changes
    );
    let kind_of = |firm: &str| {
        changes
            .changes
            .iter()
            .find(|c| c.firm.title.starts_with(firm))
            .unwrap()
    };
    assert_eq!(kind_of("Sophgo").change, ListingChangeKind::Appeared);
    assert_eq!(kind_of("Huawei Cloud").change, ListingChangeKind::Changed);
    assert!(
        kind_of("Huawei Cloud")
            .detail
            .contains("84 FR 43493; 85 FR 51596"),
        "{}",
        kind_of("Huawei Cloud").detail
    );
    assert_eq!(
        kind_of("Hangzhou Hikvision").change,
        ListingChangeKind::Removed
    );

    // Vanished: marked with the copy's date, not deleted.
    let hik = listing(
        &store,
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "Entity List",
    );
    assert_eq!(hik.details.removed_on.as_deref(), Some("2026-11-15"));
    // Appeared: with a timeline event, the firm matched later by its Chinese name.
    let sophgo = firm(&store, "Sophgo Technologies Ltd.");
    assert_eq!(sophgo.native_name.as_deref(), Some("算能科技有限公司"));
    assert_eq!(changes.events, 1);
    let page = timeline::page(&store, &Default::default(), 0, 500).unwrap();
    assert!(
        page.entries
            .iter()
            .any(|e| e.title == "Sophgo Technologies Ltd. added to the Entity List"),
        "no event for Sophgo"
    );

    // Undo the newer copy: the listing comes back unmarked, the citation as it
    // was, Sophgo and its event are gone.
    import::undo(&mut store, november.batch.unwrap(), false).unwrap();
    assert_eq!(all_listings(&store), after_first);
    assert_eq!(firms_named(&store, "Sophgo Technologies Ltd."), 0);
}

#[test]
fn lists_and_countries_narrow_what_comes_in_and_a_dry_run_writes_nothing() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let before = all_listings(&store);
    let dry = import_copy(
        &mut store,
        OCTOBER,
        &ImportOptions {
            dry_run: true,
            ..dated("2026-10-01")
        },
    );
    assert!(dry.listings.as_ref().unwrap().matches.len() >= 6);
    assert_eq!(all_listings(&store), before, "a dry run wrote listings");

    let narrowed = import_copy(
        &mut store,
        OCTOBER,
        &ImportOptions {
            lists: vec!["EL".into()],
            countries: vec!["CN".into()],
            ..dated("2026-10-01")
        },
    );
    let listings = narrowed.listings.unwrap();
    // MEU, CMIC and UVL rows are on other lists; AO Mikron's address is in Russia.
    assert_eq!(listings.left_out_by_list, 3);
    assert_eq!(listings.left_out_by_country, 1);
    let lists: Vec<String> = all_listings(&store).into_iter().map(|l| l.1).collect();
    assert!(lists.iter().all(|l| l == "Entity List"), "{lists:?}");
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::collections::HashMap;

use chipwatch_core::compare::{self, ComparisonFilters, ComparisonSelection};
use chipwatch_core::dataset::{self, Dataset};
use chipwatch_core::model::{SourceKind, Stats};
use chipwatch_core::{chips, workspace, Error, Store};
use common::*;

#[test]
fn the_default_dataset_seeds_the_article_world() {
    let store = seeded_store();
    let stats = workspace::stats(&store).unwrap();
    assert_eq!(
        stats,
        Stats {
            firms: 15,
            strategies: 4,
            assessments: 9,
            chips: 17,
            sources: 10,
            notes: 4,
            events: 14,
            tags: 7,
            import_batches: 0,
            comparisons: 0
        }
    );
    let names: Vec<String> = chipwatch_core::firms::list(&store, None)
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    for firm in [
        "Huawei",
        "HiSilicon",
        "Alibaba",
        "T-Head",
        "Baidu",
        "Kunlunxin",
        "Tencent",
        "SMIC",
        "NVIDIA",
        "Cambricon",
        "Biren",
        "Moore Threads",
        "Hygon",
        "Inspur",
    ] {
        assert!(names.contains(&firm.to_string()), "{firm} missing");
    }
    let strategies: Vec<String> = chipwatch_core::strategies::list(&store, None)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        strategies,
        [
            "In-house chips",
            "Domestic manufacturing",
            "Optimising for legacy hardware",
            "Government-backed R&D"
        ]
    );
}

#[test]
fn the_seed_article_has_no_invented_date() {
    let store = seeded_store();
    let article = chipwatch_core::sources::list(&store, None)
        .unwrap()
        .into_iter()
        .find(|s| s.title == "Chinese tech firms adapt to U.S. chip curbs")
        .unwrap();
    assert_eq!(article.published_on, None);
}

#[test]
fn every_seeded_claim_cites_a_source() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let conn = raw_connection(&path);
    for (what, sql) in [
        ("chips", "SELECT count(*) FROM chips WHERE id NOT IN (SELECT chip_id FROM chip_sources)"),
        ("assessments", "SELECT count(*) FROM assessments WHERE id NOT IN (SELECT assessment_id FROM assessment_evidence)"),
        ("events", "SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_sources)"),
        ("listings", "SELECT count(*) FROM export_control_listings WHERE source_id IS NULL"),
    ] {
        let uncited: i64 = conn.query_row(sql, [], |r| r.get(0)).unwrap();
        assert_eq!(uncited, 0, "{what} without a source");
    }
}

/// Epoch's own name for each seeded chip (the dataset uses the shorter name
/// the firm sells it under). Every seeded chip must be here.
const EPOCH_NAMES: [(&str, &str); 17] = [
    ("Ascend 310", "Huawei Ascend 310"),
    ("Ascend 910", "Huawei Ascend 910"),
    ("Ascend 910B", "Huawei Ascend 910B"),
    ("Hanguang 800", "T-Head Hanguang 800"),
    ("Kunlun I", "Baidu Kunlun I"),
    ("Kunlun II", "Baidu Kunlun II"),
    ("Kunlun K200", "Baidu Kunlun K200"),
    ("MLU290-M5", "Cambricon MLU290-M5"),
    ("MLU370-X8", "Cambricon MLU370-X8"),
    ("BR100", "Biren BR100"),
    ("MTT S4000", "MTT S4000"),
    ("Shensuan-1", "Shensuan-1"),
    ("A100", "NVIDIA A100 SXM4 40 GB"),
    ("A800", "NVIDIA A800 SXM"),
    ("H100", "NVIDIA H100 SXM5 80GB"),
    ("H800", "NVIDIA H800 SXM5"),
    ("H20", "NVIDIA HGX H20"),
];

/// One row of Epoch's CSV, the columns the dataset takes from it.
struct EpochChip {
    tpp: f64,
    die_area_mm2: Option<f64>,
    process_node_nm: Option<f64>,
    foundry: String,
    released_on: String,
}

fn epoch_chips() -> HashMap<String, EpochChip> {
    let csv_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/data/epoch-ml-hardware.csv");
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (name, tpp, die, node, foundry, released) = (
        column("Hardware name"),
        column("Total processing performance (bit-OP/s)"),
        column("Die Size (mm^2)"),
        column("Process size (nm)"),
        column("Foundry"),
        column("Release date"),
    );
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let chip = EpochChip {
                // Epoch's TPP is in bit-OP/s; the export-control TPP is that / 10^12.
                tpp: record[tpp].parse::<f64>().unwrap_or(f64::NAN) / 1e12,
                die_area_mm2: record[die].parse().ok(),
                process_node_nm: record[node].parse().ok(),
                foundry: record[foundry].to_string(),
                released_on: record[released].to_string(),
            };
            (record[name].to_string(), chip)
        })
        .collect()
}

/// The seeded chip figures must agree with Epoch's: its TPP column, its die
/// area (present or absent), process node, foundry and release date.
#[test]
fn seeded_chip_figures_match_the_epoch_dataset() {
    let epoch = epoch_chips();
    let store = seeded_store();
    let seeded = chips::list(&store, None).unwrap();
    for chip in &seeded {
        assert!(
            EPOCH_NAMES.iter().any(|(ours, _)| *ours == chip.name),
            "{}: no Epoch name in EPOCH_NAMES",
            chip.name
        );
    }
    assert_eq!(seeded.len(), EPOCH_NAMES.len());
    for (ours, theirs) in EPOCH_NAMES {
        let chip = seeded.iter().find(|c| c.name == ours).unwrap();
        let epoch = epoch
            .get(theirs)
            .unwrap_or_else(|| panic!("{theirs} is not in Epoch's CSV"));
        let our_tpp = chip.metrics.tpp.unwrap();
        // Equal up to floating-point noise (311.8 x 16 against 4.9888e15 / 1e12).
        assert!(
            (our_tpp - epoch.tpp).abs() < 1e-6,
            "{ours}: TPP {our_tpp} vs Epoch {}",
            epoch.tpp
        );
        assert_eq!(chip.die_area_mm2, epoch.die_area_mm2, "{ours}: die area");
        assert_eq!(chip.process_node_nm, epoch.process_node_nm, "{ours}: node");
        let foundry = chip.foundry.as_ref().map(|f| f.name.as_str());
        if !epoch.foundry.is_empty() {
            // Several foundries in one cell ("SMIC,TSMC") name the first.
            assert_eq!(foundry, epoch.foundry.split(',').next(), "{ours}: foundry");
        }
        let announced = chip.announced_on.as_deref().unwrap();
        assert!(
            epoch.released_on.starts_with(announced),
            "{ours}: announced {announced} vs Epoch {}",
            epoch.released_on
        );
    }
}

/// The chip chart plots a chip only with both TPP and performance density
/// (which needs the die area): more than half of the seeded chips have both.
#[test]
fn most_seeded_chips_can_be_plotted() {
    let store = seeded_store();
    let seeded = chips::list(&store, None).unwrap();
    let plotted: Vec<&str> = seeded
        .iter()
        .filter(|c| c.metrics.tpp.is_some() && c.metrics.performance_density.is_some())
        .map(|c| c.name.as_str())
        .collect();
    assert!(
        plotted.len() * 2 > seeded.len(),
        "{} of {} chips plotted: {plotted:?}",
        plotted.len(),
        seeded.len()
    );
}

/// "VOL FR PAGE", as the Federal Register cites itself: 85 FR 83416.
fn is_federal_register_citation(citation: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    citation
        .split_once(" FR ")
        .is_some_and(|(volume, page)| digits(volume) && digits(page))
}

#[test]
fn a_federal_register_citation_is_volume_fr_page() {
    assert!(is_federal_register_citation("85 FR 83416"));
    for wrong in [
        "",
        "85 FR",
        "FR 83416",
        "85 F.R. 83416",
        "85 FR 83416, 12/22/20",
        "85  FR 83416",
    ] {
        assert!(!is_federal_register_citation(wrong), "{wrong:?}");
    }
}

/// Every default listing is cited: a Federal Register citation, the day it
/// took effect, and a regulation source whose abstract gives the same citation.
#[test]
fn every_default_listing_cites_the_federal_register() {
    let dataset = Dataset::default_dataset().unwrap();
    let mut listings = 0;
    for firm in &dataset.firms {
        for listing in &firm.listings {
            listings += 1;
            let what = format!("{} / {}", firm.name, listing.list_name);
            let citation = listing.citation.as_deref().unwrap_or_default();
            assert!(
                is_federal_register_citation(citation),
                "{what}: citation {citation:?}"
            );
            let listed_on = listing.listed_on.as_deref().unwrap_or_default();
            assert_eq!(
                listed_on.len(),
                "2019-05-16".len(),
                "{what}: date {listed_on:?}"
            );
            let source = dataset
                .sources
                .iter()
                .find(|s| s.key == listing.source)
                .unwrap_or_else(|| panic!("{what}: no source {}", listing.source));
            assert_eq!(source.kind, SourceKind::Regulation, "{what}");
            assert!(
                source
                    .r#abstract
                    .as_deref()
                    .unwrap_or_default()
                    .contains(citation),
                "{what}: the source's abstract does not give {citation}"
            );
        }
    }
    assert!(listings >= 6, "{listings} listings");
}

/// The listings the issue found missing (SMIC showed "unknown" on Compare)
/// reach the comparison, and so do the other verified ones.
#[test]
fn listed_firms_show_their_entity_list_listing_on_compare() {
    let store = seeded_store();
    for (firm, expected) in [
        ("Huawei", "Entity List (2019-05-16)"),
        ("Hygon", "Entity List (2019-06-24)"),
        ("SMIC", "Entity List (2020-12-18)"),
        ("Cambricon", "Entity List (2022-12-16)"),
        ("Biren", "Entity List (2023-10-17)"),
        ("Moore Threads", "Entity List (2023-10-17)"),
    ] {
        let matrix = compare::compute(
            &store,
            &ComparisonSelection {
                firm_ids: vec![firm_id(&store, firm)],
                dimensions: vec!["profile:listings".into()],
                filters: ComparisonFilters::default(),
            },
        )
        .unwrap();
        assert_eq!(matrix.rows[0][0].value, expected, "{firm}");
    }
}

#[test]
fn a_broken_dataset_lands_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let json = chipwatch_core::dataset::DEFAULT_DATASET_JSON.replace(
        "\"sources\": [\"bis-2019-huawei\"]",
        "\"sources\": [\"no-such-source\"]",
    );
    let broken = Dataset::parse(&json).unwrap();
    let error = dataset::load(&mut store, &broken).err().unwrap();
    assert!(error.to_string().contains("no-such-source"), "{error}");
    assert_eq!(
        workspace::stats(&store).unwrap(),
        Stats::default(),
        "the transaction must roll back whole"
    );
}

#[test]
fn a_claim_without_a_source_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let json = chipwatch_core::dataset::DEFAULT_DATASET_JSON.replacen(
        "\"sources\": [\"epoch-hardware\"]",
        "\"sources\": []",
        1,
    );
    let error = dataset::load(&mut store, &Dataset::parse(&json).unwrap())
        .err()
        .unwrap();
    assert!(
        matches!(error, Error::Dataset(ref m) if m.contains("cites no source")),
        "{error}"
    );
}

#[test]
fn malformed_json_names_the_line() {
    let error = Dataset::parse("{\n  \"version\": 1,\n  \"firms\": [ }")
        .err()
        .unwrap();
    assert!(error.to_string().contains("line 3"), "{error}");
}

/// Rust and the database agree that an access date is a full day: a partial one
/// is refused by the loader with the field named, not by a raw CHECK error.
#[test]
fn a_partial_access_date_is_refused_with_its_field() {
    let mut json: serde_json::Value =
        serde_json::from_str(chipwatch_core::dataset::DEFAULT_DATASET_JSON).unwrap();
    json["sources"][0]["accessedOn"] = "2023-10".into();
    let dataset = Dataset::parse(&json.to_string()).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let error = dataset::load(&mut store, &dataset).err().unwrap();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert!(error.to_string().contains(".accessedOn: "), "{error}");
    assert!(error.to_string().contains("YYYY-MM-DD"), "{error}");
    assert_eq!(
        workspace::stats(&store).unwrap(),
        Stats::default(),
        "nothing landed"
    );
}

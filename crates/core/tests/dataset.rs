#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::collections::HashMap;

use chipwatch_core::dataset::{self, Dataset};
use chipwatch_core::model::Stats;
use chipwatch_core::{chips, workspace, Error, Store};
use common::*;

#[test]
fn the_default_dataset_seeds_the_article_world() {
    let store = seeded_store();
    let stats = workspace::stats(&store).unwrap();
    assert_eq!(
        stats,
        Stats {
            firms: 10,
            strategies: 4,
            assessments: 5,
            chips: 8,
            sources: 6,
            notes: 3,
            events: 8,
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

/// The seeded chip figures must agree with Epoch's own TPP column (bit-OP/s / 10^12).
#[test]
fn seeded_chip_figures_match_the_epoch_dataset() {
    let csv_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/data/epoch-ml-hardware.csv");
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (name_col, tpp_col, die_col) = (
        column("Hardware name"),
        column("Total processing performance (bit-OP/s)"),
        column("Die Size (mm^2)"),
    );
    let mut epoch: HashMap<String, (f64, Option<f64>)> = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let tpp = record[tpp_col].parse::<f64>().unwrap_or(f64::NAN) / 1e12;
        epoch.insert(
            record[name_col].to_string(),
            (tpp, record[die_col].parse().ok()),
        );
    }
    let epoch_names = [
        ("Ascend 910", "Huawei Ascend 910"),
        ("Ascend 910B", "Huawei Ascend 910B"),
        ("Hanguang 800", "T-Head Hanguang 800"),
        ("Kunlun I", "Baidu Kunlun I"),
        ("Kunlun II", "Baidu Kunlun II"),
        ("A100", "NVIDIA A100 SXM4 40 GB"),
        ("H100", "NVIDIA H100 SXM5 80GB"),
        ("H20", "NVIDIA HGX H20"),
    ];
    let store = seeded_store();
    let seeded = chips::list(&store, None).unwrap();
    assert_eq!(seeded.len(), epoch_names.len());
    for (ours, theirs) in epoch_names {
        let chip = seeded.iter().find(|c| c.name == ours).unwrap();
        let (tpp, die) = epoch[theirs];
        let our_tpp = chip.metrics.tpp.unwrap();
        assert!(
            (our_tpp - tpp).abs() < 0.5,
            "{ours}: TPP {our_tpp} vs Epoch {tpp}"
        );
        assert_eq!(chip.die_area_mm2, die, "{ours}: die area");
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

//! Chips from Epoch AI's ML hardware CSV as published (src/import/chips.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chipwatch_core::import::{self, DuplicatePolicy, ImportOptions, ImportReport};
use chipwatch_core::workspace::{self, Seed};
use chipwatch_core::{chips, Store};
use common::*;

fn epoch_csv() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/data/epoch-ml-hardware.csv")
}

fn import_chips(store: &mut Store, options: &ImportOptions) -> ImportReport {
    import::import_chips(
        store,
        &epoch_csv(),
        options,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

/// Epoch's own TPP column (bit-OP/s / 10^12) by hardware name.
fn epoch_tpp() -> HashMap<String, f64> {
    let mut reader = csv::Reader::from_path(epoch_csv()).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (name, tpp) = (
        column("Hardware name"),
        column("Total processing performance (bit-OP/s)"),
    );
    reader
        .records()
        .map(|r| r.unwrap())
        .filter_map(|r| {
            r[tpp]
                .parse::<f64>()
                .ok()
                .map(|t| (r[name].to_owned(), t / 1e12))
        })
        .collect()
}

#[test]
fn every_epoch_row_becomes_a_chip_with_our_own_tpp() {
    let (_dir, path) = temp_workspace();
    let (mut store, _) = workspace::open_or_init(&path, Seed::Empty).unwrap();
    let report = import_chips(&mut store, &ImportOptions::default());
    assert_eq!(
        (
            report.read,
            report.added,
            report.rejected,
            report.duplicates
        ),
        (169, 169, 0, 0),
        "{:?}",
        report.problems
    );
    assert!(
        report.created_firms.contains(&"Moore Threads".to_owned()),
        "{:?}",
        report.created_firms
    );
    assert!(report.created_firms.contains(&"TSMC".to_owned()));
    assert!(report
        .warnings
        .iter()
        .any(|w| w.contains("GroqChip LPU v1") && w.contains("no manufacturer")));

    let all = chips::list(&store, None).unwrap();
    assert_eq!(all.len(), 169);
    // Our TPP (max over precisions of TOPS x bit length) against Epoch's column.
    let theirs = epoch_tpp();
    let mut compared = 0;
    let mut agree = 0;
    for chip in &all {
        let hardware = chip.notes.lines().last().unwrap();
        let name = hardware
            .rsplit_once("('")
            .unwrap()
            .1
            .trim_end_matches("').");
        if let (Some(ours), Some(epoch)) = (chip.metrics.tpp, theirs.get(name)) {
            compared += 1;
            if (ours - epoch).abs() <= epoch * 0.01 {
                agree += 1;
            }
        }
    }
    assert!(compared > 120, "{compared}");
    assert!(
        agree * 100 >= compared * 90,
        "{agree} of {compared} agree with Epoch's TPP"
    );

    let by_name = |name: &str| {
        all.iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    // Exponent numbers: 1.5e+16 FP4 OP/s is 15,000 TOPS at 4 bits.
    let gb300 = by_name("GB300");
    assert_eq!(
        (gb300.peak_dense_tops, gb300.peak_bit_width),
        (Some(15_000.0), Some(4))
    );
    assert_eq!(gb300.metrics.tpp, Some(60_000.0));
    // A multi-line quoted note is kept whole.
    assert!(
        gb300
            .notes
            .contains("without sparsity.\n\nhttps://resources.nvidia.com"),
        "{}",
        gb300.notes
    );
    // The seeded chips' figures as the dataset test checks them.
    assert!((by_name("Ascend 910").metrics.tpp.unwrap() - theirs["Huawei Ascend 910"]).abs() < 0.5);
    // "Moore Threads (Tencent)" is Moore Threads; a row without a date has none.
    assert_eq!(by_name("MTT S4000").firm.name, "Moore Threads");
    assert!(all.iter().any(|c| c.announced_on.is_none()));
    // "SMIC,TSMC": the first is the foundry, both are noted.
    let both = all
        .iter()
        .find(|c| c.notes.contains("Foundries: SMIC, TSMC"))
        .unwrap();
    assert_eq!(both.foundry.as_ref().unwrap().name, "SMIC");
    // Every chip cites the Epoch dataset.
    assert!(all.iter().all(|c| c.source_ids.len() == 1));
    assert!(workspace::check(&path).unwrap().is_healthy());
}

#[test]
fn manufacturers_match_existing_firms_by_alias_and_seeded_chips_are_duplicates() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let before = workspace::stats(&store).unwrap();
    let report = import_chips(&mut store, &ImportOptions::default());
    assert_eq!(report.added + report.duplicates, 169);
    // Ascend 910, 910B, Hanguang 800, Kunlun I and II, and one A100 are in the seed.
    let seeded: Vec<&str> = report
        .duplicate_rows
        .iter()
        .map(|d| d.existing.as_ref().unwrap().title.as_str())
        .collect();
    for name in [
        "Ascend 910",
        "Ascend 910B",
        "Hanguang 800",
        "Kunlun I",
        "Kunlun II",
        "A100",
    ] {
        assert!(seeded.contains(&name), "{name} in {seeded:?}");
    }
    let all = chips::list(&store, None).unwrap();
    // "Kunlunxin Baidu" is an alias of Kunlunxin; "T-Head Hanguang" is Alibaba's T-Head.
    let kunlun: Vec<&str> = all
        .iter()
        .filter(|c| c.name.starts_with("Kunlun"))
        .map(|c| c.firm.name.as_str())
        .collect();
    assert!(
        kunlun.len() >= 8 && kunlun.iter().all(|f| *f == "Kunlunxin"),
        "{kunlun:?}"
    );
    assert!(!report
        .created_firms
        .iter()
        .any(|f| f.contains("Kunlunxin") || f == "SMIC" || f == "TSMC"));
    // The seed's own Epoch source is cited, not a second one.
    assert_eq!(workspace::stats(&store).unwrap().sources, before.sources);

    // Again, with fill: every row is a duplicate now.
    let again = import_chips(
        &mut store,
        &ImportOptions {
            on_duplicate: DuplicatePolicy::Fill,
            ..ImportOptions::default()
        },
    );
    assert_eq!((again.added, again.duplicates), (0, 169));

    // The seeded chips hold every figure Epoch has for them: nothing to fill.
    assert_eq!(again.updated, 0);
    let second = import::undo(&mut store, again.batch.unwrap(), false).unwrap();
    assert_eq!((second.removed_chips, second.reverted_fills), (0, 0));
    // Undo of the first batch takes its chips and the firms it created, nothing else.
    let undone = import::undo(&mut store, report.batch.unwrap(), false).unwrap();
    assert_eq!(undone.removed_chips as u64, report.added);
    let mut after = workspace::stats(&store).unwrap();
    after.import_batches = 0;
    assert_eq!(after, before);
    assert!(workspace::check(&path).unwrap().is_healthy());
}

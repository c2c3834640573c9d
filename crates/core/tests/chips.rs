#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::chips;
use chipwatch_core::model::{ChipDraft, ChipPurpose};
use chipwatch_core::{workspace, Error};
use common::*;

fn draft(firm_id: i64, name: &str) -> ChipDraft {
    ChipDraft {
        firm_id,
        name: name.into(),
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
        source_ids: vec![],
    }
}

fn invalid_field(error: Error) -> String {
    match error {
        Error::InvalidInput { field, .. } => field,
        other => panic!("expected invalid input, got {other}"),
    }
}

#[test]
fn the_form_estimates_tpp_density_and_3a090_from_the_typed_figures() {
    // NVIDIA A100: 312 dense FP16 TFLOPS on 826 mm²; H20: 148 dense FP16 TFLOPS.
    let a100 = ChipDraft {
        peak_dense_tops: Some(312.0),
        peak_bit_width: Some(16),
        die_area_mm2: Some(826.0),
        ..draft(1, "A100")
    };
    let m = chips::estimate_metrics(&a100);
    assert_eq!(m.tpp, Some(4992.0));
    assert!((m.performance_density.unwrap() - 6.04).abs() < 0.005);
    assert_eq!(m.rules_met, ["3A090.a.1", "3A090.a.2"]);
    let h20 = ChipDraft {
        peak_dense_tops: Some(148.0),
        peak_bit_width: Some(16),
        ..draft(1, "H20")
    };
    assert_eq!(chips::estimate_metrics(&h20).tpp, Some(2368.0));
    assert_eq!(chips::estimate_metrics(&draft(1, "blank")).tpp, None);
}

#[test]
fn a_chip_is_saved_with_its_sources_and_shows_on_the_firm() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = chipwatch_core::Store::open(&path).unwrap();
    let huawei = firm_id(&store, "Huawei");
    let smic = firm_id(&store, "SMIC");
    let source = chipwatch_core::sources::list(&store, Some(1)).unwrap()[0].id;
    let typed = ChipDraft {
        purpose: Some(ChipPurpose::Training),
        process_node_nm: Some(7.0),
        foundry_firm_id: Some(smic),
        announced_on: Some("2025-04".into()),
        peak_dense_tops: Some(780.0),
        peak_bit_width: Some(16),
        die_area_mm2: Some(1000.0),
        notes: TRICKY.into(),
        source_ids: vec![source, source],
        ..draft(huawei, "Ascend 920 测试")
    };
    let saved = chips::save(&mut store, None, None, &typed).unwrap();
    assert_eq!(
        saved.draft.source_ids,
        [source],
        "a source cited twice counts once"
    );
    assert_eq!(saved.draft.notes, TRICKY);
    let profile = chipwatch_core::profile::load_profile(&store, huawei).unwrap();
    let shown = profile
        .chips
        .iter()
        .find(|c| c.name == "Ascend 920 测试")
        .unwrap();
    assert_eq!(shown.metrics.tpp, Some(12480.0));
    assert!(workspace::check(&path).unwrap().is_healthy());

    let error = chips::save(&mut store, None, None, &typed).unwrap_err();
    assert_eq!(
        invalid_field(error),
        "name",
        "the same firm cannot have two chips of one name"
    );
}

#[test]
fn figures_that_cannot_be_right_are_refused_by_field() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    for (typed, field) in [
        (
            ChipDraft {
                peak_dense_tops: Some(312.0),
                ..draft(huawei, "x")
            },
            "peakBitWidth",
        ),
        (
            ChipDraft {
                peak_bit_width: Some(16),
                ..draft(huawei, "x")
            },
            "peakDenseTops",
        ),
        (
            ChipDraft {
                peak_dense_tops: Some(1.0),
                peak_bit_width: Some(12),
                ..draft(huawei, "x")
            },
            "peakBitWidth",
        ),
        (
            ChipDraft {
                die_area_mm2: Some(-826.0),
                ..draft(huawei, "x")
            },
            "dieAreaMm2",
        ),
        (
            ChipDraft {
                tdp_w: Some(0.0),
                ..draft(huawei, "x")
            },
            "tdpW",
        ),
        (
            ChipDraft {
                announced_on: Some("2023-13".into()),
                ..draft(huawei, "x")
            },
            "announcedOn",
        ),
        (
            ChipDraft {
                foundry_firm_id: Some(9999),
                ..draft(huawei, "x")
            },
            "foundryFirmId",
        ),
        (
            ChipDraft {
                source_ids: vec![9999],
                ..draft(huawei, "x")
            },
            "sourceIds",
        ),
        (draft(huawei, " "), "name"),
        (draft(9999, "x"), "firmId"),
    ] {
        assert_eq!(
            invalid_field(chips::save(&mut store, None, None, &typed).unwrap_err()),
            field
        );
    }
}

#[test]
fn a_chip_is_named_by_name_or_id_and_a_shared_name_asks_for_the_id() {
    let mut store = seeded_store();
    let a100 = chips::resolve(&store, "chip", "a100").unwrap();
    assert_eq!(
        chips::resolve(&store, "chip", &format!("#{a100}")).unwrap(),
        a100
    );
    assert_eq!(
        chips::resolve(&store, "chip", &a100.to_string()).unwrap(),
        a100
    );

    // Another firm's chip of the same name: the name alone no longer says which.
    let huawei = firm_id(&store, "Huawei");
    let copy = chips::save(&mut store, None, None, &draft(huawei, "A100")).unwrap();
    let error = chips::resolve(&store, "chip", "A100").unwrap_err();
    let message = error.to_string();
    assert_eq!(invalid_field(error), "chip");
    assert!(
        message.contains(&a100.to_string()) && message.contains(&copy.id.to_string()),
        "{message}"
    );
    let error = chips::resolve(&store, "chip", "Ascend 9999").unwrap_err();
    assert!(error.to_string().contains("'Ascend 9999'"), "{error}");
    assert_eq!(invalid_field(error), "chip");
}

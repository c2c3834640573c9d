#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
mod compare_data;

use chipwatch_core::compare::sample::{generate_firms, FirmSampleSpec};
use chipwatch_core::compare::saved::{self, ComparisonDraft};
use chipwatch_core::compare::{
    self, CellState, ComparisonFilters, ComparisonMatrix, ComparisonSelection, DimensionGroup,
    ValuePart,
};
use chipwatch_core::model::{Id, Stance, TrashKind};
use chipwatch_core::sample::{self, SampleSpec};
use chipwatch_core::vocabulary::{NOT_APPLICABLE, NOT_RECORDED};
use chipwatch_core::{trash, workspace, AppError, Error, ErrorKind, Store};
use common::*;
use compare_data::*;

fn selection(firm_ids: &[Id], dimensions: &[&str]) -> ComparisonSelection {
    ComparisonSelection {
        firm_ids: firm_ids.to_vec(),
        dimensions: dimensions.iter().map(|d| d.to_string()).collect(),
        filters: ComparisonFilters::default(),
    }
}

fn cell<'a>(
    matrix: &'a ComparisonMatrix,
    firm: Id,
    dimension: &str,
) -> &'a compare::ComparisonCell {
    let i = matrix.firms.iter().position(|f| f.id == firm).unwrap();
    let j = matrix
        .dimensions
        .iter()
        .position(|d| d.id == dimension)
        .unwrap_or_else(|| panic!("no dimension {dimension}"));
    &matrix.rows[i][j]
}

#[test]
fn dimensions_are_profile_then_each_strategy_then_chips_then_activity() {
    let store = seeded_store();
    let dimensions = compare::dimensions(&store).unwrap();
    let strategies = chipwatch_core::strategies::list(&store, None).unwrap();
    assert_eq!(dimensions.len(), 3 + 3 * strategies.len() + 7);
    let groups: Vec<DimensionGroup> = dimensions.iter().map(|d| d.group).collect();
    let mut sorted = groups.clone();
    sorted.dedup();
    assert_eq!(
        sorted,
        [
            DimensionGroup::Profile,
            DimensionGroup::Strategy,
            DimensionGroup::Chips,
            DimensionGroup::Activity
        ]
    );
    let first = &strategies[0];
    let stance = dimensions
        .iter()
        .find(|d| d.id == format!("strategy:{}:stance", first.id))
        .unwrap();
    assert_eq!(stance.label, format!("{}: stance", first.name));
    assert_eq!(stance.strategy_id, Some(first.id));
    assert!(dimensions
        .iter()
        .any(|d| d.id == "chips:bestTpp" && d.numeric));
    assert!(dimensions.iter().all(|d| !d.label.is_empty()));
}

#[test]
fn the_seeded_firms_compare_with_sources_behind_their_claims() {
    let store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let smic = firm_id(&store, "SMIC");
    let matrix = compare::compute(
        &store,
        &ComparisonSelection {
            firm_ids: vec![huawei, smic],
            ..ComparisonSelection::default()
        },
    )
    .unwrap();
    assert_eq!(matrix.firms.len(), 2);
    assert_eq!(matrix.rows[0].len(), matrix.dimensions.len());
    let in_house = chipwatch_core::strategies::list(&store, None).unwrap()[0].id;
    let stance = cell(&matrix, huawei, &format!("strategy:{in_house}:stance"));
    assert_eq!(stance.state, CellState::Known);
    assert_eq!(stance.stance, Some(Stance::Active));
    assert_eq!(stance.value, "Active");
    assert!(!stance.sources.is_empty(), "a stance cites its evidence");
    let tpp = cell(&matrix, huawei, "chips:bestTpp");
    assert_eq!(tpp.state, CellState::Known);
    assert!(tpp.number.unwrap() > 4000.0, "{tpp:?}");
    assert!(tpp.detail.as_deref().unwrap().starts_with("Ascend"));
    assert!(!tpp.sources.is_empty());
    let foundries = cell(&matrix, huawei, "chips:foundries");
    assert!(foundries.value.contains("SMIC"), "{foundries:?}");
    // SMIC designs no chips: the chip figures do not apply to it.
    assert_eq!(
        cell(&matrix, smic, "chips:bestTpp").state,
        CellState::NotApplicable
    );

    // The sources behind the stance: titles, grades, and what they back.
    let behind =
        compare::cell_sources(&store, huawei, &format!("strategy:{in_house}:stance")).unwrap();
    assert_eq!(
        behind.iter().map(|s| s.source.id).collect::<Vec<_>>(),
        stance.sources
    );
    assert!(behind.iter().all(|s| s.claim.starts_with("assessment: ")));
}

#[test]
fn unknown_and_not_applicable_are_distinct() {
    let mut store = Store::open_in_memory().unwrap();
    let s = strategy(&mut store, "In-house chips");
    let parent = firm(&mut store, "Parent Co", None, Some("CN"));
    let assessed = firm_with(&mut store, "Assessed", None, None, Some(parent), &[], &[]);
    let blank = firm(&mut store, "Blank", None, None);
    assess(
        &mut store,
        assessed,
        s,
        Stance::Exploring,
        Some("2024-02"),
        &[],
    );
    // A chip without figures, node or foundry.
    chip(
        &mut store,
        assessed,
        "X1",
        None,
        None,
        None,
        None,
        None,
        &[],
    );

    let matrix = compare::compute(&store, &selection(&[assessed, blank], &[])).unwrap();
    let state = |firm, dimension: &str| cell(&matrix, firm, dimension).state;
    let stance = format!("strategy:{s}:stance");
    let evidence = format!("strategy:{s}:evidence");
    let newest = format!("strategy:{s}:newestEvidence");

    // Assessed, with no evidence: the stance is known, its evidence counts 0,
    // its newest evidence is not recorded.
    assert_eq!(state(assessed, &stance), CellState::Known);
    assert_eq!(cell(&matrix, assessed, &evidence).number, Some(0.0));
    assert_eq!(state(assessed, &evidence), CellState::Known);
    assert_eq!(state(assessed, &newest), CellState::NotRecorded);
    // Never assessed: the stance is not recorded; evidence of it does not apply.
    assert_eq!(state(blank, &stance), CellState::NotRecorded);
    assert_eq!(state(blank, &evidence), CellState::NotApplicable);
    assert_eq!(state(blank, &newest), CellState::NotApplicable);
    // A chip without figures: not recorded; no chips at all: not applicable.
    for dimension in [
        "chips:bestTpp",
        "chips:rules3a090",
        "chips:processNode",
        "chips:foundries",
    ] {
        assert_eq!(
            state(assessed, dimension),
            CellState::NotRecorded,
            "{dimension}"
        );
        assert_eq!(
            state(blank, dimension),
            CellState::NotApplicable,
            "{dimension}"
        );
    }
    // No country recorded: not recorded. No parent: not applicable.
    assert_eq!(state(blank, "profile:country"), CellState::NotRecorded);
    assert_eq!(state(blank, "profile:parent"), CellState::NotApplicable);
    assert_eq!(cell(&matrix, assessed, "profile:parent").value, "Parent Co");
    assert_eq!(state(blank, "profile:listings"), CellState::NotRecorded);
    // Each state has one word, the vocabulary's, whatever the dimension.
    for (index, dimension) in matrix.dimensions.iter().enumerate() {
        for row in &matrix.rows {
            let cell = &row[index];
            match cell.state {
                CellState::NotRecorded => assert_eq!(cell.value, NOT_RECORDED, "{}", dimension.id),
                CellState::NotApplicable => {
                    assert_eq!(cell.value, NOT_APPLICABLE, "{}", dimension.id)
                }
                CellState::Known => {}
            }
        }
    }
    assert_ne!(
        cell(&matrix, blank, "chips:bestTpp").value,
        cell(&matrix, assessed, "chips:bestTpp").value,
        "the two states read differently too"
    );
    // Counts are always known, zero included.
    assert_eq!(cell(&matrix, blank, "activity:events").number, Some(0.0));
    assert_eq!(state(blank, "activity:events"), CellState::Known);
}

#[test]
fn chip_cells_pick_the_best_figures_and_the_3a090_parameters() {
    let mut store = Store::open_in_memory().unwrap();
    let fab = firm(&mut store, "Fab", None, Some("CN"));
    let designer = firm(&mut store, "Designer", None, Some("CN"));
    let sub = firm_with(
        &mut store,
        "Designer Sub",
        None,
        None,
        Some(designer),
        &[],
        &[],
    );
    let s1 = source(
        &mut store,
        "Spec sheet",
        Some("2023-08"),
        Some("https://example.org/a"),
    );
    let s2 = source(&mut store, "Teardown", Some("2024-01-05"), None);
    // 312 TOPS at 16 bits = TPP 4992 over 665 mm²: 3A090.a.1 and a.2.
    chip(
        &mut store,
        designer,
        "Big",
        Some((312.0, 16)),
        Some(665.0),
        Some(7.0),
        Some(fab),
        Some("2023-08"),
        &[s1],
    );
    chip(
        &mut store,
        sub,
        "Small",
        Some((100.0, 8)),
        Some(400.0),
        Some(5.0),
        None,
        Some("2024-01"),
        &[s2],
    );
    let matrix = compare::compute(&store, &selection(&[designer], &[])).unwrap();
    let tpp = cell(&matrix, designer, "chips:bestTpp");
    assert_eq!((tpp.number, tpp.value.as_str()), (Some(4992.0), "4992"));
    assert_eq!(tpp.detail.as_deref(), Some("Big"));
    assert_eq!(tpp.sources, vec![s1]);
    assert_eq!(tpp.as_of.as_deref(), Some("2023-08"));
    let rules = cell(&matrix, designer, "chips:rules3a090");
    assert_eq!(rules.value, "3A090.a.1, 3A090.a.2");

    // A firm whose chip has a TPP between 1600 and 4800 and no die area: the
    // density paragraphs are undetermined, never "none met" alone (H20).
    let h20_maker = firm(&mut store, "H20 maker", None, Some("US"));
    chip(
        &mut store,
        h20_maker,
        "H20",
        Some((148.0, 16)),
        None,
        Some(4.0),
        None,
        Some("2023-11"),
        &[s1],
    );
    let undecided = compare::compute(&store, &selection(&[h20_maker], &[])).unwrap();
    let rules = cell(&undecided, h20_maker, "chips:rules3a090");
    assert_eq!(rules.value, "none met; a.2, b.2 undetermined: no die area");
    assert_eq!(rules.detail.as_deref(), Some("H20 (no die area)"));
    // The subsidiary's chip counts as the firm's (the firm_chips rule).
    let node = cell(&matrix, designer, "chips:processNode");
    assert_eq!(
        (node.number, node.detail.as_deref()),
        (Some(5.0), Some("Small"))
    );
    assert_eq!(node.sources, vec![s2]);
    assert_eq!(cell(&matrix, designer, "chips:foundries").value, "Fab");
}

#[test]
fn a_cell_is_stale_when_its_newest_evidence_may_predate_the_cutoff() {
    let mut store = Store::open_in_memory().unwrap();
    let s = strategy(&mut store, "Domestic manufacturing");
    let old = source(&mut store, "Old report", Some("2023-06-01"), None);
    let year_only = source(&mut store, "Annual review", Some("2023"), None);
    let fresh = source(&mut store, "New report", Some("2024-03"), None);
    let undated = source(&mut store, "Undated memo", None, None);
    let a = firm(&mut store, "Old News", None, None);
    let b = firm(&mut store, "Fresh News", None, None);
    let c = firm(&mut store, "Year Only", None, None);
    let d = firm(&mut store, "No Dates", None, None);
    assess(&mut store, a, s, Stance::Active, None, &[(old, None)]);
    // The newest of its evidence counts, not the oldest.
    assess(
        &mut store,
        b,
        s,
        Stance::Active,
        None,
        &[(old, None), (fresh, None)],
    );
    assess(&mut store, c, s, Stance::Active, None, &[(year_only, None)]);
    assess(&mut store, d, s, Stance::Active, None, &[(undated, None)]);
    let stance = format!("strategy:{s}:stance");
    let mut chosen = selection(&[a, b, c, d], &[&stance]);

    let stale = |store: &Store, chosen: &ComparisonSelection| -> Vec<bool> {
        let matrix = compare::compute(store, chosen).unwrap();
        matrix.rows.iter().map(|row| row[0].stale).collect()
    };
    assert_eq!(stale(&store, &chosen), [false; 4], "no rule, nothing stale");

    // Before the October 2023 rule: June 2023 is stale, March 2024 is not,
    // "2023" may be before 17 October so it is flagged, undated cannot be judged.
    chosen.filters.stale_before = Some("2023-10-17".into());
    assert_eq!(stale(&store, &chosen), [true, false, true, false]);

    // By age: everything here is more than a year old today; nothing is 100,000 days old.
    chosen.filters.stale_before = None;
    chosen.filters.stale_after_days = Some(365);
    assert_eq!(stale(&store, &chosen), [true, true, true, false]);
    chosen.filters.stale_after_days = Some(100_000);
    assert_eq!(stale(&store, &chosen), [false; 4]);

    // Falls back to the claim's own date when its sources are undated.
    let e = firm(&mut store, "Dated Claim", None, None);
    assess(
        &mut store,
        e,
        s,
        Stance::Active,
        Some("2022-01"),
        &[(undated, None)],
    );
    let mut only_e = selection(&[e], &[&stance]);
    only_e.filters.stale_before = Some("2023-10-17".into());
    assert_eq!(stale(&store, &only_e), [true]);
}

#[test]
fn activity_counts_the_date_window_with_partial_dates() {
    let mut store = Store::open_in_memory().unwrap();
    let firm_id = firm(&mut store, "Counted", None, None);
    let other = firm(&mut store, "Other", None, None);
    let in_2022 = source(&mut store, "2022 source", Some("2022-05"), None);
    let in_2023 = source(&mut store, "2023 source", Some("2023-11-02"), None);
    let undated = source(&mut store, "Undated", None, None);
    event(&mut store, "2022-05-01", &[firm_id], &[in_2022]);
    event(&mut store, "2023", &[firm_id], &[in_2023, undated]);
    event(&mut store, "2024-02", &[firm_id, other], &[]);
    note_about(&mut store, "Counted");
    let dims = ["activity:sources", "activity:events", "activity:notes"];
    let counts = |filters: ComparisonFilters| -> Vec<f64> {
        let mut chosen = selection(&[firm_id], &dims);
        chosen.filters = filters;
        let matrix = compare::compute(&store, &chosen).unwrap();
        matrix.rows[0].iter().map(|c| c.number.unwrap()).collect()
    };
    // No window: everything, undated sources too.
    assert_eq!(counts(ComparisonFilters::default()), [3.0, 3.0, 1.0]);
    // October to December 2023: the "2023" event overlaps it; dated sources only.
    let q4 = ComparisonFilters {
        from: Some("2023-10".into()),
        to: Some("2023-12".into()),
        ..ComparisonFilters::default()
    };
    assert_eq!(counts(q4), [1.0, 1.0, 0.0]);
    // Open-ended: from 2024 on (the note was written today).
    let since_2024 = ComparisonFilters {
        from: Some("2024".into()),
        ..ComparisonFilters::default()
    };
    assert_eq!(counts(since_2024), [0.0, 1.0, 1.0]);
}

#[test]
fn filters_take_dates_as_the_app_shows_them() {
    let mut store = Store::open_in_memory().unwrap();
    let firm_id = firm(&mut store, "Counted", None, None);
    let in_2023 = source(&mut store, "2023 source", Some("2023-11-02"), None);
    event(&mut store, "2023-10-17", &[firm_id], &[in_2023]);
    let mut chosen = selection(&[firm_id], &["activity:sources", "activity:events"]);
    chosen.filters = ComparisonFilters {
        from: Some("Oct 2023".into()),
        to: Some("2023年12月31日".into()),
        stale_before: Some("17 Oct 2023".into()),
        ..ComparisonFilters::default()
    };
    let matrix = compare::compute(&store, &chosen).unwrap();
    let counts: Vec<f64> = matrix.rows[0].iter().map(|c| c.number.unwrap()).collect();
    assert_eq!(counts, [1.0, 1.0]);
    // A saved comparison keeps them in the stored form.
    let saved = saved::save(
        &mut store,
        None,
        None,
        &ComparisonDraft {
            name: "Shown dates".into(),
            selection: chosen,
        },
    )
    .unwrap();
    let filters = &saved.selection.filters;
    assert_eq!(
        (
            filters.from.as_deref(),
            filters.to.as_deref(),
            filters.stale_before.as_deref()
        ),
        (Some("2023-10"), Some("2023-12-31"), Some("2023-10-17"))
    );
}

#[test]
fn dates_in_a_cell_value_come_as_parts_and_the_value_stays_iso() {
    let mut store = Store::open_in_memory().unwrap();
    let listed = firm_with(
        &mut store,
        "Listed",
        None,
        None,
        None,
        &[],
        &[
            ("Entity List", Some("2019-05-16"), None),
            ("UVL", None, None),
        ],
    );
    let matrix = compare::compute(
        &store,
        &selection(&[listed], &["profile:listings", "profile:country"]),
    )
    .unwrap();
    let listings = cell(&matrix, listed, "profile:listings");
    assert_eq!(listings.value, "UVL; Entity List (2019-05-16)");
    let parts = listings.value_parts.as_deref().unwrap();
    assert!(parts.contains(&ValuePart::Date {
        date: "2019-05-16".into()
    }));
    assert_eq!(ValuePart::join(parts), listings.value);
    assert_eq!(cell(&matrix, listed, "profile:country").value_parts, None);

    // Every cell of the seeded firms: the parts, when given, spell the value.
    let store = seeded_store();
    let every_firm = ComparisonSelection {
        firm_ids: chipwatch_core::firms::list(&store, None)
            .unwrap()
            .iter()
            .map(|f| f.id)
            .collect(),
        ..ComparisonSelection::default()
    };
    let matrix = compare::compute(&store, &every_firm).unwrap();
    let mut dated = 0;
    for cell in matrix.rows.iter().flatten() {
        if let Some(parts) = &cell.value_parts {
            assert_eq!(ValuePart::join(parts), cell.value);
            dated += 1;
        }
    }
    assert!(dated > 0, "some seeded cells hold dates");
}

#[test]
fn bad_filters_and_dimensions_name_the_field() {
    let store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let mut chosen = selection(&[huawei], &[]);
    chosen.filters.from = Some("2023-13".into());
    let error = AppError::from(compare::compute(&store, &chosen).unwrap_err());
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    assert_eq!(error.field.as_deref(), Some("filters.from"));

    chosen.filters.from = Some("2024".into());
    chosen.filters.to = Some("2023".into());
    let error = AppError::from(compare::compute(&store, &chosen).unwrap_err());
    assert_eq!(error.field.as_deref(), Some("filters.to"));
    assert!(
        error.message.contains("before it starts"),
        "{}",
        error.message
    );

    let error = compare::compute(&store, &selection(&[huawei], &["=cmd"])).unwrap_err();
    assert!(matches!(error, Error::InvalidInput { ref field, .. } if field == "dimensions"));
}

#[test]
fn deleted_firms_and_strategies_are_listed_as_missing_not_errors() {
    let mut store = Store::open_in_memory().unwrap();
    let s = strategy(&mut store, "Gone soon");
    let kept = firm(&mut store, "Kept", None, None);
    let gone = firm(&mut store, "Gone", None, None);
    trash::delete(&mut store, TrashKind::Firm, gone).unwrap();
    trash::delete(&mut store, TrashKind::Strategy, s).unwrap();
    let stance = format!("strategy:{s}:stance");
    let matrix = compare::compute(
        &store,
        &selection(&[gone, kept, 999_999], &[&stance, "profile:country"]),
    )
    .unwrap();
    assert_eq!(
        matrix.firms.iter().map(|f| f.id).collect::<Vec<_>>(),
        [kept]
    );
    assert_eq!(matrix.missing_firm_ids, [gone, 999_999]);
    assert_eq!(matrix.missing_dimensions, [stance]);
    assert_eq!(matrix.dimensions.len(), 1);
    // Nothing chosen: an empty matrix, not an error.
    let empty = compare::compute(&store, &ComparisonSelection::default()).unwrap();
    assert!(empty.firms.is_empty() && empty.rows.is_empty());
}

#[test]
fn firms_are_found_by_name_alias_native_name_or_id_with_near_matches() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let tricky = firm_with(
        &mut store,
        TRICKY,
        Some("样本 🚀"),
        None,
        None,
        &["Tricky Alias"],
        &[],
    );
    let found = compare::resolve_firms(
        &store,
        &[
            "huawei".into(),
            "华为".into(),
            "  Tricky   Alias ".into(),
            huawei.to_string(),
            "样本 🚀".into(),
            TRICKY.into(),
        ],
    )
    .unwrap();
    assert_eq!(
        found,
        [huawei, tricky],
        "each firm once, in the order named"
    );

    let error = compare::resolve_firms(&store, &["Huawai".into()]).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("'Huawai'"), "{message}");
    assert!(message.contains("did you mean Huawei"), "{message}");
    let error = compare::resolve_firms(&store, &["Zzyzx Quantum".into()]).unwrap_err();
    assert!(
        error.to_string().contains("chipwatch list firms"),
        "{error}"
    );
}

#[test]
fn firms_with_a_stance_on_a_strategy_are_offered_by_name() {
    let store = seeded_store();
    let in_house = chipwatch_core::strategies::list(&store, None).unwrap()[0].id;
    let firms = compare::firms_with_stance_on(&store, in_house).unwrap();
    assert!(firms.iter().any(|f| f.name == "Huawei"));
    let names: Vec<&str> = firms.iter().map(|f| f.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
}

#[test]
fn saved_comparisons_save_list_load_rename_duplicate_delete() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let baidu = firm_id(&store, "Baidu");
    let draft = ComparisonDraft {
        name: format!("芯片 {TRICKY}"),
        selection: ComparisonSelection {
            firm_ids: vec![baidu, huawei],
            dimensions: vec!["chips:bestTpp".into(), "profile:country".into()],
            filters: ComparisonFilters {
                from: Some("2023".into()),
                stale_before: Some(" 2023-10-17 ".into()),
                ..ComparisonFilters::default()
            },
        },
    };
    let saved = saved::save(&mut store, None, None, &draft).unwrap();
    assert_eq!(saved.selection.firm_ids, [baidu, huawei], "order kept");
    assert_eq!(
        saved.selection.filters.stale_before.as_deref(),
        Some("2023-10-17")
    );
    assert_eq!(saved.last_exported_at, None);
    assert_eq!(saved::load(&store, saved.id).unwrap(), saved);
    assert_eq!(
        saved::find_by_name(&store, &draft.name.to_uppercase())
            .unwrap()
            .map(|s| s.id),
        Some(saved.id)
    );

    // Names are unique ignoring case.
    let mut same = draft.clone();
    same.name = draft.name.to_lowercase();
    let error = AppError::from(saved::save(&mut store, None, None, &same).unwrap_err());
    assert_eq!(error.field.as_deref(), Some("name"));

    // An update on a stale copy is refused.
    let mut changed = draft.clone();
    changed.selection.firm_ids = vec![huawei];
    let updated = saved::save(&mut store, Some(saved.id), Some(saved.revision), &changed).unwrap();
    assert_eq!(updated.selection.firm_ids, [huawei]);
    let error =
        saved::save(&mut store, Some(saved.id), Some(saved.revision), &changed).unwrap_err();
    assert_eq!(AppError::from(error).kind, ErrorKind::Conflict);

    let renamed = saved::rename(&mut store, saved.id, "Renamed").unwrap();
    assert_eq!(renamed.name, "Renamed");
    let copy = saved::duplicate(&mut store, saved.id, None).unwrap();
    assert_eq!(copy.name, "Renamed (copy)");
    assert_eq!(copy.selection, renamed.selection);
    let second = saved::duplicate(&mut store, saved.id, None).unwrap();
    assert_eq!(second.name, "Renamed (copy 2)");
    let names: Vec<String> = saved::list(&store)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    // By name ignoring case: " 2)" sorts before ")".
    assert_eq!(names, ["Renamed", "Renamed (copy 2)", "Renamed (copy)"]);

    saved::delete(&mut store, copy.id).unwrap();
    assert!(matches!(
        saved::load(&store, copy.id),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        saved::delete(&mut store, copy.id),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(
        chipwatch_core::workspace::stats(&store)
            .unwrap()
            .comparisons,
        2
    );

    // A bad dimension or a deleted firm is refused by the form.
    let mut bad = draft.clone();
    bad.name = "Bad".into();
    bad.selection.dimensions = vec!["strategy:x:stance".into()];
    let error = AppError::from(saved::save(&mut store, None, None, &bad).unwrap_err());
    assert_eq!(error.field.as_deref(), Some("selection.dimensions"));
    bad.selection.dimensions.clear();
    bad.selection.firm_ids = vec![987_654];
    let error = AppError::from(saved::save(&mut store, None, None, &bad).unwrap_err());
    assert_eq!(error.field.as_deref(), Some("selection.firmIds"));
}

/// A firm deleted to the Trash leaves its comparisons and comes back into them
/// on restore, even after the comparison was saved meanwhile; `chipwatch
/// check` finds nothing wrong at any point.
#[test]
fn the_trash_takes_a_firm_out_of_comparisons_and_brings_it_back() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let ids: Vec<Id> = ["Huawei", "Baidu", "Alibaba", "Tencent"]
        .iter()
        .map(|n| firm_id(&store, n))
        .collect();
    let draft = ComparisonDraft {
        name: "Big four".into(),
        selection: selection(&ids, &[]),
    };
    let first = saved::save(&mut store, None, None, &draft).unwrap();
    let impact = trash::impact(&store, TrashKind::Firm, ids[1]).unwrap();
    assert!(
        impact.items.iter().any(|i| i.text.contains("comparison")),
        "the impact names the comparison: {:?}",
        impact.items
    );
    let entry = trash::delete(&mut store, TrashKind::Firm, ids[1]).unwrap();
    let after = saved::load(&store, first.id).unwrap();
    assert_eq!(after.selection.firm_ids, [ids[0], ids[2], ids[3]]);
    assert!(workspace::check(&path).unwrap().is_healthy());

    // Saved meanwhile: Baidu's old position now belongs to another firm.
    saved::save(
        &mut store,
        Some(after.id),
        Some(after.revision),
        &ComparisonDraft {
            name: "Big four".into(),
            selection: after.selection.clone(),
        },
    )
    .unwrap();
    trash::restore(&mut store, entry.id).unwrap();
    let restored = saved::load(&store, first.id).unwrap();
    let mut firm_ids = restored.selection.firm_ids.clone();
    firm_ids.sort_unstable();
    let mut expected = ids.clone();
    expected.sort_unstable();
    assert_eq!(firm_ids, expected, "the firm is back in the comparison");
    drop(store);
    let report = workspace::check(&path).unwrap();
    assert!(report.is_healthy(), "{report:?}");
}

#[test]
fn two_hundred_firms_by_sixty_dimensions() {
    let mut store = Store::open_in_memory().unwrap();
    sample::generate(
        &mut store,
        &SampleSpec {
            sources: 2_000,
            notes: 200,
            seed: 7,
        },
    )
    .unwrap();
    let (firm_ids, summary) = generate_firms(
        &mut store,
        &FirmSampleSpec {
            firms: 200,
            strategies: 17,
            seed: 11,
        },
    )
    .unwrap();
    assert_eq!(summary.firms, 200);
    let all = compare::dimensions(&store).unwrap();
    assert!(all.len() >= 60, "{}", all.len());
    let dimensions: Vec<String> = all.iter().take(60).map(|d| d.id.clone()).collect();
    let mut chosen = ComparisonSelection {
        firm_ids: firm_ids.clone(),
        dimensions,
        filters: ComparisonFilters {
            from: Some("2019".into()),
            stale_before: Some("2023-10-17".into()),
            ..ComparisonFilters::default()
        },
    };
    let matrix = compare::compute(&store, &chosen).unwrap();
    assert_eq!(matrix.firms.len(), 200);
    assert_eq!(matrix.dimensions.len(), 60);
    assert!(matrix.rows.iter().all(|row| row.len() == 60));
    let cells = matrix.rows.iter().flatten();
    let known = cells
        .clone()
        .filter(|c| c.state == CellState::Known)
        .count();
    let stale = cells.clone().filter(|c| c.stale).count();
    assert!(known > 6_000 && stale > 0, "known {known}, stale {stale}");
    // Every cited source exists and every stale cell is known.
    assert!(cells
        .clone()
        .all(|c| !c.stale || c.state == CellState::Known));

    // The matrix agrees with what one firm alone gives.
    chosen.firm_ids = vec![firm_ids[42]];
    let alone = compare::compute(&store, &chosen).unwrap();
    assert_eq!(alone.rows[0], matrix.rows[42]);
}

#[test]
fn evidence_carries_the_locator_and_an_excerpt_of_the_source() {
    let mut store = Store::open_in_memory().unwrap();
    let s = strategy(&mut store, "In-house chips");
    let f = firm(&mut store, "华为 Test", None, None);
    let long = source(&mut store, "Long abstract", Some("2024"), None);
    let bare = source(&mut store, "No abstract", Some("2024"), None);
    let text = format!(
        "Huawei's \"Ascend\" line, made by SMIC 🚀,\n\n{}",
        "uses 7 nm parts; 产能有限。 ".repeat(40)
    );
    store
        .write(|tx| {
            tx.execute(
                "UPDATE sources SET abstract = ?1 WHERE id = ?2",
                rusqlite::params![text, long],
            )?;
            Ok(())
        })
        .unwrap();
    assess(
        &mut store,
        f,
        s,
        Stance::Active,
        Some("2024-05"),
        &[(long, Some("p. 12, §3 “Supply”")), (bare, None)],
    );
    let behind = compare::cell_sources(&store, f, &format!("strategy:{s}:stance")).unwrap();
    let long_item = behind.iter().find(|i| i.source.id == long).unwrap();
    assert_eq!(long_item.locator.as_deref(), Some("p. 12, §3 “Supply”"));
    let excerpt = long_item.excerpt.as_deref().unwrap();
    assert!(
        excerpt.starts_with("Huawei's \"Ascend\" line, made by SMIC 🚀, uses 7 nm"),
        "{excerpt}"
    );
    assert!(excerpt.ends_with('…'), "cut: {excerpt}");
    assert!(excerpt.chars().count() <= compare::EXCERPT_CHARS + 1);
    let bare_item = behind.iter().find(|i| i.source.id == bare).unwrap();
    assert_eq!(
        (bare_item.locator.as_deref(), bare_item.excerpt.as_deref()),
        (None, None)
    );
}

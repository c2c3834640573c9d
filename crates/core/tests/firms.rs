#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::firms::{self, list};
use chipwatch_core::model::{FirmDraft, FirmKind, FirmOrder, FirmSort, FirmSummary, ListingDraft};
use chipwatch_core::{workspace, Error, Store};
use common::*;

#[test]
fn the_list_is_sorted_by_name_with_counts_and_parents() {
    let store = seeded_store();
    let firms = list(&store, None).unwrap();
    let names: Vec<&str> = firms.iter().map(|f| f.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    let huawei = firms.iter().find(|f| f.name == "Huawei").unwrap();
    assert_eq!(
        (
            huawei.native_name.as_deref(),
            huawei.chip_count,
            huawei.listing_count
        ),
        (Some("华为"), 3, 1)
    );
    let hisilicon = firms.iter().find(|f| f.name == "HiSilicon").unwrap();
    assert_eq!(
        hisilicon.parent.as_ref().map(|p| p.name.as_str()),
        Some("Huawei")
    );
    assert_eq!(list(&store, Some(3)).unwrap().len(), 3);
}

fn sorted(store: &Store, sort: FirmSort, descending: bool) -> Vec<FirmSummary> {
    firms::list_sorted(store, FirmOrder { sort, descending }, None).unwrap()
}

#[test]
fn the_list_sorts_by_each_column_with_ties_by_name_and_missing_values_last() {
    let mut store = seeded_store();
    // A firm with no country and no parent, a Chinese name and more chips than any other.
    let stateless = firms::save(
        &mut store,
        None,
        None,
        &FirmDraft {
            native_name: Some("无国籍实验室".into()),
            country: None,
            ..draft("“Stateless” Lab 🚀")
        },
    )
    .unwrap();
    // NVIDIA has five in the default dataset.
    for n in 0..6 {
        chipwatch_core::chips::save(
            &mut store,
            None,
            None,
            &chipwatch_core::model::ChipDraft {
                firm_id: stateless.id,
                name: format!("SL-{n}"),
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
            },
        )
        .unwrap();
    }
    let by_name = |firms: &[FirmSummary]| firms.iter().map(|f| f.name.clone()).collect::<Vec<_>>();

    let most_chips = sorted(&store, FirmSort::Chips, true);
    assert_eq!(most_chips[0].name, "“Stateless” Lab 🚀");
    assert!(most_chips
        .windows(2)
        .all(|w| w[0].chip_count >= w[1].chip_count));
    // Equal counts are by name, A to Z, whichever the direction.
    for pair in most_chips.windows(2) {
        if pair[0].chip_count == pair[1].chip_count {
            assert!(
                pair[0].name.to_lowercase() <= pair[1].name.to_lowercase(),
                "{pair:?}"
            );
        }
    }
    let fewest_chips = sorted(&store, FirmSort::Chips, false);
    assert!(fewest_chips
        .windows(2)
        .all(|w| w[0].chip_count <= w[1].chip_count));
    assert_eq!(fewest_chips.last().unwrap().name, "“Stateless” Lab 🚀");

    // No country: last in both directions.
    for descending in [false, true] {
        let by_country = sorted(&store, FirmSort::Country, descending);
        assert_eq!(by_country.last().unwrap().id, stateless.id);
        let countries: Vec<&str> = by_country
            .iter()
            .filter_map(|f| f.country.as_deref())
            .collect();
        let mut expected = countries.clone();
        expected.sort_unstable();
        if descending {
            expected.reverse();
        }
        assert_eq!(countries, expected);
    }

    let names = by_name(&sorted(&store, FirmSort::Name, true));
    let mut expected = by_name(&list(&store, None).unwrap());
    expected.reverse();
    assert_eq!(names, expected);

    let by_parent = sorted(&store, FirmSort::Parent, false);
    let with_parent = by_parent.iter().take_while(|f| f.parent.is_some()).count();
    assert!(with_parent > 0 && by_parent[with_parent..].iter().all(|f| f.parent.is_none()));

    for sort in [FirmSort::Kind, FirmSort::Assessments, FirmSort::Listings] {
        assert_eq!(
            sorted(&store, sort, false).len(),
            most_chips.len(),
            "{sort:?}"
        );
    }
    let most_listed = sorted(&store, FirmSort::Listings, true);
    assert!(most_listed
        .windows(2)
        .all(|w| w[0].listing_count >= w[1].listing_count));
}

fn draft(name: &str) -> FirmDraft {
    FirmDraft {
        name: name.into(),
        native_name: None,
        aliases: vec![],
        kind: FirmKind::Company,
        country: None,
        parent_firm_id: None,
        website: None,
        summary: String::new(),
        listings: vec![],
    }
}

fn invalid_field(error: Error) -> String {
    match error {
        Error::InvalidInput { field, .. } => field,
        other => panic!("expected invalid input, got {other}"),
    }
}

#[test]
fn a_firm_is_created_and_edited_with_every_field_intact() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let huawei = firm_id(&store, "Huawei");
    let entity_list = chipwatch_core::profile::load_profile(&store, huawei)
        .unwrap()
        .firm
        .listings[0]
        .source_ids[0];
    // A firm the default dataset does not have (its names would be refused).
    let mut typed = draft(" Enflame ");
    typed.native_name = Some("燧原科技".into());
    typed.aliases = vec!["上海燧原科技".into(), TRICKY.into()];
    typed.country = Some("cn".into());
    typed.website = Some("https://www.enflame-tech.com".into());
    typed.summary = format!("{TRICKY}\n{}", "长".repeat(10_000));
    typed.listings = vec![ListingDraft {
        list_name: "Entity List".into(),
        // As the app shows it; stored as 2022-12.
        listed_on: Some("Dec 2022".into()),
        citation: Some("87 FR 80021".into()),
        source_id: Some(entity_list),
        details: Default::default(),
    }];
    let saved = firms::save(&mut store, None, None, &typed).unwrap();
    assert_eq!(saved.revision, 1);
    assert_eq!(saved.draft.name, "Enflame");
    assert_eq!(saved.draft.country.as_deref(), Some("CN"));
    assert_eq!(
        saved.draft.listings[0].listed_on.as_deref(),
        Some("2022-12")
    );
    assert_eq!(saved.draft.summary, typed.summary, "summary kept exactly");
    assert_eq!(firms::load_draft(&store, saved.id).unwrap(), saved);

    let mut edit = saved.draft.clone();
    edit.aliases.retain(|a| a != TRICKY);
    let edited = firms::save(&mut store, Some(saved.id), Some(saved.revision), &edit).unwrap();
    assert_eq!(edited.revision, 2);
    assert_eq!(edited.draft.aliases, ["上海燧原科技"]);
    assert!(workspace::check(&path).unwrap().is_healthy());
}

#[test]
fn a_name_or_alias_another_firm_uses_is_refused_with_that_firm_named() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let mut typed = draft("Huawei Technologies");
    typed.aliases = vec!["Enflame".into(), "huawei".into()];
    let conflicts = firms::find_conflicts(&store, &typed, None).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].field, "aliases[1]");
    assert_eq!(conflicts[0].firm.id, huawei);

    let error = firms::save(&mut store, None, None, &typed).unwrap_err();
    assert!(error.to_string().contains("Huawei (华为)"), "{error}");
    assert_eq!(invalid_field(error), "aliases[1]");
    let error = firms::save(&mut store, None, None, &draft("华为")).unwrap_err();
    assert_eq!(invalid_field(error), "name", "a native name counts too");
    // Editing a firm does not conflict with itself.
    let own = firms::load_draft(&store, huawei).unwrap();
    assert!(firms::save(&mut store, Some(huawei), Some(own.revision), &own.draft).is_ok());
}

#[test]
fn a_firm_cannot_become_its_own_ancestor() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let hisilicon = firm_id(&store, "HiSilicon");
    let mut edit = firms::load_draft(&store, huawei).unwrap();
    edit.draft.parent_firm_id = Some(hisilicon);
    let error =
        firms::save(&mut store, Some(huawei), Some(edit.revision), &edit.draft).unwrap_err();
    assert_eq!(invalid_field(error), "parentFirmId");
    edit.draft.parent_firm_id = Some(huawei);
    let error =
        firms::save(&mut store, Some(huawei), Some(edit.revision), &edit.draft).unwrap_err();
    assert_eq!(invalid_field(error), "parentFirmId");
}

#[test]
fn bad_fields_are_named_and_nothing_is_written() {
    let mut store = seeded_store();
    let before = workspace::stats(&store).unwrap();
    let cases: Vec<(FirmDraft, &str)> = vec![
        (draft("  "), "name"),
        (
            FirmDraft {
                website: Some("reuters.com".into()),
                ..draft("A")
            },
            "website",
        ),
        (
            FirmDraft {
                country: Some("China".into()),
                ..draft("A")
            },
            "country",
        ),
        (
            FirmDraft {
                listings: vec![ListingDraft {
                    list_name: "Entity List".into(),
                    listed_on: Some("2023-02-30".into()),
                    citation: None,
                    source_id: None,
                    details: Default::default(),
                }],
                ..draft("A")
            },
            "listings[0].listedOn",
        ),
        (
            FirmDraft {
                listings: vec![ListingDraft {
                    list_name: " ".into(),
                    listed_on: None,
                    citation: None,
                    source_id: None,
                    details: Default::default(),
                }],
                ..draft("A")
            },
            "listings[0].listName",
        ),
        (
            FirmDraft {
                parent_firm_id: Some(9999),
                ..draft("A")
            },
            "parentFirmId",
        ),
    ];
    for (typed, field) in cases {
        assert_eq!(
            invalid_field(firms::save(&mut store, None, None, &typed).unwrap_err()),
            field
        );
    }
    assert_eq!(workspace::stats(&store).unwrap(), before);
}

#[test]
fn a_stale_edit_is_refused_not_silently_applied() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let opened_in_window_a = firms::load_draft(&store, huawei).unwrap();
    let opened_in_window_b = opened_in_window_a.clone();
    let mut edit_a = opened_in_window_a.draft.clone();
    edit_a.summary = "edited in window A".into();
    firms::save(
        &mut store,
        Some(huawei),
        Some(opened_in_window_a.revision),
        &edit_a,
    )
    .unwrap();

    let mut edit_b = opened_in_window_b.draft;
    edit_b.summary = "edited in window B".into();
    let error = firms::save(
        &mut store,
        Some(huawei),
        Some(opened_in_window_b.revision),
        &edit_b,
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            Error::StaleEdit {
                what: "changed",
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(
        chipwatch_core::AppError::from(&error).kind,
        chipwatch_core::ErrorKind::Conflict
    );
    assert_eq!(
        firms::load_draft(&store, huawei).unwrap().draft.summary,
        "edited in window A"
    );

    let error = firms::save(&mut store, Some(424242), Some(1), &edit_b).unwrap_err();
    assert!(
        matches!(
            error,
            Error::StaleEdit {
                what: "deleted",
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn a_firm_is_named_by_name_alias_native_name_or_id() {
    let store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    for text in [
        "Huawei",
        "huawei",
        " 华为 ",
        "华为技术有限公司",
        "Huawei Technologies Co., Ltd.",
    ] {
        assert_eq!(
            firms::resolve(&store, "firm", text).unwrap(),
            huawei,
            "{text}"
        );
    }
    assert_eq!(
        firms::resolve(&store, "firm", &huawei.to_string()).unwrap(),
        huawei
    );
    assert_eq!(
        firms::resolve(&store, "firm", &format!("#{huawei}")).unwrap(),
        huawei
    );

    let error = firms::resolve(&store, "parentFirmId", "Huawai").unwrap_err();
    match &error {
        Error::InvalidInput { field, message } => {
            assert_eq!(field, "parentFirmId");
            assert!(
                message.contains("'Huawai'") && message.contains("Huawei"),
                "{message}"
            );
        }
        other => panic!("expected invalid input, got {other}"),
    }
    let error = firms::resolve(&store, "firm", "  ").unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { field, .. } if field == "firm"),
        "{error}"
    );
    assert!(firms::resolve(&store, "firm", "999999").is_err());
}

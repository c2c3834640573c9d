#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::firms::{self, list, load_profile};
use chipwatch_core::model::{FirmDraft, FirmKind, ListingDraft, Stance};
use chipwatch_core::{workspace, AppError, Error, ErrorKind, Store};
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
        (Some("华为"), 2, 1)
    );
    let hisilicon = firms.iter().find(|f| f.name == "HiSilicon").unwrap();
    assert_eq!(
        hisilicon.parent.as_ref().map(|p| p.name.as_str()),
        Some("Huawei")
    );
    assert_eq!(list(&store, Some(3)).unwrap().len(), 3);
}

#[test]
fn huawei_profile_shows_ascend_910b_and_its_sources() {
    let store = seeded_store();
    let profile = load_profile(&store, firm_id(&store, "Huawei")).unwrap();
    assert_eq!(profile.firm.native_name.as_deref(), Some("华为"));
    let b = profile
        .chips
        .iter()
        .find(|c| c.name == "Ascend 910B")
        .unwrap();
    assert_eq!(b.metrics.tpp, Some(6016.0));
    assert_eq!(b.metrics.rules_met, ["3A090.a.1"]);
    assert_eq!(b.foundry.as_ref().map(|f| f.name.as_str()), Some("SMIC"));
    assert_eq!(profile.firm.listings[0].list_name, "Entity List");
    assert_eq!(
        profile.firm.listings[0].listed_on.as_deref(),
        Some("2019-05-16")
    );
    assert!(profile.subsidiaries.iter().any(|s| s.name == "HiSilicon"));
    assert!(profile
        .assessments
        .iter()
        .any(|a| a.strategy_name == "In-house chips" && a.stance == Stance::Active));
    assert!(profile
        .events
        .iter()
        .any(|e| e.title == "Huawei added to the Entity List"));
    assert!(profile
        .notes
        .iter()
        .any(|n| n.title.starts_with("Ascend 910B")));
}

#[test]
fn every_citation_on_a_profile_resolves_to_a_listed_source() {
    let store = seeded_store();
    for firm in list(&store, None).unwrap() {
        let p = load_profile(&store, firm.id).unwrap();
        let cited = p
            .firm
            .listings
            .iter()
            .flat_map(|l| &l.source_ids)
            .chain(p.chips.iter().flat_map(|c| &c.source_ids))
            .chain(p.assessments.iter().flat_map(|a| &a.source_ids))
            .chain(p.events.iter().flat_map(|e| &e.source_ids));
        for id in cited {
            assert!(
                p.sources.iter().any(|s| s.id == *id),
                "{}: source {id} cited but not listed",
                firm.name
            );
        }
    }
}

#[test]
fn a_parent_profile_includes_its_subsidiaries_chips() {
    let store = seeded_store();
    let baidu = load_profile(&store, firm_id(&store, "Baidu")).unwrap();
    let names: Vec<&str> = baidu.chips.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Kunlun II", "Kunlun I"], "newest first");
    assert!(
        baidu.chips.iter().all(|c| c.firm.name == "Kunlunxin"),
        "the designer is named"
    );
}

#[test]
fn a_missing_firm_is_not_found() {
    let store = seeded_store();
    let error = load_profile(&store, 424242).err().unwrap();
    assert!(matches!(
        error,
        Error::NotFound {
            entity: "firm",
            id: 424242
        }
    ));
    let shown = AppError::from(&error);
    assert_eq!(
        (shown.kind, shown.message.as_str()),
        (ErrorKind::NotFound, "no firm with id 424242")
    );
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
    let entity_list = chipwatch_core::firms::load_profile(&store, huawei)
        .unwrap()
        .firm
        .listings[0]
        .source_ids[0];
    let mut typed = draft(" Cambricon ");
    typed.native_name = Some("寒武纪".into());
    typed.aliases = vec!["中科寒武纪".into(), TRICKY.into()];
    typed.country = Some("cn".into());
    typed.website = Some("https://www.cambricon.com".into());
    typed.summary = format!("{TRICKY}\n{}", "长".repeat(10_000));
    typed.listings = vec![ListingDraft {
        list_name: "Entity List".into(),
        listed_on: Some("2022-12".into()),
        citation: Some("87 FR 80021".into()),
        source_id: Some(entity_list),
    }];
    let saved = firms::save(&mut store, None, None, &typed).unwrap();
    assert_eq!(saved.revision, 1);
    assert_eq!(saved.draft.name, "Cambricon");
    assert_eq!(saved.draft.country.as_deref(), Some("CN"));
    assert_eq!(saved.draft.summary, typed.summary, "summary kept exactly");
    assert_eq!(firms::load_draft(&store, saved.id).unwrap(), saved);

    let mut edit = saved.draft.clone();
    edit.aliases.retain(|a| a != TRICKY);
    let edited = firms::save(&mut store, Some(saved.id), Some(saved.revision), &edit).unwrap();
    assert_eq!(edited.revision, 2);
    assert_eq!(edited.draft.aliases, ["中科寒武纪"]);
    assert!(workspace::check(&path).unwrap().is_healthy());
}

#[test]
fn a_name_or_alias_another_firm_uses_is_refused_with_that_firm_named() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let mut typed = draft("Huawei Technologies");
    typed.aliases = vec!["Cambricon".into(), "huawei".into()];
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

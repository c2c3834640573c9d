#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::firms::list;
use chipwatch_core::model::Stance;
use chipwatch_core::profile::load_profile;
use chipwatch_core::{AppError, Error, ErrorKind};
use common::*;

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
    assert_eq!(
        names,
        ["Kunlun II", "Kunlun K200", "Kunlun I"],
        "newest first"
    );
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

#[test]
fn notes_on_a_profile_show_plain_text_around_the_mention() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let body = "## 供应链\n\nAfter the **2019** listing, [[SMIC]] kept making 7 nm chips for [[华为|Huawei's]] Ascend line — \"quotes\", commas, 🚀.";
    chipwatch_core::notes::save(
        &mut store,
        None,
        &chipwatch_core::model::NoteDraft {
            title: "Snippet, \"quoted\" 🚀".into(),
            body: body.into(),
            tags: vec!["供应链".into()],
        },
        None,
    )
    .unwrap();
    let profile = load_profile(&store, huawei).unwrap();
    let note = profile
        .notes
        .iter()
        .find(|n| n.title == "Snippet, \"quoted\" 🚀")
        .unwrap();
    assert_eq!(note.snippet.mention, "Huawei's");
    assert_eq!(
        note.snippet.before,
        "供应链 After the 2019 listing, SMIC kept making 7 nm chips for "
    );
    assert_eq!(note.snippet.after, " Ascend line — \"quotes\", commas, 🚀.");
    assert_eq!(note.tags, ["供应链"]);
    for n in &profile.notes {
        let shown = format!(
            "{}{}{}",
            n.snippet.before, n.snippet.mention, n.snippet.after
        );
        assert!(!shown.contains("[[") && !shown.contains("**"), "{shown}");
    }
}

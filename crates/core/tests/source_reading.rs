#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
mod compare_data;

use chipwatch_core::compare::saved::{self, ComparisonDraft};
use chipwatch_core::compare::{ComparisonFilters, ComparisonSelection};
use chipwatch_core::model::{NoteDraft, SourceDraft, SourceKind, Stance};
use chipwatch_core::source_reading::{self, CITING_LIMIT};
use chipwatch_core::{notes, sources, Error, Store};
use common::TRICKY;
use compare_data::*;

fn store() -> Store {
    Store::open_in_memory().unwrap()
}

#[test]
fn a_source_cited_by_nothing_says_so_and_keeps_its_fields() {
    let mut store = store();
    let id = sources::save(
        &mut store,
        None,
        None,
        &SourceDraft {
            kind: SourceKind::Report,
            title: TRICKY.into(),
            authors: Some("王伟, Li \"Lee\"".into()),
            publisher: Some("中国信通院".into()),
            url: Some("https://www.caict.ac.cn/报告".into()),
            doi: Some("10.1000/abc#1".into()),
            published_on: Some("2024-03".into()),
            accessed_on: None,
            language: Some("zh".into()),
            r#abstract: Some("摘要, with \"quotes\"\nand a line 🚀".into()),
            reliability: Some("B".into()),
            credibility: Some(2),
            tags: vec!["芯片".into(), "policy".into()],
        },
    )
    .unwrap()
    .id;
    let reading = source_reading::load(&store, id).unwrap();
    assert!(reading.cited_by_nothing());
    assert_eq!(reading.source.title, TRICKY);
    assert_eq!(
        reading.r#abstract.as_deref(),
        Some("摘要, with \"quotes\"\nand a line 🚀")
    );
    assert_eq!(reading.tags, ["policy", "芯片"]);
    assert_eq!(
        reading.web_address.as_deref(),
        Some("https://www.caict.ac.cn/报告")
    );
    assert_eq!(
        reading.doi_address.as_deref(),
        Some("https://doi.org/10.1000/abc%231")
    );
    assert_eq!(
        reading.citation,
        "王伟, Li \"Lee\". 2024. “华为 \"Ascend\", 'quoted'; line break 🚀.” 中国信通院, March. https://doi.org/10.1000/abc%231."
    );
    for total in [
        reading.chips.total,
        reading.assessments.total,
        reading.listings.total,
        reading.events.total,
        reading.notes.total,
        reading.comparison_cells.total,
    ] {
        assert_eq!(total, 0);
    }
}

#[test]
fn a_missing_source_is_not_found() {
    let store = store();
    assert!(matches!(
        source_reading::load(&store, 999),
        Err(Error::NotFound {
            entity: "source",
            id: 999
        })
    ));
}

#[test]
fn a_stored_address_the_browser_may_not_open_is_not_offered() {
    let mut store = store();
    let id = source(&mut store, "Old row", None, None);
    // Stored by another tool, past the form's check.
    store
        .write(|tx| {
            tx.execute(
                "UPDATE sources SET url = 'javascript:alert(1)' WHERE id = ?1",
                [id],
            )?;
            Ok(())
        })
        .unwrap();
    let reading = source_reading::load(&store, id).unwrap();
    assert_eq!(reading.source.url.as_deref(), Some("javascript:alert(1)"));
    assert_eq!(reading.web_address, None);
}

#[test]
fn everything_that_cites_a_source_is_listed_with_where_to_go() {
    let mut store = store();
    let cited = source(
        &mut store,
        "Ascend 910B teardown",
        Some("2023-10-17"),
        Some("https://example.org/a"),
    );
    let other = source(&mut store, "Unrelated", Some("2023"), None);
    let huawei = firm_with(
        &mut store,
        "Huawei",
        Some("华为"),
        Some("CN"),
        None,
        &[],
        &[("Entity List", Some("2019-05-16"), Some(cited))],
    );
    let smic = firm(&mut store, "SMIC", Some("中芯国际"), Some("CN"));
    let in_house = strategy(&mut store, "In-house chips");
    let assessment = assess(
        &mut store,
        huawei,
        in_house,
        Stance::Leading,
        Some("2024-01"),
        &[(cited, Some("p. 12, 表 3"))],
    );
    assess(
        &mut store,
        smic,
        in_house,
        Stance::Exploring,
        None,
        &[(other, None)],
    );
    let ascend = chip(
        &mut store,
        huawei,
        "Ascend 910B",
        Some((320.0, 16)),
        None,
        Some(7.0),
        Some(smic),
        Some("2023-08"),
        &[cited],
    );
    chip(
        &mut store,
        smic,
        "Other chip",
        None,
        None,
        None,
        None,
        None,
        &[other],
    );
    let event_id = event(&mut store, "2023-09", &[huawei], &[cited]);
    let note = notes::save(
        &mut store,
        None,
        &NoteDraft {
            title: "读后感 \"teardown\"".into(),
            body: "See [[Ascend 910B teardown]] and [[Unrelated]].".into(),
            tags: Vec::new(),
        },
        None,
    )
    .unwrap();
    let stance = format!("strategy:{in_house}:stance");
    let comparison = saved::save(
        &mut store,
        None,
        None,
        &ComparisonDraft {
            name: "Huawei vs SMIC".into(),
            selection: ComparisonSelection {
                firm_ids: vec![smic, huawei],
                dimensions: vec![
                    stance.clone(),
                    "profile:country".into(),
                    "chips:bestTpp".into(),
                ],
                filters: ComparisonFilters::default(),
            },
        },
    )
    .unwrap();

    let reading = source_reading::load(&store, cited).unwrap();
    assert!(!reading.cited_by_nothing());

    assert_eq!(reading.chips.total, 1);
    assert_eq!(reading.chips.items[0].chip_id, ascend);
    assert_eq!(
        reading.chips.items[0].firm.native_name.as_deref(),
        Some("华为")
    );

    assert_eq!(reading.assessments.total, 1);
    let evidence = &reading.assessments.items[0];
    assert_eq!(evidence.assessment_id, assessment);
    assert_eq!(evidence.firm.id, huawei);
    assert_eq!(evidence.strategy, "In-house chips");
    assert_eq!(evidence.stance, Stance::Leading);
    assert_eq!(evidence.locator.as_deref(), Some("p. 12, 表 3"));

    assert_eq!(reading.listings.total, 1);
    assert_eq!(reading.listings.items[0].list_name, "Entity List");
    assert_eq!(reading.listings.items[0].firm.id, huawei);

    assert_eq!(reading.events.total, 1);
    assert_eq!(reading.events.items[0].event_id, event_id);

    assert_eq!(reading.notes.total, 1);
    assert_eq!(reading.notes.items[0].note_id, note.id);
    assert_eq!(reading.notes.items[0].title, "读后感 \"teardown\"");

    // Huawei's stance and best TPP rest on it; its country and all of SMIC's cells do not.
    let cells: Vec<(&str, &str)> = reading
        .comparison_cells
        .items
        .iter()
        .map(|c| (c.firm.name.as_str(), c.dimension_id.as_str()))
        .collect();
    assert_eq!(
        cells,
        [("Huawei", stance.as_str()), ("Huawei", "chips:bestTpp")]
    );
    assert_eq!(reading.comparison_cells.total, 2);
    assert!(reading
        .comparison_cells
        .items
        .iter()
        .all(|c| c.comparison_id == comparison.id
            && c.comparison == "Huawei vs SMIC"
            && !c.dimension.is_empty()));

    let unrelated = source_reading::load(&store, other).unwrap();
    assert_eq!(unrelated.chips.items[0].name, "Other chip");
    assert_eq!(
        unrelated.comparison_cells.total, 1,
        "SMIC's stance rests on it"
    );
    assert_eq!(unrelated.listings.total, 0);
}

#[test]
fn a_source_cited_more_often_than_the_limit_lists_the_limit_and_counts_all() {
    let mut store = store();
    let cited = source(&mut store, "Much cited", None, None);
    let huawei = firm(&mut store, "Huawei", None, None);
    let over = CITING_LIMIT + 5;
    for n in 0..over {
        chip(
            &mut store,
            huawei,
            &format!("Chip {n:04}"),
            None,
            None,
            None,
            None,
            None,
            &[cited],
        );
    }
    let reading = source_reading::load(&store, cited).unwrap();
    assert_eq!(reading.chips.items.len(), CITING_LIMIT);
    assert_eq!(reading.chips.total as usize, over);
    assert_eq!(reading.chips.items[0].name, "Chip 0000");
}

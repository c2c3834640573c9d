#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::events;
use chipwatch_core::model::{EventDraft, EventKind};
use chipwatch_core::Error;
use common::*;

#[test]
fn an_event_is_saved_with_a_partial_date_and_its_firms_and_sources() {
    let mut store = seeded_store();
    let huawei = firm_id(&store, "Huawei");
    let source = chipwatch_core::sources::list(&store, Some(1)).unwrap()[0].id;
    let typed = EventDraft {
        occurred_on: " 2024-12 ".into(),
        kind: EventKind::Regulation,
        title: "HBM 出口管制".into(),
        description: TRICKY.into(),
        firm_ids: vec![huawei],
        source_ids: vec![source],
    };
    let saved = events::save(&mut store, None, None, &typed).unwrap();
    assert_eq!(saved.draft.occurred_on, "2024-12");
    let on_profile = chipwatch_core::profile::load_profile(&store, huawei)
        .unwrap()
        .events;
    assert!(on_profile
        .iter()
        .any(|e| e.title == "HBM 出口管制" && e.description == TRICKY));

    // The date as the app shows it is read back into the stored form.
    let shown = EventDraft {
        occurred_on: "17 Dec 2024".into(),
        ..typed.clone()
    };
    let saved = events::save(&mut store, None, None, &shown).unwrap();
    assert_eq!(saved.draft.occurred_on, "2024-12-17");

    for (date, expect_field) in [
        ("", "occurredOn"),
        ("Decembre 2024", "occurredOn"),
        ("2024-02-30", "occurredOn"),
        ("30 Feb 2024", "occurredOn"),
    ] {
        let bad = EventDraft {
            occurred_on: date.into(),
            ..typed.clone()
        };
        match events::save(&mut store, None, None, &bad).unwrap_err() {
            Error::InvalidInput { field, .. } => assert_eq!(field, expect_field, "{date}"),
            other => panic!("{date}: {other}"),
        }
    }
}

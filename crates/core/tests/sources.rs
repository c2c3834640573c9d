#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::model::{SourceDraft, SourceKind};
use chipwatch_core::sources;
use chipwatch_core::{workspace, Error};
use common::*;

fn draft(title: &str) -> SourceDraft {
    SourceDraft {
        kind: SourceKind::Article,
        title: title.into(),
        authors: None,
        publisher: None,
        url: None,
        doi: None,
        published_on: None,
        accessed_on: None,
        language: None,
        r#abstract: None,
        reliability: None,
        credibility: None,
        tags: vec![],
    }
}

fn invalid_field(error: Error) -> String {
    match error {
        Error::InvalidInput { field, .. } => field,
        other => panic!("expected invalid input, got {other}"),
    }
}

#[test]
fn a_source_keeps_every_citation_field_as_typed() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = chipwatch_core::Store::open(&path).unwrap();
    let typed = SourceDraft {
        authors: Some("张三; O'Brien, \"Pat\"".into()),
        publisher: Some("财新 Caixin".into()),
        url: Some("https://www.caixin.com/2023-10-18/x.html".into()),
        doi: Some("https://doi.org/10.1038/s41586-023-06004-9".into()),
        published_on: Some("2023-10".into()),
        accessed_on: Some("2023-10-20".into()),
        language: Some("zh".into()),
        r#abstract: Some(format!("{TRICKY}\n{}", "算力".repeat(5_000))),
        reliability: Some("b".into()),
        credibility: Some(2),
        tags: vec![
            "export controls".into(),
            "Export Controls".into(),
            "华为".into(),
        ],
        ..draft(TRICKY)
    };
    let saved = sources::save(&mut store, None, None, &typed).unwrap();
    assert_eq!(saved.draft.title, TRICKY.trim());
    assert_eq!(
        saved.draft.doi.as_deref(),
        Some("10.1038/s41586-023-06004-9")
    );
    assert_eq!(saved.draft.reliability.as_deref(), Some("B"));
    assert_eq!(saved.draft.r#abstract, typed.r#abstract);
    assert_eq!(saved.draft.tags, ["export controls", "华为"]);
    assert_eq!(sources::load_draft(&store, saved.id).unwrap(), saved);
    assert!(workspace::check(&path).unwrap().is_healthy());
}

#[test]
fn citation_fields_are_checked_by_field() {
    let mut store = seeded_store();
    let before = workspace::stats(&store).unwrap();
    for (typed, field) in [
        (draft(""), "title"),
        (
            SourceDraft {
                url: Some("www.example.com".into()),
                ..draft("x")
            },
            "url",
        ),
        (
            SourceDraft {
                doi: Some("doi 10/x".into()),
                ..draft("x")
            },
            "doi",
        ),
        (
            SourceDraft {
                published_on: Some("2023-02-30".into()),
                ..draft("x")
            },
            "publishedOn",
        ),
        (
            SourceDraft {
                accessed_on: Some("2023-10".into()),
                ..draft("x")
            },
            "accessedOn",
        ),
        (
            SourceDraft {
                reliability: Some("G".into()),
                ..draft("x")
            },
            "reliability",
        ),
        (
            SourceDraft {
                credibility: Some(7),
                ..draft("x")
            },
            "credibility",
        ),
    ] {
        assert_eq!(
            invalid_field(sources::save(&mut store, None, None, &typed).unwrap_err()),
            field
        );
    }
    assert_eq!(workspace::stats(&store).unwrap(), before);
}

#[test]
fn sql_looking_text_is_stored_as_typed() {
    let mut store = seeded_store();
    let typed = draft("'); DROP TABLE sources; -- <script>alert(1)</script>");
    let saved = sources::save(&mut store, None, None, &typed).unwrap();
    assert_eq!(saved.draft.title, typed.title);
    assert!(workspace::stats(&store).unwrap().sources > 1);
}

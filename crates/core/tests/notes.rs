#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Notes on real workspace files: saving, [[links]], backlinks, suggestions.
mod common;

use std::collections::BTreeSet;
use std::path::Path;

use chipwatch_core::links::{self, EntityRef, LinkKind, LinkTarget};
use chipwatch_core::model::NoteDraft;
use chipwatch_core::notes::{self, backlinks, render, save};
use chipwatch_core::{AppError, Error, ErrorKind, Store};
use common::*;

fn seeded() -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let (dir, path) = temp_workspace();
    seeded_file(&path);
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

fn draft(title: &str, body: &str, tags: &[&str]) -> NoteDraft {
    NoteDraft {
        title: title.into(),
        body: body.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

fn id_of(path: &Path, sql: &str) -> i64 {
    raw_connection(path)
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

fn firm(store: &Store, name: &str) -> EntityRef {
    EntityRef {
        kind: LinkKind::Firm,
        id: firm_id(store, name),
    }
}

fn backlink_titles(store: &Store, target: EntityRef) -> Vec<String> {
    backlinks(store, target)
        .unwrap()
        .into_iter()
        .map(|n| n.title)
        .collect()
}

/// The records a body links to, as rendering lists them.
fn linked(store: &Store, body: &str) -> Vec<(LinkKind, String)> {
    // A second connection to the same file, so `store` can stay shared.
    let mut writer = Store::open(store.path().unwrap()).unwrap();
    let note = save(&mut writer, None, &draft("scratch", body, &[]), None).unwrap();
    render(store, note.id)
        .unwrap()
        .links
        .into_iter()
        .map(|l| (l.kind, l.label))
        .collect()
}

#[test]
fn a_new_note_round_trips_tricky_text_and_starts_at_revision_1() {
    let (_dir, path, mut store) = seeded();
    let body = format!(
        "{TRICKY}\n\n[[Huawei]] and [[华为]] {}",
        "长文本 long text 🚀 ".repeat(700)
    );
    assert!(body.chars().count() > 10_000);
    let saved = save(&mut store, None, &draft(TRICKY, &body, &[TRICKY]), None).unwrap();
    assert_eq!(saved.revision, 1);
    drop(store);

    let reopened = Store::open_read_only(&path).unwrap();
    let note = render(&reopened, saved.id).unwrap().note;
    assert_eq!(note.title, TRICKY.trim());
    assert_eq!(note.body, body);
    assert_eq!(note.tags, [TRICKY.trim()]);
    assert_eq!(note, saved);
}

#[test]
fn ten_thousand_character_titles_and_bodies_are_kept_whole() {
    let (_dir, _path, mut store) = seeded();
    let title: String = "华".repeat(10_000);
    let body: String = "b🚀".repeat(5_000);
    let saved = save(&mut store, None, &draft(&title, &body, &[]), None).unwrap();
    assert_eq!(saved.title.chars().count(), 10_000);
    assert_eq!(saved.title, title);
    assert_eq!(saved.body, body);
}

#[test]
fn a_note_nested_deeper_than_the_cap_is_refused_on_save() {
    let (_dir, _path, mut store) = seeded();
    // 99,000 levels of quotes: under the length limit, took 50 s to render.
    let deep = format!("{}x", "> ".repeat(99_000));
    let error = save(&mut store, None, &draft("Deep", &deep, &[]), None).unwrap_err();
    let shown = AppError::from(&error);
    assert_eq!(
        (shown.kind, shown.field.as_deref(), shown.message.as_str()),
        (
            ErrorKind::InvalidInput,
            Some("body"),
            "body: nests 99,000 levels deep (block quotes or list items inside each other); the limit is 100. Remove the extra '>' or list markers"
        )
    );
    let lists = format!("{}x", "- ".repeat(101));
    let error = save(&mut store, None, &draft("Deep", &lists, &[]), None).unwrap_err();
    assert!(
        error.to_string().contains("nests 101 levels deep"),
        "{error}"
    );
    assert_eq!(notes::list(&store, None).unwrap().len(), 4, "nothing saved");
    // At the limit a note saves and renders formatted.
    let at_limit = format!("{}x", "> ".repeat(100));
    let note = save(&mut store, None, &draft("Deep", &at_limit, &[]), None).unwrap();
    let html = render(&store, note.id).unwrap().html;
    assert_eq!(html.matches("<blockquote>").count(), 100);
}

#[test]
fn a_stored_note_nested_too_deep_shows_as_plain_text_under_a_notice() {
    let (_dir, path, store) = seeded();
    let insert = |body: &str| {
        let conn = raw_connection(&path);
        conn.execute(
            "INSERT INTO notes (title, body, created_at, updated_at)
             VALUES ('Written elsewhere', ?1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
            [body],
        )
        .unwrap();
        conn.last_insert_rowid()
    };
    let just_over = insert(&format!("{}x <b>[[Huawei]]", "> ".repeat(101)));
    let html = render(&store, just_over).unwrap().html;
    assert!(
        html.starts_with(
            "<p><strong>Shown as plain text:</strong> this note nests 101 levels deep (block quotes or lists inside each other); Chipwatch formats at most 100. Edit it to remove the extra levels.</p><pre>&gt; &gt; "
        ),
        "{}",
        &html[..300.min(html.len())]
    );
    assert!(html.ends_with("&gt; x &lt;b&gt;[[Huawei]]</pre>"), "{html}");
    assert!(!html.contains("<blockquote>"));

    let deepest = insert(&format!("{}x", "> ".repeat(99_000)));
    let html = render(&store, deepest).unwrap().html;
    assert!(html.contains("nests 99,000 levels deep"));
    assert!(!html.contains("<blockquote>"));
    // The editor's live preview is shown the same way.
    let preview = notes::preview(&store, &format!("{}x", "1. ".repeat(150))).unwrap();
    assert!(preview.contains("nests 150 levels deep") && !preview.contains("<li>"));
}

#[test]
fn a_live_preview_resolves_links_in_the_workspace_and_renders_without_it() {
    let (_dir, path, store) = seeded();
    let body = "See [[Huawei]] and [[Nobody Inc]].";
    let links = notes::preview_links(&store, body).unwrap();
    // The rendering needs no workspace: the app renders off its lock.
    drop(store);
    let html = notes::render_preview(body, &links);
    assert!(
        html.contains("data-kind=\"firm\"") && html.contains(">Huawei</a>"),
        "{html}"
    );
    assert!(html.contains("wikilink missing"), "{html}");
    let store = Store::open(&path).unwrap();
    assert_eq!(notes::preview(&store, body).unwrap(), html);
}

#[test]
fn validation_names_the_form_field() {
    let (_dir, _path, mut store) = seeded();
    let field_of = |result: Result<_, Error>| AppError::from(result.unwrap_err()).field;
    assert_eq!(
        field_of(save(&mut store, None, &draft("  \n ", "body", &[]), None)),
        Some("title".into())
    );
    assert_eq!(
        field_of(save(&mut store, None, &draft("", "", &[]), None)),
        Some("title".into())
    );
    let huge = "x".repeat(chipwatch_core::validate::MAX_TEXT_CHARS + 1);
    let error = save(&mut store, None, &draft("t", &huge, &[]), None).unwrap_err();
    let shown = AppError::from(&error);
    assert_eq!(
        (shown.kind, shown.field.as_deref()),
        (ErrorKind::InvalidInput, Some("body"))
    );
    assert!(shown.message.contains("limit"), "{}", shown.message);
    assert_eq!(
        field_of(save(
            &mut store,
            None,
            &draft("t", "", &["ok", &huge]),
            None
        )),
        Some("tags[1]".into())
    );
    // Nothing was saved by the refused attempts.
    assert_eq!(notes::list(&store, None).unwrap().len(), 4);
}

#[test]
fn tags_are_trimmed_kept_once_and_reuse_existing_spelling() {
    let (_dir, path, mut store) = seeded();
    let saved = save(
        &mut store,
        None,
        &draft(
            "t",
            "",
            &[
                " 华为 ",
                "CHIPS",
                "Export controls",
                "",
                "华为",
                "chips",
                "🚀 rockets",
            ],
        ),
        None,
    )
    .unwrap();
    // "chips" and "export controls" exist in the seed; their spelling wins.
    assert_eq!(
        saved.tags,
        ["chips", "export controls", "华为", "🚀 rockets"]
    );
    let tags: i64 = id_of(
        &path,
        "SELECT count(*) FROM tags WHERE name IN ('华为', '🚀 rockets')",
    );
    assert_eq!(tags, 2);
    let edited = save(
        &mut store,
        Some(saved.id),
        &draft("t", "", &["chips"]),
        Some(1),
    )
    .unwrap();
    assert_eq!(edited.tags, ["chips"]);
}

#[test]
fn links_resolve_by_name_alias_native_name_label_and_prefix() {
    let (_dir, path, store) = seeded();
    let conn = raw_connection(&path);
    conn.execute_batch(
        "INSERT INTO events (occurred_on, kind, title) VALUES ('2024', 'launch', 'Ascend 910');
         INSERT INTO events (occurred_on, kind, title) VALUES ('2024', 'deal', 'Huawei');",
    )
    .unwrap();
    let event_ascend = id_of(&path, "SELECT id FROM events WHERE title = 'Ascend 910'");
    let chip_ascend = id_of(&path, "SELECT id FROM chips WHERE name = 'Ascend 910'");
    let epoch = id_of(
        &path,
        "SELECT id FROM sources WHERE title = 'Data on Machine Learning Hardware'",
    );
    let resolve = |text: &str| links::resolve(&conn, text).unwrap().map(|e| (e.kind, e.id));
    let huawei = firm_id(&store, "Huawei");
    assert_eq!(resolve("Huawei"), Some((LinkKind::Firm, huawei)));
    assert_eq!(resolve("hUAWEI"), Some((LinkKind::Firm, huawei)));
    assert_eq!(resolve("华为"), Some((LinkKind::Firm, huawei)));
    assert_eq!(resolve("华为技术有限公司"), Some((LinkKind::Firm, huawei)));
    assert_eq!(
        resolve("huawei technologies co., ltd."),
        Some((LinkKind::Firm, huawei))
    );
    assert_eq!(
        resolve("Pingtouge"),
        Some((LinkKind::Firm, firm_id(&store, "T-Head")))
    );
    assert_eq!(
        resolve("平头哥"),
        Some((LinkKind::Firm, firm_id(&store, "T-Head")))
    );
    assert_eq!(
        resolve("  Ascend\n910 "),
        Some((LinkKind::Chip, chip_ascend))
    );
    assert_eq!(
        resolve("chip:Ascend 910"),
        Some((LinkKind::Chip, chip_ascend))
    );
    assert_eq!(
        resolve("event:Ascend 910"),
        Some((LinkKind::Event, event_ascend))
    );
    assert_eq!(resolve("Event: huawei").map(|e| e.0), Some(LinkKind::Event));
    // An explicit kind is kept: no firm is called that, so no link.
    assert_eq!(resolve("firm:Ascend 910"), None);
    assert_eq!(
        resolve("data on machine learning hardware"),
        Some((LinkKind::Source, epoch))
    );
    assert_eq!(
        resolve(&format!("source:#{epoch}")),
        Some((LinkKind::Source, epoch))
    );
    assert_eq!(resolve("source:#999999"), None);
    assert_eq!(
        resolve("Huawei added to the Entity List").map(|e| e.0),
        Some(LinkKind::Event)
    );
    assert_eq!(
        resolve("In-house chips").map(|e| e.0),
        Some(LinkKind::Strategy)
    );
    assert_eq!(resolve("Nonexistent Corp"), None);
    assert_eq!(resolve(""), None);
}

#[test]
fn rendering_resolves_links_lists_them_and_marks_the_missing() {
    let (_dir, _path, mut store) = seeded();
    let body = "[[Huawei|the firm]] makes the [[Ascend 910B]] at [[中芯国际]]; see [[Data on Machine Learning Hardware]], [[Huawei]] again, `[[Tencent]]` and [[Nonexistent Corp]].";
    let saved = save(&mut store, None, &draft("Links", body, &[]), None).unwrap();
    let rendered = render(&store, saved.id).unwrap();
    assert_eq!(rendered.note, saved);
    let labels: Vec<(LinkKind, &str)> = rendered
        .links
        .iter()
        .map(|l| (l.kind, l.label.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            (LinkKind::Firm, "Huawei"),
            (LinkKind::Chip, "Ascend 910B"),
            (LinkKind::Firm, "SMIC"),
            (LinkKind::Source, "Data on Machine Learning Hardware"),
        ]
    );
    assert_eq!(rendered.missing_links, ["Nonexistent Corp"]);
    let huawei = firm_id(&store, "Huawei");
    assert!(
        rendered.html.contains(&format!(
            "<a class=\"wikilink\" data-kind=\"firm\" data-id=\"{huawei}\" href=\"#firm/{huawei}\" title=\"Huawei · 华为\">the firm</a>"
        )),
        "{}",
        rendered.html
    );
    assert!(
        rendered.html.contains("<code>[[Tencent]]</code>"),
        "{}",
        rendered.html
    );
    assert!(
        rendered.html.contains("<span class=\"wikilink missing\" title=\"No firm, chip, source, event or strategy is called “Nonexistent Corp”\">[[Nonexistent Corp]]</span>"),
        "{}",
        rendered.html
    );
    assert_eq!(
        rendered.links[1].detail.as_deref(),
        Some("Huawei"),
        "a chip's detail is its designer"
    );
}

#[test]
fn note_links_follow_the_body_on_every_save() {
    let (_dir, path, mut store) = seeded();
    let smic = firm(&store, "SMIC");
    let huawei = firm(&store, "Huawei");
    let before_smic = backlinks(&store, smic).unwrap().len();
    let before_huawei = backlinks(&store, huawei).unwrap().len();

    let first = save(
        &mut store,
        None,
        &draft(
            "Foundry ties",
            "[[Huawei]] relies on [[SMIC]] for the [[Ascend 910B]]. `[[Tencent]]`",
            &[],
        ),
        None,
    )
    .unwrap();
    assert_eq!(backlinks(&store, smic).unwrap().len(), before_smic + 1);
    assert_eq!(backlinks(&store, huawei).unwrap().len(), before_huawei + 1);
    assert_eq!(
        backlink_titles(&store, smic)[0],
        "Foundry ties",
        "newest first"
    );
    let stored: i64 = id_of(
        &path,
        &format!(
            "SELECT count(*) FROM note_links WHERE note_id = {}",
            first.id
        ),
    );
    assert_eq!(
        stored, 3,
        "Huawei, SMIC and the chip; the code span is no link"
    );

    let edited = save(
        &mut store,
        Some(first.id),
        &draft(
            "Foundry ties",
            "[[Huawei]] alone now, twice: [[huawei]].",
            &[],
        ),
        Some(first.revision),
    )
    .unwrap();
    assert_eq!(edited.revision, 2);
    assert!(!backlink_titles(&store, smic).contains(&"Foundry ties".to_owned()));
    assert_eq!(backlinks(&store, smic).unwrap().len(), before_smic);
    assert_eq!(backlinks(&store, huawei).unwrap().len(), before_huawei + 1);
    let chip = EntityRef {
        kind: LinkKind::Chip,
        id: id_of(&path, "SELECT id FROM chips WHERE name = 'Ascend 910B'"),
    };
    assert!(backlinks(&store, chip).unwrap().is_empty());
}

#[test]
fn backlinks_count_notes_on_every_kind_of_profile() {
    let (_dir, path, mut store) = seeded();
    // The seeded notes: Huawei in all four, SMIC in three, Tencent in two.
    assert_eq!(backlinks(&store, firm(&store, "Huawei")).unwrap().len(), 4);
    assert_eq!(backlinks(&store, firm(&store, "SMIC")).unwrap().len(), 3);
    assert_eq!(backlinks(&store, firm(&store, "Tencent")).unwrap().len(), 2);
    assert!(backlinks(&store, firm(&store, "NVIDIA"))
        .unwrap()
        .is_empty());
    let source = |title: &str| EntityRef {
        kind: LinkKind::Source,
        id: id_of(
            &path,
            &format!("SELECT id FROM sources WHERE title = '{title}'"),
        ),
    };
    assert_eq!(
        backlinks(&store, source("Data on Machine Learning Hardware"))
            .unwrap()
            .len(),
        2
    );

    let event = EntityRef {
        kind: LinkKind::Event,
        id: id_of(
            &path,
            "SELECT id FROM events WHERE title = 'Huawei added to the Entity List'",
        ),
    };
    let chip = EntityRef {
        kind: LinkKind::Chip,
        id: id_of(&path, "SELECT id FROM chips WHERE name = 'H20'"),
    };
    let strategy = EntityRef {
        kind: LinkKind::Strategy,
        id: id_of(
            &path,
            "SELECT id FROM strategies WHERE name = 'In-house chips'",
        ),
    };
    for n in 1..=4 {
        let body = "[[Huawei added to the Entity List]] · [[H20]] · [[strategy:in-house chips]]";
        save(
            &mut store,
            None,
            &draft(&format!("Note {n}"), body, &[]),
            None,
        )
        .unwrap();
    }
    for target in [event, chip, strategy] {
        let found = backlinks(&store, target).unwrap();
        assert_eq!(found.len(), 4, "{target:?}");
        assert!(found.iter().all(|n| n.title.starts_with("Note ")));
    }
}

#[test]
fn the_seeded_notes_links_are_what_their_bodies_say() {
    let (_dir, path, store) = seeded();
    let conn = raw_connection(&path);
    for note in notes::list(&store, None).unwrap() {
        let mut stmt = conn
            .prepare(
                "SELECT coalesce(firm_id, chip_id, source_id, event_id, strategy_id),
                        CASE WHEN firm_id IS NOT NULL THEN 'firm' WHEN chip_id IS NOT NULL THEN 'chip'
                             WHEN source_id IS NOT NULL THEN 'source' WHEN event_id IS NOT NULL THEN 'event'
                             ELSE 'strategy' END
                   FROM note_links WHERE note_id = ?1",
            )
            .unwrap();
        let stored: BTreeSet<(String, i64)> = stmt
            .query_map([note.id], |row| Ok((row.get(1)?, row.get(0)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let from_body: BTreeSet<(String, i64)> = render(&store, note.id)
            .unwrap()
            .links
            .iter()
            .map(|l| (l.kind.as_str().to_owned(), l.id))
            .collect();
        assert_eq!(stored, from_body, "{}", note.title);
        assert!(
            render(&store, note.id).unwrap().missing_links.is_empty(),
            "{}",
            note.title
        );
    }
}

#[test]
fn an_edit_on_a_stale_copy_is_refused_and_changes_nothing() {
    let (_dir, path, mut store) = seeded();
    let note = save(
        &mut store,
        None,
        &draft("Shared", "[[Huawei]] v1", &["a"]),
        None,
    )
    .unwrap();
    // Two windows loaded revision 1; the other one saves first.
    let mut other = Store::open(&path).unwrap();
    save(
        &mut other,
        Some(note.id),
        &draft("Shared", "[[Huawei]] v2", &["a"]),
        Some(1),
    )
    .unwrap();

    let error = save(
        &mut store,
        Some(note.id),
        &draft("Mine", "[[SMIC]] v2b", &["b"]),
        Some(1),
    )
    .unwrap_err();
    assert!(
        matches!(error, Error::StaleEdit { entity: "note", .. }),
        "{error:?}"
    );
    let shown = AppError::from(&error);
    assert_eq!(shown.kind, ErrorKind::Conflict);
    assert!(
        shown.message.contains("changed since you opened it"),
        "{}",
        shown.message
    );
    assert!(shown.message.contains("not saved"), "{}", shown.message);
    assert!(shown.message.contains("reload"), "{}", shown.message);

    let kept = render(&store, note.id).unwrap();
    assert_eq!(
        (kept.note.body.as_str(), kept.note.revision),
        ("[[Huawei]] v2", 2)
    );
    assert_eq!(kept.note.tags, ["a"]);
    assert!(!backlink_titles(&store, firm(&store, "SMIC")).contains(&"Mine".to_owned()));

    // With the current revision the same edit goes through.
    let saved = save(
        &mut store,
        Some(note.id),
        &draft("Mine", "[[SMIC]] v3", &["b"]),
        Some(2),
    )
    .unwrap();
    assert_eq!(saved.revision, 3);
}

#[test]
fn an_edit_of_a_note_deleted_meanwhile_is_refused() {
    let (_dir, path, mut store) = seeded();
    let note = save(&mut store, None, &draft("Doomed", "text", &[]), None).unwrap();
    raw_connection(&path)
        .execute("DELETE FROM notes WHERE id = ?1", [note.id])
        .unwrap();
    let error = save(
        &mut store,
        Some(note.id),
        &draft("Doomed", "more", &[]),
        Some(1),
    )
    .unwrap_err();
    let shown = AppError::from(&error);
    assert_eq!(shown.kind, ErrorKind::Conflict);
    assert!(
        shown.message.contains("deleted since you opened it"),
        "{}",
        shown.message
    );
    assert!(shown.message.contains("Trash"), "{}", shown.message);
    assert_eq!(
        id_of(
            &path,
            &format!("SELECT count(*) FROM notes WHERE id = {}", note.id)
        ),
        0,
        "not re-created"
    );
}

#[test]
fn an_edit_must_name_its_revision() {
    let (_dir, _path, mut store) = seeded();
    let note = save(&mut store, None, &draft("t", "", &[]), None).unwrap();
    let error = save(&mut store, Some(note.id), &draft("t2", "", &[]), None).unwrap_err();
    assert_eq!(AppError::from(&error).field.as_deref(), Some("revision"));
    assert_eq!(render(&store, note.id).unwrap().note.title, "t");
}

#[test]
fn rendering_a_missing_note_is_not_found() {
    let (_dir, _path, store) = seeded();
    let error = render(&store, 999_999).unwrap_err();
    assert_eq!(AppError::from(&error).kind, ErrorKind::NotFound);
}

fn suggested(store: &Store, text: &str, limit: usize) -> Vec<(LinkKind, String)> {
    links::suggest(store, text, limit)
        .unwrap()
        .into_iter()
        .map(|t| (t.kind, t.label))
        .collect()
}

#[test]
fn suggestions_find_english_chinese_and_aliases_prefix_first() {
    let (_dir, _path, store) = seeded();
    let hua = suggested(&store, "Hua", 10);
    assert_eq!(hua[0], (LinkKind::Firm, "Huawei".into()), "{hua:?}");
    assert!(
        hua.contains(&(LinkKind::Event, "Huawei added to the Entity List".into())),
        "{hua:?}"
    );
    let lower = suggested(&store, "hua", 10);
    assert_eq!(lower[0], (LinkKind::Firm, "Huawei".into()));

    let chinese = links::suggest(&store, "华", 10).unwrap();
    assert_eq!(
        (chinese[0].kind, chinese[0].label.as_str()),
        (LinkKind::Firm, "Huawei")
    );
    assert_eq!(chinese[0].detail.as_deref(), Some("华为"));
    assert_eq!(chinese[0].link_text, "Huawei");

    let alias = links::suggest(&store, "Ping", 10).unwrap();
    assert_eq!(alias[0].label, "T-Head");
    assert!(
        alias[0]
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("Pingtouge"),
        "{:?}",
        alias[0]
    );

    // Substring matches come after every prefix match.
    let scend = suggested(&store, "scend 910", 10);
    assert_eq!(
        scend,
        [
            (LinkKind::Chip, "Ascend 910".into()),
            (LinkKind::Chip, "Ascend 910B".into()),
            (LinkKind::Event, "Ascend 910 released".into())
        ]
    );
    let a = suggested(&store, "A", 50);
    let first_substring = a
        .iter()
        .position(|(_, l)| !l.to_lowercase().starts_with('a'))
        .unwrap();
    assert!(
        a[first_substring..]
            .iter()
            .all(|(_, l)| !l.to_lowercase().starts_with('a')),
        "{a:?}"
    );

    // Sources by title prefix, ignoring case; never by substring.
    assert_eq!(
        suggested(&store, "data on mach", 5),
        [(LinkKind::Source, "Data on Machine Learning Hardware".into())]
    );
    assert!(suggested(&store, "Machine Learning Hardware", 5).is_empty());
}

#[test]
fn suggestions_respect_the_limit_the_kind_prefix_and_wildcards() {
    let (_dir, _path, store) = seeded();
    assert_eq!(suggested(&store, "", 4).len(), 4);
    assert!(suggested(&store, "Hua", 0).is_empty());
    let chips = suggested(&store, "chip:A", 10);
    assert_eq!(
        chips[..3],
        [
            (LinkKind::Chip, "A100".into()),
            (LinkKind::Chip, "A800".into()),
            (LinkKind::Chip, "Ascend 310".into())
        ]
    );
    assert!(chips.len() > 3, "then chips with an a inside: {chips:?}");
    assert!(
        chips.iter().all(|(kind, _)| *kind == LinkKind::Chip),
        "{chips:?}"
    );
    assert!(
        suggested(&store, "%", 10).is_empty(),
        "% is a character, not a wildcard"
    );
    assert!(
        suggested(&store, "_", 10).is_empty(),
        "_ is a character, not a wildcard"
    );
    let exact = suggested(&store, "H20", 10);
    assert_eq!(exact[0], (LinkKind::Chip, "H20".into()));
}

#[test]
fn a_suggestions_link_text_links_back_to_it() {
    let (_dir, path, mut store) = seeded();
    let conn = raw_connection(&path);
    conn.execute_batch(
        "INSERT INTO events (occurred_on, kind, title) VALUES ('2024', 'launch', 'Ascend 910');
         INSERT INTO sources (kind, title, created_at, updated_at) VALUES ('report', 'Annual report', 'x', 'x');
         INSERT INTO sources (kind, title, created_at, updated_at) VALUES ('report', 'Annual report', 'x', 'x');",
    )
    .unwrap();
    let targets: Vec<LinkTarget> = ["Ascend 910", "Annual rep"]
        .iter()
        .flat_map(|t| links::suggest(&store, t, 10).unwrap())
        .collect();
    let texts: Vec<&str> = targets.iter().map(|t| t.link_text.as_str()).collect();
    assert!(texts.contains(&"Ascend 910"), "{texts:?}");
    assert!(texts.contains(&"event:Ascend 910"), "{texts:?}");
    assert!(texts.contains(&"Annual report"), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("source:#") && t.ends_with("|Annual report")),
        "{texts:?}"
    );
    // Writing each one into a note links exactly that record.
    for target in &targets {
        let body = format!("[[{}]]", target.link_text);
        let note = save(&mut store, None, &draft("t", &body, &[]), None).unwrap();
        let links = render(&store, note.id).unwrap().links;
        assert_eq!(links.len(), 1, "{body}");
        assert_eq!(links[0].entity(), target.entity(), "{body}");
    }
}

#[test]
fn a_firm_named_twice_is_listed_once() {
    let (_dir, _path, store) = seeded();
    assert_eq!(
        linked(&store, "[[TSMC]] [[台积电]]"),
        [(LinkKind::Firm, "TSMC".into())]
    );
}

fn page_titles(store: &Store, query: notes::NoteListQuery) -> (Vec<String>, u32) {
    let page = notes::page(store, &query).unwrap();
    (
        page.notes.into_iter().map(|n| n.title).collect(),
        page.total,
    )
}

#[test]
fn the_notes_list_pages_newest_first_and_filters_by_words_and_tag() {
    let (_dir, _path, mut store) = seeded();
    let seeded_count = notes::page(&store, &Default::default()).unwrap().total;
    for i in 0..7 {
        let tags: &[&str] = if i % 2 == 0 { &["Foundry"] } else { &[] };
        save(
            &mut store,
            None,
            &draft(&format!("批注 {i}"), "Capacity at 中芯国际", tags),
            None,
        )
        .unwrap();
    }

    let first = notes::NoteListQuery {
        limit: Some(3),
        ..Default::default()
    };
    let (titles, total) = page_titles(&store, first);
    assert_eq!(total, seeded_count + 7);
    assert_eq!(
        titles,
        ["批注 6", "批注 5", "批注 4"],
        "newest change first"
    );
    let second = notes::NoteListQuery {
        limit: Some(3),
        offset: 3,
        ..Default::default()
    };
    assert_eq!(
        page_titles(&store, second).0,
        ["批注 3", "批注 2", "批注 1"]
    );

    let tagged = notes::NoteListQuery {
        tag: Some("foundry".into()),
        ..Default::default()
    };
    let (titles, total) = page_titles(&store, tagged);
    assert_eq!(
        (titles.len(), total),
        (4, 4),
        "the tag matches ignoring case"
    );

    let worded = notes::NoteListQuery {
        text: Some("中芯".into()),
        tag: Some("Foundry".into()),
        ..Default::default()
    };
    let (titles, total) = page_titles(&store, worded);
    assert_eq!(
        total, 4,
        "two Chinese characters inside a longer word, with the tag"
    );
    assert!(titles.iter().all(|t| t.starts_with("批注")), "{titles:?}");

    let tags = notes::tags(&store).unwrap();
    let foundry = tags.iter().find(|t| t.name == "Foundry").unwrap();
    assert_eq!(foundry.notes, 4);
}

#[test]
fn a_list_excerpt_is_plain_short_text_with_link_labels() {
    let body = format!(
        "# Heading\n\n**SMIC** supplies [[Huawei]] and [[chip:Ascend 910B|the 910B]].\n\n{}",
        "长".repeat(400)
    );
    let excerpt = notes::excerpt(&body);
    assert!(
        excerpt.starts_with("Heading SMIC supplies Huawei and the 910B. 长长"),
        "{excerpt}"
    );
    assert_eq!(
        excerpt.chars().count(),
        221,
        "220 characters and an ellipsis"
    );
    assert!(excerpt.ends_with('…'));
    assert_eq!(notes::excerpt("an [[unclosed link"), "an [[unclosed link");
}

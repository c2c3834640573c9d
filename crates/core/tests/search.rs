#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::model::{NoteDraft, SourceDraft, SourceKind};
use chipwatch_core::search::{self, SearchHit, SearchKind, SearchQuery, BM25_TERM_LIMIT};
use chipwatch_core::{notes, sample, sources, AppError, ErrorKind, Store};
use common::*;

fn open_seeded() -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let (dir, path) = temp_workspace();
    seeded_file(&path);
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

fn add_source(
    store: &mut Store,
    title: &str,
    abstract_text: &str,
    published_on: Option<&str>,
    tags: &[&str],
) -> i64 {
    sources::save(
        store,
        None,
        None,
        &SourceDraft {
            kind: SourceKind::Article,
            title: title.into(),
            authors: None,
            publisher: None,
            url: None,
            doi: None,
            published_on: published_on.map(str::to_owned),
            accessed_on: None,
            language: None,
            r#abstract: Some(abstract_text.into()),
            reliability: None,
            credibility: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        },
    )
    .unwrap()
    .id
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        ..SearchQuery::default()
    }
}

fn find(store: &Store, text: &str) -> Vec<SearchHit> {
    search::search(store, &query(text)).unwrap()
}

fn ids_of(hits: &[SearchHit], kind: SearchKind) -> Vec<i64> {
    hits.iter()
        .filter(|h| h.kind == kind)
        .map(|h| h.id)
        .collect()
}

fn has(hits: &[SearchHit], kind: SearchKind, id: i64) -> bool {
    hits.iter().any(|h| h.kind == kind && h.id == id)
}

/// Rows the index holds for a query, counted straight from FTS5.
fn indexed(path: &std::path::Path, expression: &str) -> i64 {
    raw_connection(path)
        .query_row(
            "SELECT count(*) FROM search_index WHERE search_index MATCH ?1",
            [expression],
            |r| r.get(0),
        )
        .unwrap()
}

/// The same for firms only (rowids from 1 << 40, as migration 0005 says).
fn indexed_firms(path: &std::path::Path, expression: &str) -> i64 {
    raw_connection(path)
        .query_row(
            "SELECT count(*) FROM search_index WHERE search_index MATCH ?1
             AND rowid >= 1 << 40 AND rowid < 2 << 40",
            [expression],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn two_chinese_characters_find_the_firm_by_its_native_name_and_aliases() {
    let (_dir, _path, store) = open_seeded();
    let huawei = firm_id(&store, "Huawei");
    let hits = find(&store, "华为");
    assert_eq!(
        hits.first().map(|h| (h.kind, h.id)),
        Some((SearchKind::Firm, huawei)),
        "{hits:?}"
    );
    let first = &hits[0];
    assert!(first.snippet.contains("华为"), "{first:?}");
    assert!(first
        .snippet_parts
        .iter()
        .any(|p| p.hit && p.text == "华为"));
    // Inside the alias 华为技术有限公司, and a part of it that is no word of its own.
    assert!(has(&find(&store, "技术有限"), SearchKind::Firm, huawei));
    assert!(has(&find(&store, "为技"), SearchKind::Firm, huawei));
    // Characters that are not next to each other anywhere do not match.
    assert!(!has(&find(&store, "华技"), SearchKind::Firm, huawei));
    // The English alias, and the chips that show the firm's names.
    assert!(has(
        &find(&store, "Huawei Technologies"),
        SearchKind::Firm,
        huawei
    ));
    let chips = ids_of(&find(&store, "华为"), SearchKind::Chip);
    assert!(!chips.is_empty(), "Huawei's chips show its native name");
}

#[test]
fn chinese_substrings_are_found_inside_longer_titles_and_text() {
    let (_dir, _path, mut store) = open_seeded();
    let id = add_source(
        &mut store,
        "国产光刻机研发进展：上海微电子28纳米样机",
        "报告认为，昇腾芯片的算力已接近A100，但高带宽内存仍依赖进口。",
        Some("2024-03"),
        &[],
    );
    for text in [
        "光刻机",
        "光刻",
        "刻机研",
        "研发进展",
        "上海微电子",
        "算力",
        "高带宽内存",
        "28纳米",
    ] {
        assert!(
            has(&find(&store, text), SearchKind::Source, id),
            "{text} should find the source"
        );
    }
    for text in ["光机", "研发 进展 芯片 显卡", "昇腾芯片的算力已接近H100"] {
        assert!(
            !has(&find(&store, text), SearchKind::Source, id),
            "{text} should not find the source"
        );
    }
    // One character: what starts with it.
    assert!(has(&find(&store, "昇"), SearchKind::Source, id));
    // Full-width Latin letters and digits as typed on a Chinese keyboard.
    assert!(has(&find(&store, "Ａ１００"), SearchKind::Source, id));
    // The snippet marks where it matched, in the original text, on one line.
    let hit = find(&store, "算力")
        .into_iter()
        .find(|h| h.kind == SearchKind::Source && h.id == id)
        .unwrap();
    assert_eq!(
        hit.snippet_parts
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>(),
        ["算力"]
    );
    assert_eq!(
        hit.snippet,
        hit.snippet_parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<String>()
    );
}

#[test]
fn english_words_match_as_prefixes_while_typed_and_ignore_case_and_accents() {
    let (_dir, _path, mut store) = open_seeded();
    let id = add_source(
        &mut store,
        "Semiconductor export controls: the Müller report",
        "Lithography restrictions on SMIC's 7nm node.\nSecond line.",
        None,
        &[],
    );
    for text in [
        "semicond",
        "SEMICONDUCTOR",
        "export contr",
        "muller",
        "Müller",
        "lithograph",
        "smic 7nm",
        "\"export controls\"",
        "export-controls",
    ] {
        assert!(
            has(&find(&store, text), SearchKind::Source, id),
            "{text} should find the source"
        );
    }
    // A finished word (followed by a space) is a word, not a prefix.
    assert!(!has(&find(&store, "semicond "), SearchKind::Source, id));
    // A phrase keeps its words together and in order.
    assert!(!has(
        &find(&store, "\"controls export\""),
        SearchKind::Source,
        id
    ));
    // -word leaves out what contains it.
    assert!(!has(
        &find(&store, "semiconductor -smic"),
        SearchKind::Source,
        id
    ));
    let hit = find(&store, "lithograph")
        .into_iter()
        .find(|h| h.kind == SearchKind::Source && h.id == id)
        .unwrap();
    assert!(!hit.snippet.contains('\n'), "{:?}", hit.snippet);
    assert!(hit
        .snippet_parts
        .iter()
        .any(|p| p.hit && p.text == "Lithography"));
    assert!(hit.title_parts.iter().all(|p| !p.hit));
    let titled = find(&store, "semicond")
        .into_iter()
        .find(|h| h.id == id)
        .unwrap();
    assert_eq!(
        titled
            .title_parts
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>(),
        ["Semiconductor"]
    );
}

#[test]
fn aliases_and_other_names_find_firms() {
    let (_dir, _path, store) = open_seeded();
    let smic = firm_id(&store, "SMIC");
    assert!(has(
        &find(&store, "Semiconductor Manufacturing International"),
        SearchKind::Firm,
        smic
    ));
    assert!(has(&find(&store, "中芯国际"), SearchKind::Firm, smic));
    assert!(has(&find(&store, "中芯"), SearchKind::Firm, smic));
    let t_head = firm_id(&store, "T-Head");
    assert!(has(&find(&store, "pingtou"), SearchKind::Firm, t_head));
    assert!(has(&find(&store, "平头哥"), SearchKind::Firm, t_head));
}

#[test]
fn kind_tag_and_date_filters_narrow_the_hits() {
    let (_dir, _path, mut store) = open_seeded();
    let old = add_source(
        &mut store,
        "Ascend roadmap 2019",
        "",
        Some("2019-05-16"),
        &["出口管制"],
    );
    let month = add_source(
        &mut store,
        "Ascend roadmap 2023",
        "",
        Some("2023-10"),
        &["hbm"],
    );
    let year = add_source(&mut store, "Ascend roadmap, a year", "", Some("2023"), &[]);
    let undated = add_source(&mut store, "Ascend roadmap undated", "", None, &["hbm"]);
    let note = notes::save(
        &mut store,
        None,
        &NoteDraft {
            title: "Ascend roadmap thoughts".into(),
            body: TRICKY.into(),
            tags: vec!["HBM".into()],
        },
        None,
    )
    .unwrap()
    .id;

    let run = |q: SearchQuery| search::search(&store, &q).unwrap();
    let sources_only = run(SearchQuery {
        kinds: vec![SearchKind::Source],
        ..query("ascend roadmap")
    });
    assert!(sources_only.iter().all(|h| h.kind == SearchKind::Source));
    assert!([old, month, year, undated].iter().all(|id| has(
        &sources_only,
        SearchKind::Source,
        *id
    )));
    let all = find(&store, "ascend roadmap");
    assert!(has(&all, SearchKind::Note, note));
    // Grouped by kind, in a fixed order.
    let kinds: Vec<SearchKind> = all.iter().map(|h| h.kind).collect();
    let mut grouped = kinds.clone();
    grouped.sort();
    assert_eq!(kinds, grouped);

    // A tag, ignoring case: sources and notes only.
    let tagged = run(SearchQuery {
        tag: Some("hbm".into()),
        ..query("ascend roadmap")
    });
    let mut found: Vec<(SearchKind, i64)> = tagged.iter().map(|h| (h.kind, h.id)).collect();
    found.sort();
    assert_eq!(
        found,
        [
            (SearchKind::Source, month),
            (SearchKind::Source, undated),
            (SearchKind::Note, note)
        ]
    );
    let chinese_tag = run(SearchQuery {
        tag: Some("出口管制".into()),
        ..query("ascend")
    });
    assert_eq!(ids_of(&chinese_tag, SearchKind::Source), [old]);
    assert!(run(SearchQuery {
        tag: Some("no such tag".into()),
        ..query("ascend")
    })
    .is_empty());

    // Partial dates overlap the range: "2023" is in October 2023, and the reverse.
    let dated = |from: Option<&str>, to: Option<&str>| {
        let mut ids = ids_of(
            &run(SearchQuery {
                kinds: vec![SearchKind::Source],
                from: from.map(str::to_owned),
                to: to.map(str::to_owned),
                ..query("ascend roadmap")
            }),
            SearchKind::Source,
        );
        ids.sort();
        ids
    };
    assert_eq!(dated(Some("2023-10"), Some("2023-10")), [month, year]);
    assert_eq!(dated(Some("2020"), None), [month, year]);
    assert_eq!(dated(None, Some("2019-12-31")), [old]);
    assert_eq!(dated(Some("2023-11"), None), [year]);
    let error = search::search(
        &store,
        &SearchQuery {
            from: Some("2023-13".into()),
            ..query("ascend")
        },
    )
    .unwrap_err();
    let shown = AppError::from(&error);
    assert_eq!(
        (shown.kind, shown.field.as_deref()),
        (ErrorKind::InvalidInput, Some("from"))
    );
}

#[test]
fn the_index_follows_saves_updates_and_deletes() {
    let (_dir, path, mut store) = open_seeded();
    let id = add_source(&mut store, "Zebrafish P800 cluster", "", None, &["旧标签"]);
    assert!(has(&find(&store, "zebrafish"), SearchKind::Source, id));
    assert!(has(&find(&store, "旧标签"), SearchKind::Source, id));

    let mut editing = sources::load_draft(&store, id).unwrap();
    editing.draft.title = "寒武纪 MLU370 集群".into();
    editing.draft.tags = vec!["新标签".into()];
    sources::save(&mut store, Some(id), Some(editing.revision), &editing.draft).unwrap();
    assert!(!has(&find(&store, "zebrafish"), SearchKind::Source, id));
    assert!(!has(&find(&store, "旧标签"), SearchKind::Source, id));
    assert!(has(&find(&store, "寒武纪"), SearchKind::Source, id));
    assert!(has(&find(&store, "新标签"), SearchKind::Source, id));
    assert!(has(&find(&store, "mlu370"), SearchKind::Source, id));
    assert_eq!(
        indexed(&path, "\"zebrafish\""),
        0,
        "the old text left the index"
    );

    store
        .write(|tx| {
            tx.execute("DELETE FROM sources WHERE id = ?1", [id])?;
            Ok(())
        })
        .unwrap();
    assert!(!has(&find(&store, "寒武纪"), SearchKind::Source, id));
    // Not 寒武 AND mlu370: the seeded chip MLU370-X8 is indexed with its firm, 寒武纪.
    assert_eq!(indexed(&path, "\"集群\" AND \"mlu370\""), 0);
}

#[test]
fn raw_sql_writes_by_other_tools_are_indexed_on_the_next_refresh() {
    let (_dir, path, store) = open_seeded();
    drop(store);
    let huawei;
    {
        let conn = raw_connection(&path);
        conn.execute(
            "INSERT INTO sources (id, kind, title, abstract, created_at, updated_at)
             VALUES (9001, 'web', 'Written by another tool: 长江存储 Xtacking', 'raw', 'x', 'x')",
            [],
        )
        .unwrap();
        huawei = conn
            .query_row("SELECT id FROM firms WHERE name = 'Huawei'", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap();
        conn.execute(
            "UPDATE firms SET native_name = '华为公司' WHERE id = ?1",
            [huawei],
        )
        .unwrap();
        conn.execute("DELETE FROM firms WHERE name = 'Tencent'", [])
            .unwrap();
        conn.execute_batch(
            "INSERT INTO tags (name) VALUES ('memory');
             INSERT INTO source_tags (source_id, tag_id) SELECT 9001, id FROM tags WHERE name = 'memory';",
        )
        .unwrap();
    }
    // A reader sees rows as they are now, even before the index catches up:
    // the deleted firm is not offered.
    let reader = Store::open_read_only(&path).unwrap();
    assert!(find(&reader, "tencent")
        .iter()
        .all(|h| h.kind != SearchKind::Firm));
    drop(reader);

    // A read-write open refreshes the index.
    let store = Store::open(&path).unwrap();
    assert!(has(&find(&store, "长江存储"), SearchKind::Source, 9001));
    assert!(has(&find(&store, "xtacking"), SearchKind::Source, 9001));
    assert!(has(&find(&store, "memory"), SearchKind::Source, 9001));
    assert!(has(&find(&store, "华为公司"), SearchKind::Firm, huawei));
    assert_eq!(
        indexed_firms(&path, "\"tencent\""),
        0,
        "the deleted firm left the index"
    );
    let queued: i64 = raw_connection(&path)
        .query_row("SELECT count(*) FROM search_dirty", [], |r| r.get(0))
        .unwrap();
    assert_eq!(queued, 0);

    // Renaming a tag or a firm re-indexes what shows the name.
    drop(store);
    {
        let conn = raw_connection(&path);
        conn.execute("UPDATE tags SET name = 'dram' WHERE name = 'memory'", [])
            .unwrap();
        conn.execute(
            "UPDATE firms SET name = 'Huawei Renamed' WHERE id = ?1",
            [huawei],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert!(has(&find(&store, "dram"), SearchKind::Source, 9001));
    assert!(!has(&find(&store, "memory"), SearchKind::Source, 9001));
    let chips = find(&store, "renamed");
    assert!(
        chips.iter().any(|h| h.kind == SearchKind::Chip),
        "{chips:?}"
    );
}

#[test]
fn insert_or_replace_by_another_tool_leaves_no_stale_words() {
    let (_dir, path, mut store) = open_seeded();
    let id = add_source(&mut store, "Original words zebrafish", "", None, &[]);
    drop(store);
    raw_connection(&path)
        .execute(
            "INSERT OR REPLACE INTO sources (id, kind, title, created_at, updated_at)
             VALUES (?1, 'web', 'Replacement words okapi', 'x', 'x')",
            [id],
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert!(has(&find(&store, "okapi"), SearchKind::Source, id));
    assert_eq!(indexed(&path, "\"zebrafish\""), 0);
}

#[test]
fn a_workspace_from_before_search_is_indexed_when_upgraded() {
    let (_dir, path) = temp_workspace();
    workspace_at_version(&path, 4);
    let store = Store::open(&path).unwrap();
    assert!(store.upgrade().is_some());
    assert_eq!(ids_of(&find(&store, "huawei"), SearchKind::Firm).len(), 1);
}

#[test]
fn hostile_queries_return_results_or_nothing_never_an_error() {
    let (_dir, _path, mut store) = open_seeded();
    add_source(&mut store, TRICKY, TRICKY, None, &["🚀"]);
    let long = "华为 AND \"".repeat(500);
    let hostile = [
        "",
        " ",
        "\"",
        "\"\"",
        "\"unclosed phrase",
        "AND",
        "OR",
        "NOT",
        "huawei AND",
        "AND huawei",
        "huawei OR smic",
        "huawei NOT smic",
        "NEAR(huawei smic)",
        "*",
        "**",
        "huawei*",
        "*huawei",
        "hua*wei",
        "-",
        "--",
        "-huawei",
        "- huawei",
        "+huawei",
        "^huawei",
        "title:huawei",
        "{title}: huawei",
        "{title body} : x",
        "(",
        ")",
        "(huawei",
        "huawei)",
        "'; DROP TABLE sources; --",
        "SELECT * FROM sources WHERE 1=1",
        "\0",
        "🚀",
        "华为🚀",
        "\u{0301}",
        "a\u{0301}",
        "ﬁ",
        "𠀀𠀁",
        "\u{10FFFF}",
        "“华为”",
        "「华为」 -芯片",
        TRICKY,
        &long,
    ];
    for text in hostile {
        let result = search::search(&store, &query(text));
        assert!(result.is_ok(), "{text:?}: {result:?}");
        let typed = search::match_expression(&store, text);
        assert!(typed.is_ok(), "{text:?}: {typed:?}");
    }
    assert!(find(&store, "").is_empty());
    assert!(find(&store, "*** ---").is_empty());
    // A quoted phrase beside Chinese words still finds what holds both.
    assert!(!find(&store, "华为 \"Ascend\"").is_empty());
    assert!(find(&store, "🚀").is_empty(), "emoji are not searchable");
}

#[test]
fn a_query_that_only_leaves_words_out_finds_nothing_and_can_be_told_apart() {
    let (_dir, _path, store) = open_seeded();
    for text in ["-huawei", "-华为 -smic", " -smic,  -🚀x "] {
        assert!(find(&store, text).is_empty(), "{text:?}");
        assert!(search::only_leaves_out(text), "{text:?}");
    }
    for text in ["", "-", "🚀", "华为 -smic", "\"-huawei\"", "huawei"] {
        assert!(!search::only_leaves_out(text), "{text:?}");
    }
    assert!(!find(&store, "华为 -smic").is_empty());
}

#[test]
fn titles_rank_above_other_fields_when_few_rows_match() {
    let (_dir, _path, mut store) = open_seeded();
    let in_text = add_source(
        &mut store,
        "A report",
        "Mentions the okapi once.",
        None,
        &[],
    );
    let in_title = add_source(&mut store, "The okapi report", "", None, &[]);
    let ids = ids_of(&find(&store, "okapi"), SearchKind::Source);
    assert_eq!(ids, [in_title, in_text]);
}

#[test]
fn a_broad_query_gives_title_matches_newest_first() {
    let (_dir, path, mut store) = open_seeded();
    sample::generate(
        &mut store,
        &sample::SampleSpec {
            sources: 12_000,
            notes: 0,
            seed: 7,
        },
    )
    .unwrap();
    let matching = indexed(&path, "\"huawei\"");
    assert!(
        matching > BM25_TERM_LIMIT as i64,
        "the rule for big match sets needs more than {BM25_TERM_LIMIT} matches, got {matching}"
    );
    let hits = search::search(
        &store,
        &SearchQuery {
            kinds: vec![SearchKind::Source],
            limit: Some(30),
            ..query("huawei ")
        },
    )
    .unwrap();
    assert_eq!(hits.len(), 30);
    assert!(
        hits.iter().all(|h| h.title_parts.iter().any(|p| p.hit)),
        "title matches first: {hits:?}"
    );
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    let mut newest_first = ids.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, newest_first);
}

#[test]
fn limit_caps_each_kind() {
    let (_dir, _path, mut store) = open_seeded();
    for n in 0..5 {
        add_source(&mut store, &format!("Okapi sighting {n}"), "", None, &[]);
    }
    let hits = search::search(
        &store,
        &SearchQuery {
            limit: Some(3),
            ..query("okapi")
        },
    )
    .unwrap();
    assert_eq!(hits.len(), 3);
    let none = search::search(
        &store,
        &SearchQuery {
            limit: Some(0),
            ..query("okapi")
        },
    )
    .unwrap();
    assert_eq!(none.len(), 1, "a limit below 1 counts as 1");
}

#[test]
fn rebuild_gives_the_same_answers() {
    let (_dir, _path, mut store) = open_seeded();
    let before = find(&store, "华为");
    let rows = search::rebuild(&mut store).unwrap();
    assert!(rows > 10);
    assert_eq!(find(&store, "华为"), before);
}

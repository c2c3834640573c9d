#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::Path;

use chipwatch_core::model::{
    AssessmentDraft, ChipDraft, EvidenceDraft, FirmDraft, FirmKind, ImpactWhat, Stance,
    StrategyDraft, TrashKind,
};
use chipwatch_core::{assessments, chips, firms, strategies, trash, workspace, Error, Store};
use chipwatch_core::{AppError, ErrorKind};
use common::*;
use rusqlite::types::Value;

/// Every row of every real table, ordered by rowid, with the SQLite type of
/// each value (`Value` keeps Integer, Real, Text, Blob and Null apart).
type Dump = Vec<(String, Vec<Vec<Value>>)>;

fn dump(path: &Path) -> Dump {
    let conn = raw_connection(path);
    let tables: Vec<(String, bool)> = conn
        .prepare(
            "SELECT name, wr FROM pragma_table_list() WHERE schema = 'main' AND type = 'table'
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        // The search index's work queue and word list (migration 0005) record
        // every write, restores included, and catch up with raw writes made
        // before the dump, by design: they are not the data being compared.
        // Nor are the records' history and its queue (migration 0010): a
        // delete and a restore are two more entries in it.
        .filter(|(t, _)| {
            !["search_dirty", "search_terms", "history", "record_changes"].contains(&t.as_str())
        })
        .map(|(table, without_rowid)| {
            // A table without rowid is ordered by its primary key instead.
            let sql = if without_rowid {
                format!("SELECT * FROM \"{table}\"")
            } else {
                format!("SELECT rowid, * FROM \"{table}\" ORDER BY rowid")
            };
            let mut stmt = conn.prepare(&sql).unwrap();
            let width = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..width)
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap();
            (table, rows)
        })
        .collect()
}

/// Fails naming the first table that differs, rather than printing both dumps whole.
fn assert_same(before: &Dump, after: &Dump, when: &str) {
    assert_eq!(
        before.iter().map(|t| &t.0).collect::<Vec<_>>(),
        after.iter().map(|t| &t.0).collect::<Vec<_>>(),
        "{when}: tables differ"
    );
    for ((table, a), (_, b)) in before.iter().zip(after) {
        assert_eq!(a, b, "{when}: table {table} differs");
    }
}

fn assert_healthy(path: &Path) {
    let report = workspace::check(path).unwrap();
    assert!(
        report.is_healthy(),
        "check found: {:?}",
        report.problems().collect::<Vec<_>>()
    );
}

fn seeded(dir_path: &Path) -> Store {
    seeded_file(dir_path);
    Store::open(dir_path).unwrap()
}

fn count(path: &Path, sql: &str, id: i64) -> i64 {
    raw_connection(path)
        .query_row(sql, [id], |r| r.get(0))
        .unwrap()
}

fn item(impact: &chipwatch_core::model::DeleteImpact, what: ImpactWhat) -> Option<i64> {
    impact
        .items
        .iter()
        .find(|i| i.what == what)
        .map(|i| i.count)
}

fn refusal(result: chipwatch_core::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(error @ Error::RestoreRefused { .. }) => {
            assert_eq!(AppError::from(&error).kind, ErrorKind::Conflict);
            error.to_string()
        }
        other => panic!("expected a refused restore, got {other:?}"),
    }
}

fn id_of(path: &Path, sql: &str) -> i64 {
    raw_connection(path)
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn huawei_draft(name: &str) -> FirmDraft {
    FirmDraft {
        name: name.into(),
        native_name: None,
        aliases: vec![],
        kind: FirmKind::Company,
        country: Some("CN".into()),
        parent_firm_id: None,
        website: None,
        summary: String::new(),
        listings: vec![],
    }
}

#[test]
fn deleting_huawei_then_restoring_gives_back_the_same_database() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let before = dump(&path);
    let huawei = firm_id(&store, "Huawei");

    let entry = trash::delete(&mut store, TrashKind::Firm, huawei).unwrap();
    assert_eq!(
        (entry.kind, entry.entity_id, entry.title.as_str()),
        (TrashKind::Firm, huawei, "Huawei")
    );
    assert_healthy(&path);
    assert!(firms::list(&store, None)
        .unwrap()
        .iter()
        .all(|f| f.name != "Huawei"));
    for (table, column) in [
        ("chips", "firm_id"),
        ("assessments", "firm_id"),
        ("export_control_listings", "firm_id"),
        ("firm_aliases", "firm_id"),
        ("event_firms", "firm_id"),
        ("note_links", "firm_id"),
    ] {
        let left = count(
            &path,
            &format!("SELECT count(*) FROM {table} WHERE {column} = ?1"),
            huawei,
        );
        assert_eq!(left, 0, "{table} still points at Huawei");
    }
    assert_ne!(dump(&path), before, "the delete changed nothing");

    let restored = trash::restore(&mut store, entry.id).unwrap();
    assert_eq!((restored.kind, restored.id), (TrashKind::Firm, huawei));
    assert!(restored.left_out.is_empty(), "{:?}", restored.left_out);
    assert_healthy(&path);
    assert_same(&before, &dump(&path), "after restoring Huawei");
    assert!(trash::list(&store).unwrap().is_empty());
}

#[test]
fn impact_counts_what_deleting_a_firm_takes_and_changes_nothing() {
    let (_dir, path) = temp_workspace();
    let store = seeded(&path);
    let before = dump(&path);
    let huawei = firm_id(&store, "Huawei");

    let impact = trash::impact(&store, TrashKind::Firm, huawei).unwrap();
    assert_eq!(impact.title, "Huawei");
    let expected = |sql: &str| count(&path, sql, huawei);
    let cases = [
        (
            ImpactWhat::Chips,
            "SELECT count(*) FROM chips WHERE firm_id = ?1",
        ),
        (
            ImpactWhat::Assessments,
            "SELECT count(*) FROM assessments WHERE firm_id = ?1",
        ),
        (
            ImpactWhat::Listings,
            "SELECT count(*) FROM export_control_listings WHERE firm_id = ?1",
        ),
        (
            ImpactWhat::Aliases,
            "SELECT count(*) FROM firm_aliases WHERE firm_id = ?1",
        ),
        (
            ImpactWhat::Events,
            "SELECT count(*) FROM event_firms WHERE firm_id = ?1",
        ),
        (
            ImpactWhat::Notes,
            "SELECT count(DISTINCT note_id) FROM note_links WHERE firm_id = ?1
             OR chip_id IN (SELECT id FROM chips WHERE firm_id = ?1)",
        ),
        (
            ImpactWhat::Subsidiaries,
            "SELECT count(*) FROM firms WHERE parent_firm_id = ?1",
        ),
    ];
    for (what, sql) in cases {
        let want = expected(sql);
        assert!(want > 0, "the seed should give Huawei some {what:?}");
        assert_eq!(item(&impact, what), Some(want), "{what:?} in {impact:?}");
    }
    // Spelled for the analyst, in the singular when there is one.
    let texts: Vec<&str> = impact.items.iter().map(|i| i.text.as_str()).collect();
    assert!(texts.contains(&"3 chips go with it"), "{texts:?}");
    assert!(
        texts.contains(&"1 export-control listing goes with it"),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"1 subsidiary loses its parent firm"),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"4 notes link to it (the notes stay)"),
        "{texts:?}"
    );

    // SMIC is the foundry of a chip: that chip keeps existing without it.
    let smic = trash::impact(&store, TrashKind::Firm, firm_id(&store, "SMIC")).unwrap();
    assert_eq!(item(&smic, ImpactWhat::FoundryChips), Some(1), "{smic:?}");
    assert_eq!(item(&smic, ImpactWhat::Chips), None, "{smic:?}");

    assert_same(&before, &dump(&path), "after impact");
    assert!(matches!(
        trash::impact(&store, TrashKind::Firm, 999),
        Err(Error::NotFound {
            entity: "firm",
            id: 999
        })
    ));
}

#[test]
fn a_cited_source_goes_with_its_claims_and_comes_back() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let before = dump(&path);
    let claims_sql = "SELECT (SELECT count(*) FROM assessment_evidence WHERE source_id = ?1)
                          + (SELECT count(*) FROM chip_sources WHERE source_id = ?1)
                          + (SELECT count(*) FROM event_sources WHERE source_id = ?1)
                          + (SELECT count(*) FROM export_control_listings WHERE source_id = ?1)";
    let notes_sql = "SELECT count(DISTINCT note_id) FROM note_links WHERE source_id = ?1";

    // The seed cites every source somewhere; between them, each kind of claim.
    let sources: Vec<i64> = (1..=6).collect();
    let mut kinds_seen = [false; 4];
    for source in sources {
        for (i, table) in [
            "assessment_evidence",
            "chip_sources",
            "event_sources",
            "export_control_listings",
        ]
        .iter()
        .enumerate()
        {
            let n = count(
                &path,
                &format!("SELECT count(*) FROM {table} WHERE source_id = ?1"),
                source,
            );
            kinds_seen[i] |= n > 0;
        }
        let impact = trash::impact(&store, TrashKind::Source, source).unwrap();
        let claims = count(&path, claims_sql, source);
        assert!(claims > 0, "source {source} is cited in the seed");
        assert_eq!(
            item(&impact, ImpactWhat::Claims),
            Some(claims),
            "{impact:?}"
        );
        let notes = count(&path, notes_sql, source);
        let want_notes = (notes > 0).then_some(notes);
        assert_eq!(item(&impact, ImpactWhat::Notes), want_notes, "{impact:?}");
        if claims > 1 {
            assert!(impact
                .items
                .iter()
                .any(|i| i.text == format!("{claims} claims cite this source")));
        }
    }
    assert_eq!(kinds_seen, [true; 4], "the seed cites sources in every way");

    // The Entity List rule: cited by Huawei's listing (a pointer) and an event (a link row).
    let listing_source = id_of(
        &path,
        "SELECT source_id FROM export_control_listings WHERE source_id IS NOT NULL LIMIT 1",
    );
    let entry = trash::delete(&mut store, TrashKind::Source, listing_source).unwrap();
    assert_healthy(&path);
    assert_eq!(
        id_of(
            &path,
            "SELECT count(*) FROM export_control_listings WHERE source_id IS NULL"
        ),
        1,
        "the listing stays, without its source"
    );
    assert_eq!(count(&path, claims_sql, listing_source), 0);
    trash::restore(&mut store, entry.id).unwrap();
    assert_healthy(&path);
    assert_same(
        &before,
        &dump(&path),
        "after restoring the listing's source",
    );

    // Epoch's dataset: cited by assessments, chips and events, linked from notes.
    let epoch = id_of(
        &path,
        "SELECT source_id FROM chip_sources GROUP BY source_id ORDER BY count(*) DESC LIMIT 1",
    );
    let entry = trash::delete(&mut store, TrashKind::Source, epoch).unwrap();
    assert_eq!(
        entry
            .summary
            .iter()
            .find(|i| i.what == ImpactWhat::Claims)
            .map(|i| i.count),
        Some(before_claims(&before, epoch))
    );
    assert_healthy(&path);
    trash::restore(&mut store, entry.id).unwrap();
    assert_healthy(&path);
    assert_same(&before, &dump(&path), "after restoring Epoch's dataset");
}

/// Claims citing `source` counted from a dump, independently of the database.
fn before_claims(dump: &Dump, source: i64) -> i64 {
    let column = |table: &str, index: usize| -> i64 {
        dump.iter()
            .find(|t| t.0 == table)
            .unwrap()
            .1
            .iter()
            .filter(|row| row[index] == Value::Integer(source))
            .count() as i64
    };
    // Columns after the rowid: evidence (assessment, source), chip/event links (owner, source),
    // listings (id, firm, list, date, citation, source).
    column("assessment_evidence", 2)
        + column("chip_sources", 2)
        + column("event_sources", 2)
        + column("export_control_listings", 6)
}

#[test]
fn deleting_a_parent_firm_and_restoring_re_points_the_subsidiary() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let huawei = firm_id(&store, "Huawei");
    let hisilicon = firm_id(&store, "HiSilicon");
    let parent_of = |store: &Store, id: i64| {
        firms::list(store, None)
            .unwrap()
            .into_iter()
            .find(|f| f.id == id)
            .unwrap()
            .parent
            .map(|p| p.name)
    };
    assert_eq!(parent_of(&store, hisilicon).as_deref(), Some("Huawei"));

    let entry = trash::delete(&mut store, TrashKind::Firm, huawei).unwrap();
    assert_eq!(parent_of(&store, hisilicon), None);
    assert_healthy(&path);
    trash::restore(&mut store, entry.id).unwrap();
    assert_eq!(parent_of(&store, hisilicon).as_deref(), Some("Huawei"));
    assert_healthy(&path);

    // A subsidiary given another parent meanwhile keeps it: only a NULL is pointed back.
    let entry = trash::delete(&mut store, TrashKind::Firm, huawei).unwrap();
    let alibaba = firm_id(&store, "Alibaba");
    let mut editing = firms::load_draft(&store, hisilicon).unwrap();
    editing.draft.parent_firm_id = Some(alibaba);
    firms::save(
        &mut store,
        Some(hisilicon),
        Some(editing.revision),
        &editing.draft,
    )
    .unwrap();
    trash::restore(&mut store, entry.id).unwrap();
    assert_eq!(parent_of(&store, hisilicon).as_deref(), Some("Alibaba"));
    assert_healthy(&path);

    // A subsidiary deleted meanwhile is not brought back by its parent's restore.
    let entry = trash::delete(&mut store, TrashKind::Firm, alibaba).unwrap();
    trash::delete(&mut store, TrashKind::Firm, hisilicon).unwrap();
    trash::restore(&mut store, entry.id).unwrap();
    assert!(firms::list(&store, None)
        .unwrap()
        .iter()
        .all(|f| f.id != hisilicon));
    assert_healthy(&path);
}

#[test]
fn a_taken_name_refuses_the_restore_and_changes_nothing() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let huawei = firm_id(&store, "Huawei");
    let entry = trash::delete(&mut store, TrashKind::Firm, huawei).unwrap();
    // Names are unique ignoring case.
    firms::save(&mut store, None, None, &huawei_draft("HUAWEI")).unwrap();
    let before = dump(&path);

    let message = refusal(trash::restore(&mut store, entry.id));
    assert_eq!(
        message,
        "Cannot restore the firm 'Huawei': a firm named 'Huawei' exists now; rename it first, then restore. Nothing was changed."
    );
    assert_same(&before, &dump(&path), "after a refused restore");
    assert_eq!(
        trash::list(&store).unwrap().len(),
        1,
        "the entry stays in the Trash"
    );
    assert_healthy(&path);

    // Renamed, the way is clear.
    let new_id = firm_id(&store, "HUAWEI");
    let mut editing = firms::load_draft(&store, new_id).unwrap();
    editing.draft.name = "Huawei (new)".into();
    firms::save(
        &mut store,
        Some(new_id),
        Some(editing.revision),
        &editing.draft,
    )
    .unwrap();
    trash::restore(&mut store, entry.id).unwrap();
    assert_eq!(firm_id(&store, "Huawei"), huawei);
    assert_healthy(&path);
}

#[test]
fn a_taken_strategy_name_chip_name_or_assessment_refuses_the_restore() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let huawei = firm_id(&store, "Huawei");

    // Strategy name.
    let strategy = id_of(
        &path,
        "SELECT id FROM strategies WHERE name = 'In-house chips'",
    );
    let entry = trash::delete(&mut store, TrashKind::Strategy, strategy).unwrap();
    let draft = StrategyDraft {
        name: "in-house CHIPS".into(),
        description: TRICKY.into(),
    };
    let new_strategy = strategies::save(&mut store, None, None, &draft).unwrap().id;
    let before = dump(&path);
    let message = refusal(trash::restore(&mut store, entry.id));
    assert!(
        message.contains("a strategy named 'In-house chips' exists now; rename it first"),
        "{message}"
    );
    assert_same(&before, &dump(&path), "after a refused strategy restore");
    raw_connection(&path)
        .execute("DELETE FROM strategies WHERE id = ?1", [new_strategy])
        .unwrap();
    trash::restore(&mut store, entry.id).unwrap();
    assert_healthy(&path);

    // Chip: a firm's chip names are unique.
    let ascend = id_of(&path, "SELECT id FROM chips WHERE name = 'Ascend 910'");
    let entry = trash::delete(&mut store, TrashKind::Chip, ascend).unwrap();
    assert_eq!(entry.title, "Ascend 910");
    let chip = ChipDraft {
        firm_id: huawei,
        name: "Ascend 910".into(),
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
    };
    chips::save(&mut store, None, None, &chip).unwrap();
    let before = dump(&path);
    let message = refusal(trash::restore(&mut store, entry.id));
    assert!(
        message.contains("Huawei's chip 'Ascend 910' exists now; rename or delete it first"),
        "{message}"
    );
    assert_same(&before, &dump(&path), "after a refused chip restore");

    // Assessment: one per firm and strategy.
    let assessment = id_of(
        &path,
        "SELECT a.id FROM assessments a JOIN firms f ON f.id = a.firm_id JOIN strategies s ON s.id = a.strategy_id
         WHERE f.name = 'Huawei' AND s.name = 'In-house chips'",
    );
    let entry = trash::delete(&mut store, TrashKind::Assessment, assessment).unwrap();
    assert_eq!(entry.title, "Huawei × In-house chips");
    let draft = AssessmentDraft {
        firm_id: huawei,
        strategy_id: strategy,
        stance: Stance::Exploring,
        summary: TRICKY.into(),
        as_of: None,
        evidence: vec![EvidenceDraft {
            source_id: 1,
            locator: None,
            excerpt: Some(TRICKY.into()),
        }],
    };
    assessments::save(&mut store, None, None, &draft).unwrap();
    let before = dump(&path);
    let message = refusal(trash::restore(&mut store, entry.id));
    assert!(
        message.contains("the assessment 'Huawei × In-house chips' exists now"),
        "{message}"
    );
    assert_same(&before, &dump(&path), "after a refused assessment restore");
    assert_healthy(&path);
}

#[test]
fn a_record_whose_id_is_taken_again_is_refused() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    // The newest chip: SQLite gives its id to the next chip added.
    let last = id_of(&path, "SELECT max(id) FROM chips");
    let entry = trash::delete(&mut store, TrashKind::Chip, last).unwrap();
    let chip = ChipDraft {
        firm_id: firm_id(&store, "NVIDIA"),
        name: "B20 🚀".into(),
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
    };
    assert_eq!(chips::save(&mut store, None, None, &chip).unwrap().id, last);
    let before = dump(&path);
    let message = refusal(trash::restore(&mut store, entry.id));
    assert!(
        message.contains(&format!(
            "its id {last} is now used by NVIDIA's chip 'B20 🚀'"
        )),
        "{message}"
    );
    assert_same(&before, &dump(&path), "after a refused restore");
}

#[test]
fn restoring_an_assessment_whose_firm_is_in_the_trash_asks_for_the_firm_first() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let original = dump(&path);
    let huawei = firm_id(&store, "Huawei");
    let assessment = id_of(
        &path,
        "SELECT id FROM assessments WHERE firm_id = 1 ORDER BY id LIMIT 1",
    );
    let assessment_entry = trash::delete(&mut store, TrashKind::Assessment, assessment).unwrap();
    let firm_entry = trash::delete(&mut store, TrashKind::Firm, huawei).unwrap();
    assert_healthy(&path);

    let before = dump(&path);
    let message = refusal(trash::restore(&mut store, assessment_entry.id));
    assert!(
        message.contains("it needs the firm 'Huawei', which is in the Trash; restore it first"),
        "{message}"
    );
    assert_same(&before, &dump(&path), "after a refused restore");

    trash::restore(&mut store, firm_entry.id).unwrap();
    trash::restore(&mut store, assessment_entry.id).unwrap();
    assert_healthy(&path);
    assert_same(&original, &dump(&path), "after restoring both");
}

#[test]
fn links_to_a_source_deleted_for_good_are_left_out_and_said() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let huawei = firm_id(&store, "Huawei");
    let firm_entry = trash::delete(&mut store, TrashKind::Firm, huawei).unwrap();
    // A source Huawei's assessments cite as evidence, deleted after Huawei.
    let source = id_of(
        &path,
        "SELECT source_id FROM assessment_evidence GROUP BY source_id ORDER BY source_id LIMIT 1",
    );
    let source_entry = trash::delete(&mut store, TrashKind::Source, source).unwrap();

    // While the source is in the Trash, the firm waits for it.
    let message = refusal(trash::restore(&mut store, firm_entry.id));
    assert!(
        message.contains("evidence cited by an assessment, which goes with it, needs the source '"),
        "{message}"
    );
    assert!(
        message.contains("which is in the Trash; restore it first"),
        "{message}"
    );

    trash::purge(&mut store, source_entry.id).unwrap();
    let restored = trash::restore(&mut store, firm_entry.id).unwrap();
    assert_eq!(restored.id, huawei);
    assert!(!restored.left_out.is_empty());
    assert!(
        restored
            .left_out
            .iter()
            .all(|l| l.contains("was deleted for good")),
        "{:?}",
        restored.left_out
    );
    assert_healthy(&path);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM assessments WHERE firm_id = ?1",
            huawei
        ),
        2,
        "the assessments came back, without the purged evidence"
    );
}

#[test]
fn link_rows_whose_rowid_was_reused_come_back_with_a_new_one() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    // TSMC's alias is the last firm_aliases row, so its rowid is reused next.
    let tsmc = firm_id(&store, "TSMC");
    let alias_rowid = count(
        &path,
        "SELECT max(rowid) FROM firm_aliases WHERE firm_id = ?1",
        tsmc,
    );
    assert_eq!(
        alias_rowid,
        id_of(&path, "SELECT max(rowid) FROM firm_aliases")
    );
    let entry = trash::delete(&mut store, TrashKind::Firm, tsmc).unwrap();
    let conn = raw_connection(&path);
    conn.execute(
        "INSERT INTO firm_aliases (firm_id, alias) VALUES (1, ?1)",
        [TRICKY],
    )
    .unwrap();
    assert_eq!(
        conn.query_row(
            "SELECT rowid FROM firm_aliases WHERE alias = ?1",
            [TRICKY],
            |r| r.get::<_, i64>(0)
        )
        .unwrap(),
        alias_rowid
    );
    drop(conn);

    trash::restore(&mut store, entry.id).unwrap();
    assert_healthy(&path);
    let draft = firms::load_draft(&store, tsmc).unwrap().draft;
    assert_eq!(
        draft.aliases,
        vec!["Taiwan Semiconductor Manufacturing Company"]
    );
    assert!(firms::load_draft(&store, 1)
        .unwrap()
        .draft
        .aliases
        .contains(&TRICKY.to_owned()));
}

#[test]
fn values_come_back_with_their_exact_types() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let conn = raw_connection(&path);
    // Reals that a JSON number could round, an integral real, and tricky text.
    conn.execute(
        "UPDATE chips SET process_node_nm = 0.1 + 0.2, die_area_mm2 = 1e-300, memory_gb = 9007199254740993.0,
                tdp_w = 400.0, notes = ?1 WHERE name = 'H100'",
        [TRICKY],
    )
    .unwrap();
    conn.execute(
        "UPDATE assessment_evidence SET locator = ?1 WHERE rowid = (SELECT min(rowid) FROM assessment_evidence)",
        [TRICKY],
    )
    .unwrap();
    drop(conn);
    let before = dump(&path);
    for (kind, sql) in [
        (
            TrashKind::Firm,
            "SELECT id FROM firms WHERE name = 'NVIDIA'",
        ),
        (
            TrashKind::Source,
            "SELECT min(source_id) FROM assessment_evidence",
        ),
        (TrashKind::Event, "SELECT max(event_id) FROM event_firms"),
        (TrashKind::Note, "SELECT max(note_id) FROM note_tags"),
        (
            TrashKind::Strategy,
            "SELECT max(strategy_id) FROM assessments",
        ),
    ] {
        let id = id_of(&path, sql);
        let entry = trash::delete(&mut store, kind, id).unwrap();
        assert_healthy(&path);
        trash::restore(&mut store, entry.id).unwrap();
        assert_healthy(&path);
        assert_same(
            &before,
            &dump(&path),
            &format!("after restoring {kind:?} {id}"),
        );
    }
}

#[test]
fn the_trash_lists_newest_first_with_titles_as_typed() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let conn = raw_connection(&path);
    conn.execute(
        "INSERT INTO sources (kind, title, created_at, updated_at) VALUES ('web', ?1, 'x', 'x')",
        [TRICKY],
    )
    .unwrap();
    let source = conn.last_insert_rowid();
    let note_title = format!("笔记 — {TRICKY}");
    conn.execute(
        "INSERT INTO notes (title, body, created_at, updated_at) VALUES (?1, ?2, 'x', 'x')",
        [&note_title, TRICKY],
    )
    .unwrap();
    let note = conn.last_insert_rowid();
    drop(conn);
    let mut store = Store::open(&path).unwrap();
    let huawei = firm_id(&store, "Huawei");
    let assessment = id_of(&path, "SELECT min(id) FROM assessments WHERE firm_id = 1");

    trash::delete(&mut store, TrashKind::Assessment, assessment).unwrap();
    trash::delete(&mut store, TrashKind::Source, source).unwrap();
    trash::delete(&mut store, TrashKind::Firm, huawei).unwrap();
    let last = trash::delete(&mut store, TrashKind::Note, note).unwrap();
    assert_healthy(&path);

    let listed = trash::list(&store).unwrap();
    let shown: Vec<(TrashKind, &str)> = listed.iter().map(|e| (e.kind, e.title.as_str())).collect();
    assert_eq!(
        shown,
        vec![
            (TrashKind::Note, note_title.as_str()),
            (TrashKind::Firm, "Huawei"),
            (TrashKind::Source, TRICKY),
            (TrashKind::Assessment, "Huawei × In-house chips"),
        ]
    );
    assert_eq!(listed[0], last);
    assert_eq!(listed[1].entity_id, huawei);
    assert!(listed[1]
        .summary
        .iter()
        .any(|i| i.what == ImpactWhat::Chips && i.count == 3));
    // Across IPC the entry is camelCase.
    let json = serde_json::to_value(&listed[0]).unwrap();
    assert_eq!(json["entityId"], note);
    assert_eq!(json["kind"], "note");
    assert!(json["deletedAt"].is_string());

    // The note comes back as typed.
    trash::restore(&mut store, last.id).unwrap();
    let title: String = raw_connection(&path)
        .query_row("SELECT title FROM notes WHERE id = ?1", [note], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(title, note_title);
    assert_eq!(trash::list(&store).unwrap().len(), 3);
    assert_healthy(&path);
}

#[test]
fn deleting_what_is_gone_is_not_found() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let before = dump(&path);
    for kind in TrashKind::ALL {
        match trash::delete(&mut store, kind, 9999) {
            Err(Error::NotFound { entity, id: 9999 }) => assert_eq!(entity, kind.noun()),
            other => panic!("{kind:?}: {other:?}"),
        }
    }
    assert_same(&before, &dump(&path), "after deleting nothing");

    let chip = id_of(&path, "SELECT min(id) FROM chips");
    let entry = trash::delete(&mut store, TrashKind::Chip, chip).unwrap();
    assert!(matches!(
        trash::delete(&mut store, TrashKind::Chip, chip),
        Err(Error::NotFound { entity: "chip", .. })
    ));
    trash::restore(&mut store, entry.id).unwrap();
    assert!(matches!(
        trash::restore(&mut store, entry.id),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        trash::purge(&mut store, entry.id),
        Err(Error::NotFound { .. })
    ));
    assert_healthy(&path);
}

#[test]
fn purge_and_empty_delete_for_good() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let [tsmc, nvidia, tencent] = ["TSMC", "NVIDIA", "Tencent"].map(|n| firm_id(&store, n));
    let first = trash::delete(&mut store, TrashKind::Firm, tsmc).unwrap();
    let second = trash::delete(&mut store, TrashKind::Firm, nvidia).unwrap();
    let third = trash::delete(&mut store, TrashKind::Firm, tencent).unwrap();
    trash::purge(&mut store, second.id).unwrap();
    let ids: Vec<i64> = trash::list(&store).unwrap().iter().map(|e| e.id).collect();
    assert_eq!(ids, vec![third.id, first.id]);
    assert_eq!(trash::empty(&mut store).unwrap(), 2);
    assert!(trash::list(&store).unwrap().is_empty());
    assert_eq!(trash::empty(&mut store).unwrap(), 0);
    assert!(matches!(
        trash::restore(&mut store, first.id),
        Err(Error::NotFound { .. })
    ));
    assert_healthy(&path);
}

#[test]
fn a_read_only_workspace_refuses_to_delete() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open_read_only(&path).unwrap();
    let before = dump(&path);
    assert!(matches!(
        trash::delete(&mut store, TrashKind::Firm, 1),
        Err(Error::WorkspaceUnwritable { .. })
    ));
    assert_same(&before, &dump(&path), "after a refused delete");
}

#[test]
fn a_chip_made_at_its_own_firm_is_counted_once_and_comes_back_whole() {
    let (_dir, path) = temp_workspace();
    let mut store = seeded(&path);
    let huawei = firm_id(&store, "Huawei");
    raw_connection(&path)
        .execute(
            "UPDATE chips SET foundry_firm_id = firm_id WHERE name = 'Ascend 910'",
            [],
        )
        .unwrap();
    let before = dump(&path);
    let impact = trash::impact(&store, TrashKind::Firm, huawei).unwrap();
    // The chip goes with its designer; it does not also "lose its foundry".
    assert_eq!(item(&impact, ImpactWhat::FoundryChips), None, "{impact:?}");
    let entry = trash::delete(&mut store, TrashKind::Firm, huawei).unwrap();
    assert_healthy(&path);
    trash::restore(&mut store, entry.id).unwrap();
    assert_same(&before, &dump(&path), "after restoring Huawei");
}

#[test]
fn impact_of_an_event_a_note_and_a_chip_names_what_they_link() {
    let (_dir, path) = temp_workspace();
    let store = seeded(&path);
    let event = id_of(
        &path,
        "SELECT event_id FROM event_firms GROUP BY event_id HAVING count(*) > 1 LIMIT 1",
    );
    let impact = trash::impact(&store, TrashKind::Event, event).unwrap();
    let firms = count(
        &path,
        "SELECT count(*) FROM event_firms WHERE event_id = ?1",
        event,
    );
    let sources = count(
        &path,
        "SELECT count(*) FROM event_sources WHERE event_id = ?1",
        event,
    );
    assert_eq!(item(&impact, ImpactWhat::Firms), Some(firms), "{impact:?}");
    assert_eq!(
        item(&impact, ImpactWhat::Sources),
        Some(sources),
        "{impact:?}"
    );
    assert_eq!(item(&impact, ImpactWhat::Events), None, "{impact:?}");
    assert!(impact
        .items
        .iter()
        .any(|i| i.text == format!("it is unlinked from {firms} firms (they stay)")));

    let note = id_of(
        &path,
        "SELECT note_id FROM note_links GROUP BY note_id ORDER BY count(*) DESC LIMIT 1",
    );
    let impact = trash::impact(&store, TrashKind::Note, note).unwrap();
    let links = count(
        &path,
        "SELECT count(*) FROM note_links WHERE note_id = ?1",
        note,
    );
    assert_eq!(item(&impact, ImpactWhat::Links), Some(links), "{impact:?}");
    assert_eq!(item(&impact, ImpactWhat::Notes), None, "{impact:?}");

    let chip = id_of(&path, "SELECT min(chip_id) FROM chip_sources");
    let impact = trash::impact(&store, TrashKind::Chip, chip).unwrap();
    let cited = count(
        &path,
        "SELECT count(*) FROM chip_sources WHERE chip_id = ?1",
        chip,
    );
    assert_eq!(
        item(&impact, ImpactWhat::Sources),
        Some(cited),
        "{impact:?}"
    );
    assert_eq!(item(&impact, ImpactWhat::Claims), None, "{impact:?}");
}

#[test]
fn the_trash_comes_a_page_at_a_time_newest_first_with_its_counts() {
    let mut store = seeded_store();
    let sources: Vec<i64> = chipwatch_core::sources::list(&store, None)
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let huawei = firm_id(&store, "Huawei");
    for id in sources.iter().take(7) {
        // Some are cited: their citations go with them, the sources still go.
        trash::delete(&mut store, TrashKind::Source, *id).unwrap();
    }
    trash::delete(&mut store, TrashKind::Firm, huawei).unwrap();
    let all = trash::list(&store).unwrap();
    let first = trash::page(&store, 0, 5).unwrap();
    assert_eq!(first.total as usize, all.len());
    assert_eq!(first.entries, all[..5].to_vec());
    assert_eq!(first.entries[0].kind, TrashKind::Firm, "newest first");
    let count = |kind| {
        first
            .by_kind
            .iter()
            .find(|k| k.kind == kind)
            .map(|k| k.count)
    };
    assert_eq!(
        (count(TrashKind::Source), count(TrashKind::Firm)),
        (Some(7), Some(1))
    );
    let second = trash::page(&store, 5, 5).unwrap();
    assert_eq!(second.entries, all[5..].to_vec());
    // Past the end (the last entry of a page was just restored): the last page.
    let past = trash::page(&store, 40, 5).unwrap();
    assert_eq!((past.offset, past.entries.len()), (5, all.len() - 5));
}

use super::history::history;
use super::*;
use crate::model::{FirmDraft, FirmKind, NoteDraft, TrashKind};
use crate::store::Store;
use crate::{firms, notes, trash};

fn firm(name: &str) -> FirmDraft {
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

fn uid_of(store: &Store, kind: RecordKind, id: i64) -> String {
    store
        .conn()
        .query_row(
            &format!("SELECT uid FROM {} WHERE id = ?1", kind.table()),
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

fn is_uuid_v7(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok_and(|u| u.get_version_num() == 7)
        && text == text.to_lowercase()
}

#[test]
fn a_new_record_gets_a_uuid_v7_and_a_created_entry() {
    let mut store = Store::open_in_memory().unwrap();
    let saved = firms::save(&mut store, None, None, &firm("华为 Huawei")).unwrap();
    assert!(is_uuid_v7(&uid_of(&store, RecordKind::Firm, saved.id)));
    let entries = history(&store, RecordKind::Firm, saved.id).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].op, "created");
    assert!(!entries[0].author.is_empty());
}

#[test]
fn rows_inserted_by_one_statement_get_distinct_uids() {
    let store = Store::open_in_memory().unwrap();
    store
        .conn()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO strategies (name) SELECT 'strategy ' || i FROM n;",
        )
        .unwrap();
    let (all, distinct, v7): (i64, i64, i64) = store
        .conn()
        .query_row(
            "SELECT count(*), count(DISTINCT uid),
                    sum(uid GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-*-7*-[89ab]*')
             FROM strategies",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((all, distinct, v7), (2000, 2000, 2000));
}

#[test]
fn an_edit_records_each_changed_field_old_and_new_and_an_unchanged_save_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let saved = firms::save(&mut store, None, None, &firm("Huawei")).unwrap();
    let mut draft = saved.draft.clone();
    draft.name = "Huawei, \"Ltd\"".into();
    draft.aliases = vec!["华为".into()];
    let edited = firms::save(&mut store, Some(saved.id), Some(saved.revision), &draft).unwrap();
    firms::save(&mut store, Some(saved.id), Some(edited.revision), &draft).unwrap();

    let entries = history(&store, RecordKind::Firm, saved.id).unwrap();
    assert_eq!(
        entries.iter().map(|e| e.op.as_str()).collect::<Vec<_>>(),
        ["created", "changed"]
    );
    let fields: Vec<(&str, &str, &str)> = entries[1]
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.old.as_str(), f.new.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("aliases", "", "华为"),
            ("name", "Huawei", "Huawei, \"Ltd\"")
        ]
    );
}

#[test]
fn references_are_shown_by_name() {
    let mut store = Store::open_in_memory().unwrap();
    let parent = firms::save(&mut store, None, None, &firm("Alibaba")).unwrap();
    let child = firms::save(&mut store, None, None, &firm("T-Head 平头哥")).unwrap();
    let mut draft = child.draft.clone();
    draft.parent_firm_id = Some(parent.id);
    firms::save(&mut store, Some(child.id), Some(child.revision), &draft).unwrap();
    let entries = history(&store, RecordKind::Firm, child.id).unwrap();
    assert_eq!(entries[1].fields[0].field, "parent");
    assert_eq!(entries[1].fields[0].new, "Alibaba");
}

#[test]
fn the_trash_keeps_the_uid_and_the_history_goes_on() {
    let mut store = Store::open_in_memory().unwrap();
    let note = notes::save(
        &mut store,
        None,
        &NoteDraft {
            title: "Ascend supply".into(),
            body: "7nm, SMIC".into(),
            tags: vec![],
        },
        None,
    )
    .unwrap();
    let uid = uid_of(&store, RecordKind::Note, note.id);
    let entry = trash::delete(&mut store, TrashKind::Note, note.id).unwrap();
    trash::restore(&mut store, entry.id).unwrap();
    assert_eq!(uid_of(&store, RecordKind::Note, note.id), uid);
    let ops: Vec<String> = history(&store, RecordKind::Note, note.id)
        .unwrap()
        .into_iter()
        .map(|e| e.op)
        .collect();
    assert_eq!(ops, ["created", "deleted", "restored"]);
}

#[test]
fn a_change_another_program_made_is_recorded_when_the_workspace_next_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let (mut store, _) = Store::open_or_create(&path, |_| Ok(())).unwrap();
    let saved = firms::save(&mut store, None, None, &firm("SMIC")).unwrap();
    drop(store);
    // Another program (the sqlite3 shell, a script) edits the file directly.
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute(
            "UPDATE firms SET summary = 'foundry, 7nm (N+2)' WHERE id = ?1",
            [saved.id],
        )
        .unwrap();
    drop(other);
    let store = Store::open(&path).unwrap();
    let entries = history(&store, RecordKind::Firm, saved.id).unwrap();
    assert_eq!(entries.last().unwrap().fields[0].field, "summary");
    assert_eq!(entries.last().unwrap().fields[0].new, "foundry, 7nm (N+2)");
}

#[test]
fn in_a_team_replica_edits_before_a_push_fold_into_one_change() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .write(|tx| set_meta(tx, "team.workspace", "00000000-0000-0000-0000-000000000001"))
        .unwrap();
    let saved = firms::save(&mut store, None, None, &firm("Baidu")).unwrap();
    let mut draft = saved.draft.clone();
    draft.summary = "Kunlun".into();
    let edited = firms::save(&mut store, Some(saved.id), Some(saved.revision), &draft).unwrap();
    draft.website = Some("https://baidu.com".into());
    firms::save(&mut store, Some(saved.id), Some(edited.revision), &draft).unwrap();

    let rows: Vec<(Option<String>, String)> = store
        .conn()
        .prepare("SELECT fields, previous FROM sync_outbox")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    // Never pushed: one change carrying the whole record.
    assert_eq!(rows, [(None, "{}".to_string())]);

    // Once the server has it, later edits name their fields and keep the first values.
    store
        .conn()
        .execute_batch("UPDATE sync_outbox SET sent = '{}'; UPDATE firms SET sync_version = 1; DELETE FROM sync_outbox;")
        .unwrap();
    let current = firms::load_draft(&store, saved.id).unwrap();
    let mut draft = current.draft.clone();
    draft.summary = "Kunlun P800".into();
    let one = firms::save(&mut store, Some(saved.id), Some(current.revision), &draft).unwrap();
    draft.summary = "Kunlun P800, 2025".into();
    draft.country = Some("HK".into());
    firms::save(&mut store, Some(saved.id), Some(one.revision), &draft).unwrap();
    let (fields, previous): (String, String) = store
        .conn()
        .query_row("SELECT fields, previous FROM sync_outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(fields, r#"["summary","country"]"#);
    assert_eq!(previous, r#"{"country":"CN","summary":"Kunlun"}"#);
}

#[test]
fn a_one_person_workspace_keeps_no_outbox() {
    let mut store = Store::open_in_memory().unwrap();
    firms::save(&mut store, None, None, &firm("Tencent")).unwrap();
    let outbox: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))
        .unwrap();
    assert_eq!(outbox, 0);
}

//! Push and pull against a real PostgreSQL: what an analyst's replica would notice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Barrier};

use chipwatch_sync::{Change, PushStatus, Role, SyncError};
use common::cluster::Cluster;
use common::{firm_edit, obj};
use serde_json::json;
use uuid::Uuid;

#[test]
fn a_pushers_own_changes_come_back_from_its_pull_without_their_fields() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Known changes").unwrap();
    a1.grant(ws, "analyst2", Role::Editor).unwrap();
    let mut a2 = team.login("analyst2");

    // Two creations (push's bulk path), a teammate's creation, then an edit
    // (the per-change path): every answer names the change's seq in the log.
    let (huawei, smic, biren) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let created = vec![
        firm_edit(
            huawei,
            0,
            json!({"name": "Huawei, \"华为\"", "country": "CN"}),
        ),
        firm_edit(smic, 0, json!({"name": "SMIC 中芯国际 🚀"})),
    ];
    let mut seqs: Vec<i64> = a1
        .push(ws, &created)
        .unwrap()
        .iter()
        .map(|r| r.seq.unwrap())
        .collect();
    let theirs = firm_edit(biren, 0, json!({"name": "Biren 壁仞"}));
    let their_seq = a2.push(ws, std::slice::from_ref(&theirs)).unwrap()[0]
        .seq
        .unwrap();
    let edit = firm_edit(huawei, 1, json!({"name": "Huawei Technologies"}));
    let edited = a1.push(ws, std::slice::from_ref(&edit)).unwrap();
    assert_eq!(edited[0].status, PushStatus::Accepted);
    seqs.push(edited[0].seq.unwrap());
    assert!(
        seqs[0] < seqs[1] && seqs[1] < their_seq && their_seq < seqs[2],
        "{seqs:?}, {their_seq}"
    );
    // A retry of the same changes is answered with the seqs they were logged at.
    let again: Vec<Option<i64>> = a1
        .push(ws, &created)
        .unwrap()
        .iter()
        .map(|r| r.seq)
        .collect();
    assert_eq!(again, vec![Some(seqs[0]), Some(seqs[1])]);

    let plain = a1.pull(ws, 0, 100).unwrap();
    assert_eq!(
        plain.iter().map(|c| c.seq).collect::<Vec<_>>(),
        vec![seqs[0], seqs[1], their_seq, seqs[2]]
    );
    assert!(plain.iter().all(|c| !c.known && !c.fields.is_empty()));

    // Pulled knowing its own seqs: those come with no fields, the teammate's whole.
    let known = [seqs[0]..=seqs[1], seqs[2]..=seqs[2]];
    let pulled = a1.pull_knowing(ws, 0, 100, &known).unwrap();
    assert_eq!(pulled.len(), 4);
    for (change, whole) in pulled.iter().zip(&plain) {
        assert_eq!(
            (change.seq, change.change_id, change.version),
            (whole.seq, whole.change_id, whole.version)
        );
        let mine = change.seq != their_seq;
        assert_eq!(change.known, mine, "seq {}", change.seq);
        if mine {
            assert!(change.fields.is_empty() && change.previous.is_empty());
        } else {
            assert_eq!(
                change.fields, theirs.fields,
                "the teammate's change as sent"
            );
            assert_eq!(change.author, "analyst2");
        }
    }
    // What the pull knows does not widen what it returns: after a cursor, at most max.
    let page = a1.pull_knowing(ws, seqs[0], 2, &known).unwrap();
    assert_eq!(
        page.iter().map(|c| (c.seq, c.known)).collect::<Vec<_>>(),
        vec![(seqs[1], true), (their_seq, false)]
    );
}

#[test]
fn a_pushed_record_is_pulled_by_a_teammate_as_it_was_sent() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Round trip").unwrap();
    a1.grant(ws, "analyst2", Role::Editor).unwrap();

    let firm = Uuid::now_v7();
    let alias = Uuid::now_v7();
    let changes = vec![
        firm_edit(
            firm,
            0,
            json!({"name": "Huawei", "country": "CN", "website": null}),
        ),
        Change::edit(
            "alias",
            alias,
            0,
            obj(json!({"firm": firm.to_string(), "alias": "华为"})),
        ),
    ];
    let results = a1.push(ws, &changes).unwrap();
    assert_eq!(results.len(), 2);
    for (r, c) in results.iter().zip(&changes) {
        assert_eq!(r.change_id, c.change_id);
        assert_eq!(r.status, PushStatus::Accepted);
        assert_eq!(r.version, 1);
        assert!(r.conflicts.is_empty() && !r.undeleted && !r.deleted);
    }

    let mut a2 = team.login("analyst2");
    let pulled = a2.pull(ws, 0, 5000).unwrap();
    assert_eq!(pulled.len(), 2);
    assert!(pulled[0].seq < pulled[1].seq, "server order");
    for (p, c) in pulled.iter().zip(&changes) {
        assert_eq!(
            (p.change_id, p.kind.as_str(), p.uid),
            (c.change_id, c.kind.as_str(), c.uid)
        );
        assert_eq!((p.base_version, p.version), (0, 1));
        assert_eq!(
            p.fields, c.fields,
            "fields arrive as sent (Chinese text, nulls)"
        );
        assert_eq!(p.author, "analyst1");
    }
    assert_eq!(
        pulled[0].previous,
        obj(json!({"name": null, "country": null, "website": null}))
    );
    // The cursor moves on: nothing after the last change.
    assert!(a2.pull(ws, pulled[1].seq, 5000).unwrap().is_empty());
    // Pages: max 1 returns the first change only.
    assert_eq!(a2.pull(ws, 0, 1).unwrap().len(), 1);

    // An edit on the current version is accepted and pulled with the old value beside it.
    let edit = firm_edit(firm, 1, json!({"name": "Huawei Technologies"}));
    let r = a2.push(ws, std::slice::from_ref(&edit)).unwrap();
    assert_eq!((r[0].status, r[0].version), (PushStatus::Accepted, 2));
    let pulled = a1.pull(ws, 0, 5000).unwrap();
    let last = pulled.last().unwrap();
    assert_eq!(last.author, "analyst2");
    assert_eq!(last.fields, obj(json!({"name": "Huawei Technologies"})));
    assert_eq!(last.previous, obj(json!({"name": "Huawei"})));

    // The current state, as a join would copy it.
    let mut raw = team.raw("analyst2");
    let row = raw
        .query_one(
            "SELECT version, fields, deleted FROM chipwatch.records WHERE uid = $1",
            &[&firm],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 2);
    assert_eq!(
        row.get::<_, serde_json::Value>(1),
        json!({"name": "Huawei Technologies", "country": "CN", "website": null})
    );
    assert!(!row.get::<_, bool>(2));
}

#[test]
fn the_same_batch_pushed_twice_applies_once() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Retry").unwrap();
    let (f1, f2) = (Uuid::now_v7(), Uuid::now_v7());
    let batch = vec![
        firm_edit(f1, 0, json!({"name": "SMIC"})),
        firm_edit(f2, 0, json!({"name": "Hua Hong"})),
        Change::delete("firm", f2, 1),
    ];
    let first = a1.push(ws, &batch).unwrap();
    assert_eq!(
        first
            .iter()
            .map(|r| (r.status, r.version))
            .collect::<Vec<_>>(),
        [
            (PushStatus::Accepted, 1),
            (PushStatus::Accepted, 1),
            (PushStatus::Accepted, 2)
        ]
    );
    let mut su = cluster.superuser();
    let state = |su: &mut postgres::Client| {
        let changes: i64 = su
            .query_one("SELECT count(*) FROM chipwatch.changes", &[])
            .unwrap()
            .get(0);
        let versions: Vec<(Uuid, i64, bool)> = su
            .query(
                "SELECT uid, version, deleted FROM chipwatch.records ORDER BY uid",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        (changes, versions)
    };
    let before = state(&mut su);
    assert_eq!(before.0, 3);

    // The answer was lost (say): the replica sends the same batch again.
    let second = a1.push(ws, &batch).unwrap();
    for (s, f) in second.iter().zip(&first) {
        assert_eq!(s.status, PushStatus::Duplicate);
        assert_eq!(s.first_status, Some(f.status));
        assert_eq!((s.change_id, s.version), (f.change_id, f.version));
    }
    assert!(second[2].deleted);
    assert_eq!(state(&mut su), before, "versions and change log unchanged");
    assert_eq!(a1.pull(ws, 0, 5000).unwrap().len(), 3);

    // A change id reused for another record is refused, not taken for a duplicate.
    let mut reused = firm_edit(Uuid::now_v7(), 0, json!({"name": "x"}));
    reused.change_id = batch[0].change_id;
    let err = a1.push(ws, &[reused]).unwrap_err();
    assert!(
        err.to_string().contains("already used for another record"),
        "{err}"
    );
}

#[test]
fn concurrent_edits_of_different_fields_both_apply() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Merge").unwrap();
    a1.grant(ws, "analyst2", Role::Editor).unwrap();
    let firm = Uuid::now_v7();
    a1.push(
        ws,
        &[firm_edit(firm, 0, json!({"name": "YMTC", "website": null}))],
    )
    .unwrap();

    // Both replicas edited version 1 offline and push at the same moment.
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = [
        ("analyst1", json!({"name": "Yangtze Memory"})),
        ("analyst2", json!({"website": "https://ymtc.com"})),
    ]
    .into_iter()
    .map(|(who, fields)| {
        let mut server = team.login(who);
        let barrier = barrier.clone();
        let change = firm_edit(firm, 1, fields);
        std::thread::spawn(move || {
            barrier.wait();
            server.push(ws, &[change]).unwrap().remove(0)
        })
    })
    .collect();
    let mut results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    results.sort_by_key(|r| r.version);
    assert_eq!(results[0].status, PushStatus::Accepted);
    assert_eq!(results[1].status, PushStatus::Merged);
    assert_eq!(results[1].version, 3);
    assert!(results[1].conflicts.is_empty());
    let expected = obj(json!({"name": "Yangtze Memory", "website": "https://ymtc.com"}));
    assert_eq!(
        results[1].server_fields.as_ref(),
        Some(&expected),
        "the merged replica learns the whole record"
    );

    let pulled = a1.pull(ws, 0, 100).unwrap();
    assert_eq!(
        pulled.iter().map(|c| c.version).collect::<Vec<_>>(),
        [1, 2, 3]
    );
}

#[test]
fn the_same_field_changed_on_both_sides_is_one_conflict_and_the_server_value_stays() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Conflict").unwrap();
    a1.grant(ws, "analyst2", Role::Editor).unwrap();
    let mut a2 = team.login("analyst2");
    let firm = Uuid::now_v7();
    a1.push(
        ws,
        &[firm_edit(
            firm,
            0,
            json!({"name": "CXMT", "summary": "DRAM maker"}),
        )],
    )
    .unwrap();

    let mine = a1
        .push(
            ws,
            &[firm_edit(firm, 1, json!({"summary": "Hefei DRAM maker"}))],
        )
        .unwrap();
    assert_eq!(mine[0].status, PushStatus::Accepted);

    // analyst2 edited the same field (and another) on version 1.
    let theirs = a2
        .push(
            ws,
            &[firm_edit(
                firm,
                1,
                json!({"summary": "ChangXin Memory", "country": "CN"}),
            )],
        )
        .unwrap()
        .remove(0);
    assert_eq!(theirs.status, PushStatus::Conflict);
    assert_eq!(theirs.conflicts.len(), 1);
    assert_eq!(theirs.conflicts[0].field, "summary");
    assert_eq!(
        theirs.conflicts[0].theirs,
        json!("Hefei DRAM maker"),
        "the server's value is reported"
    );
    assert_eq!(
        theirs.version, 3,
        "the field nobody else changed was applied"
    );
    let server_fields = theirs.server_fields.unwrap();
    assert_eq!(
        server_fields["summary"],
        json!("Hefei DRAM maker"),
        "the server's value is kept"
    );
    assert_eq!(server_fields["country"], json!("CN"));

    // The log holds what was applied, not the refused value.
    let last = a1.pull(ws, 0, 100).unwrap().pop().unwrap();
    assert_eq!(last.fields, obj(json!({"country": "CN"})));

    // The same value on both sides is no conflict.
    let same = a2
        .push(
            ws,
            &[firm_edit(firm, 1, json!({"summary": "Hefei DRAM maker"}))],
        )
        .unwrap()
        .remove(0);
    assert_eq!((same.status, same.version), (PushStatus::Merged, 3));
    assert!(same.conflicts.is_empty());

    // A change whose only field conflicts applies nothing and is not pulled by others.
    let n = a1.pull(ws, 0, 100).unwrap().len();
    let refused = a2
        .push(ws, &[firm_edit(firm, 1, json!({"summary": "other"}))])
        .unwrap()
        .remove(0);
    assert_eq!((refused.status, refused.version), (PushStatus::Conflict, 3));
    assert_eq!(a1.pull(ws, 0, 100).unwrap().len(), n);
}

#[test]
fn an_edit_beats_a_concurrent_delete_and_says_so() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Edit vs delete").unwrap();
    a1.grant(ws, "analyst2", Role::Editor).unwrap();
    let mut a2 = team.login("analyst2");

    // Delete first, then an edit made on the version before the delete.
    let firm = Uuid::now_v7();
    a1.push(ws, &[firm_edit(firm, 0, json!({"name": "Loongson"}))])
        .unwrap();
    let deleted = a1
        .push(ws, &[Change::delete("firm", firm, 1)])
        .unwrap()
        .remove(0);
    assert_eq!(
        (deleted.status, deleted.deleted),
        (PushStatus::Accepted, true)
    );
    let edit = a2
        .push(
            ws,
            &[firm_edit(
                firm,
                1,
                json!({"website": "https://loongson.cn"}),
            )],
        )
        .unwrap()
        .remove(0);
    assert_eq!(edit.status, PushStatus::Merged);
    assert!(
        edit.undeleted,
        "the result says the edit restored the record"
    );
    assert!(!edit.deleted);
    assert_eq!(edit.version, 3);
    // The deleting replica learns it on its next pull.
    let last = a1.pull(ws, 0, 100).unwrap().pop().unwrap();
    assert_eq!(
        last.fields,
        obj(json!({"website": "https://loongson.cn", "deleted": false}))
    );
    assert_eq!(
        last.previous,
        obj(json!({"website": null, "deleted": true}))
    );

    // Edit first, then a delete made on the version before the edit: the delete loses.
    let chip = Uuid::now_v7();
    a1.push(
        ws,
        &[Change::edit(
            "chip",
            chip,
            0,
            obj(json!({"name": "Ascend 910B"})),
        )],
    )
    .unwrap();
    a2.push(
        ws,
        &[Change::edit(
            "chip",
            chip,
            1,
            obj(json!({"name": "Ascend 910C"})),
        )],
    )
    .unwrap();
    let late_delete = a1
        .push(ws, &[Change::delete("chip", chip, 1)])
        .unwrap()
        .remove(0);
    assert_eq!(late_delete.status, PushStatus::Conflict);
    assert_eq!(late_delete.conflicts.len(), 1);
    assert_eq!(
        (
            late_delete.conflicts[0].field.as_str(),
            &late_delete.conflicts[0].theirs
        ),
        ("deleted", &json!(false))
    );
    assert!(!late_delete.deleted);
    assert_eq!(late_delete.version, 2);

    // An edit of a record deleted at its own base version restores it too.
    let deleted = a1
        .push(ws, &[Change::delete("chip", chip, 2)])
        .unwrap()
        .remove(0);
    assert_eq!((deleted.status, deleted.version), (PushStatus::Accepted, 3));
    let restored = a2
        .push(
            ws,
            &[Change::edit(
                "chip",
                chip,
                3,
                obj(json!({"name": "Ascend 910C"})),
            )],
        )
        .unwrap()
        .remove(0);
    assert_eq!(
        (restored.status, restored.undeleted, restored.version),
        (PushStatus::Accepted, true, 4)
    );
}

#[test]
fn author_and_time_are_the_servers_whatever_the_client_sends() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Who and when").unwrap();

    // A hand-made batch that claims another author and an old time.
    let mut raw = team.raw("analyst1");
    let uid = Uuid::now_v7();
    let batch = json!([{
        "change_id": Uuid::now_v7(), "kind": "note", "uid": uid, "base_version": 0,
        "fields": {"title": "Briefing"},
        "author": "mallory", "changed_by": "mallory", "at": "2001-01-01T00:00:00Z", "seq": 1
    }]);
    let before: chrono::DateTime<chrono::Utc> = raw
        .query_one("SELECT clock_timestamp()", &[])
        .unwrap()
        .get(0);
    raw.query_one("SELECT chipwatch.push($1, $2)", &[&ws, &batch])
        .unwrap();
    let after: chrono::DateTime<chrono::Utc> = raw
        .query_one("SELECT clock_timestamp()", &[])
        .unwrap()
        .get(0);

    let change = a1.pull(ws, 0, 10).unwrap().remove(0);
    assert_eq!(change.author, "analyst1");
    assert!(
        before <= change.at && change.at <= after,
        "{before} <= {} <= {after}",
        change.at
    );
    let row = raw
        .query_one(
            "SELECT changed_by::text, changed_at FROM chipwatch.records WHERE uid = $1",
            &[&uid],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "analyst1");
    let changed_at: chrono::DateTime<chrono::Utc> = row.get(1);
    assert!(before <= changed_at && changed_at <= after);

    // Nor can the log be written around push.
    let err = raw
        .execute(
            "INSERT INTO chipwatch.changes (workspace_id, change_id, kind, uid, base_version, version, fields, previous, result, author) \
             VALUES ($1, $2, 'note', $2, 0, 1, '{}', '{}', '{}', 'mallory')",
            &[&ws, &Uuid::now_v7()],
        )
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
    );
}

#[test]
fn a_pull_during_concurrent_pushes_misses_nothing() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Cursor").unwrap();
    a1.grant(ws, "analyst2", Role::Editor).unwrap();
    a1.grant(ws, "analyst3", Role::Reader).unwrap();
    drop(a1);

    let pushers: Vec<_> = ["analyst1", "analyst2"]
        .into_iter()
        .map(|who| {
            let mut server = team.login(who);
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for _ in 0..20 {
                    let batch: Vec<Change> = (0..50)
                        .map(|i| firm_edit(Uuid::now_v7(), 0, json!({"name": format!("firm {i}")})))
                        .collect();
                    ids.extend(batch.iter().map(|c| c.change_id));
                    server.push(ws, &batch).unwrap();
                }
                ids
            })
        })
        .collect();
    // A reader pulls with a cursor all the while, as a replica syncing often would.
    let mut reader = team.login("analyst3");
    let mut seen = Vec::new();
    let mut cursor = 0;
    let mut pull = |seen: &mut Vec<Uuid>, cursor: &mut i64| {
        for c in reader.pull(ws, *cursor, 64).unwrap() {
            assert!(c.seq > *cursor);
            *cursor = c.seq;
            seen.push(c.change_id);
        }
    };
    while !pushers.iter().all(|h| h.is_finished()) {
        pull(&mut seen, &mut cursor);
    }
    let mut pushed: Vec<Uuid> = pushers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    loop {
        let n = seen.len();
        pull(&mut seen, &mut cursor);
        if seen.len() == n {
            break;
        }
    }
    assert_eq!(seen.len(), 2000);
    seen.sort();
    pushed.sort();
    assert_eq!(seen, pushed, "every change pulled once");
}

#[test]
fn a_transaction_left_open_after_a_pull_is_ended_by_the_server() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Idle").unwrap();
    // A client that pulls inside a transaction and forgets it holds the log lock: the
    // server ends such a transaction after a minute idle.
    let mut raw = team.raw("analyst1");
    let mut tx = raw.transaction().unwrap();
    tx.query("SELECT * FROM chipwatch.pull($1, 0, 10)", &[&ws])
        .unwrap();
    let timeout: String = tx
        .query_one("SHOW idle_in_transaction_session_timeout", &[])
        .unwrap()
        .get(0);
    assert_eq!(timeout, "1min");
    tx.rollback().unwrap();
    let timeout: String = raw
        .query_one("SHOW idle_in_transaction_session_timeout", &[])
        .unwrap()
        .get(0);
    assert_eq!(timeout, "0", "only for that transaction");
    // A session's own shorter timeout is kept.
    raw.batch_execute("SET idle_in_transaction_session_timeout = '5s'")
        .unwrap();
    let mut tx = raw.transaction().unwrap();
    tx.query_one("SELECT chipwatch.push($1, '[]')", &[&ws])
        .unwrap();
    let timeout: String = tx
        .query_one("SHOW idle_in_transaction_session_timeout", &[])
        .unwrap()
        .get(0);
    assert_eq!(timeout, "5s");
}

#[test]
fn batches_over_500_and_bad_changes_are_refused_whole() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Limits").unwrap();
    let batch: Vec<Change> = (0..501)
        .map(|_| firm_edit(Uuid::now_v7(), 0, json!({"name": "x"})))
        .collect();
    assert!(matches!(
        a1.push(ws, &batch),
        Err(SyncError::BatchTooLarge {
            count: 501,
            max: 500
        })
    ));

    // The server refuses it too (another client could send one).
    let mut raw = team.raw("analyst1");
    let err = raw
        .query_one(
            "SELECT chipwatch.push($1, $2)",
            &[&ws, &serde_json::to_value(&batch).unwrap()],
        )
        .unwrap_err();
    assert!(
        err.as_db_error().unwrap().message().contains("at most 500"),
        "{err}"
    );

    // One bad change rolls back its whole batch, and the message names it.
    let good = firm_edit(Uuid::now_v7(), 0, json!({"name": "ok"}));
    let future = firm_edit(Uuid::now_v7(), 7, json!({"name": "from the future"}));
    let err = a1.push(ws, &[good, future]).unwrap_err();
    let SyncError::Refused { code, message, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(code, "22023");
    assert!(
        message.contains("change 2 of the batch") && message.contains("server has version 0"),
        "{message}"
    );
    assert!(
        a1.pull(ws, 0, 10).unwrap().is_empty(),
        "nothing of the batch was applied"
    );
    let err = raw
        .query_one(
            "SELECT chipwatch.push($1, $2)",
            &[&ws, &json!([{"change_id": "nope", "kind": "firm"}])],
        )
        .unwrap_err();
    assert!(
        err.as_db_error()
            .unwrap()
            .message()
            .contains("change_id must be a UUID"),
        "{err}"
    );
}

/// New records go the bulk way (server migration 0002), the rest one by one;
/// the answers still come in the order sent, and each change is logged once.
#[test]
fn a_batch_mixing_new_records_edits_repeats_and_retries_is_answered_in_order() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Mixed").unwrap();
    let existing = Uuid::now_v7();
    let first = vec![firm_edit(existing, 0, json!({"name": "SMIC"}))];
    a1.push(ws, &first).unwrap();

    let twice = Uuid::now_v7();
    let batch = vec![
        firm_edit(Uuid::now_v7(), 0, json!({"name": "Biren 壁仞"})),
        firm_edit(existing, 1, json!({"summary": "7nm"})),
        firm_edit(twice, 0, json!({"name": "Moore Threads"})),
        firm_edit(twice, 0, json!({"name": "摩尔线程"})),
        first[0].clone(),
        firm_edit(Uuid::now_v7(), 0, json!({"name": "Cambricon"})),
    ];
    let results = a1.push(ws, &batch).unwrap();
    let statuses: Vec<PushStatus> = results.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            PushStatus::Accepted,
            PushStatus::Accepted,
            PushStatus::Accepted,
            // The same new record twice in one batch: the second is based on
            // version 0 while the first made version 1, and changes the same field.
            PushStatus::Conflict,
            PushStatus::Duplicate,
            PushStatus::Accepted,
        ]
    );
    assert_eq!(results[1].version, 2);
    // A retry of the whole batch is answered from the log, in the same order.
    let again = a1.push(ws, &batch).unwrap();
    assert!(again.iter().all(|r| r.status == PushStatus::Duplicate));
    assert_eq!(
        again.iter().map(|r| r.first_status).collect::<Vec<_>>(),
        statuses
            .iter()
            .map(|s| Some(if *s == PushStatus::Duplicate {
                PushStatus::Accepted
            } else {
                *s
            }))
            .collect::<Vec<_>>()
    );
    let pulled = a1.pull(ws, 0, 5000).unwrap();
    let logged: Vec<Uuid> = pulled.iter().map(|c| c.change_id).collect();
    assert_eq!(
        logged.len(),
        5,
        "the first push and four applied changes: {logged:?}"
    );
}

#[test]
fn a_new_record_pushed_by_two_at_once_is_created_once_and_the_rest_of_the_batch_applies() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Race").unwrap();
    a1.grant(ws, "analyst2", Role::Editor).unwrap();
    let shared = Uuid::now_v7();
    let first = vec![firm_edit(shared, 0, json!({"name": "Huawei"}))];
    let second = vec![
        firm_edit(shared, 0, json!({"name": "华为"})),
        firm_edit(Uuid::now_v7(), 0, json!({"name": "HiSilicon 海思"})),
    ];
    // analyst1's push of the new record is under way (not committed) while
    // analyst2 pushes the same new record with another: analyst2's insert
    // waits for analyst1's and then finds the record taken.
    let mut tx = a1.client().transaction().unwrap();
    tx.query_one(
        "SELECT chipwatch.push($1, $2)",
        &[&ws, &postgres::types::Json(&first)],
    )
    .unwrap();
    let mut watcher = postgres::Client::connect(&cluster.superuser_url(), postgres::NoTls).unwrap();
    let results = std::thread::scope(|scope| {
        let pusher = scope.spawn(|| team.login("analyst2").push(ws, &second).unwrap());
        let mut waiting = || {
            watcher
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity
                     WHERE usename = 'analyst2' AND wait_event_type = 'Lock'",
                    &[],
                )
                .unwrap()
                .get::<_, i64>(0)
        };
        let started = std::time::Instant::now();
        while waiting() == 0 {
            assert!(
                started.elapsed().as_secs() < 30,
                "analyst2's push never waited"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        tx.commit().unwrap();
        pusher.join().unwrap()
    });
    let statuses: Vec<PushStatus> = results.iter().map(|r| r.status).collect();
    // analyst2 based the name on an empty record; analyst1's name stands.
    assert_eq!(statuses, [PushStatus::Conflict, PushStatus::Accepted]);
    assert_eq!(results[1].version, 1);
    let logged = team.login("analyst1").pull(ws, 0, 100).unwrap();
    let ids: Vec<Uuid> = logged.iter().map(|c| c.change_id).collect();
    // A conflict sets nothing, so the log holds the two records' creations.
    assert_eq!(
        ids,
        [first[0].change_id, second[1].change_id],
        "each creation logged once, analyst1's first"
    );
}

//! Whole replicas (real SQLite workspaces) syncing through a real PostgreSQL:
//! create, join, edits on both sides, conflicts, deletes, retries, roles.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use chipwatch_core::dataset::{self, Dataset};
use chipwatch_core::model::{FirmDraft, NoteDraft, TrashKind};
use chipwatch_core::records::history::history;
use chipwatch_core::records::RecordKind;
use chipwatch_core::replica::{self, conflicts, pull, push};
use chipwatch_core::store::Store;
use chipwatch_core::{firms, notes, trash};
use chipwatch_sync::{team, Role, Server, SyncError};
use common::cluster::{Cluster, Team};

struct Replica {
    store: Store,
    server: Server,
}

impl Replica {
    fn sync(&mut self) -> chipwatch_core::replica::SyncReport {
        team::sync(&mut self.store, &mut self.server).expect("sync")
    }

    fn export(&self) -> String {
        replica::canonical_export(&self.store).unwrap()
    }
}

/// analyst1 publishes a workspace holding the default dataset; analyst2 joins it.
fn two_replicas(team_: &Team<'_>, dir: &Path) -> (Replica, Replica) {
    let path = dir.join("alice.db");
    let (mut store, _) = Store::open_or_create(&path, |_| Ok(())).unwrap();
    dataset::load(&mut store, &Dataset::default_dataset().unwrap()).unwrap();
    let url = team_.url("analyst1");
    let mut server = Server::connect(&url).unwrap();
    team::create(&mut store, &mut server, &url, "Export controls 出口管制").unwrap();
    let workspace = replica::require_link_of(&store).unwrap().workspace;
    server.grant(workspace, "analyst2", Role::Editor).unwrap();
    let url2 = team_.url("analyst2");
    let mut server2 = Server::connect(&url2).unwrap();
    let (store2, _) = team::join(
        &dir.join("bob.db"),
        &mut server2,
        &url2,
        "Export controls 出口管制",
    )
    .unwrap();
    (
        Replica { store, server },
        Replica {
            store: store2,
            server: server2,
        },
    )
}

/// Fails naming the first record the two replicas hold differently.
fn assert_same(a: &Replica, b: &Replica, when: &str) {
    let (left, right) = (a.export(), b.export());
    for (l, r) in left.lines().zip(right.lines()) {
        assert_eq!(l, r, "{when}");
    }
    assert_eq!(
        left.lines().count(),
        right.lines().count(),
        "{when}: record counts"
    );
}

fn firm_id(store: &Store, name: &str) -> i64 {
    firms::resolve(store, "firm", name).unwrap()
}

fn edit_firm(store: &mut Store, name: &str, change: impl FnOnce(&mut FirmDraft)) {
    let id = firm_id(store, name);
    let loaded = firms::load_draft(store, id).unwrap();
    let mut draft = loaded.draft.clone();
    change(&mut draft);
    firms::save(store, Some(id), Some(loaded.revision), &draft).unwrap();
}

fn firm(store: &Store, name: &str) -> FirmDraft {
    firms::load_draft(store, firm_id(store, name))
        .unwrap()
        .draft
}

fn tmp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    (dir, path)
}

#[test]
fn a_joined_replica_holds_the_same_records_and_edits_flow_both_ways() {
    let cluster = Cluster::start();
    let team_ = cluster.install();
    let (_dir, dir) = tmp();
    let (mut alice, mut bob) = two_replicas(&team_, &dir);
    assert!(alice.export().lines().count() > 20, "the default dataset");
    assert!(
        !dir.join(".bob.db.joining").exists(),
        "built beside, then moved into place"
    );
    let mut again = Server::connect(&team_.url("analyst2")).unwrap();
    let refused = team::join(
        &dir.join("bob.db"),
        &mut again,
        &team_.url("analyst2"),
        "Export controls 出口管制",
    );
    assert!(refused.is_err_and(|e| e.to_string().contains("exists already")));
    assert_same(&alice, &bob, "the join copies every record");

    // Offline edits on both sides, to different records and fields.
    edit_firm(&mut alice.store, "Huawei", |d| {
        d.summary = "Ascend 910C, \"CloudMatrix\"; 昇腾".into()
    });
    edit_firm(&mut bob.store, "SMIC", |d| {
        d.aliases.push("中芯国际 SMIC, Ltd.".into())
    });
    let note = notes::save(
        &mut bob.store,
        None,
        &NoteDraft {
            title: "Yield 良率 🧪".into(),
            body: "N+2 yields, per [[Huawei]]".into(),
            tags: vec!["yield".into()],
        },
        None,
    )
    .unwrap();

    let a = alice.sync();
    assert_eq!((a.pushed, a.conflicts), (1, 0));
    let b = bob.sync();
    assert_eq!((b.pushed, b.pulled, b.conflicts), (2, 1, 0));
    let a = alice.sync();
    assert_eq!(a.pulled, 2);
    assert_same(&alice, &bob, "both replicas converge");
    assert_eq!(
        firm(&bob.store, "Huawei").summary,
        "Ascend 910C, \"CloudMatrix\"; 昇腾"
    );

    // The pulled note links to Huawei on Alice's replica too.
    let pulled = notes::list(&alice.store, None).unwrap();
    let pulled = pulled.iter().find(|n| n.title == note.title).unwrap();
    let rendered = notes::render(&alice.store, pulled.id).unwrap();
    assert_eq!((rendered.links.len(), rendered.missing_links.len()), (1, 0));

    // History: who changed what, from the other replica's edit.
    let huawei = firm_id(&bob.store, "Huawei");
    let entries = history(&bob.store, RecordKind::Firm, huawei).unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.author, "analyst1");
    assert_eq!(last.fields[0].field, "summary");
    assert!(last.on_server);

    // Nothing left to send or to apply.
    let (a, b) = (alice.sync(), bob.sync());
    assert_eq!((a.pushed, a.pulled, b.pushed, b.pulled), (0, 0, 0, 0));
}

#[test]
fn publishing_brings_nothing_back_and_adds_no_history() {
    let cluster = Cluster::start();
    let team_ = cluster.install();
    let (_dir, dir) = tmp();
    let (mut store, _) = Store::open_or_create(&dir.join("alice.db"), |_| Ok(())).unwrap();
    dataset::load(&mut store, &Dataset::default_dataset().unwrap()).unwrap();
    edit_firm(&mut store, "Huawei", |d| {
        d.summary = "edited before sharing".into()
    });
    let huawei = firm_id(&store, "Huawei");
    let before = history(&store, RecordKind::Firm, huawei).unwrap();
    let url = team_.url("analyst1");
    let mut server = Server::connect(&url).unwrap();

    let report = team::create(&mut store, &mut server, &url, "Published").unwrap();
    assert!(report.pushed > 20, "{report:?}");
    assert_eq!(report.pulled, 0, "its own records coming back are no news");
    let after = history(&store, RecordKind::Firm, huawei).unwrap();
    assert_eq!(
        after.iter().map(|e| e.op.as_str()).collect::<Vec<_>>(),
        before.iter().map(|e| e.op.as_str()).collect::<Vec<_>>(),
        "{after:?}"
    );
    assert!(after.iter().all(|e| e.on_server), "{after:?}");
    let again = team::sync(&mut store, &mut server).unwrap();
    assert_eq!((again.pushed, again.pulled), (0, 0));
}

#[test]
fn the_same_field_changed_on_both_sides_is_one_conflict_with_both_values_kept() {
    let cluster = Cluster::start();
    let team_ = cluster.install();
    let (_dir, dir) = tmp();
    let (mut alice, mut bob) = two_replicas(&team_, &dir);

    edit_firm(&mut alice.store, "SMIC", |d| {
        d.website = Some("https://www.smics.com/en/".into());
        d.native_name = Some("中芯国际集成电路制造有限公司".into());
    });
    edit_firm(&mut bob.store, "SMIC", |d| {
        d.website = Some("https://smics.com/en".into());
        d.summary = "Foundry; 7nm (N+2) for Ascend".into();
    });
    alice.sync();
    let b = bob.sync();
    assert_eq!(b.conflicts, 1, "website only: the other fields merge");

    let list = conflicts::list(&bob.store).unwrap();
    assert_eq!(list.len(), 1);
    let conflict = &list[0];
    assert_eq!(conflict.field, "website");
    assert_eq!(conflict.mine, "https://smics.com/en");
    assert_eq!(conflict.theirs, "https://www.smics.com/en/");
    // The record shows theirs, with both sides' other fields.
    let smic = firm(&bob.store, "SMIC");
    assert_eq!(smic.website.as_deref(), Some("https://www.smics.com/en/"));
    assert_eq!(smic.summary, "Foundry; 7nm (N+2) for Ascend");
    assert_eq!(
        smic.native_name.as_deref(),
        Some("中芯国际集成电路制造有限公司")
    );

    // Keeping mine makes it an ordinary edit that reaches Alice.
    conflicts::resolve(&mut bob.store, conflict.id, conflicts::Keep::Mine).unwrap();
    assert_eq!(bob.sync().pushed, 1);
    alice.sync();
    assert_eq!(
        firm(&alice.store, "SMIC").website.as_deref(),
        Some("https://smics.com/en")
    );
    assert_same(&alice, &bob, "converged");
    assert!(conflicts::list(&bob.store).unwrap()[0].resolution.is_some());
}

#[test]
fn note_bodies_merge_where_the_edits_do_not_overlap_and_conflict_where_they_do() {
    let cluster = Cluster::start();
    let team_ = cluster.install();
    let (_dir, dir) = tmp();
    let (mut alice, mut bob) = two_replicas(&team_, &dir);
    let draft = NoteDraft {
        title: "Ascend supply".into(),
        body: "# Ascend\n\nFoundry: SMIC.\n\nYield: unknown.\n".into(),
        tags: vec![],
    };
    let note = notes::save(&mut alice.store, None, &draft, None).unwrap();
    alice.sync();
    bob.sync();
    let bob_note = |store: &Store| {
        notes::list(store, None)
            .unwrap()
            .into_iter()
            .find(|n| n.title == "Ascend supply")
            .unwrap()
    };
    let on_bob = bob_note(&bob.store);

    let mine = NoteDraft {
        body: "# Ascend 910B\n\nFoundry: SMIC.\n\nYield: unknown.\n".into(),
        ..draft.clone()
    };
    notes::save(&mut alice.store, Some(note.id), &mine, Some(note.revision)).unwrap();
    let theirs = NoteDraft {
        body: "# Ascend\n\nFoundry: SMIC.\n\nYield: ~50% (据报道).\n".into(),
        ..draft.clone()
    };
    notes::save(
        &mut bob.store,
        Some(on_bob.id),
        &theirs,
        Some(on_bob.revision),
    )
    .unwrap();
    alice.sync();
    let b = bob.sync();
    assert_eq!((b.conflicts, b.merged), (0, 1));
    alice.sync();
    let merged = "# Ascend 910B\n\nFoundry: SMIC.\n\nYield: ~50% (据报道).\n";
    assert_eq!(bob_note(&bob.store).body, merged);
    assert_eq!(bob_note(&alice.store).body, merged);

    // The same line changed both ways: a conflict, both kept.
    let current = bob_note(&alice.store);
    let a_edit = NoteDraft {
        body: merged.replace("~50%", "30%"),
        ..draft.clone()
    };
    notes::save(
        &mut alice.store,
        Some(current.id),
        &a_edit,
        Some(current.revision),
    )
    .unwrap();
    let current = bob_note(&bob.store);
    let b_edit = NoteDraft {
        body: merged.replace("~50%", "70%"),
        ..draft.clone()
    };
    notes::save(
        &mut bob.store,
        Some(current.id),
        &b_edit,
        Some(current.revision),
    )
    .unwrap();
    alice.sync();
    assert_eq!(bob.sync().conflicts, 1);
    let conflict = &conflicts::list(&bob.store).unwrap()[0];
    assert!(conflict.mine.contains("70%") && conflict.theirs.contains("30%"));
}

#[test]
fn an_edit_beats_a_concurrent_delete_and_both_analysts_are_told() {
    let cluster = Cluster::start();
    let team_ = cluster.install();
    let (_dir, dir) = tmp();
    let (mut alice, mut bob) = two_replicas(&team_, &dir);

    let id = firm_id(&alice.store, "Baidu");
    trash::delete(&mut alice.store, TrashKind::Firm, id).unwrap();
    edit_firm(&mut bob.store, "Baidu", |d| {
        d.summary = "Kunlun P800 clusters".into()
    });
    alice.sync();
    let b = bob.sync();
    assert_eq!(b.notices, 1, "Bob is told his edit brought it back");
    let a = alice.sync();
    assert_eq!(
        firm(&alice.store, "Baidu").summary,
        "Kunlun P800 clusters",
        "back on Alice's replica"
    );
    assert!(a.pulled >= 1);
    // What the Trash put back with it on Alice's replica (Kunlunxin's parent,
    // its assessments) went out with her sync and reaches Bob with his.
    bob.sync();
    assert_same(&alice, &bob, "converged");

    // Deleted on one side with nothing against it: gone on the other, into its Trash.
    let id = firm_id(&alice.store, "Tencent");
    trash::delete(&mut alice.store, TrashKind::Firm, id).unwrap();
    alice.sync();
    bob.sync();
    assert!(firms::resolve(&bob.store, "firm", "Tencent").is_err());
    assert!(trash::list(&bob.store)
        .unwrap()
        .iter()
        .any(|e| e.title == "Tencent"));
    assert_same(&alice, &bob, "converged");
}

#[test]
fn a_push_whose_answer_was_lost_is_applied_once() {
    let cluster = Cluster::start();
    let team_ = cluster.install();
    let (_dir, dir) = tmp();
    let (mut alice, mut bob) = two_replicas(&team_, &dir);
    edit_firm(&mut alice.store, "Huawei", |d| {
        d.website = Some("https://huawei.com".into())
    });
    // The push reaches the server, and the answer never reaches the replica.
    let workspace = replica::require_link_of(&alice.store).unwrap().workspace;
    let changes = push::outgoing(&mut alice.store, 500).unwrap();
    alice.server.push(workspace, &changes).unwrap();
    // A later edit of the same record waits for the first change's answer.
    edit_firm(&mut alice.store, "Huawei", |d| {
        d.summary = "after the lost answer".into()
    });
    assert_eq!(
        push::unanswered(&alice.store).unwrap(),
        changes,
        "the very same change goes again"
    );
    assert!(
        push::outgoing(&mut alice.store, 500).unwrap().is_empty(),
        "the later edit waits for the first one's answer"
    );

    let a = alice.sync();
    assert_eq!(a.conflicts, 0);
    bob.sync();
    assert_same(&alice, &bob, "converged");
    let mut raw = team_.raw("analyst1");
    let logged: i64 = raw
        .query_one(
            "SELECT count(*) FROM chipwatch.changes WHERE change_id = $1",
            &[&changes[0].change_id],
        )
        .unwrap()
        .get(0);
    assert_eq!(logged, 1);
}

#[test]
fn the_pushers_sync_takes_its_own_changes_back_without_fields_and_loses_nothing() {
    let cluster = Cluster::start();
    let team_ = cluster.install();
    let (_dir, dir) = tmp();
    let (mut alice, mut bob) = two_replicas(&team_, &dir);
    let workspace = replica::require_link_of(&alice.store).unwrap().workspace;
    edit_firm(&mut alice.store, "Huawei", |d| {
        d.summary = "Ascend 910C, \"CloudMatrix\", 昇腾 🚀".into()
    });
    let note = NoteDraft {
        title: "Kunlun P800, 昆仑芯".into(),
        body: "Line one, \"quoted\"\nline two".into(),
        tags: vec!["kunlun".into()],
    };
    notes::save(&mut bob.store, None, &note, None).unwrap();
    bob.sync();

    // Alice's sync pushes her edit, then pulls Bob's note whole and her own
    // edit without its fields; her history keeps the seq the log gave it.
    let a = alice.sync();
    assert_eq!((a.pushed, a.pulled, a.conflicts), (1, 1, 0));
    assert_eq!(
        firm(&alice.store, "Huawei").summary,
        "Ascend 910C, \"CloudMatrix\", 昇腾 🚀"
    );
    let mut raw = team_.raw("analyst1");
    let logged: i64 = raw
        .query_one(
            "SELECT max(seq) FROM chipwatch.changes WHERE workspace_id = $1",
            &[&workspace],
        )
        .unwrap()
        .get(0);
    let (own_seq, cursor): (i64, i64) = alice
        .store
        .read(|conn| {
            let seq = conn.query_row(
                "SELECT max(server_seq) FROM history WHERE author <> 'analyst2' AND change_id IS NOT NULL",
                [],
                |r| r.get(0),
            )?;
            Ok((seq, replica::cursor_of(conn)?))
        })
        .unwrap();
    assert_eq!(
        (own_seq, cursor),
        (logged, logged),
        "the edit is the last change in the log"
    );
    bob.sync();
    assert_same(&alice, &bob, "converged");

    // A change sent without fields that this replica does not have after all
    // (its history lost it) is not taken as applied: the record is fetched whole.
    let mut unknown = bob
        .server
        .pull(workspace, 0, 10_000)
        .unwrap()
        .pop()
        .unwrap();
    unknown.uid = uuid::Uuid::now_v7();
    unknown.change_id = uuid::Uuid::now_v7();
    unknown.fields.clear();
    unknown.previous.clear();
    unknown.known = true;
    let report = pull::apply(&mut bob.store, &[unknown.clone()]).unwrap();
    assert_eq!(report.pulled, 0);
    assert_eq!(
        report.missing,
        vec![(unknown.kind.clone(), unknown.uid.to_string())]
    );
}

#[test]
fn a_reader_keeps_their_edits_and_is_told_the_role_may_only_read() {
    let cluster = Cluster::start();
    let team_ = cluster.install();
    let (_dir, dir) = tmp();
    let (mut alice, mut bob) = two_replicas(&team_, &dir);
    let workspace = replica::require_link_of(&alice.store).unwrap().workspace;
    alice
        .server
        .grant(workspace, "analyst2", Role::Reader)
        .unwrap();
    edit_firm(&mut bob.store, "Huawei", |d| {
        d.summary = "reader's edit".into()
    });
    edit_firm(&mut alice.store, "SMIC", |d| {
        d.summary = "the team's edit".into()
    });
    alice.sync();
    let error = team::sync(&mut bob.store, &mut bob.server).unwrap_err();
    assert_eq!(
        firm(&bob.store, "SMIC").summary,
        "the team's edit",
        "a reader still receives the team's changes"
    );
    assert!(matches!(error, SyncError::ReadOnly { .. }), "{error}");
    let status = replica::status(&bob.store).unwrap().unwrap();
    assert_eq!(status.waiting, 1, "the edit stays in the outbox");
    assert!(status.last_outcome.unwrap().starts_with("failed"));
    alice.sync();
    assert_ne!(firm(&alice.store, "Huawei").summary, "reader's edit");
}

#[test]
fn a_firm_created_twice_offline_under_one_name_is_listed_not_lost() {
    let cluster = Cluster::start();
    let team_ = cluster.install();
    let (_dir, dir) = tmp();
    let (mut alice, mut bob) = two_replicas(&team_, &dir);
    let draft = |summary: &str| FirmDraft {
        name: "Biren 壁仞".into(),
        native_name: None,
        aliases: vec![],
        kind: chipwatch_core::model::FirmKind::Company,
        country: Some("CN".into()),
        parent_firm_id: None,
        website: None,
        summary: summary.into(),
        listings: vec![],
    };
    firms::save(&mut alice.store, None, None, &draft("Alice's")).unwrap();
    firms::save(&mut bob.store, None, None, &draft("Bob's")).unwrap();
    alice.sync();
    let b = bob.sync();
    assert_eq!(b.problems.len(), 1, "{:?}", b.problems);
    let listed = conflicts::list(&bob.store).unwrap();
    assert!(listed
        .iter()
        .any(|c| c.field == "(not applied)" && c.theirs.contains("Alice's")));
    // Bob's own firm stays, and the sync goes on for everything else.
    assert_eq!(firm(&bob.store, "Biren 壁仞").summary, "Bob's");
    edit_firm(&mut alice.store, "SMIC", |d| {
        d.summary = "after the clash".into()
    });
    alice.sync();
    bob.sync();
    assert_eq!(firm(&bob.store, "SMIC").summary, "after the clash");
}

//! Settling a conflict from the command line, on a conflict written into the
//! file the way a sync writes it (the team tests reach one through a server).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{chipwatch, initialised, json, ok, stderr};

#[test]
fn a_conflict_settled_with_an_edited_merge_keeps_the_typed_text() {
    let (_dir, path) = initialised();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO sync_conflicts (kind, uid, field, base, mine, theirs, theirs_by, seen_at)
         SELECT 'firm', uid, 'summary', 'null', '\"SMIC: 7nm\"', '\"中芯国际 N+2\"', 'analyst2',
                '2026-12-01T09:00:00Z'
         FROM firms WHERE name = 'SMIC'",
        [],
    )
    .unwrap();
    drop(conn);
    let listed = json(&ok(chipwatch(&path, &["conflicts", "--json"])));
    assert_eq!(listed[0]["typeable"], true);
    let id = listed[0]["id"].as_i64().unwrap().to_string();

    let both = chipwatch(
        &path,
        &[
            "conflicts",
            "resolve",
            &id,
            "--keep",
            "mine",
            "--merged",
            "x",
        ],
    );
    assert!(!both.status.success(), "--keep and --merged together");
    let neither = chipwatch(&path, &["conflicts", "resolve", &id]);
    assert!(!neither.status.success() && stderr(&neither).contains("--keep"));

    let merged = "SMIC (中芯国际): 7nm, \"N+2\", 2023\nsecond line 🚀";
    ok(chipwatch(
        &path,
        &["conflicts", "resolve", &id, "--merged", merged],
    ));
    let firm = json(&ok(chipwatch(&path, &["firm", "show", "SMIC", "--json"])));
    assert_eq!(firm["draft"]["summary"], merged);
    let settled = json(&ok(chipwatch(&path, &["conflicts", "--json"])));
    assert_eq!(settled[0]["resolution"], "merged");
}

//! A client killed with SIGKILL in the middle of pushing its outbox, at a random moment;
//! then the same changes pushed again (the outbox is unchanged) apply exactly once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chipwatch_sync::{Change, PushStatus, Server, MAX_BATCH};
use common::cluster::Cluster;
use common::firm_edit;
use serde_json::json;
use uuid::Uuid;

const CHANGES: u128 = 4000;
const ROUNDS: u128 = 4;

/// The same changes every time from a seed: ids and records are derived, not random.
fn changes(seed: u128) -> Vec<Change> {
    (0..CHANGES)
        .map(|i| {
            let mut c = firm_edit(
                Uuid::from_u128(seed ^ (i << 64) ^ 1),
                0,
                json!({"name": format!("firm {i}")}),
            );
            c.change_id = Uuid::from_u128(seed ^ (i << 64) ^ 2);
            c
        })
        .collect()
}

/// Run by `killed_pushers_leave_each_change_applied_once` as a child process (ignored
/// otherwise): pushes the outbox of one seed in batches, as `sync` would, until killed.
#[test]
#[ignore = "the child process of killed_pushers_leave_each_change_applied_once"]
fn child_pusher() {
    let (Ok(url), Ok(ws), Ok(seed)) = (
        std::env::var("CHIPWATCH_SYNC_CHILD_URL"),
        std::env::var("CHIPWATCH_SYNC_CHILD_WORKSPACE"),
        std::env::var("CHIPWATCH_SYNC_CHILD_SEED"),
    ) else {
        return;
    };
    let ws: Uuid = ws.parse().unwrap();
    let changes = changes(seed.parse().unwrap());
    let mut server = Server::connect(&url).unwrap();
    for batch in changes.chunks(MAX_BATCH) {
        server.push(ws, batch).unwrap();
    }
}

#[test]
fn killed_pushers_leave_each_change_applied_once() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Killed").unwrap();
    let seed: u128 = Uuid::now_v7().as_u128();
    let mut random = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;

    let mut statuses = std::collections::BTreeMap::new();
    for round in 0..ROUNDS {
        let seed = seed ^ (round << 8);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["child_pusher", "--exact", "--ignored", "--test-threads=1"])
            .env("CHIPWATCH_SYNC_CHILD_URL", team.url("analyst1"))
            .env("CHIPWATCH_SYNC_CHILD_WORKSPACE", ws.to_string())
            .env("CHIPWATCH_SYNC_CHILD_SEED", seed.to_string())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // xorshift: a kill somewhere between 50 and 650 ms after the start (pushing all
        // 4,000 takes about half a second here, on a debug build).
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        let wait = Duration::from_millis(50 + random % 600);
        std::thread::sleep(wait);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        // The replica's outbox still holds every change: it pushes them all again.
        let mut round_statuses = std::collections::BTreeMap::new();
        for batch in changes(seed).chunks(MAX_BATCH) {
            for r in a1.push(ws, batch).unwrap() {
                *round_statuses.entry(format!("{:?}", r.status)).or_insert(0) += 1;
                assert_eq!(r.version, 1, "each change applied once");
                assert!(matches!(
                    r.status,
                    PushStatus::Accepted | PushStatus::Duplicate
                ));
            }
        }
        println!(
            "round {round}: pusher killed after {wait:?}{}; the re-push found {round_statuses:?}",
            if finished { " (it had finished)" } else { "" }
        );
        for (k, v) in round_statuses {
            *statuses.entry(k).or_insert(0) += v;
        }
    }
    println!("all rounds: {statuses:?}");

    let mut su = cluster.superuser();
    let row = su
        .query_one(
            "SELECT (SELECT count(*) FROM chipwatch.changes WHERE workspace_id = $1), \
                    (SELECT count(*) FROM chipwatch.records WHERE workspace_id = $1 AND version = 1), \
                    (SELECT count(*) FROM chipwatch.records WHERE workspace_id = $1)",
            &[&ws],
        )
        .unwrap();
    let expected = (CHANGES * ROUNDS) as i64;
    assert_eq!(
        (
            row.get::<_, i64>(0),
            row.get::<_, i64>(1),
            row.get::<_, i64>(2)
        ),
        (expected, expected, expected)
    );
}

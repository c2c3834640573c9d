//! 10,000 changes pushed in batches of 500, then pulled: prints changes/s (no timing
//! assertions: the machine is shared).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Instant;

use chipwatch_sync::{Change, PushStatus, MAX_BATCH};
use common::cluster::Cluster;
use common::obj;
use serde_json::json;
use uuid::Uuid;

#[test]
fn ten_thousand_changes_in_batches_of_500() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Import").unwrap();

    // What a 10,000-row import of sources sends: one new record per row.
    let changes: Vec<Change> = (0..10_000)
        .map(|i| {
            Change::edit(
                "source",
                Uuid::now_v7(),
                0,
                obj(json!({
                    "title": format!("Export controls on advanced computing, part {i}"),
                    "url": format!("https://example.org/rules/{i}"),
                    "published": "2024-12-02",
                    "publisher": "BIS",
                    "tags": ["entity list", "HBM"],
                })),
            )
        })
        .collect();
    let started = Instant::now();
    let mut accepted = 0;
    for batch in changes.chunks(MAX_BATCH) {
        accepted += a1
            .push(ws, batch)
            .unwrap()
            .iter()
            .filter(|r| r.status == PushStatus::Accepted)
            .count();
    }
    let push_secs = started.elapsed().as_secs_f64();
    assert_eq!(accepted, 10_000);

    let started = Instant::now();
    let (mut cursor, mut pulled) = (0, 0);
    loop {
        let page = a1.pull(ws, cursor, 5000).unwrap();
        let Some(last) = page.last() else { break };
        cursor = last.seq;
        pulled += page.len();
    }
    let pull_secs = started.elapsed().as_secs_f64();
    assert_eq!(pulled, 10_000);

    // Pushing the whole import again (a retry) answers from the log.
    let started = Instant::now();
    for batch in changes.chunks(MAX_BATCH) {
        assert!(a1
            .push(ws, batch)
            .unwrap()
            .iter()
            .all(|r| r.status == PushStatus::Duplicate));
    }
    let retry_secs = started.elapsed().as_secs_f64();

    println!(
        "throughput: push {:.0} changes/s ({push_secs:.2} s for 10,000 in batches of {MAX_BATCH}); \
         pull {:.0} changes/s (pages of 5,000); re-push of duplicates {:.0} changes/s",
        10_000.0 / push_secs,
        10_000.0 / pull_secs,
        10_000.0 / retry_secs,
    );
}

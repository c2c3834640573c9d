//! `cargo bench -p chipwatch-sync`: team sync through a real PostgreSQL (a
//! throwaway cluster on loopback, as the tests start it), whole replicas on
//! both ends, on two shapes of record:
//! - wide: a 100,000-row Zotero import (sources with abstracts, tags, the
//!   original row), synced by the replica that imported it;
//! - narrow: 100,000 short notes (generated), likewise.
//!
//! For each: the importing replica's sync (its push: the import's sync),
//! a replica joined before pulling it all (pull), and a new replica joining
//! the workspace whole (join). Targets (issue 16, this 2-core machine over
//! loopback): push and pull >= 10,000 changes/s, join <= 15 s, the import's
//! sync <= 15 s. For scale, a plain PL/pgSQL versioned upsert takes about
//! 16,000 changes/s from one client in batches of 100.
//! CHIPWATCH_BENCH_TEAM_ROWS sets the row count (default 100,000).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_macros)]

#[path = "../tests/common/cluster.rs"]
#[allow(dead_code)]
mod cluster;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use chipwatch_core::import::{self, sample, ImportOptions};
use chipwatch_core::replica;
use chipwatch_core::sample::{generate, SampleSpec};
use chipwatch_core::store::Store;
use chipwatch_core::workspace::{open_or_init, Seed};
use chipwatch_sync::{team, Role, Server};
use cluster::{Cluster, Team};

const TARGET_RATE: f64 = 10_000.0;
const TARGET_JOIN_S: f64 = 15.0;
const TARGET_IMPORT_SYNC_S: f64 = 15.0;

fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "OVER BUDGET"
    }
}

fn main() {
    let rows: usize = std::env::var("CHIPWATCH_BENCH_TEAM_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let cluster = Cluster::start();
    let team_ = cluster.install();
    println!(
        "team sync, {rows} records a shape; targets: push and pull >= {TARGET_RATE:.0} changes/s, \
         join <= {TARGET_JOIN_S} s, the import's sync <= {TARGET_IMPORT_SYNC_S} s \
         (reference: a plain PL/pgSQL versioned upsert, ~16,000 changes/s from one client)"
    );
    for shape in ["wide", "narrow"] {
        run_shape(&team_, shape, rows);
    }
}

fn connect(team_: &Team<'_>, analyst: &str) -> (String, Server) {
    let url = team_.url(analyst);
    let server = Server::connect(&url).unwrap();
    (url, server)
}

fn run_shape(team_: &Team<'_>, shape: &str, rows: usize) {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("bench {shape}");
    let (url1, mut server1) = connect(team_, "analyst1");
    let (mut a, _) = open_or_init(&dir.path().join("a.db"), Seed::DefaultDataset).unwrap();
    team::create(&mut a, &mut server1, &url1, &name).unwrap();
    let workspace = replica::require_link_of(&a).unwrap().workspace;
    server1.grant(workspace, "analyst2", Role::Editor).unwrap();
    server1.grant(workspace, "analyst3", Role::Editor).unwrap();
    let (url2, mut server2) = connect(team_, "analyst2");
    let (mut b, _) = team::join(&dir.path().join("b.db"), &mut server2, &url2, &name).unwrap();

    let started = Instant::now();
    let what = add_rows(&mut a, dir.path(), shape, rows);
    let local = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let pushed = team::sync(&mut a, &mut server1).unwrap().pushed;
    let push_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let pulled = team::sync(&mut b, &mut server2).unwrap().pulled;
    let pull_s = started.elapsed().as_secs_f64();
    let (url3, mut server3) = connect(team_, "analyst3");
    let started = Instant::now();
    let (c, _) = team::join(&dir.path().join("c.db"), &mut server3, &url3, &name).unwrap();
    let join_s = started.elapsed().as_secs_f64();
    let records = replica::canonical_export(&c).unwrap().lines().count();
    assert_eq!(pushed, pulled, "every pushed change pulled");

    let push_rate = pushed as f64 / push_s;
    let pull_rate = pulled as f64 / pull_s;
    println!("{shape}: {what} ({local:.1} s locally)");
    println!(
        "  the import's sync (push): {push_s:.1} s for {pushed} changes = {push_rate:.0} changes/s  \
         [{} rate, {} time]",
        verdict(push_rate >= TARGET_RATE),
        verdict(push_s <= TARGET_IMPORT_SYNC_S)
    );
    println!(
        "  pull: {pull_s:.1} s for {pulled} changes = {pull_rate:.0} changes/s  [{}]",
        verdict(pull_rate >= TARGET_RATE)
    );
    println!(
        "  join: {join_s:.1} s for {records} records  [{}]",
        verdict(join_s <= TARGET_JOIN_S)
    );
}

/// Adds `rows` records of the shape to `store`; says what was added.
fn add_rows(store: &mut Store, dir: &Path, shape: &str, rows: usize) -> String {
    if shape == "wide" {
        let csv = dir.join("zotero.csv");
        let out = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        let bytes = sample::write_zotero_csv(out, rows, 7).unwrap();
        let report = import::import_sources(
            store,
            &csv,
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        format!(
            "imported {} sources from a {:.0} MB Zotero CSV",
            report.added,
            bytes as f64 / 1e6
        )
    } else {
        let made = generate(
            store,
            &SampleSpec {
                sources: 0,
                notes: rows,
                seed: 7,
            },
        )
        .unwrap();
        format!("generated {} notes", made.notes)
    }
}

//! Team sync under faults and load, with the real CLI as the client process
//! and a real PostgreSQL: syncs killed with SIGKILL mid-push and mid-pull,
//! the server restarted mid-sync, eight clients editing at once. After each
//! fault the replica passes `chipwatch check`; at the end every replica holds
//! the same records, byte for byte, and the server applied every change once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_macros)]

mod common;

#[path = "../../sync/tests/common/cluster.rs"]
#[allow(dead_code)]
mod cluster;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use chipwatch_core::replica::canonical_export;
use chipwatch_core::Store;
use cluster::Cluster;
use common::{chipwatch_with_passfile as cli, next_random, ok, stderr, stdout};

/// `chipwatch sync`, killed with SIGKILL after `after` unless it finished
/// first. Whether it was killed.
fn sync_killed_after(workspace: &Path, passfile: &Path, after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chipwatch"))
        .env("PGPASSFILE", passfile)
        .env_remove("PGPASSWORD")
        .arg("--workspace")
        .arg(workspace)
        .arg("sync")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < after {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        thread::sleep(Duration::from_millis(5));
    }
    let killed = child.try_wait().unwrap().is_none();
    child.kill().ok(); // SIGKILL on Unix
    child.wait().unwrap();
    killed
}

fn assert_checks(workspace: &Path, passfile: &Path) {
    let out = cli(workspace, passfile, &["check"]);
    assert!(
        out.status.success(),
        "check after a kill: {}{}",
        stdout(&out),
        stderr(&out)
    );
}

fn export(workspace: &Path) -> String {
    canonical_export(&Store::open_read_only(workspace).unwrap()).unwrap()
}

/// Logins load1..loadN with known passwords, and a password file for them.
fn logins(cluster: &Cluster, dir: &Path, count: usize) -> (Vec<String>, PathBuf) {
    let mut client = cluster.superuser();
    let mut urls = Vec::new();
    let mut lines = String::new();
    for n in 1..=count {
        let password = format!("pw-{n}-{}", cluster.port);
        client
            .batch_execute(&format!(
                "CREATE ROLE load{n} LOGIN PASSWORD '{password}' IN ROLE chipwatch_user"
            ))
            .unwrap();
        urls.push(format!(
            "postgresql://load{n}@127.0.0.1:{}/postgres",
            cluster.port
        ));
        lines.push_str(&format!(
            "127.0.0.1:{}:postgres:load{n}:{password}\n",
            cluster.port
        ));
    }
    let passfile = dir.join("pgpass");
    std::fs::write(&passfile, lines).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&passfile, std::fs::Permissions::from_mode(0o600)).unwrap();
    (urls, passfile)
}

/// No record's version counts more changes than the log holds for it: a
/// change applied twice would bump it twice.
fn assert_applied_once(cluster: &Cluster) {
    let mut client = cluster.superuser();
    let wrong: i64 = client
        .query_one(
            "SELECT count(*) FROM chipwatch.records r
             WHERE r.version <> (SELECT count(*) FROM chipwatch.changes c
                                 WHERE c.workspace_id = r.workspace_id AND c.uid = r.uid AND c.fields <> '{}')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        wrong, 0,
        "records whose version is not the number of changes applied"
    );
}

#[test]
fn syncs_killed_mid_push_and_mid_pull_and_a_server_restart_lose_nothing() {
    let mut cluster = Cluster::start();
    cluster.install();
    let dir = tempfile::tempdir().unwrap();
    let (urls, pass) = logins(&cluster, dir.path(), 2);
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    ok(cli(&a, &pass, &["init"]));
    ok(cli(
        &a,
        &pass,
        &["team", "create", "--server", &urls[0], "--name", "faults"],
    ));
    ok(cli(&a, &pass, &["team", "grant", "load2", "editor"]));
    ok(cli(
        &b,
        &pass,
        &["team", "join", "--server", &urls[1], "--name", "faults"],
    ));
    // Enough waiting changes that a push and a pull take seconds.
    ok(cli(
        &a,
        &pass,
        &[
            "generate-sample",
            "--sources",
            "20000",
            "--notes",
            "300",
            "--append",
        ],
    ));

    let mut seed = 0x5eed_u64;
    let mut killed = [0, 0];
    for round in 0..20 {
        let (workspace, side) = if round < 10 { (&a, 0) } else { (&b, 1) };
        if round == 10 {
            // B pulls what A pushed; A finishes its push first.
            ok(cli(&a, &pass, &["sync"]));
        }
        let after = Duration::from_millis(150 + next_random(&mut seed) % 1500);
        if sync_killed_after(workspace, &pass, after) {
            killed[side] += 1;
        }
        assert_checks(workspace, &pass);
    }
    // The server stops in the middle of a sync, and comes back.
    ok(cli(
        &b,
        &pass,
        &[
            "generate-sample",
            "--sources",
            "5000",
            "--notes",
            "0",
            "--append",
        ],
    ));
    let restarted = thread::scope(|s| {
        let syncing = s.spawn(|| {
            Command::new(env!("CARGO_BIN_EXE_chipwatch"))
                .env("PGPASSFILE", &pass)
                .arg("--workspace")
                .arg(&b)
                .arg("sync")
                .output()
                .unwrap()
        });
        thread::sleep(Duration::from_millis(400));
        cluster.restart();
        syncing.join().unwrap()
    });
    assert_checks(&b, &pass);
    eprintln!(
        "server restart mid-sync: the sync {} ({})",
        if restarted.status.success() {
            "finished"
        } else {
            "failed"
        },
        stderr(&restarted).trim()
    );

    for _ in 0..2 {
        ok(cli(&a, &pass, &["sync"]));
        ok(cli(&b, &pass, &["sync"]));
    }
    let (ea, eb) = (export(&a), export(&b));
    assert!(ea.lines().count() > 25_000);
    assert!(ea == eb, "the replicas differ after the faults");
    assert_applied_once(&cluster);
    for workspace in [&a, &b] {
        let status = common::json(&ok(cli(workspace, &pass, &["team", "status", "--json"])));
        assert_eq!(status["waiting"].as_i64(), Some(0));
    }
    eprintln!(
        "faults: {} pushes and {} pulls killed with SIGKILL mid-sync of 10 each; {} records identical on both replicas",
        killed[0],
        killed[1],
        ea.lines().count()
    );
    assert!(
        killed[0] >= 5 && killed[1] >= 5,
        "most kills should land mid-sync: {killed:?}"
    );
}

/// What one client did.
#[derive(Default, Debug, Clone, Copy)]
struct Tally {
    edits: u32,
    syncs: u32,
    killed: u32,
    failed: u32,
}

/// One analyst: `edits` random edits of firms, sources, notes and
/// assessments, a sync every few edits (some killed mid-way).
fn analyst(n: usize, workspace: &Path, pass: &Path, edits: u32) -> Tally {
    let ids = |sql: &str| -> Vec<i64> {
        let conn = rusqlite::Connection::open(workspace).unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let sources = ids("SELECT id FROM sources ORDER BY uid");
    let notes = ids("SELECT id FROM notes ORDER BY uid");
    const FIRMS: [&str; 6] = ["Huawei", "SMIC", "Baidu", "Alibaba", "Tencent", "NVIDIA"];
    const ASSESSED: [(&str, &str); 3] = [
        ("Huawei", "In-house chips"),
        ("Baidu", "In-house chips"),
        ("SMIC", "Domestic manufacturing"),
    ];
    let mut seed = 0x1000 + n as u64;
    let mut tally = Tally::default();
    for i in 0..edits {
        let pick = |seed: &mut u64, len: usize| (next_random(seed) % len as u64) as usize;
        let text = format!("analyst {n}, edit {i}: 华为 \"昇腾\", ok");
        let id_text;
        let args: Vec<&str> = match next_random(&mut seed) % 10 {
            0..=2 => vec![
                "firm",
                "edit",
                FIRMS[pick(&mut seed, 6)],
                "--summary",
                &text,
            ],
            3 => vec![
                "firm",
                "edit",
                FIRMS[pick(&mut seed, 6)],
                "--website",
                "https://example.org/a",
            ],
            4 | 5 => {
                id_text = sources[pick(&mut seed, sources.len())].to_string();
                vec!["source", "edit", &id_text, "--publisher", &text]
            }
            6 | 7 => {
                id_text = notes[pick(&mut seed, notes.len())].to_string();
                vec!["note", "edit", &id_text, "--body", &text]
            }
            _ => {
                let (firm, strategy) = ASSESSED[pick(&mut seed, 3)];
                vec![
                    "assessment",
                    "set",
                    "--firm",
                    firm,
                    "--strategy",
                    strategy,
                    "--summary",
                    &text,
                ]
            }
        };
        ok(cli(workspace, pass, &args));
        tally.edits += 1;
        if i % 5 == 4 {
            tally.syncs += 1;
            if next_random(&mut seed).is_multiple_of(8) {
                let after = Duration::from_millis(20 + next_random(&mut seed) % 300);
                if sync_killed_after(workspace, pass, after) {
                    tally.killed += 1;
                }
                assert_checks(workspace, pass);
            } else if !cli(workspace, pass, &["sync"]).status.success() {
                tally.failed += 1; // the server restarting
            }
        }
    }
    tally
}

#[test]
fn eight_analysts_editing_at_once_with_kills_and_a_restart_end_identical() {
    const CLIENTS: usize = 8;
    let edits: u32 = std::env::var("CHIPWATCH_LOAD_EDITS")
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(500);
    let mut cluster = Cluster::start();
    cluster.install();
    let dir = tempfile::tempdir().unwrap();
    let (urls, pass) = logins(&cluster, dir.path(), CLIENTS);
    let replicas: Vec<PathBuf> = (1..=CLIENTS)
        .map(|n| dir.path().join(format!("r{n}.db")))
        .collect();
    ok(cli(&replicas[0], &pass, &["init"]));
    ok(cli(
        &replicas[0],
        &pass,
        &["team", "create", "--server", &urls[0], "--name", "load"],
    ));
    for n in 2..=CLIENTS {
        ok(cli(
            &replicas[0],
            &pass,
            &["team", "grant", &format!("load{n}"), "editor"],
        ));
        ok(cli(
            &replicas[n - 1],
            &pass,
            &["team", "join", "--server", &urls[n - 1], "--name", "load"],
        ));
    }

    let started = Instant::now();
    let tallies: Vec<Tally> = thread::scope(|s| {
        let workers: Vec<_> = replicas
            .iter()
            .enumerate()
            .map(|(i, workspace)| {
                let pass = &pass;
                s.spawn(move || analyst(i + 1, workspace, pass, edits))
            })
            .collect();
        // One server restart while they work.
        thread::sleep(Duration::from_secs(20));
        cluster.restart();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let working = started.elapsed();

    // Everyone syncs until nothing moves: two full rounds after the work.
    for _ in 0..3 {
        for workspace in &replicas {
            ok(cli(workspace, &pass, &["sync"]));
        }
    }
    let first = export(&replicas[0]);
    for (n, workspace) in replicas.iter().enumerate() {
        assert!(
            export(workspace) == first,
            "replica {} differs from replica 1",
            n + 1
        );
    }
    assert_applied_once(&cluster);

    // Every change a replica made reached the server's log, attributed to it;
    // every conflict a push met is listed on the replica that met it.
    let mut server = cluster.superuser();
    let mut conflicts_listed = 0;
    for (n, workspace) in replicas.iter().enumerate() {
        let conn = rusqlite::Connection::open(workspace).unwrap();
        let waiting: i64 = conn
            .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(waiting, 0);
        let mine: Vec<String> = conn
            .prepare("SELECT DISTINCT change_id FROM history WHERE change_id IS NOT NULL AND author = ?1")
            .unwrap()
            .query_map([format!("load{}", n + 1)], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for change in &mine {
            let uuid = uuid::Uuid::parse_str(change).unwrap();
            let logged: i64 = server
                .query_one(
                    "SELECT count(*) FROM chipwatch.changes WHERE change_id = $1",
                    &[&uuid],
                )
                .unwrap()
                .get(0);
            assert_eq!(
                logged,
                1,
                "change {change} of load{} is in the log once",
                n + 1
            );
        }
        let scalar_conflicts: Vec<(uuid::Uuid, String)> = server
            .query(
                "SELECT c.uid, f->>'field' FROM chipwatch.changes c,
                        jsonb_array_elements(c.result->'conflicts') f
                 WHERE c.author = $1 AND f->>'field' IN ('website', 'publisher')",
                &[&format!("load{}", n + 1)],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        for (uid, field) in &scalar_conflicts {
            let listed: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sync_conflicts WHERE uid = ?1 AND field = ?2",
                    [uid.to_string(), field.clone()],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(
                listed >= 1,
                "a {field} conflict load{} met is listed",
                n + 1
            );
        }
        conflicts_listed += conn
            .query_row(
                "SELECT count(*) FROM sync_conflicts WHERE resolution IS NULL",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
    }
    let logged: i64 = server
        .query_one(
            "SELECT count(*) FROM chipwatch.changes WHERE fields <> '{}'",
            &[],
        )
        .unwrap()
        .get(0);
    let total = tallies.iter().fold(Tally::default(), |t, x| Tally {
        edits: t.edits + x.edits,
        syncs: t.syncs + x.syncs,
        killed: t.killed + x.killed,
        failed: t.failed + x.failed,
    });
    eprintln!(
        "load: {CLIENTS} clients x {edits} edits in {:.0} s ({} edits, {} syncs, {} killed with SIGKILL, {} failed during the server restart); \
         server log: {logged} applied changes; {conflicts_listed} conflicts listed for a person; {} records identical on every replica",
        working.as_secs_f64(),
        total.edits,
        total.syncs,
        total.killed,
        total.failed,
        first.lines().count()
    );
}

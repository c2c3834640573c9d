//! `chipwatch team …`, `sync`, `conflicts`, `history` against a real PostgreSQL
//! (a throwaway cluster, as crates/sync's tests start it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

// The same throwaway cluster as crates/sync's tests (not all of it is used here).
#[path = "../../sync/tests/common/cluster.rs"]
#[allow(dead_code, clippy::disallowed_macros)]
mod cluster;

use std::path::{Path, PathBuf};

use cluster::Cluster;
use common::{chipwatch_with_passfile as cli, json, ok, stderr, stdout};

const TEAM: &str = "出口管制 \"EC\" team";

/// A password file holding every analyst's password, private as libpq wants it.
fn passfile(dir: &Path, urls: &[String]) -> PathBuf {
    let mut lines = String::new();
    for url in urls {
        // postgresql://USER:PASSWORD@127.0.0.1:PORT/postgres
        let rest = url.strip_prefix("postgresql://").unwrap();
        let (user_password, host) = rest.split_once('@').unwrap();
        let (user, password) = user_password.split_once(':').unwrap();
        let (address, database) = host.split_once('/').unwrap();
        let (host, port) = address.split_once(':').unwrap();
        lines.push_str(&format!("{host}:{port}:{database}:{user}:{password}\n"));
    }
    let path = dir.join("pgpass");
    std::fs::write(&path, lines).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}

#[test]
fn two_analysts_share_a_workspace_from_the_command_line() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let dir = tempfile::tempdir().unwrap();
    let (alice, bob) = (dir.path().join("alice.db"), dir.path().join("bob.db"));
    let (url1, url2) = (team.url("analyst1"), team.url("analyst2"));
    let pass = passfile(dir.path(), &[url1.clone(), url2.clone()]);
    ok(cli(&alice, &pass, &["init"]));

    // The schema is installed already: upgrade says so.
    let up = ok(cli(
        &alice,
        &pass,
        &["team", "upgrade", "--server", &cluster.superuser_url()],
    ));
    assert!(stdout(&up).contains("up to date"), "{}", stdout(&up));

    let created = ok(cli(
        &alice,
        &pass,
        &["team", "create", "--server", &url1, "--name", TEAM],
    ));
    assert!(
        stdout(&created).contains("records pushed"),
        "{}",
        stdout(&created)
    );
    let password = url1.split(':').nth(2).unwrap().split('@').next().unwrap();
    let file = std::fs::read(&alice).unwrap();
    assert!(
        !file
            .windows(password.len())
            .any(|w| w == password.as_bytes()),
        "the workspace keeps no password"
    );

    ok(cli(&alice, &pass, &["team", "grant", "analyst2", "editor"]));
    let joined = ok(cli(
        &bob,
        &pass,
        &["team", "join", "--server", &url2, "--name", TEAM],
    ));
    assert!(stdout(&joined).contains("Joined"), "{}", stdout(&joined));

    // The same field changed on both replicas.
    ok(cli(
        &alice,
        &pass,
        &[
            "firm",
            "edit",
            "SMIC",
            "--website",
            "https://www.smics.com/en/",
        ],
    ));
    ok(cli(
        &bob,
        &pass,
        &[
            "firm",
            "edit",
            "SMIC",
            "--website",
            "https://smics.com/中文",
        ],
    ));
    let a = json(&ok(cli(&alice, &pass, &["sync", "--json"])));
    assert_eq!(
        (a["pushed"].as_u64(), a["conflicts"].as_u64()),
        (Some(1), Some(0))
    );
    let b = json(&ok(cli(&bob, &pass, &["sync", "--json"])));
    assert_eq!(b["conflicts"].as_u64(), Some(1));

    let listed = json(&ok(cli(&bob, &pass, &["conflicts", "--json"])));
    let conflict = &listed[0];
    assert_eq!(conflict["field"], "website");
    assert_eq!(conflict["mine"], "https://smics.com/中文");
    assert_eq!(conflict["theirs"], "https://www.smics.com/en/");
    assert_eq!(conflict["theirsBy"], "analyst1");
    let text = stdout(&ok(cli(&bob, &pass, &["conflicts"])));
    assert!(
        text.contains("mine:") && text.contains("theirs:") && text.contains("SMIC"),
        "{text}"
    );

    let id = conflict["id"].as_i64().unwrap().to_string();
    ok(cli(
        &bob,
        &pass,
        &["conflicts", "resolve", &id, "--keep", "mine"],
    ));
    let again = cli(
        &bob,
        &pass,
        &["conflicts", "resolve", &id, "--keep", "theirs"],
    );
    assert!(!again.status.success() && stderr(&again).contains("settled already"));
    ok(cli(&bob, &pass, &["sync"]));
    let a = json(&ok(cli(&alice, &pass, &["sync", "--json"])));
    assert_eq!(a["pulled"].as_u64(), Some(1));
    let shown = json(&ok(cli(&alice, &pass, &["firm", "show", "SMIC", "--json"])));
    assert_eq!(
        shown["draft"]["website"], "https://smics.com/中文",
        "{shown}"
    );

    // History comes from the server's log: both analysts' edits, attributed.
    let history = json(&ok(cli(
        &alice,
        &pass,
        &["history", "firm", "SMIC", "--json"],
    )));
    let entries = history.as_array().unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last["author"], "analyst2");
    assert_eq!(last["fields"][0]["new"], "https://smics.com/中文");
    assert!(entries
        .iter()
        .any(|e| e["author"] == "analyst1" && e["op"] == "changed"));
    let text = stdout(&ok(cli(&alice, &pass, &["history", "firm", "SMIC"])));
    assert!(
        text.contains("website: https://www.smics.com/en/ → https://smics.com/中文"),
        "{text}"
    );

    let status = json(&ok(cli(&bob, &pass, &["team", "status", "--json"])));
    assert_eq!(
        (status["waiting"].as_i64(), status["conflicts"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(status["link"]["name"], TEAM);
    assert!(!status["link"]["server"]
        .as_str()
        .unwrap()
        .contains(password));

    let members = json(&ok(cli(&alice, &pass, &["team", "members", "--json"])));
    assert_eq!(members.as_array().unwrap().len(), 2);

    // A login taken out of the workspace can no longer sync, and is told so.
    ok(cli(&alice, &pass, &["team", "revoke", "analyst2"]));
    ok(cli(
        &bob,
        &pass,
        &["firm", "edit", "SMIC", "--summary", "after revoke"],
    ));
    let refused = cli(&bob, &pass, &["sync"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("member"), "{}", stderr(&refused));
    let status = json(&ok(cli(&bob, &pass, &["team", "status", "--json"])));
    assert_eq!(
        status["waiting"].as_i64(),
        Some(1),
        "the edit waits in the outbox"
    );
}

#[test]
fn sync_says_what_to_do_when_the_server_is_down_and_loses_nothing() {
    let mut cluster = Cluster::start();
    let team = cluster.install();
    let dir = tempfile::tempdir().unwrap();
    let alice = dir.path().join("alice.db");
    let url = team.url("analyst1");
    let pass = passfile(dir.path(), std::slice::from_ref(&url));
    ok(cli(&alice, &pass, &["init"]));
    ok(cli(
        &alice,
        &pass,
        &["team", "create", "--server", &url, "--name", "Down"],
    ));
    ok(cli(
        &alice,
        &pass,
        &["firm", "edit", "Huawei", "--summary", "edited offline"],
    ));
    drop(team);
    cluster.stop();

    let down = cli(&alice, &pass, &["sync"]);
    assert_eq!(down.status.code(), Some(1));
    assert!(
        stderr(&down).contains("cannot reach the team server"),
        "{}",
        stderr(&down)
    );
    let status = json(&ok(cli(&alice, &pass, &["team", "status", "--json"])));
    assert_eq!(status["waiting"].as_i64(), Some(1));

    // Without a password anywhere, the login is refused with what to check.
    let not_team = dir.path().join("solo.db");
    ok(cli(&not_team, &pass, &["init"]));
    let solo = cli(&not_team, &pass, &["sync"]);
    assert!(
        stderr(&solo).contains("not a team workspace"),
        "{}",
        stderr(&solo)
    );
}

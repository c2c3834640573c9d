//! A password kept in PostgreSQL's own password file (PGPASSFILE) is the one
//! the next login uses. Its own test binary: it sets PGPASSFILE for the process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chipwatch_sync::{passfile, Server, SyncError};
use common::cluster::Cluster;

#[test]
fn a_remembered_password_logs_in_replaces_the_old_one_and_keeps_other_lines() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let with_password = team.url("analyst1");
    let (start, rest) = with_password.split_once("://").unwrap();
    let (login, host) = rest.split_once('@').unwrap();
    let (user, password) = login.split_once(':').unwrap();
    let url = format!("{start}://{user}@{host}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pgpass");
    // A wildcard line for every host would win if the kept line came after it.
    let others = "# kept\ndb.example.org:5432:*:wei:other:pass\n*:*:*:analyst1:stale\n";
    std::fs::write(&file, others).unwrap();
    std::env::set_var("PGPASSFILE", &file);
    std::env::remove_var("PGPASSWORD");

    // A wrong one first: the login is refused, and nothing else in the file changed.
    assert_eq!(passfile::remember(&url, "wrong:pass\\word").unwrap(), file);
    let refused = Server::connect(&url).unwrap_err();
    assert!(
        matches!(refused, SyncError::LoginRefused { .. }),
        "{refused:?}"
    );
    passfile::remember(&url, password).unwrap();
    let server = Server::connect(&url).unwrap();
    assert_eq!(server.user(), "analyst1");

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.ends_with(others), "every other line kept: {text}");
    assert_eq!(
        text.lines().count(),
        4,
        "one line for this login, first: {text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    assert!(passfile::remember("not a url ://", "x").is_err());
}

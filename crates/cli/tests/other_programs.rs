//! A workspace stays an ordinary SQLite file: the sqlite3 shell this system
//! ships (Debian 12: 3.40, older than the bundled SQLite) reads its schema,
//! and what it writes is recorded in the history like any other change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{chipwatch, initialised, json, stderr, stdout};

#[test]
fn the_systems_sqlite3_shell_reads_and_edits_a_workspace_and_the_history_keeps_it() {
    let (_dir, path) = initialised();
    let shell = Command::new("sqlite3")
        .arg(&path)
        .arg(
            "SELECT count(*) FROM record_firm; \
             UPDATE firms SET summary = 'edited in the sqlite3 shell, \"quoted\", 中文' WHERE name = 'SMIC'; \
             INSERT INTO strategies (name) VALUES ('from the shell');",
        )
        .output()
        .expect("the sqlite3 shell (scripts/install-deps.sh installs it)");
    assert!(
        shell.status.success(),
        "{}",
        String::from_utf8_lossy(&shell.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&shell.stdout).trim(), "15");

    let history = chipwatch(&path, &["history", "firm", "SMIC", "--json"]);
    assert!(history.status.success(), "{}", stderr(&history));
    let entries = json(&history);
    let last = entries.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["op"], "changed");
    assert_eq!(last["fields"][0]["field"], "summary");
    assert_eq!(
        last["fields"][0]["new"],
        "edited in the sqlite3 shell, \"quoted\", 中文"
    );
    let strategy = chipwatch(&path, &["history", "strategy", "from the shell"]);
    assert!(
        stdout(&strategy).contains("created"),
        "{}",
        stdout(&strategy)
    );
    let check = chipwatch(&path, &["check"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

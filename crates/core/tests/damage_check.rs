//! The check for damage after an unclean shutdown (src/damage_check.rs, with
//! the marker in the lock file, src/lock.rs): a window killed while it had the
//! workspace open leaves the marker; the next open starts the check in the
//! background, which finds damage that opening never reads; a clean close,
//! a healthy check or a restored backup settle it.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use chipwatch_core::backups;
use chipwatch_core::damage_check::DamageCheckState;
use chipwatch_core::lock::{self, UncleanShutdown};
use chipwatch_core::restore;
use chipwatch_core::session::{self, Open};
use chipwatch_core::workspace;
use chipwatch_core::Store;
use common::*;

const HOLD_ENV: &str = "CHIPWATCH_TEST_HOLD_WORKSPACE";

/// Not a test of its own: the process `killed_while_open` kills. Opens the
/// workspace named by the environment as the app does (lock, then store),
/// writes a note, says so and waits.
#[test]
#[ignore = "run by killed_while_open(), which kills it"]
fn hold_the_workspace_open_until_killed() {
    let Some(path) = std::env::var_os(HOLD_ENV) else {
        return;
    };
    let mut open = session::open(Path::new(&path), Open::Existing, None).unwrap();
    chipwatch_core::notes::save(
        &mut open.store,
        None,
        &chipwatch_core::model::NoteDraft {
            title: format!("written before the crash {TRICKY}"),
            body: "[[华为]]".into(),
            tags: vec![],
        },
        None,
    )
    .unwrap();
    println!("holding");
    std::thread::sleep(std::time::Duration::from_secs(120));
    drop(open);
}

/// Runs `hold_the_workspace_open_until_killed` on `path` in a process of its
/// own, waits until it holds the workspace, and SIGKILLs it. Returns its pid.
fn killed_while_open(path: &Path) -> u32 {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "hold_the_workspace_open_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env(HOLD_ENV, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let holding = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.trim() == "holding");
    assert!(holding, "the holder never opened the workspace");
    let pid = child.id();
    child.kill().unwrap(); // SIGKILL: no chance to close anything
    child.wait().unwrap();
    pid
}

#[test]
fn a_killed_window_leaves_a_marker_the_next_open_checks_in_the_background() {
    let (_dir, path) = seeded_workspace();
    let pid = killed_while_open(&path);
    assert_eq!(
        lock::unclean_shutdown(&path),
        Some(UncleanShutdown { pid: Some(pid) })
    );
    // The CLI's reads take no lock and leave the marker as it is.
    assert_eq!(stats_of(&path).notes, 5, "the note written before the kill");
    assert!(workspace::stats(&Store::open_read_only(&path).unwrap()).is_ok());
    assert!(lock::unclean_shutdown(&path).is_some());

    let opened = session::open(&path, Open::Existing, None).unwrap();
    assert!(opened.lock.unclean_before());
    let check = opened.damage_check.clone().expect("a check after a kill");
    assert_eq!(check.wait(), DamageCheckState::Healthy);
    assert_eq!(
        lock::unclean_shutdown(&path),
        None,
        "held now: not a shutdown"
    );
    drop(opened);
    assert_eq!(lock::unclean_shutdown(&path), None, "closed cleanly now");
    let again = session::open(&path, Open::Existing, None).unwrap();
    assert!(!again.lock.unclean_before());
    assert!(
        again.damage_check.is_none(),
        "nothing to check after a clean close"
    );
}

#[test]
fn damage_after_a_kill_is_reported_and_checked_again_until_a_backup_is_restored() {
    let (dir, path) = seeded_workspace();
    let good = dir.path().join("good backup.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&good)).unwrap();
    let page = damage_a_page_opening_never_reads(&path);
    killed_while_open(&path);

    // The workspace opens and reads (the first screen) while the check runs.
    let opened = session::open(&path, Open::Existing, None).unwrap();
    assert_eq!(workspace::stats(&opened.store).unwrap().firms, 15);
    let check = opened.damage_check.clone().expect("a check after a kill");
    let DamageCheckState::Damaged { problems } = check.wait() else {
        panic!("no damage found: {:?}", check.state());
    };
    assert!(
        problems
            .iter()
            .any(|line| line.to_lowercase().contains(&format!("page {page}"))),
        "{problems:?}"
    );
    drop(opened);
    assert!(
        lock::unclean_shutdown(&path).is_some(),
        "damage found: the next open checks again"
    );

    let mut opened = session::open(&path, Open::Existing, None).unwrap();
    let check = opened.damage_check.clone().expect("checked again");
    assert!(matches!(check.wait(), DamageCheckState::Damaged { .. }));
    // What the app's Restore does: the backup goes in, the finding is void.
    restore::restore_into(&mut opened.store, &good).unwrap();
    check.restored();
    assert_eq!(check.state(), DamageCheckState::Healthy);
    drop(opened);
    assert_eq!(lock::unclean_shutdown(&path), None);
    assert!(workspace::check(&path).unwrap().is_healthy());
}

#[test]
fn a_restore_from_the_cli_or_a_healthy_check_settles_the_marker() {
    let (dir, path) = seeded_workspace();
    let good = dir.path().join("good.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&good)).unwrap();

    killed_while_open(&path);
    restore::restore(&path, &good).unwrap();
    assert_eq!(lock::unclean_shutdown(&path), None);

    killed_while_open(&path);
    assert!(lock::settle_unclean_shutdown(&path));
    assert_eq!(lock::unclean_shutdown(&path), None);
    assert!(
        !lock::settle_unclean_shutdown(&path),
        "nothing left to settle"
    );
}

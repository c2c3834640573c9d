//! One window per workspace (src/lock.rs): a second one is told which process
//! has it; the lock dies with its holder; reads and writes through SQLite stay
//! safe beside the window.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chipwatch_core::lock::{self, WorkspaceLock};
use chipwatch_core::model::NoteDraft;
use chipwatch_core::workspace::{self, Seed};
use chipwatch_core::{notes, AppError, Error, ErrorKind, Store};
use common::*;

#[test]
fn a_second_window_is_told_the_workspace_is_open_and_by_which_process() {
    let (_dir, path) = temp_workspace();
    let first = WorkspaceLock::acquire(&path).unwrap();
    assert_eq!(first.path(), lock::lock_path(&path));
    assert!(first
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with(".workspace.db.lock"));

    let second = WorkspaceLock::acquire(&path);
    let Err(error) = second else {
        panic!("a second lock was granted");
    };
    let pid = std::process::id();
    assert!(
        matches!(&error, Error::WorkspaceOpenElsewhere { pid: Some(p), .. } if *p == pid),
        "{error:?}"
    );
    let shown = AppError::from(&error);
    assert_eq!(shown.kind, ErrorKind::Workspace);
    assert!(
        shown
            .message
            .contains(&format!("is open in another Chipwatch window (pid {pid})"))
            && shown.message.contains(&path.display().to_string()),
        "{}",
        shown.message
    );
    assert_eq!(WorkspaceLock::holder(&path), Some(pid));

    drop(first);
    assert_eq!(WorkspaceLock::holder(&path), None);
    let again = WorkspaceLock::acquire(&path).unwrap();
    drop(again);
    assert!(!path.exists(), "locking never creates the workspace itself");
}

#[test]
fn the_lock_dies_with_a_killed_holder() {
    let (_dir, path) = temp_workspace();
    let lock_file = lock::lock_path(&path);
    // flock(1) takes the same kind of lock (flock(2)) from another process;
    // --no-fork makes `sleep` itself the holder, so the kill below ends it.
    let mut holder = match Command::new("flock")
        .arg("--no-fork")
        .arg(&lock_file)
        .args(["sleep", "30"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            println!("skipped: flock(1) from util-linux is not installed ({e})");
            return;
        }
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while WorkspaceLock::holder(&path).is_none() {
        assert!(Instant::now() < deadline, "flock never took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
    let refused = WorkspaceLock::acquire(&path);
    assert!(
        matches!(&refused, Err(Error::WorkspaceOpenElsewhere { .. })),
        "{refused:?}"
    );
    holder.kill().unwrap(); // SIGKILL: no chance to clean up
    holder.wait().unwrap();
    // The kernel releases it as the process dies; allow a moment for that.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match WorkspaceLock::acquire(&path) {
            Ok(_) => break,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("the lock outlived its holder: {e}"),
        }
    }
}

/// What the app does (lock, then open) beside what the CLI does (no lock):
/// reads and writes from both land, and the file stays healthy.
#[test]
fn the_cli_reads_and_writes_beside_an_open_window_without_damage() {
    let (_dir, path) = temp_workspace();
    workspace::prepare_folder(&path).unwrap();
    let window_lock = WorkspaceLock::acquire(&path).unwrap();
    let (mut window, _) = workspace::open_or_init(&path, Seed::DefaultDataset).unwrap();

    let cli_path = path.clone();
    let cli = std::thread::spawn(move || {
        for i in 0..40 {
            let stats = workspace::stats(&Store::open_read_only(&cli_path).unwrap()).unwrap();
            assert!(stats.firms >= 10);
            let mut store = Store::open(&cli_path).unwrap();
            notes::save(
                &mut store,
                None,
                &NoteDraft {
                    title: format!("from the CLI {i} {TRICKY}"),
                    body: "[[华为]]".into(),
                    tags: vec![],
                },
                None,
            )
            .unwrap();
        }
    });
    for i in 0..40 {
        notes::save(
            &mut window,
            None,
            &NoteDraft {
                title: format!("from the window {i}"),
                body: "[[Huawei]]".into(),
                tags: vec!["窗口".into()],
            },
            None,
        )
        .unwrap();
    }
    cli.join().unwrap();
    let seeded_notes = 4;
    assert_eq!(workspace::stats(&window).unwrap().notes, seeded_notes + 80);
    // A second window is still refused while the first is open.
    assert!(matches!(
        WorkspaceLock::acquire(&path),
        Err(Error::WorkspaceOpenElsewhere { .. })
    ));
    drop(window);
    drop(window_lock);
    let report = workspace::check(&path).unwrap();
    assert!(
        report.is_healthy(),
        "{:?}",
        report.problems().collect::<Vec<_>>()
    );
}

#[test]
fn a_missing_folder_is_reported_as_unwritable_not_as_a_lock_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no such folder/workspace.db");
    let result = WorkspaceLock::acquire(&path);
    assert!(
        matches!(&result, Err(Error::WorkspaceUnwritable { reason, .. }) if reason.contains("lock file")),
        "{result:?}"
    );
    assert!(!path.parent().unwrap().exists());
}

/// The lock file says `open` while held and `closed` after a clean release;
/// asking who holds it, or whether the last close was clean, writes nothing.
#[test]
fn the_lock_file_says_whether_the_last_close_was_clean() {
    let (_dir, path) = temp_workspace();
    let lock_file = lock::lock_path(&path);
    let pid = std::process::id();
    let held = WorkspaceLock::acquire(&path).unwrap();
    assert!(!held.unclean_before());
    assert!(held.owed_check().is_none());
    assert_eq!(
        std::fs::read_to_string(&lock_file).unwrap(),
        format!("{pid} open\n")
    );
    assert_eq!(WorkspaceLock::holder(&path), Some(pid));
    assert_eq!(lock::unclean_shutdown(&path), None, "held: not a shutdown");
    drop(held);
    assert_eq!(
        std::fs::read_to_string(&lock_file).unwrap(),
        format!("{pid} closed\n")
    );
    assert_eq!(lock::unclean_shutdown(&path), None);

    // What a crash leaves: `open` and nobody holding it.
    std::fs::write(&lock_file, "4242 open\n").unwrap();
    assert_eq!(WorkspaceLock::holder(&path), None);
    assert_eq!(
        lock::unclean_shutdown(&path),
        Some(lock::UncleanShutdown { pid: Some(4242) })
    );
    assert_eq!(
        std::fs::read_to_string(&lock_file).unwrap(),
        "4242 open\n",
        "asking wrote nothing"
    );
    let next = WorkspaceLock::acquire(&path).unwrap();
    assert!(next.unclean_before());
    // The owed check was never settled: the file keeps saying `open`.
    drop(next);
    assert!(lock::unclean_shutdown(&path).is_some());

    // A lone pid is what releases before the marker wrote: taken as clean.
    std::fs::write(&lock_file, "4242").unwrap();
    assert_eq!(lock::unclean_shutdown(&path), None);
    assert!(!WorkspaceLock::acquire(&path).unwrap().unclean_before());
}

//! The `chipwatch` binary end to end, on real files.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::disallowed_macros)] // its summary line is the test's own, not stored text
mod common;

use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `chipwatch` without `--workspace`, so the environment picks the workspace.
fn chipwatch_env(args: &[&str], vars: &[(&str, &Path)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chipwatch"))
        .args(args)
        .env_remove("CHIPWATCH_WORKSPACE")
        .envs(vars.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn init_then_stats_prints_the_seeded_counts() {
    let (_dir, path) = initialised();
    let out = chipwatch(&path, &["stats", "--json"]);
    assert!(out.status.success());
    let stats = json(&out);
    assert_eq!(stats["firms"], 15);
    assert_eq!(stats["strategies"], 4);
    assert_eq!(stats["chips"], 17);
    assert_eq!(stats["sources"], 10);
    assert_eq!(stats["import_batches"], 0);
}

#[test]
fn init_twice_leaves_the_workspace_as_it_is() {
    let (_dir, path) = initialised();
    let out = chipwatch(&path, &["init"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("already exists"));
    assert_eq!(json(&chipwatch(&path, &["stats", "--json"]))["firms"], 15);
}

#[test]
fn init_empty_creates_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    assert!(chipwatch(&path, &["init", "--empty"]).status.success());
    let stats = json(&chipwatch(&path, &["stats", "--json"]));
    assert!(
        stats.as_object().unwrap().values().all(|v| v == 0),
        "{stats}"
    );
}

#[test]
fn list_prints_json_rows_with_ids_and_names() {
    let (_dir, path) = initialised();
    for (entity, label) in [
        ("firms", "name"),
        ("chips", "name"),
        ("sources", "title"),
        ("notes", "title"),
        ("events", "title"),
        ("strategies", "name"),
    ] {
        let out = chipwatch(&path, &["list", entity, "--json"]);
        assert!(out.status.success(), "{entity}: {}", stderr(&out));
        let rows = json(&out);
        let rows = rows.as_array().unwrap();
        assert!(!rows.is_empty(), "{entity}");
        assert!(
            rows.iter()
                .all(|r| r["id"].is_i64() && r[label].is_string()),
            "{entity}: {rows:?}"
        );
    }
    let limited = json(&chipwatch(
        &path,
        &["list", "chips", "--json", "--limit", "2"],
    ));
    assert_eq!(limited.as_array().unwrap().len(), 2);
    let text = stdout(&chipwatch(&path, &["list", "firms"]));
    assert!(text.contains("Huawei") && text.contains("华为"), "{text}");
}

#[test]
fn check_passes_on_a_healthy_workspace() {
    let (_dir, path) = initialised();
    let out = chipwatch(&path, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok"));
}

#[test]
fn check_fails_naming_a_stored_address_that_is_not_a_web_address() {
    let (_dir, path) = initialised();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE sources SET title = '华为 \"Ascend\", 🚀', url = 'javascript:alert(1)' WHERE id = 1",
        [],
    )
    .unwrap();
    drop(conn);
    let out = chipwatch(&path, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(
            "sources row 1 ('华为 \"Ascend\", 🚀'): url 'javascript:alert(1)' is not a web address"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        chipwatch(&path, &["check", "--json"]).status.code(),
        Some(1)
    );
}

/// Damage that reaches the schema (every page after the first) shows in what
/// opening reads anyway: refused there, as well as by `check`.
#[test]
fn a_corrupt_workspace_fails_check_and_is_refused_untouched() {
    let (_dir, path) = initialised();
    let mut bytes = std::fs::read(&path).unwrap();
    for (i, b) in bytes.iter_mut().enumerate().skip(4096) {
        *b = (i % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let out = chipwatch(&path, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("backup"), "{}", stderr(&out));
    let out = chipwatch(&path, &["stats"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("damaged") && stderr(&out).contains(&path.display().to_string()),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

/// Garbles the root page of the Trash's order index, which no command below
/// reads: damage only a read of every page finds. Returns the page number.
fn damage_an_unread_page(path: &Path) -> i64 {
    let page: i64 = rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'trash_deleted_at'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let mut bytes = std::fs::read(path).unwrap();
    let start = (page as usize - 1) * 4096;
    for (i, b) in bytes[start..start + 4096].iter_mut().enumerate() {
        *b = (i * 7 % 251) as u8;
    }
    std::fs::write(path, &bytes).unwrap();
    page
}

/// Opening reads the header and schema only, so `stats` and `search` answer
/// on a file with a damaged page they never read; `check` reads every page
/// and names it. Nothing writes to the file.
#[test]
fn damage_only_a_full_read_finds_is_left_to_check() {
    let (_dir, path) = initialised();
    let page = damage_an_unread_page(&path);
    let bytes = std::fs::read(&path).unwrap();
    let out = chipwatch(&path, &["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&out)["firms"], 15);
    let out = chipwatch(&path, &["search", "华为"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Huawei"), "{}", stdout(&out));
    let out = chipwatch(&path, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .to_lowercase()
            .contains(&format!("page {page}")),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("chipwatch restore"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

/// After a Chipwatch window died holding the workspace (its lock file says
/// `open`, nobody holds it), every command says to run `check`, without
/// paying for a full read itself; a healthy `check` ends the hint. While a
/// window holds the lock there is no hint: it is open, not crashed.
#[test]
fn after_an_unclean_shutdown_commands_point_to_check_until_it_passes() {
    let (dir, path) = initialised();
    let lock_file = dir.path().join(".x.db.lock");
    std::fs::write(&lock_file, "4242 open\n").unwrap();
    let out = chipwatch(&path, &["stats"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not closed cleanly") && stderr(&out).contains("`chipwatch check`"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("pid 4242"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&lock_file).unwrap(),
        "4242 open\n",
        "reading left it as it was"
    );

    // A window holding the lock: no hint (flock(1) takes the same lock).
    if let Ok(mut holder) = Command::new("flock")
        .arg("--no-fork")
        .arg(&lock_file)
        .args(["sleep", "30"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Command::new("flock")
            .args(["-n"])
            .arg(&lock_file)
            .arg("true")
            .status()
            .unwrap()
            .success()
        {
            assert!(Instant::now() < deadline, "flock never took the lock");
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = chipwatch(&path, &["stats"]);
        assert!(
            !stderr(&out).contains("not closed cleanly"),
            "{}",
            stderr(&out)
        );
        holder.kill().unwrap();
        holder.wait().unwrap();
    }

    let out = chipwatch(&path, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = chipwatch(&path, &["stats"]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "", "settled by the healthy check");
}

#[test]
fn bad_workspaces_exit_1_naming_the_path_and_stay_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let text_file = dir.path().join("notes.csv");
    std::fs::write(&text_file, "title,作者\n\"Quoted, with comma\",🚀\n").unwrap();
    let foreign = dir.path().join("zotero.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch(
            "CREATE TABLE items (title TEXT); INSERT INTO items VALUES ('条目, \"quoted\"');",
        )
        .unwrap();
    let newer = dir.path().join("newer.db");
    assert!(chipwatch(&newer, &["init"]).status.success());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();

    for (path, expect) in [
        (dir.path(), "is a folder"),
        (text_file.as_path(), "not a Chipwatch workspace"),
        (foreign.as_path(), "another program"),
        (newer.as_path(), "newer Chipwatch"),
    ] {
        let before = std::fs::metadata(path)
            .unwrap()
            .is_file()
            .then(|| std::fs::read(path).unwrap());
        for args in [&["init"][..], &["stats"], &["list", "firms"], &["check"]] {
            let out = chipwatch(path, args);
            assert_eq!(out.status.code(), Some(1), "{path:?} {args:?}");
            let err = stderr(&out);
            assert!(
                err.contains(expect) && err.contains(&path.display().to_string()),
                "{path:?} {args:?}: {err}"
            );
        }
        if let Some(before) = before {
            assert_eq!(
                std::fs::read(path).unwrap(),
                before,
                "{path:?} was modified"
            );
        }
    }
}

#[test]
fn a_missing_workspace_gets_one_message_from_every_read_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.db");
    for args in [&["stats"][..], &["check"], &["list", "firms"], &["upgrade"]] {
        let out = chipwatch(&path, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("does not exist") && stderr(&out).contains("init"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(!path.exists());
}

#[test]
fn read_commands_leave_a_zero_byte_file_alone_and_init_seeds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    for args in [&["stats"][..], &["list", "sources"], &["check"]] {
        let out = chipwatch(&path, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("empty file"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().len(),
            0,
            "{args:?} wrote to it"
        );
    }
    let out = chipwatch(&path, &["init"]);
    assert!(stdout(&out).starts_with("Created"), "{}", stdout(&out));
    assert_eq!(json(&chipwatch(&path, &["stats", "--json"]))["firms"], 15);
}

#[test]
fn an_older_workspace_is_refused_by_reads_until_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (_, sql) in &chipwatch_core::store::MIGRATIONS[..2] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 2).unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let out = chipwatch(&path, &["list", "firms"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("upgrade"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "list must not migrate"
    );

    let out = chipwatch(&path, &["upgrade"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("from schema version 2"),
        "{}",
        stdout(&out)
    );
    let backups = std::fs::read_dir(dir.path().join("old.db.backups"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with("-before-upgrade-v2.db")
        })
        .count();
    assert_eq!(backups, 1);
    assert!(chipwatch(&path, &["list", "firms"]).status.success());
    assert!(stdout(&chipwatch(&path, &["upgrade"])).contains("up to date"));
}

#[test]
fn a_workspace_in_a_read_only_folder_is_readable_and_never_called_damaged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let folder = dir.path().join("archive 档案");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("workspace.db");
    assert!(chipwatch(&path, &["init"]).status.success());
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = std::fs::read(&path).unwrap();

    let out = chipwatch_unprivileged(dir.path(), &path, &["stats", "--json"]);
    assert!(out.status.success(), "stats: {}", stderr(&out));
    assert_eq!(json(&out)["firms"], 15);
    let out = chipwatch_unprivileged(dir.path(), &path, &["check"]);
    assert!(out.status.success(), "check: {}", stderr(&out));

    // Opening it for writing fails for what it is: a read-only folder, not damage.
    let out = chipwatch_unprivileged(dir.path(), &path, &["init"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("read-only") && !err.contains("damaged"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `kill -9` at any moment of a first `init` leaves either no workspace or a
/// complete, seeded one that `check` accepts: never a half-made file.
#[test]
fn init_killed_at_any_moment_leaves_nothing_or_a_seeded_workspace() {
    const KILLS: usize = 150;
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    assert!(chipwatch(&dir.path().join("timed.db"), &["init"])
        .status
        .success());
    let span = started.elapsed();

    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let (mut nothing, mut seeded) = (0, 0);
    for i in 0..KILLS {
        let path = dir.path().join(format!("k{i}.db"));
        // A third in the first 8 ms (process start), the rest across a whole init.
        let delay = if i % 3 == 0 {
            Duration::from_micros(next_random(&mut state) % 8_000)
        } else {
            span.mul_f64((next_random(&mut state) % 1_300) as f64 / 1_000.0)
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_chipwatch"))
            .arg("--workspace")
            .arg(&path)
            .arg("init")
            .env_remove("CHIPWATCH_WORKSPACE")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL; it may have finished already
        child.wait().unwrap();
        if !path.exists() {
            nothing += 1;
            continue;
        }
        let out = chipwatch(&path, &["check"]);
        assert!(
            out.status.success(),
            "kill {i} after {delay:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        let stats = json(&chipwatch(&path, &["stats", "--json"]));
        assert_eq!(
            stats["firms"], 15,
            "kill {i} after {delay:?} left an unseeded workspace"
        );
        seeded += 1;
    }
    println!("{KILLS} kills over 0..{span:?}: {nothing} left no workspace, {seeded} a seeded one");
    assert!(
        nothing > 0 && seeded > 0,
        "the kills must land both before and after the rename: {nothing} / {seeded}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = chipwatch(&dir.path().join("x.db"), &["list", "widgets"]);
    assert_eq!(out.status.code(), Some(2));
    let out = chipwatch(
        &dir.path().join("x.db"),
        &["list", "firms", "--limit", "many"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_environment_variable_picks_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("从环境.db");
    let out = chipwatch_env(&["init"], &[("CHIPWATCH_WORKSPACE", &path)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(path.exists());
}

#[test]
fn without_a_path_the_app_data_folder_is_used_and_created() {
    let data_home = tempfile::tempdir().unwrap();
    let out = chipwatch_env(&["init"], &[("XDG_DATA_HOME", data_home.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(data_home
        .path()
        .join("org.chipwatch.desktop/workspace.db")
        .is_file());
}

#[test]
fn a_folder_the_user_named_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no such folder/x.db");
    let out = chipwatch_env(&["init"], &[("CHIPWATCH_WORKSPACE", &path)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&path.display().to_string())
            && stderr(&out).contains("folder exists"),
        "{}",
        stderr(&out)
    );
    assert!(!path.parent().unwrap().exists());
}

#[test]
fn note_add_then_show_renders_links_and_typed_html_safely() {
    let (_dir, path) = initialised();
    let out = chipwatch(
        &path,
        &[
            "note",
            "add",
            "--title",
            "华为 \"Ascend\", 'quoted' 🚀",
            "--body",
            "[[Huawei]] builds at [[中芯国际]]. <script>alert(1)</script> [[Nobody Inc]]",
            "--tag",
            "华为",
            "--tag",
            " 华为 ",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("(2 links)"), "{}", stdout(&out));
    let id = stdout(&out)
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.trim_end_matches(':').parse::<i64>().ok())
        .unwrap();

    let before = std::fs::read(&path).unwrap();
    let html = chipwatch(&path, &["note", "show", &id.to_string(), "--html"]);
    assert!(html.status.success(), "{}", stderr(&html));
    let html = stdout(&html);
    assert!(
        html.contains("class=\"wikilink\" data-kind=\"firm\"") && html.contains(">中芯国际</a>"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;") && !html.contains("<script"),
        "{html}"
    );
    assert!(html.contains("wikilink missing"), "{html}");

    let text = stdout(&chipwatch(&path, &["note", "show", &id.to_string()]));
    assert!(
        text.starts_with("华为 \"Ascend\", 'quoted' 🚀\ntags: 华为\n"),
        "{text}"
    );
    assert!(
        text.contains(": Huawei\n") && text.contains(": SMIC\n"),
        "{text}"
    );
    assert!(text.contains("links to nothing: [[Nobody Inc]]"), "{text}");

    let rendered = json(&chipwatch(
        &path,
        &["note", "show", &id.to_string(), "--json"],
    ));
    assert_eq!(rendered["note"]["revision"], 1);
    assert_eq!(rendered["links"].as_array().unwrap().len(), 2);
    assert_eq!(rendered["missingLinks"][0], "Nobody Inc");
    assert_eq!(std::fs::read(&path).unwrap(), before, "show never writes");
}

#[test]
fn note_commands_refuse_bad_input_with_the_reason() {
    let (_dir, path) = initialised();
    let missing = chipwatch(&path, &["note", "show", "999999"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("no note with id 999999"),
        "{}",
        stderr(&missing)
    );
    let blank = chipwatch(&path, &["note", "add", "--title", "  "]);
    assert_eq!(blank.status.code(), Some(1));
    assert!(
        stderr(&blank).contains("title: is required"),
        "{}",
        stderr(&blank)
    );
    let notes = json(&chipwatch(&path, &["list", "notes", "--json"]));
    assert_eq!(notes.as_array().unwrap().len(), 4, "nothing added");
}

#[test]
fn note_add_reads_the_body_from_standard_input() {
    let (_dir, path) = initialised();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chipwatch"))
        .arg("--workspace")
        .arg(&path)
        .args(["note", "add", "--title", "piped", "--body", "-"])
        .env_remove("CHIPWATCH_WORKSPACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        "line one\n\n[[Ascend 910B]] 🚀\n".as_bytes(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("(1 link)"), "{}", stdout(&out));
    let notes = json(&chipwatch(&path, &["list", "notes", "--json"]));
    let piped = notes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == "piped")
        .unwrap();
    assert_eq!(piped["body"], "line one\n\n[[Ascend 910B]] 🚀\n");
}

#[test]
fn delete_without_yes_shows_what_would_go_and_deletes_nothing() {
    let (_dir, path) = initialised();
    let before = std::fs::read(&path).unwrap();
    let out = chipwatch(&path, &["delete", "firm", "1"]);
    assert_eq!(out.status.code(), Some(1), "a dry run is not a success");
    let shown = stdout(&out);
    assert!(shown.contains("the firm 'Huawei' (id 1)"), "{shown}");
    assert!(shown.contains("  - 3 chips go with it"), "{shown}");
    assert!(
        shown.contains("  - 1 subsidiary loses its parent firm"),
        "{shown}"
    );
    assert!(stderr(&out).contains("nothing was deleted; run again with --yes"));
    let impact = json(&chipwatch(&path, &["delete", "source", "2", "--json"]));
    assert_eq!(impact["title"], "Data on Machine Learning Hardware");
    assert_eq!(impact["items"][0]["what"], "claims");
    assert!(impact["items"][0]["count"].as_i64().unwrap() > 0);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a dry run never writes"
    );
    assert_eq!(json(&chipwatch(&path, &["stats", "--json"]))["firms"], 15);
}

#[test]
fn delete_then_restore_round_trips_through_the_trash() {
    let (_dir, path) = initialised();
    let out = chipwatch(&path, &["delete", "firm", "1", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Moved the firm 'Huawei' (id 1) to the Trash as entry 1."),
        "{}",
        stdout(&out)
    );
    assert_eq!(json(&chipwatch(&path, &["stats", "--json"]))["firms"], 14);
    assert!(chipwatch(&path, &["check"]).status.success());

    let listed = json(&chipwatch(&path, &["trash", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["kind"], "firm");
    assert_eq!(listed[0]["entityId"], 1);
    assert_eq!(listed[0]["title"], "Huawei");
    let text = stdout(&chipwatch(&path, &["trash", "list"]));
    assert!(
        text.contains("firm        Huawei  (3 chips go with it;"),
        "{text}"
    );

    let out = chipwatch(&path, &["trash", "restore", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Restored the firm 'Huawei' (id 1)."));
    assert_eq!(json(&chipwatch(&path, &["stats", "--json"]))["firms"], 15);
    assert_eq!(
        stdout(&chipwatch(&path, &["trash", "list"])).trim(),
        "The Trash is empty."
    );
    assert!(chipwatch(&path, &["check"]).status.success());
}

#[test]
fn a_refused_restore_exits_1_and_says_what_to_do_first() {
    let (_dir, path) = initialised();
    let assessment = chipwatch(&path, &["delete", "assessment", "1", "--yes", "--json"]);
    assert!(assessment.status.success(), "{}", stderr(&assessment));
    let assessment = json(&assessment);
    assert_eq!(assessment["title"], "Huawei × In-house chips");
    assert!(chipwatch(&path, &["delete", "firm", "1", "--yes"])
        .status
        .success());

    let trash_id = assessment["id"].to_string();
    let out = chipwatch(&path, &["trash", "restore", &trash_id]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("restore it first. Nothing was changed."),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("needs the firm 'Huawei'"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        json(&chipwatch(&path, &["trash", "list", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        2,
        "nothing left the Trash"
    );
    assert!(chipwatch(&path, &["check"]).status.success());
}

#[test]
fn trash_purge_and_empty_delete_for_good() {
    let (_dir, path) = initialised();
    let title = "笔记 \"quoted\", 🚀";
    assert!(chipwatch(&path, &["note", "add", "--title", title])
        .status
        .success());
    let notes = json(&chipwatch(&path, &["list", "notes", "--json"]));
    let note = notes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == title)
        .unwrap()["id"]
        .to_string();
    let deleted = json(&chipwatch(
        &path,
        &["delete", "note", &note, "--yes", "--json"],
    ));
    assert_eq!(deleted["title"], title);
    assert!(chipwatch(&path, &["delete", "source", "6", "--yes"])
        .status
        .success());
    assert!(stdout(&chipwatch(&path, &["trash", "list"])).contains(title));

    let purge = chipwatch(&path, &["trash", "purge", &deleted["id"].to_string()]);
    assert!(purge.status.success(), "{}", stderr(&purge));
    let out = chipwatch(&path, &["trash", "empty"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).trim(),
        "Emptied the Trash: 1 entry deleted for good."
    );
    assert_eq!(json(&chipwatch(&path, &["stats", "--json"]))["sources"], 9);
    let again = chipwatch(&path, &["trash", "restore", "1"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("no Trash entry with id 1"),
        "{}",
        stderr(&again)
    );
    let missing = chipwatch(&path, &["delete", "firm", "999", "--yes"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no firm with id 999"));
    assert!(chipwatch(&path, &["check"]).status.success());
}

#[test]
fn search_prints_hits_as_json_and_one_line_each() {
    let (_dir, path) = initialised();
    let out = chipwatch(&path, &["search", "华为", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let hits = json(&out);
    let hits = hits.as_array().unwrap();
    assert!(
        hits.iter()
            .any(|h| h["kind"] == "firm" && h["title"] == "Huawei"),
        "{hits:?}"
    );
    assert!(hits.iter().all(|h| h["kind"].is_string()
        && h["id"].is_i64()
        && h["title"].is_string()
        && h["snippet"].is_string()));

    let firms = json(&chipwatch(
        &path,
        &[
            "search", "huawei", "--kind", "firm", "--limit", "1", "--json",
        ],
    ));
    let firms = firms.as_array().unwrap();
    assert_eq!(firms.len(), 1);
    assert_eq!(firms[0]["kind"], "firm");

    let out = chipwatch(
        &path,
        &["search", "ascend", "--kind", "chip", "--kind", "firm"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.trim().is_empty());
    assert!(
        text.lines()
            .all(|l| l.starts_with("firm ") || l.starts_with("chip ")),
        "{text}"
    );
}

#[test]
fn search_takes_any_text_and_never_writes() {
    let (_dir, path) = initialised();
    let before = std::fs::read(&path).unwrap();
    for query in [
        "",
        "\"",
        "AND",
        "* OR -",
        "NEAR(huawei smic)",
        "'; DROP TABLE sources; --",
        "华为 \"Ascend\", 'quoted'; line\nbreak 🚀",
    ] {
        let out = chipwatch(&path, &["search", query, "--json"]);
        assert!(out.status.success(), "{query:?}: {}", stderr(&out));
        assert!(json(&out).is_array(), "{query:?}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let out = chipwatch(&path, &["search", "x", "--kind", "planet"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Two notes on chips, one naming Huawei; returns (with Huawei, without) ids.
fn two_chip_notes(path: &Path) -> (i64, i64) {
    let add = |title: &str| {
        let out = chipwatch(path, &["note", "add", "--title", title]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        text.split_whitespace()
            .nth(2)
            .unwrap()
            .trim_end_matches(':')
            .parse::<i64>()
            .unwrap()
    };
    (
        add("国产芯片 \"Ascend\", made by Huawei 🚀"),
        add("国产芯片, 'quoted', made by SMIC\nin Shanghai"),
    )
}

fn note_ids(hits: &serde_json::Value) -> Vec<i64> {
    hits.as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "note")
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn a_query_starting_with_a_dash_is_searched_never_taken_for_help() {
    let (_dir, path) = initialised();
    let (huawei, smic) = two_chip_notes(&path);
    for args in [
        &["search", "-huawei"][..],
        &["search", "-huawei", "--limit", "5"],
        &["search", "--json", "--", "-huawei"],
        &["search", "-huawei", "--json"],
    ] {
        let out = chipwatch(&path, args);
        assert!(
            !stdout(&out).contains("Usage:"),
            "{args:?} printed help: {}",
            stdout(&out)
        );
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("only leaves words out"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let nothing = json(&chipwatch(&path, &["search", "-huawei", "--json"]));
    assert_eq!(nothing, serde_json::json!([]));

    let both = json(&chipwatch(&path, &["search", "芯片", "--json"]));
    assert!(
        note_ids(&both).contains(&huawei) && note_ids(&both).contains(&smic),
        "{both}"
    );
    // The one quoted argument the help shows, and the same words unquoted.
    for args in [
        &["search", "芯片 -huawei", "--json"][..],
        &["search", "--json", "芯片", "-huawei"],
        &["search", "--limit", "5", "--json", "--", "芯片", "-huawei"],
    ] {
        let out = chipwatch(&path, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(note_ids(&json(&out)), [smic], "{args:?}");
    }
    let text = stdout(&chipwatch(&path, &["search", "芯片", "-huawei"]));
    assert!(text.contains("SMIC") && !text.contains("Huawei"), "{text}");

    // Options after unquoted words would be read as words: refused, with the way out.
    let out = chipwatch(&path, &["search", "芯片", "-huawei", "--limit", "5"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("--limit") && stderr(&out).contains("quote"),
        "{}",
        stderr(&out)
    );

    for help in ["--help", "-h"] {
        let out = chipwatch(&path, &["search", help]);
        assert!(out.status.success());
        assert!(
            stdout(&out).contains("Usage:") && stdout(&out).contains("-word"),
            "{}",
            stdout(&out)
        );
    }
}

#[test]
fn generate_sample_fills_a_new_workspace_and_adds_to_one_only_when_told() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.db");
    let sources = |path: &Path| {
        json(&chipwatch(path, &["stats", "--json"]))["sources"]
            .as_i64()
            .unwrap()
    };
    let out = chipwatch(
        &path,
        &["generate-sample", "--sources", "300", "--notes", "30"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("300 sources"), "{}", stdout(&out));
    let first = sources(&path);
    assert!(first >= 300);

    let refused = chipwatch(&path, &["generate-sample", "--sources", "10"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("--append"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(sources(&path), first);

    let out = chipwatch(
        &path,
        &[
            "generate-sample",
            "--sources",
            "10",
            "--notes",
            "0",
            "--append",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sources(&path), first + 10);

    let listed = json(&chipwatch(
        &path,
        &["list", "sources", "--json", "--limit", "5"],
    ));
    assert_eq!(listed.as_array().unwrap().len(), 5);
    let found = json(&chipwatch(
        &path,
        &["search", "算力", "--kind", "source", "--json"],
    ));
    assert!(!found.as_array().unwrap().is_empty());
}

#[test]
fn output_cut_short_by_a_closed_pipe_ends_quietly_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    assert!(chipwatch(
        &path,
        &["generate-sample", "--sources", "3000", "--notes", "0"]
    )
    .status
    .success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_chipwatch"))
        .args([
            "--workspace",
            path.to_str().unwrap(),
            "list",
            "sources",
            "--json",
            "--limit",
            "3000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then close the pipe, as `| head` does.
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        output.status.code(),
        Some(141),
        "the shell's status for a closed pipe"
    );
}

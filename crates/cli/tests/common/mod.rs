//! What the CLI's test files share: running the binary on a workspace, its
//! output as text or JSON, and running it as an unprivileged user.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `chipwatch` binary on `workspace`.
pub fn chipwatch(workspace: &Path, args: &[&str]) -> Output {
    run(
        Command::new(env!("CARGO_BIN_EXE_chipwatch")),
        workspace,
        args,
    )
}

/// Runs `command` (the binary, perhaps behind a wrapper) on `workspace`.
pub fn run(mut command: Command, workspace: &Path, args: &[&str]) -> Output {
    command
        .arg("--workspace")
        .arg(workspace)
        .args(args)
        .env_remove("CHIPWATCH_WORKSPACE")
        .output()
        .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// A new seeded workspace in a temporary folder.
pub fn initialised() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let out = chipwatch(&path, &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, path)
}

/// Runs the CLI as an unprivileged user, so that file permissions apply even
/// when the tests run as root (as in CI). The binary is copied to `dir` so the
/// other user can reach it.
pub fn chipwatch_unprivileged(dir: &Path, workspace: &Path, args: &[&str]) -> Output {
    let binary = dir.join("chipwatch");
    if !binary.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_chipwatch"), &binary).unwrap();
    }
    let is_root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let command = if is_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary);
        c
    } else {
        Command::new(&binary)
    };
    run(command, workspace, args)
}

/// A tiny deterministic generator (xorshift), so a failing run can be replayed.
pub fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// The CLI on `workspace` with the PostgreSQL password file `passfile` and no
/// PGPASSWORD (team workspaces never keep a password in their address).
pub fn chipwatch_with_passfile(workspace: &Path, passfile: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chipwatch"));
    command.env("PGPASSFILE", passfile).env_remove("PGPASSWORD");
    run(command, workspace, args)
}

/// `out`, after checking it succeeded (both streams shown when not).
pub fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    out
}

//! The protocol (docs/TEAM.md, "The protocol, step by step") between a local
//! replica (`chipwatch_core::replica`) and the team server ([`Server`]):
//! create, join and sync. Each step's local half runs in its own local
//! transaction, so a failure or a kill between two steps loses nothing: the
//! outbox keeps what the server has not answered, and the cursor what was
//! applied.

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use chipwatch_core::replica::{self, pull, push, SyncReport, TeamLink, KIND_ORDER};
use chipwatch_core::store::Store;
use uuid::Uuid;

use crate::error::{Result, SyncError};
use crate::server::{Server, MAX_BATCH};
use crate::{Change, PushResult, ServerChange};

/// Changes asked for per pull, records per page of a join.
const PAGE: i32 = 5_000;

/// Publishes the workspace in `store` as a new team workspace called `name`
/// (its creator its admin) and pushes every record.
pub fn create(store: &mut Store, server: &mut Server, url: &str, name: &str) -> Result<SyncReport> {
    if let Some(link) = store.read(replica::link)? {
        return Err(local_error(format!(
            "this workspace is already a replica of the team workspace '{}'",
            link.name
        )));
    }
    let workspace = server.create_workspace(name)?;
    let link = TeamLink {
        server: url.to_string(),
        name: name.to_string(),
        workspace,
        login: server.user().to_string(),
    };
    replica::attach(store, &link, true, 0)?;
    sync(store, server)
}

/// Makes a new local replica at `path` of the team workspace called `name`:
/// copies its records, then pulls what changed meanwhile. The replica is
/// built in a file beside `path` and renamed into place when complete, so a
/// join cut off halfway leaves nothing that looks like a replica.
pub fn join(
    path: &Path,
    server: &mut Server,
    url: &str,
    name: &str,
) -> Result<(Store, SyncReport)> {
    let workspace = server
        .workspace_named(name)?
        .ok_or_else(|| SyncError::NotMember {
            message: format!(
                "{} is not a member of a team workspace called '{name}' on this server",
                server.user()
            ),
            hint: "Check the name, or ask its admin to run `chipwatch team grant`.".into(),
        })?;
    if path.exists() {
        return Err(local_error(format!(
            "{} exists already: join into a new file",
            path.display()
        )));
    }
    let building = building_path(path);
    remove_workspace_files(&building);
    let built = build_replica(&building, server, url, name, workspace);
    let report = match built {
        Ok(report) => report,
        Err(error) => {
            remove_workspace_files(&building);
            return Err(error);
        }
    };
    std::fs::rename(&building, path).map_err(|e| {
        local_error(format!(
            "could not move the new replica to {}: {e}",
            path.display()
        ))
    })?;
    Ok((Store::open(path)?, report))
}

fn build_replica(
    building: &Path,
    server: &mut Server,
    url: &str,
    name: &str,
    workspace: Uuid,
) -> Result<SyncReport> {
    let (mut store, _) = Store::open_or_create(building, |_| Ok(()))?;
    let cursor = server.join_cursor(workspace)?;
    let link = TeamLink {
        server: url.to_string(),
        name: name.to_string(),
        workspace,
        login: server.user().to_string(),
    };
    replica::attach(&mut store, &link, false, cursor)?;
    copy_records(&mut store, server, workspace)?;
    let report = sync(&mut store, server)?;
    // Closed here, so that its journal is folded in before the rename.
    drop(store);
    Ok(report)
}

/// `.NAME.joining` beside `path`.
fn building_path(path: &Path) -> PathBuf {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{file}.joining"))
}

fn remove_workspace_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn local_error(message: String) -> SyncError {
    SyncError::Local(chipwatch_core::error::Error::invalid("workspace", message))
}

/// Copies the current records, kind by kind in reference order, a page per
/// local transaction; then writes again those that named a parent firm or
/// foundry copied after them.
fn copy_records(store: &mut Store, server: &mut Server, workspace: Uuid) -> Result<()> {
    let mut unresolved = Vec::new();
    for kind in KIND_ORDER {
        let mut after = None;
        loop {
            let page = server.records_page(workspace, kind.as_str(), after, i64::from(PAGE))?;
            let Some(last) = page.last() else { break };
            after = Some(last.uid);
            unresolved.extend(pull::apply_records(store, &page, None)?);
        }
    }
    if !unresolved.is_empty() {
        pull::apply_records(store, &unresolved, None)?;
    }
    Ok(())
}

/// How the app logs in for a person: a password typed now (None: PGPASSWORD
/// or the password file has it) and whether to keep it in the password file
/// once the server took it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Login<'a> {
    pub password: Option<&'a str>,
    pub keep: bool,
}

impl Login<'_> {
    /// Keeps the password for `url` when asked to, now that it worked; `done`
    /// says what succeeded, for the message when the file cannot be written.
    fn keep_for(&self, url: &str, done: &str) -> Result<()> {
        let (true, Some(password)) = (self.keep, self.password) else {
            return Ok(());
        };
        crate::passfile::remember(url, password)
            .map(drop)
            .map_err(|e| local_error(format!("{done}, but the password could not be kept: {e}")))
    }
}

/// [`sync`] on the workspace file at `path`, with a connection of its own (the
/// app's writer stays free for the person while the network is slow).
pub fn sync_file(path: &Path, login: Login<'_>) -> Result<SyncReport> {
    let mut store = Store::open(path)?;
    let link = replica::require_link_of(&store)?;
    let mut server = Server::connect_with(&link.server, login.password)?;
    let report = sync(&mut store, &mut server)?;
    login.keep_for(&link.server, "Synced")?;
    Ok(report)
}

/// [`create`] on the workspace file at `path`.
pub fn create_file(path: &Path, url: &str, name: &str, login: Login<'_>) -> Result<SyncReport> {
    let mut store = Store::open(path)?;
    let mut server = Server::connect_with(url, login.password)?;
    let report = create(&mut store, &mut server, url, name)?;
    login.keep_for(url, "Shared")?;
    Ok(report)
}

/// [`join`] into a new file at `path`, closed again for the caller to open.
pub fn join_file(path: &Path, url: &str, name: &str, login: Login<'_>) -> Result<SyncReport> {
    let mut server = Server::connect_with(url, login.password)?;
    let (store, report) = join(path, &mut server, url, name)?;
    drop(store);
    login.keep_for(url, "Joined")?;
    Ok(report)
}

/// Push, then pull, then report. Stops at the first failure (unreachable,
/// refused, killed): what was done stays done, the rest is retried next time.
pub fn sync(store: &mut Store, server: &mut Server) -> Result<SyncReport> {
    let link = replica::require_link_of(store)?;
    let mut report = SyncReport::default();
    // The seqs of the changes pushed here: the pull gets them without fields.
    let mut pushed = Vec::new();
    let outcome = match push_all(store, server, &link, &mut report, &mut pushed) {
        // Then the merged values the pull made go out.
        Ok(()) => pull_all(store, server, &link, &mut report, &seq_ranges(pushed))
            .and_then(|()| push_all(store, server, &link, &mut report, &mut Vec::new())),
        // A reader's edits stay here, and the team's changes still come in.
        Err(read_only @ SyncError::ReadOnly { .. }) => {
            pull_all(store, server, &link, &mut report, &[]).and(Err(read_only))
        }
        Err(other) => Err(other),
    };
    let summary = match &outcome {
        Ok(()) => report.summary(),
        Err(error) => format!("failed: {error}"),
    };
    replica::record_outcome(store, &summary)?;
    outcome.map(|()| report)
}

/// Pushes the outbox. The server works on one batch while the next is
/// frozen here and the last one's answers are applied: one connection, kept
/// busy by a thread that only talks to the server.
fn push_all(
    store: &mut Store,
    server: &mut Server,
    link: &TeamLink,
    report: &mut SyncReport,
    logged: &mut Vec<i64>,
) -> Result<()> {
    let resend = push::unanswered(store)?;
    let workspace = link.workspace;
    std::thread::scope(|scope| {
        let (to_server, batches) = mpsc::sync_channel::<Vec<Change>>(1);
        let (answer, answers) = mpsc::channel::<Result<Vec<PushResult>>>();
        scope.spawn(move || {
            for batch in batches {
                let result = server.push(workspace, &batch);
                let failed = result.is_err();
                if answer.send(result).is_err() || failed {
                    break;
                }
            }
        });
        let mut queued: std::collections::VecDeque<Vec<Change>> =
            resend.chunks(MAX_BATCH).map(<[Change]>::to_vec).collect();
        let (mut in_flight, mut rounds) = (0, 0);
        loop {
            // Keep two batches with the server: it never waits for this side.
            while in_flight < 2 {
                let batch = match queued.pop_front() {
                    Some(batch) => batch,
                    None => push::outgoing(store, MAX_BATCH)?,
                };
                if batch.is_empty() {
                    break;
                }
                if to_server.send(batch).is_err() {
                    break; // the thread stopped: its error is waiting below
                }
                in_flight += 1;
            }
            if in_flight == 0 {
                return Ok(());
            }
            let results = answers
                .recv()
                .map_err(|_| SyncError::Protocol("the push thread stopped".into()))??;
            in_flight -= 1;
            // Merged values the answers make are new changes, sent next round.
            let accepted = push::accept(store, &results)?;
            report.add_push(&accepted);
            logged.extend(accepted.logged);
            rounds += 1;
            if rounds > 100_000 {
                return Err(SyncError::Protocol(
                    "the outbox did not empty after 100,000 rounds".into(),
                ));
            }
        }
    })
}

/// Pulls until the log is read, a page ahead: a thread fetches the next page
/// while this one applies the last. Records this replica lacks whole are
/// fetched at the end.
fn pull_all(
    store: &mut Store,
    server: &mut Server,
    link: &TeamLink,
    report: &mut SyncReport,
    known: &[RangeInclusive<i64>],
) -> Result<()> {
    let workspace = link.workspace;
    let cursor = store.read(replica::cursor_of)?;
    let mut missing: Vec<(String, String)> = Vec::new();
    let fetching: &mut Server = &mut *server;
    std::thread::scope(|scope| -> Result<()> {
        let (page_tx, pages) = mpsc::sync_channel::<Result<Vec<ServerChange>>>(1);
        let fetcher = scope.spawn(move || {
            let mut after = cursor;
            loop {
                // Only the ranges still ahead go with each page's call.
                let ahead = &known[known.partition_point(|r| *r.end() <= after)..];
                let page = fetching.pull_knowing(workspace, after, PAGE, ahead);
                let last = page.as_ref().ok().and_then(|p| p.last().map(|c| c.seq));
                let done = last.is_none();
                if page_tx.send(page).is_err() || done {
                    return;
                }
                after = last.unwrap_or(after);
            }
        });
        for page in pages {
            let page = page?;
            if page.is_empty() {
                break;
            }
            let pulled = pull::apply(store, &page)?;
            missing.extend(pulled.missing.iter().cloned());
            report.add_pull(&pulled);
        }
        fetcher
            .join()
            .map_err(|_| SyncError::Protocol("the pull thread stopped".into()))
    })?;
    if !missing.is_empty() {
        let uids: Vec<Uuid> = missing
            .iter()
            .filter_map(|(_, uid)| Uuid::parse_str(uid).ok())
            .collect();
        for chunk in uids.chunks(PAGE as usize) {
            let mut records = server.records(workspace, chunk)?;
            records.sort_by_key(|r| KIND_ORDER.iter().position(|k| k.as_str() == r.kind));
            pull::apply_records(store, &records, None)?;
        }
    }
    Ok(())
}

/// `seqs` as the fewest ranges: runs of consecutive seqs (a batch's changes
/// are logged one after another), ascending.
fn seq_ranges(mut seqs: Vec<i64>) -> Vec<RangeInclusive<i64>> {
    seqs.sort_unstable();
    seqs.dedup();
    let mut ranges: Vec<RangeInclusive<i64>> = Vec::new();
    for seq in seqs {
        match ranges.last_mut() {
            Some(last) if *last.end() + 1 == seq => *last = *last.start()..=seq,
            _ => ranges.push(seq..=seq),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushed_seqs_become_the_fewest_ascending_ranges() {
        assert_eq!(seq_ranges(vec![]), Vec::<RangeInclusive<i64>>::new());
        assert_eq!(
            seq_ranges(vec![7, 3, 4, 5, 9, 8, 12, 4]),
            vec![3..=5, 7..=9, 12..=12]
        );
    }
}

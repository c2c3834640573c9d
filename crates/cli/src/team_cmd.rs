//! Team workspaces (docs/TEAM.md): `team create|join|status|members|grant|revoke|upgrade`,
//! `sync`, `conflicts`, `history`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::records::history::{self, HistoryEntry};
use chipwatch_core::records::RecordKind;
use chipwatch_core::replica::{self, conflicts, without_password, SyncReport};
use chipwatch_core::{Error, Store};
use chipwatch_sync::{team, Role, Server};
use uuid::Uuid;

use crate::{print_json, ConflictAction, KeepArg, TeamAction};

pub(crate) fn team_command(path: &Path, action: TeamAction) -> Result<ExitCode, Error> {
    match action {
        TeamAction::Create { server, name } => {
            let mut store = Store::open(path)?;
            let mut connection = Server::connect(&server)?;
            let report = team::create(&mut store, &mut connection, &server, &name)?;
            println_escaped!(
                "Published {} as the team workspace '{name}': {} records pushed.",
                path.display(),
                report.pushed
            );
            println_escaped!(
                "Teammates join with: chipwatch team join --server '{}' --name '{name}' --workspace NEW.db",
                without_password(&server)
            );
            println_escaped!("(An admin adds them first: chipwatch team grant LOGIN editor.)");
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Join { server, name } => {
            let mut connection = Server::connect(&server)?;
            let (store, report) = team::join(path, &mut connection, &server, &name)?;
            let records = replica::canonical_export(&store)?.lines().count();
            println_escaped!(
                "Joined the team workspace '{name}' as {}: {records} records in {} ({} changes pulled).",
                connection.user(),
                path.display(),
                report.pulled
            );
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Status { json } => {
            let store = Store::open_read_only(path)?;
            let Some(status) = replica::status(&store)? else {
                return Err(store.read(replica::require_link).err().unwrap_or_else(|| {
                    Error::invalid("workspace", "this is not a team workspace")
                }));
            };
            if json {
                return print_json(&status);
            }
            println_escaped!(
                "Team workspace '{}' on {} as {}",
                status.link.name,
                status.link.server,
                status.link.login
            );
            println_escaped!("Waiting to be pushed: {}", status.waiting);
            println_escaped!("Conflicts to settle: {}", status.conflicts);
            match (&status.last_sync, &status.last_outcome) {
                (Some(at), Some(outcome)) => println_escaped!("Last sync: {at} ({outcome})"),
                _ => println_escaped!("Last sync: never"),
            }
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Members { json } => {
            let (_, mut server, workspace) = connect(path)?;
            let members = server.members(workspace)?;
            if json {
                let rows: Vec<serde_json::Value> = members
                    .iter()
                    .map(|m| serde_json::json!({"login": m.name, "role": m.role.as_str()}))
                    .collect();
                return print_json(&rows);
            }
            for member in &members {
                println_escaped!("{:<24} {}", member.name, member.role.as_str());
            }
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Grant { login, role } => {
            let (_, mut server, workspace) = connect(path)?;
            let role = Role::parse(&role).ok_or_else(|| {
                Error::invalid(
                    "role",
                    format!("'{role}' is not a role: reader, editor or admin"),
                )
            })?;
            server.grant(workspace, &login, role)?;
            println_escaped!("{login} is now {} of this team workspace.", role.as_str());
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Revoke { login } => {
            let (_, mut server, workspace) = connect(path)?;
            server.revoke(workspace, &login)?;
            println_escaped!("{login} is no longer a member of this team workspace.");
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Upgrade { server } => {
            let mut connection = Server::connect(&server)?;
            let done = connection.install_or_upgrade().map_err(Error::from)?;
            if done.from == done.to {
                println_escaped!("The team schema is up to date (version {}).", done.to);
            } else {
                println_escaped!(
                    "Upgraded the team schema from version {} to {}.",
                    done.from,
                    done.to
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The workspace, a connection to its team server (the address it keeps,
/// the password from PGPASSWORD or the password file) and the workspace id.
fn connect(path: &Path) -> Result<(Store, Server, Uuid), Error> {
    let store = Store::open(path)?;
    let link = replica::require_link_of(&store)?;
    let server = Server::connect(&link.server)?;
    Ok((store, server, link.workspace))
}

pub(crate) fn sync(path: &Path, json: bool) -> Result<ExitCode, Error> {
    let (mut store, mut server, _) = connect(path)?;
    let report = team::sync(&mut store, &mut server)?;
    if json {
        return print_json(&report);
    }
    print_report(&report);
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &SyncReport) {
    println_escaped!(
        "Pushed {}, pulled {}, merged {}, conflicts {}.",
        report.pushed,
        report.pulled,
        report.merged,
        report.conflicts
    );
    if report.notices > 0 {
        println_escaped!("{} notice(s): see `chipwatch conflicts`.", report.notices);
    }
    if report.conflicts > 0 {
        println_escaped!(
            "Settle conflicts with `chipwatch conflicts resolve ID --keep mine|theirs`."
        );
    }
    for problem in &report.problems {
        println_escaped!("Not applied: {problem}");
    }
}

pub(crate) fn conflicts_command(
    path: &Path,
    json: bool,
    action: Option<ConflictAction>,
) -> Result<ExitCode, Error> {
    match action {
        None => {
            let list = conflicts::list(&Store::open_read_only(path)?)?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println_escaped!("No conflicts.");
            }
            for c in &list {
                let state = match c.resolution.as_deref() {
                    None => "open".to_string(),
                    Some("notice") => "notice".to_string(),
                    Some(kept) => format!("kept {kept}"),
                };
                println_escaped!(
                    "{:>5}  {:<8}  {} '{}', {}",
                    c.id,
                    state,
                    c.kind.noun(),
                    c.record,
                    c.field
                );
                if c.resolution.as_deref() == Some("notice") {
                    println_escaped!("       {}", c.theirs);
                } else {
                    println_escaped!("       mine:   {}", c.mine);
                    println_escaped!(
                        "       theirs: {}{}",
                        c.theirs,
                        c.theirs_by
                            .as_deref()
                            .map(|by| format!("  ({by})"))
                            .unwrap_or_default()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(ConflictAction::Resolve { id, keep, merged }) => {
            let mut store = Store::open(path)?;
            match (keep, merged) {
                (_, Some(typed)) => conflicts::resolve_typed(&mut store, id, &typed)?,
                (Some(KeepArg::Mine), None) => {
                    conflicts::resolve(&mut store, id, conflicts::Keep::Mine)?
                }
                (_, None) => conflicts::resolve(&mut store, id, conflicts::Keep::Theirs)?,
            }
            println_escaped!("Conflict {id} settled; `chipwatch sync` sends your choice.");
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub(crate) fn history_command(
    path: &Path,
    kind: RecordKind,
    name_or_id: &str,
    json: bool,
) -> Result<ExitCode, Error> {
    // Opened for writing when it can be: changes another program made since
    // the last write are sealed into the history on opening.
    let store = Store::open(path).or_else(|_| Store::open_read_only(path))?;
    let id = history::resolve(&store, kind, name_or_id)?;
    let entries = match store.read(replica::link)? {
        None => history::history(&store, kind, id)?,
        Some(link) => {
            let uid = history::uid_of(&store, kind, id)?;
            let from_server = Uuid::parse_str(&uid)
                .map_err(|_| Error::invalid("uid", uid.clone()))
                .and_then(|uid| {
                    let mut server = Server::connect(&link.server)?;
                    Ok(server.record_history(link.workspace, kind.as_str(), uid)?)
                });
            match from_server {
                Ok(changes) => history::from_server(&store, &uid, &changes)?,
                Err(error) => {
                    eprintln_escaped!("chipwatch: showing this replica's own log: {error}");
                    history::history(&store, kind, id)?
                }
            }
        }
    };
    if json {
        return print_json(&entries);
    }
    print_history(&entries);
    Ok(ExitCode::SUCCESS)
}

fn print_history(entries: &[HistoryEntry]) {
    if entries.is_empty() {
        println_escaped!("No history recorded.");
    }
    for entry in entries {
        let waiting = if entry.on_server {
            ""
        } else {
            "  (not pushed yet)"
        };
        println_escaped!("{}  {:<8}  {}{waiting}", entry.at, entry.op, entry.author);
        for field in &entry.fields {
            println_escaped!(
                "    {}: {} → {}",
                field.field,
                blank(&field.old),
                blank(&field.new)
            );
        }
    }
}

/// An empty value in the app's word for it (vocabulary.rs).
fn blank(value: &str) -> &str {
    if value.is_empty() {
        chipwatch_core::vocabulary::NOT_RECORDED
    } else {
        value
    }
}

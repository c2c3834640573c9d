//! The local side of a team workspace (docs/TEAM.md): this workspace as a
//! replica of one kept on a PostgreSQL server. Everything here is local and
//! works on `Store`s; talking to the server is `chipwatch-sync`'s, which calls
//! these in the order of the protocol: [`push::outgoing`] → server push →
//! [`push::accept`], then server pull → [`pull::apply`].
//!
//! Files: `wire` (what crosses the wire), `push`, `pull`, `apply` (fields into
//! tables), `merge` (one field changed on both sides), `conflicts`.

mod apply;
pub mod conflicts;
mod merge;
pub mod pull;
pub mod push;
pub mod wire;

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::records::{meta, set_meta, RecordKind};
use crate::store::Store;
use crate::text::now_utc;

/// Kinds in an order where every reference points to a kind before it (but
/// a firm's parent, another firm): how records are published and copied.
pub const KIND_ORDER: [RecordKind; 8] = [
    RecordKind::Strategy,
    RecordKind::Firm,
    RecordKind::Source,
    RecordKind::Chip,
    RecordKind::Assessment,
    RecordKind::Event,
    RecordKind::Note,
    RecordKind::Comparison,
];

/// What links this workspace to its team workspace.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamLink {
    /// The PostgreSQL connection string, never with a password.
    pub server: String,
    pub name: String,
    #[ts(type = "string")]
    pub workspace: Uuid,
    /// The login this replica syncs as.
    pub login: String,
}

/// The sidebar's sync status.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamStatus {
    pub link: TeamLink,
    /// Local changes the server has not accepted yet.
    pub waiting: i64,
    /// Fields waiting for a person's choice.
    pub conflicts: i64,
    /// The last server change applied here.
    pub cursor: i64,
    /// When the last sync finished (UTC), and what it said.
    pub last_sync: Option<String>,
    pub last_outcome: Option<String>,
}

/// What one sync did, as `chipwatch sync` and the app report it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// This replica's changes the server accepted.
    pub pushed: usize,
    /// Others' changes applied here.
    pub pulled: usize,
    /// Fields changed on both sides that merged by themselves.
    pub merged: usize,
    /// Fields that wait for a person's choice (`chipwatch conflicts`).
    pub conflicts: usize,
    /// Things to know that need no choice (an edit kept a deleted record).
    pub notices: usize,
    /// Changes from the server that could not be applied here, with why.
    pub problems: Vec<String>,
}

impl SyncReport {
    pub fn add_push(&mut self, push: &push::PushReport) {
        self.pushed += push.pushed;
        self.merged += push.merged;
        self.conflicts += push.conflicts;
        self.notices += push.notices;
    }

    pub fn add_pull(&mut self, pull: &pull::PullReport) {
        self.pulled += pull.pulled;
        self.merged += pull.merged;
        self.conflicts += pull.conflicts;
        self.notices += pull.notices;
        self.problems.extend(pull.problems.iter().cloned());
    }

    /// One line, as the status keeps it.
    pub fn summary(&self) -> String {
        format!(
            "pushed {}, pulled {}, merged {}, conflicts {}",
            self.pushed, self.pulled, self.merged, self.conflicts
        )
    }
}

/// The team workspace this replica belongs to, if any.
pub fn link(conn: &Connection) -> Result<Option<TeamLink>> {
    let Some(workspace) = meta(conn, "team.workspace")? else {
        return Ok(None);
    };
    let workspace = Uuid::parse_str(&workspace)
        .map_err(|_| Error::invalid("team workspace", format!("unreadable id {workspace}")))?;
    Ok(Some(TeamLink {
        server: meta(conn, "team.server")?.unwrap_or_default(),
        name: meta(conn, "team.name")?.unwrap_or_default(),
        workspace,
        login: meta(conn, "team.login")?.unwrap_or_default(),
    }))
}

/// The link, or the error a command that needs a team workspace gives.
pub fn require_link(conn: &Connection) -> Result<TeamLink> {
    link(conn)?.ok_or_else(|| {
        Error::invalid(
            "workspace",
            "this is not a team workspace: share it with `chipwatch team create` or join one with `chipwatch team join`",
        )
    })
}

pub fn status(store: &Store) -> Result<Option<TeamStatus>> {
    store.read(|conn| {
        let Some(link) = link(conn)? else {
            return Ok(None);
        };
        let count = |sql: &str| -> Result<i64> {
            Ok(conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?)
        };
        Ok(Some(TeamStatus {
            link,
            waiting: count("SELECT count(*) FROM sync_outbox")?,
            conflicts: count("SELECT count(*) FROM sync_conflicts WHERE resolution IS NULL")?,
            cursor: cursor(conn)?,
            last_sync: meta(conn, "team.last_sync")?,
            last_outcome: meta(conn, "team.last_outcome")?,
        }))
    })
}

/// [`require_link`] on a store, for callers outside the core.
pub fn require_link_of(store: &Store) -> Result<TeamLink> {
    store.read(require_link)
}

/// The last server change applied here.
pub fn cursor_of(conn: &Connection) -> Result<i64> {
    cursor(conn)
}

pub(crate) fn cursor(conn: &Connection) -> Result<i64> {
    Ok(meta(conn, "team.cursor")?
        .and_then(|c| c.parse().ok())
        .unwrap_or(0))
}

/// A connection string as it may be kept and shown: without a password.
pub fn without_password(url: &str) -> String {
    // URL form: postgresql://user:secret@host/db
    if let Some(rest) = url
        .strip_prefix("postgresql://")
        .or_else(|| url.strip_prefix("postgres://"))
    {
        let scheme = &url[..url.len() - rest.len()];
        if let Some((userinfo, host)) = rest.rsplit_once('@') {
            let user = userinfo.split(':').next().unwrap_or_default();
            return format!("{scheme}{user}@{host}");
        }
        return url.to_string();
    }
    // Key-value form: host=... password=secret ...
    url.split_whitespace()
        .filter(|part| !part.to_ascii_lowercase().starts_with("password="))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Makes this workspace a replica of team workspace `link`, with every
/// record it holds waiting to be pushed (`team create`), or none (`team join`:
/// the records come from the server).
pub fn attach(store: &mut Store, link: &TeamLink, publish_all: bool, cursor: i64) -> Result<()> {
    store.write(|tx| {
        if let Some(existing) = crate::replica::link(tx)? {
            return Err(Error::invalid(
                "workspace",
                format!(
                    "this workspace is already a replica of the team workspace '{}'",
                    existing.name
                ),
            ));
        }
        set_meta(tx, "team.server", &without_password(&link.server))?;
        set_meta(tx, "team.name", &link.name)?;
        set_meta(tx, "team.workspace", &link.workspace.to_string())?;
        set_meta(tx, "team.login", &link.login)?;
        set_meta(tx, "team.cursor", &cursor.to_string())?;
        if publish_all {
            publish_everything(tx)?;
        }
        Ok(())
    })
}

/// Puts every record in the outbox as a whole, referenced kinds first (a
/// replica applies changes in the server's order), parent firms before their
/// subsidiaries. Each record's latest history row takes the change's id, as a
/// sealed edit's row does: until the push is answered that state is "not
/// pushed yet", and when the pull brings the change back it is known as this
/// replica's own (not news, not a second history entry).
fn publish_everything(tx: &Connection) -> Result<()> {
    let now = now_utc();
    let mut insert = tx.prepare(
        "INSERT INTO sync_outbox (change_id, kind, uid, made_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut tag = tx.prepare(
        "UPDATE history SET change_id = ?1
         WHERE id = (SELECT max(id) FROM history WHERE uid = ?2) AND change_id IS NULL",
    )?;
    for kind in KIND_ORDER {
        let order = if kind == RecordKind::Firm {
            "parent_firm_id IS NOT NULL, id"
        } else {
            "id"
        };
        let mut select = tx.prepare(&format!(
            "SELECT uid FROM {} ORDER BY {order}",
            kind.table()
        ))?;
        let uids = select.query_map([], |r| r.get::<_, String>(0))?;
        for uid in uids {
            let uid = uid?;
            let change_id = crate::records::outbox::new_change_id();
            insert.execute(rusqlite::params![change_id, kind.as_str(), uid, now])?;
            tag.execute(rusqlite::params![change_id, uid])?;
        }
    }
    Ok(())
}

/// Every record as its fields, one line per record, kinds in [`KIND_ORDER`]
/// and records by uid: two replicas that agree give the same text, byte for
/// byte (local ids, revisions and timestamps are left out).
pub fn canonical_export(store: &Store) -> Result<String> {
    store.read(|conn| {
        let mut out = String::new();
        for kind in KIND_ORDER {
            let mut stmt = conn.prepare(&format!(
                "SELECT uid, fields FROM {} ORDER BY uid",
                kind.view()
            ))?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (uid, fields) = row?;
                out.push_str(&format!("{} {uid} {fields}\n", kind.as_str()));
            }
        }
        Ok(out)
    })
}

/// Records how the last sync ended, for the status.
pub fn record_outcome(store: &mut Store, outcome: &str) -> Result<()> {
    store.write(|tx| {
        set_meta(tx, "team.last_sync", &now_utc())?;
        set_meta(tx, "team.last_outcome", outcome)
    })
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn a_kept_connection_string_holds_no_password() {
        assert_eq!(
            without_password(
                "postgresql://alice:s3cr@t@db.example.org:5432/chips?sslmode=verify-full"
            ),
            "postgresql://alice@db.example.org:5432/chips?sslmode=verify-full"
        );
        assert_eq!(
            without_password("host=db user=alice password=secret dbname=chips"),
            "host=db user=alice dbname=chips"
        );
    }
}

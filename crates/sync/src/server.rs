//! A blocking client of a Chipwatch team server (PostgreSQL).

use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;
use postgres::types::Json;
use postgres::{Client, Config, NoTls};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{Result, SyncError};
use crate::migrations::{MIGRATIONS, SERVER_SCHEMA_VERSION};
use crate::tls;
use crate::{Change, Member, PushResult, Role, ServerChange, ServerRecord};

/// The most changes one push sends (one server transaction).
pub const MAX_BATCH: usize = 500;
/// The most changes one pull returns.
pub const MAX_PULL: i32 = 10_000;

/// Held by `install_or_upgrade` so two installs run one after the other ("chipwatc").
const INSTALL_LOCK: i64 = 0x6368_6970_7761_7463;
/// Pushes retried when the server reports a deadlock or serialization failure.
const PUSH_ATTEMPTS: usize = 3;

/// What `install_or_upgrade` did: the schema version before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upgrade {
    pub from: i32,
    pub to: i32,
}

/// One connection to a team server, logged in as one person.
pub struct Server {
    client: Client,
    /// host:port/database, for messages (never the password).
    at: String,
    user: String,
    schema_version: i32,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("at", &self.at)
            .field("user", &self.user)
            .field("schema_version", &self.schema_version)
            .finish()
    }
}

impl Server {
    /// Connects with a libpq-style URL or key=value string
    /// (`postgresql://analyst@db.example.org/chipwatch`). Without a password in it,
    /// `PGPASSWORD` is used when set, else PostgreSQL's password file
    /// (`PGPASSFILE`, default `~/.pgpass`). Reads the server's schema version; a newer or
    /// missing schema is reported by the calls that need it, so an administrator can
    /// still connect to install or upgrade it.
    pub fn connect(url: &str) -> Result<Server> {
        Server::connect_with(url, None)
    }

    /// [`connect`](Server::connect) with a password typed by the person (the
    /// app's Share and Join dialogs), which wins over the other sources.
    pub fn connect_with(url: &str, password: Option<&str>) -> Result<Server> {
        let (rest, tls_options) = tls::split_options(url);
        let mut config =
            Config::from_str(&rest).map_err(|e| SyncError::BadAddress(e.to_string()))?;
        if let Some(password) = password.filter(|p| !p.is_empty()) {
            config.password(password);
        }
        if config.get_user().is_none() {
            if let Ok(user) = std::env::var("PGUSER").or_else(|_| std::env::var("USER")) {
                config.user(&user);
            }
        }
        // As libpq: the address, else PGPASSWORD, else the password file.
        if config.get_password().is_none() {
            if let Some(password) = std::env::var("PGPASSWORD")
                .ok()
                .or_else(|| crate::passfile::lookup(&config))
            {
                config.password(password);
            }
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("chipwatch");
        }
        let at = describe(&config);
        let user = config.get_user().unwrap_or_default().to_string();
        let (mode, tls) = tls::connector(&tls_options, on_this_machine(&config))?;
        config.ssl_mode(mode);
        let client = match tls {
            Some(tls) => config.connect(tls),
            None => config.connect(NoTls),
        }
        .map_err(|e| SyncError::from_connect(e, &at, &user))?;
        let mut server = Server {
            client,
            at,
            user,
            schema_version: 0,
        };
        server.schema_version = server.read_schema_version()?;
        Ok(server)
    }

    /// The server schema version found at connect (0: not installed).
    pub fn schema_version(&self) -> i32 {
        self.schema_version
    }

    /// The login this connection uses.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Installs the server schema, or upgrades an older one, in one transaction
    /// (needs a superuser). Refuses a schema newer than this build knows, changing nothing.
    pub fn install_or_upgrade(&mut self) -> Result<Upgrade> {
        let mut tx = self.client.transaction().map_err(SyncError::from_call)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INSTALL_LOCK])
            .map_err(SyncError::from_call)?;
        // Read again under the lock: another install may just have finished.
        let from = schema_version_in(&mut tx, &self.user)?;
        if from > SERVER_SCHEMA_VERSION {
            return Err(SyncError::SchemaNewer {
                server: from,
                known: SERVER_SCHEMA_VERSION,
            });
        }
        if from < SERVER_SCHEMA_VERSION {
            let superuser: bool = tx
                .query_one(
                    "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
                    &[],
                )
                .and_then(|row| row.try_get(0))
                .map_err(SyncError::from_call)?;
            if !superuser {
                return Err(SyncError::NeedsSuperuser {
                    user: self.user.clone(),
                });
            }
            for migration in MIGRATIONS.iter().filter(|m| m.version > from) {
                tx.batch_execute(migration.sql)
                    .map_err(SyncError::from_call)?;
                tx.execute(
                    "INSERT INTO chipwatch.server_meta (id, version) VALUES (1, $1) \
                     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version",
                    &[&migration.version],
                )
                .map_err(SyncError::from_call)?;
            }
        }
        tx.commit().map_err(SyncError::from_call)?;
        self.schema_version = SERVER_SCHEMA_VERSION;
        Ok(Upgrade {
            from,
            to: SERVER_SCHEMA_VERSION,
        })
    }

    /// Creates a workspace; this login becomes its admin.
    pub fn create_workspace(&mut self, name: &str) -> Result<Uuid> {
        self.ready()?;
        self.client
            .query_one("SELECT chipwatch.create_workspace($1)", &[&name])
            .and_then(|row| row.try_get(0))
            .map_err(SyncError::from_call)
    }

    /// Adds `member` (a login granted chipwatch_user) to a workspace, or changes their role.
    pub fn grant(&mut self, workspace: Uuid, member: &str, role: Role) -> Result<()> {
        self.ready()?;
        self.client
            .execute(
                "SELECT chipwatch.grant_role($1, $2, $3)",
                &[&workspace, &member, &role.as_str()],
            )
            .map(drop)
            .map_err(SyncError::from_call)
    }

    /// Removes `member` from a workspace (never its last admin).
    pub fn revoke(&mut self, workspace: Uuid, member: &str) -> Result<()> {
        self.ready()?;
        self.client
            .execute(
                "SELECT chipwatch.revoke_role($1, $2)",
                &[&workspace, &member],
            )
            .map(drop)
            .map_err(SyncError::from_call)
    }

    /// The members of a workspace, by name.
    pub fn members(&mut self, workspace: Uuid) -> Result<Vec<Member>> {
        self.ready()?;
        let rows = self
            .client
            .query(
                "SELECT member, role FROM chipwatch.list_members($1)",
                &[&workspace],
            )
            .map_err(SyncError::from_call)?;
        rows.iter()
            .map(|row| {
                let name: String = row.try_get(0).map_err(SyncError::from_call)?;
                let role: String = row.try_get(1).map_err(SyncError::from_call)?;
                let role = Role::parse(&role)
                    .ok_or_else(|| SyncError::Protocol(format!("unknown role {role:?}")))?;
                Ok(Member { name, role })
            })
            .collect()
    }

    /// Sends at most `MAX_BATCH` changes as one server transaction and returns one result
    /// per change, in order. A change the server already has (a retry after a lost answer)
    /// comes back `Duplicate` with its first result, so sending a batch again is safe.
    pub fn push(&mut self, workspace: Uuid, changes: &[Change]) -> Result<Vec<PushResult>> {
        self.ready()?;
        if changes.len() > MAX_BATCH {
            return Err(SyncError::BatchTooLarge {
                count: changes.len(),
                max: MAX_BATCH,
            });
        }
        let mut attempt = 1;
        let results = loop {
            let answer = self
                .client
                .query_one(
                    "SELECT chipwatch.push($1, $2)",
                    &[&workspace, &Json(changes)],
                )
                .and_then(|row| row.try_get::<_, Json<Vec<PushResult>>>(0))
                .map_err(SyncError::from_call);
            match answer {
                Err(SyncError::Busy { .. }) if attempt < PUSH_ATTEMPTS => attempt += 1,
                other => break other?.0,
            }
        };
        if results.len() != changes.len()
            || results
                .iter()
                .zip(changes)
                .any(|(r, c)| r.change_id != c.change_id)
        {
            return Err(SyncError::Protocol(format!(
                "{} results for {} changes, or not in their order",
                results.len(),
                changes.len()
            )));
        }
        Ok(results)
    }

    /// The changes after `after` (a `seq`; 0 for the beginning), oldest first, at most `max`.
    pub fn pull(&mut self, workspace: Uuid, after: i64, max: i32) -> Result<Vec<ServerChange>> {
        self.pull_knowing(workspace, after, max, &[])
    }

    /// [`pull`](Server::pull), but the changes whose seq is in `known` (this
    /// replica pushed them) come without their fields: `ServerChange::known`.
    pub fn pull_knowing(
        &mut self,
        workspace: Uuid,
        after: i64,
        max: i32,
        known: &[RangeInclusive<i64>],
    ) -> Result<Vec<ServerChange>> {
        self.ready()?;
        if !(1..=MAX_PULL).contains(&max) {
            return Err(SyncError::PullSize {
                asked: max,
                max: MAX_PULL,
            });
        }
        let rows = self
            .client
            .query(
                "SELECT seq, change_id, kind, uid, base_version, version, fields, previous, author, at \
                 FROM chipwatch.pull($1, $2, $3, $4::text::int8multirange)",
                &[&workspace, &after, &max, &multirange(known)],
            )
            .map_err(SyncError::from_call)?;
        rows.iter()
            .map(change_of)
            .collect::<std::result::Result<_, _>>()
            .map_err(SyncError::from_call)
    }

    /// The cursor a new replica starts from: the last change of the log once
    /// the pushes under way have committed (pull's log lock waits for them), so
    /// that a copy of `records` made afterwards plus a pull from this cursor
    /// misses nothing.
    pub fn join_cursor(&mut self, workspace: Uuid) -> Result<i64> {
        self.ready()?;
        let mut tx = self.client.transaction().map_err(SyncError::from_call)?;
        tx.query(
            "SELECT 1 FROM chipwatch.pull($1, $2, 1)",
            &[&workspace, &i64::MAX],
        )
        .map_err(SyncError::from_call)?;
        let cursor: i64 = tx
            .query_one(
                "SELECT coalesce(max(seq), 0) FROM chipwatch.changes WHERE workspace_id = $1",
                &[&workspace],
            )
            .and_then(|row| row.try_get(0))
            .map_err(SyncError::from_call)?;
        tx.commit().map_err(SyncError::from_call)?;
        Ok(cursor)
    }

    /// Up to `max` current records of one kind, in uid order after `after`
    /// (None: from the first). Row-level security limits it to this login's
    /// workspaces; a workspace it is not a member of reads as empty.
    pub fn records_page(
        &mut self,
        workspace: Uuid,
        kind: &str,
        after: Option<Uuid>,
        max: i64,
    ) -> Result<Vec<ServerRecord>> {
        self.ready()?;
        let after = after.unwrap_or(Uuid::nil());
        let rows = self
            .client
            .query(
                "SELECT kind, uid, version, deleted, fields FROM chipwatch.records
                 WHERE workspace_id = $1 AND kind = $2 AND uid > $3 ORDER BY uid LIMIT $4",
                &[&workspace, &kind, &after, &max],
            )
            .map_err(SyncError::from_call)?;
        rows.iter().map(record_of).collect()
    }

    /// The current records with these uids (a replica fetches what it lacks).
    pub fn records(&mut self, workspace: Uuid, uids: &[Uuid]) -> Result<Vec<ServerRecord>> {
        self.ready()?;
        let rows = self
            .client
            .query(
                "SELECT kind, uid, version, deleted, fields FROM chipwatch.records
                 WHERE workspace_id = $1 AND uid = ANY($2)",
                &[&workspace, &uids],
            )
            .map_err(SyncError::from_call)?;
        rows.iter().map(record_of).collect()
    }

    /// A record's changes from the server's log, oldest first (the History of
    /// a record in a team workspace).
    pub fn record_history(
        &mut self,
        workspace: Uuid,
        kind: &str,
        uid: Uuid,
    ) -> Result<Vec<ServerChange>> {
        self.ready()?;
        let rows = self
            .client
            .query(
                "SELECT seq, change_id, kind, uid, base_version, version, fields, previous, author, at
                 FROM chipwatch.changes
                 WHERE workspace_id = $1 AND kind = $2 AND uid = $3 AND fields <> '{}'
                 ORDER BY seq",
                &[&workspace, &kind, &uid],
            )
            .map_err(SyncError::from_call)?;
        rows.iter()
            .map(change_of)
            .collect::<std::result::Result<_, _>>()
            .map_err(SyncError::from_call)
    }

    /// The id of the team workspace called `name` this login is a member of.
    pub fn workspace_named(&mut self, name: &str) -> Result<Option<Uuid>> {
        self.ready()?;
        let row = self
            .client
            .query_opt(
                "SELECT id FROM chipwatch.workspaces WHERE name = $1",
                &[&name],
            )
            .map_err(SyncError::from_call)?;
        row.map(|r| r.try_get(0))
            .transpose()
            .map_err(SyncError::from_call)
    }

    /// The connection itself, for callers that read the tables directly (a join copies
    /// `chipwatch.records`; row-level security limits it to this login's workspaces).
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Refuses calls when the server schema is not the one this build knows.
    fn ready(&self) -> Result<()> {
        match self.schema_version {
            0 => Err(SyncError::NotInstalled),
            v if v > SERVER_SCHEMA_VERSION => Err(SyncError::SchemaNewer {
                server: v,
                known: SERVER_SCHEMA_VERSION,
            }),
            v if v < SERVER_SCHEMA_VERSION => Err(SyncError::SchemaOlder {
                server: v,
                known: SERVER_SCHEMA_VERSION,
            }),
            _ => Ok(()),
        }
    }

    fn read_schema_version(&mut self) -> Result<i32> {
        let user = self.user.clone();
        schema_version_in(&mut self.client, &user)
    }
}

/// The schema version recorded in chipwatch.server_meta; 0 when there is no schema.
fn schema_version_in(client: &mut impl postgres::GenericClient, user: &str) -> Result<i32> {
    let row = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'chipwatch'), \
                    EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                            WHERE n.nspname = 'chipwatch' AND c.relname = 'server_meta')",
            &[],
        )
        .map_err(SyncError::from_call)?;
    let schema: bool = row.try_get(0).map_err(SyncError::from_call)?;
    let meta: bool = row.try_get(1).map_err(SyncError::from_call)?;
    match (schema, meta) {
        (false, _) => return Ok(0),
        (true, false) => return Err(SyncError::ForeignSchema),
        (true, true) => {}
    }
    let version = client.query_opt(
        "SELECT version FROM chipwatch.server_meta WHERE id = 1",
        &[],
    );
    match version {
        Ok(Some(row)) => row.try_get(0).map_err(SyncError::from_call),
        Ok(None) => Err(SyncError::ForeignSchema),
        Err(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
            Err(SyncError::NotAChipwatchUser {
                user: user.to_string(),
            })
        }
        Err(e) => Err(SyncError::from_call(e)),
    }
}

/// host:port/database of a config, for messages.
fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("{host}:{port}/{db}")
}

/// `known` as PostgreSQL writes an int8multirange: `{[1,500],[731,900]}`.
fn multirange(known: &[RangeInclusive<i64>]) -> String {
    let ranges: Vec<String> = known
        .iter()
        .map(|r| format!("[{},{}]", r.start(), r.end()))
        .collect();
    format!("{{{}}}", ranges.join(","))
}

fn change_of(row: &postgres::Row) -> std::result::Result<ServerChange, postgres::Error> {
    // NULL fields: a change the caller said it has (`Server::pull_knowing`).
    let fields = row.try_get::<_, Option<Json<Map<String, Value>>>>(6)?;
    let fields_left_out = fields.is_none();
    Ok(ServerChange {
        seq: row.try_get(0)?,
        change_id: row.try_get(1)?,
        kind: row.try_get(2)?,
        uid: row.try_get(3)?,
        base_version: row.try_get(4)?,
        version: row.try_get(5)?,
        fields: fields.map(|f| f.0).unwrap_or_default(),
        previous: row
            .try_get::<_, Option<Json<Map<String, Value>>>>(7)?
            .map(|p| p.0)
            .unwrap_or_default(),
        author: row.try_get(8)?,
        at: row.try_get(9)?,
        known: fields_left_out,
    })
}

fn record_of(row: &postgres::Row) -> Result<ServerRecord> {
    (|| -> std::result::Result<ServerRecord, postgres::Error> {
        Ok(ServerRecord {
            kind: row.try_get(0)?,
            uid: row.try_get(1)?,
            version: row.try_get(2)?,
            deleted: row.try_get(3)?,
            fields: row.try_get::<_, Json<Map<String, Value>>>(4)?.0,
        })
    })()
    .map_err(SyncError::from_call)
}

/// Whether every host the address names is this machine (no TLS by default).
fn on_this_machine(config: &Config) -> bool {
    config.get_hosts().iter().all(|host| match host {
        Host::Tcp(name) => matches!(name.as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]"),
        #[cfg(unix)]
        Host::Unix(_) => true,
    })
}

//! The Trash: `delete` moves a record, with every row that goes with it, into
//! the `trash` table; `restore` puts all of it back with the same ids.
//!
//! Nothing here lists the tables one by one: what goes with a record is found
//! from the schema's foreign keys (`PRAGMA foreign_key_list`), so a table added
//! by a later migration is covered without touching this file. For each row
//! that references a row being deleted:
//! - ON DELETE CASCADE, or a NOT NULL column (a link row such as evidence, which
//!   RESTRICT would otherwise keep from going): the row goes too, captured whole
//!   (every column, typed exactly, with its rowid), and the walk goes on from it;
//! - otherwise (SET NULL, or RESTRICT on a nullable column such as a listing's
//!   source): the column is set NULL and remembered, and a restore points it
//!   back if that row is still there and still NULL.
//!
//! Deletes and restores are ordinary SQL statements, so the triggers of other
//! modules (the search index) see them. Only `summarise` knows what an analyst
//! calls the rows it counts.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::model::{DeleteImpact, Id, ImpactItem, ImpactWhat, RestoredRef, TrashEntry, TrashKind};
use crate::store::Store;
use crate::text::{enum_text, now_utc, parse_enum};

/// Version of the payload layout, so a later release can read older entries.
const PAYLOAD_FORMAT: i64 = 1;

// TrashKind is declared with the other IPC types in model.rs.
impl TrashKind {
    pub const ALL: [TrashKind; 7] = [
        TrashKind::Firm,
        TrashKind::Strategy,
        TrashKind::Assessment,
        TrashKind::Chip,
        TrashKind::Source,
        TrashKind::Event,
        TrashKind::Note,
    ];

    /// The table its records live in.
    pub fn table(self) -> &'static str {
        match self {
            TrashKind::Firm => "firms",
            TrashKind::Strategy => "strategies",
            TrashKind::Assessment => "assessments",
            TrashKind::Chip => "chips",
            TrashKind::Source => "sources",
            TrashKind::Event => "events",
            TrashKind::Note => "notes",
        }
    }

    /// What a user calls one record: "firm", "source".
    pub fn noun(self) -> &'static str {
        match self {
            TrashKind::Firm => "firm",
            TrashKind::Strategy => "strategy",
            TrashKind::Assessment => "assessment",
            TrashKind::Chip => "chip",
            TrashKind::Source => "source",
            TrashKind::Event => "event",
            TrashKind::Note => "note",
        }
    }

    fn of_table(table: &str) -> Option<TrashKind> {
        TrashKind::ALL.into_iter().find(|k| k.table() == table)
    }
}

/// What deleting the record would take along or unlink, without deleting it.
pub fn impact(store: &Store, kind: TrashKind, id: Id) -> Result<DeleteImpact> {
    store.read(|conn| {
        let title = title(conn, kind, id)?;
        let schema = Schema::load(conn)?;
        let walk = walk(conn, &schema, kind.table(), id)?;
        Ok(DeleteImpact {
            kind,
            id,
            title,
            items: summarise(kind, &walk),
        })
    })
}

/// Moves the record and everything that goes with it to the Trash, in one transaction.
pub fn delete(store: &mut Store, kind: TrashKind, id: Id) -> Result<TrashEntry> {
    let schema_version = store.schema_version()?;
    store.write(|tx| {
        let title = title(tx, kind, id)?;
        let schema = Schema::load(tx)?;
        let walk = walk(tx, &schema, kind.table(), id)?;
        let summary = summarise(kind, &walk);
        let payload = Payload {
            format: PAYLOAD_FORMAT,
            schema_version,
            kind,
            entity_id: id,
            rows: walk.rows.iter().map(StoredRow::from).collect(),
            pointers: walk.pointers.iter().map(StoredPointer::from).collect(),
            summary: summary.clone(),
        };
        let payload_text = serde_json::to_string(&payload)
            .map_err(|e| Error::invalid("payload", e.to_string()))?;

        for pointer in &walk.pointers {
            let set = pointer
                .columns
                .iter()
                .map(|c| format!("{} = NULL", quote(c)))
                .collect::<Vec<_>>()
                .join(", ");
            tx.execute(
                &format!("UPDATE {} SET {set} WHERE rowid = ?1", quote(&pointer.table)),
                [pointer.rowid],
            )?;
        }
        // Children first, so that RESTRICT never sees a referrer left behind.
        for row in walk.rows.iter().rev() {
            tx.execute(
                &format!("DELETE FROM {} WHERE rowid = ?1", quote(&row.table)),
                [row.rowid],
            )?;
        }

        let deleted_at = now_utc();
        tx.execute(
            "INSERT INTO trash (kind, entity_id, title, payload, deleted_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![enum_text(&kind), id, title, payload_text, deleted_at],
        )?;
        Ok(TrashEntry {
            id: tx.last_insert_rowid(),
            kind,
            entity_id: id,
            title,
            deleted_at,
            summary,
        })
    })
}

/// Everything in the Trash, newest first.
pub fn list(store: &Store) -> Result<Vec<TrashEntry>> {
    store.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT id, kind, entity_id, title, deleted_at, json_extract(payload, '$.summary')
             FROM trash ORDER BY deleted_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, Id>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Id>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (id, kind, entity_id, title, deleted_at, summary) = row?;
            entries.push(TrashEntry {
                id,
                kind: parse_kind(&kind, id)?,
                entity_id,
                title,
                deleted_at,
                // The summary is only for showing; an entry whose summary cannot
                // be read is still listed, and can still be restored.
                summary: summary
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or_default(),
            });
        }
        Ok(entries)
    })
}

/// Puts a Trash entry back with the same ids, in one transaction, or refuses
/// with what to do first and changes nothing.
pub fn restore(store: &mut Store, trash_id: Id) -> Result<RestoredRef> {
    store.write(|tx| {
        let (kind, title, payload) = load_entry(tx, trash_id)?;
        let schema = Schema::load(tx)?;
        let mut rows = payload
            .rows
            .iter()
            .map(|r| r.decode(trash_id))
            .collect::<Result<Vec<Row>>>()?;
        if rows.is_empty() {
            return Err(unreadable(trash_id, "it holds no rows"));
        }
        let plan = Restore {
            conn: tx,
            schema: &schema,
            trash_id,
            what: format!("the {} '{title}'", kind.noun()),
        };
        let (kept, left_out) = plan.check_parents(&mut rows)?;
        let fresh = plan.check_ids(&rows, &kept)?;
        plan.check_unique(&rows, &kept)?;

        // The rows' parents were checked above; deferring the check to the commit
        // lets rows go in whatever order they were captured.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        for (index, row) in rows.iter().enumerate() {
            if kept.contains(&index) {
                plan.insert(row, fresh.contains(&index), index == 0)?;
            }
        }
        for pointer in &payload.pointers {
            plan.point_back(&pointer.decode(trash_id)?)?;
        }
        tx.execute("DELETE FROM trash WHERE id = ?1", [trash_id])?;
        Ok(RestoredRef {
            kind,
            id: payload.entity_id,
            left_out,
        })
    })
}

/// Deletes one Trash entry for good.
pub fn purge(store: &mut Store, trash_id: Id) -> Result<()> {
    store.write(
        |tx| match tx.execute("DELETE FROM trash WHERE id = ?1", [trash_id])? {
            0 => Err(Error::NotFound {
                entity: "Trash entry",
                id: trash_id,
            }),
            _ => Ok(()),
        },
    )
}

/// Deletes everything in the Trash for good; returns how many entries went.
pub fn empty(store: &mut Store) -> Result<usize> {
    store.write(|tx| Ok(tx.execute("DELETE FROM trash", [])?))
}

/// The record's title as the Trash shows it, or NotFound.
fn title(conn: &Connection, kind: TrashKind, id: Id) -> Result<String> {
    let sql = match kind {
        TrashKind::Firm => "SELECT name FROM firms WHERE id = ?1",
        TrashKind::Strategy => "SELECT name FROM strategies WHERE id = ?1",
        TrashKind::Assessment => {
            "SELECT f.name || ' × ' || s.name FROM assessments a
             JOIN firms f ON f.id = a.firm_id JOIN strategies s ON s.id = a.strategy_id WHERE a.id = ?1"
        }
        TrashKind::Chip => "SELECT name FROM chips WHERE id = ?1",
        TrashKind::Source => "SELECT title FROM sources WHERE id = ?1",
        TrashKind::Event => "SELECT title FROM events WHERE id = ?1",
        TrashKind::Note => "SELECT title FROM notes WHERE id = ?1",
    };
    conn.query_row(sql, [id], |row| row.get(0))
        .optional()?
        .ok_or(Error::NotFound {
            entity: kind.noun(),
            id,
        })
}

fn parse_kind(text: &str, trash_id: Id) -> Result<TrashKind> {
    parse_enum(text).ok_or_else(|| unreadable(trash_id, &format!("unknown kind '{text}'")))
}

fn unreadable(trash_id: Id, why: &str) -> Error {
    Error::invalid(
        "trashId",
        format!("Trash entry {trash_id} cannot be read ({why}); it was left as it is"),
    )
}

fn load_entry(conn: &Connection, trash_id: Id) -> Result<(TrashKind, String, Payload)> {
    let found = conn
        .query_row(
            "SELECT kind, title, payload FROM trash WHERE id = ?1",
            [trash_id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;
    let (kind, title, payload) = found.ok_or(Error::NotFound {
        entity: "Trash entry",
        id: trash_id,
    })?;
    let payload: Payload =
        serde_json::from_str(&payload).map_err(|e| unreadable(trash_id, &e.to_string()))?;
    Ok((parse_kind(&kind, trash_id)?, title, payload))
}

// ---- The schema, as the foreign keys describe it -----------------------------

struct Column {
    name: String,
    not_null: bool,
}

struct Table {
    /// Stored columns (generated and hidden ones are left out: they cannot be inserted).
    columns: Vec<Column>,
    /// The INTEGER PRIMARY KEY column, which is the rowid under another name.
    rowid_alias: Option<String>,
    primary_key: Vec<String>,
    without_rowid: bool,
}

struct ForeignKey {
    child: String,
    from: Vec<String>,
    parent: String,
    to: Vec<String>,
    /// The referencing row cannot live without its parent: it goes with it.
    goes_with_parent: bool,
}

struct Schema {
    tables: BTreeMap<String, Table>,
    foreign_keys: Vec<ForeignKey>,
}

impl Schema {
    /// Real tables only: views, virtual tables (FTS) and their shadow tables have
    /// no foreign keys to walk and are kept up to date by their own triggers.
    fn load(conn: &Connection) -> Result<Schema> {
        let mut stmt = conn.prepare(
            "SELECT name, wr FROM pragma_table_list() WHERE schema = 'main' AND type = 'table'
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )?;
        let names = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, bool>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut tables = BTreeMap::new();
        let mut raw_keys = Vec::new();
        for (name, without_rowid) in names {
            let mut stmt = conn.prepare(
                "SELECT name, type, \"notnull\", pk, hidden FROM pragma_table_xinfo(?1) ORDER BY cid",
            )?;
            let columns = stmt
                .query_map([&name], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, bool>(2)?,
                        row.get::<_, i64>(3)?,
                        row.get::<_, i64>(4)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut keyed: Vec<(i64, String, String)> = columns
                .iter()
                .filter(|c| c.3 > 0)
                .map(|c| (c.3, c.0.clone(), c.1.clone()))
                .collect();
            keyed.sort();
            let rowid_alias = match keyed.as_slice() {
                [(_, column, ty)] if !without_rowid && ty.eq_ignore_ascii_case("INTEGER") => {
                    Some(column.clone())
                }
                _ => None,
            };
            let mut stmt = conn.prepare(
                "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
            )?;
            let keys = stmt
                .query_map([&name], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, String>(4)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            raw_keys.push((name.clone(), keys));
            tables.insert(
                name,
                Table {
                    columns: columns
                        .iter()
                        .filter(|c| c.4 == 0)
                        .map(|c| Column {
                            name: c.0.clone(),
                            not_null: c.2,
                        })
                        .collect(),
                    rowid_alias,
                    primary_key: keyed.into_iter().map(|k| k.1).collect(),
                    without_rowid,
                },
            );
        }

        let mut foreign_keys: Vec<ForeignKey> = Vec::new();
        for (child, keys) in raw_keys {
            let mut last_id = None;
            for (id, parent, from, to, on_delete) in keys {
                if last_id != Some(id) {
                    last_id = Some(id);
                    foreign_keys.push(ForeignKey {
                        child: child.clone(),
                        from: Vec::new(),
                        parent,
                        to: Vec::new(),
                        goes_with_parent: on_delete.eq_ignore_ascii_case("CASCADE"),
                    });
                }
                if let Some(fk) = foreign_keys.last_mut() {
                    fk.from.push(from);
                    // A key without parent columns means the parent's primary key.
                    if let Some(to) = to {
                        fk.to.push(to);
                    }
                }
            }
        }
        for fk in &mut foreign_keys {
            if fk.to.is_empty() {
                if let Some(parent) = tables.get(&fk.parent) {
                    fk.to = parent.primary_key.clone();
                }
            }
            if let Some(child) = tables.get(&fk.child) {
                let not_null = fk
                    .from
                    .iter()
                    .any(|from| child.columns.iter().any(|c| &c.name == from && c.not_null));
                fk.goes_with_parent |= not_null;
            }
        }
        // Keys into a view or a missing table are not real foreign keys.
        foreign_keys.retain(|fk| tables.contains_key(&fk.parent) && fk.to.len() == fk.from.len());
        Ok(Schema {
            tables,
            foreign_keys,
        })
    }

    fn table(&self, name: &str) -> Result<&Table> {
        self.tables.get(name).ok_or_else(|| {
            Error::invalid(
                "table",
                format!("the table {name} is not in this workspace"),
            )
        })
    }

    /// True when a foreign key points at `table`: its ids mean something elsewhere.
    fn is_referenced(&self, table: &str) -> bool {
        self.foreign_keys.iter().any(|fk| fk.parent == table)
    }
}

/// `"name"`, safe for any identifier.
fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// `"a" = ?1 AND "b" = ?2`, numbering parameters from `first`.
fn equals_params(columns: &[String], first: usize) -> String {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ?{}", quote(c), first + i))
        .collect::<Vec<_>>()
        .join(" AND ")
}

// ---- The walk: a record and everything that goes with it --------------------

/// One captured row: its table, rowid and every stored column.
#[derive(Debug, Clone)]
struct Row {
    table: String,
    rowid: i64,
    values: Vec<(String, Value)>,
    /// The captured row it was reached from (None for the record itself).
    parent: Option<usize>,
}

impl Row {
    fn get(&self, column: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, v)| v)
    }

    /// The values of `columns`, or None when one is NULL (a NULL key points nowhere).
    fn key(&self, columns: &[String]) -> Option<Vec<Value>> {
        columns
            .iter()
            .map(|c| match self.get(c) {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.clone()),
            })
            .collect()
    }
}

/// A row outside the deletion whose column pointed at a deleted row.
#[derive(Debug, Clone)]
struct Pointer {
    table: String,
    rowid: i64,
    columns: Vec<String>,
    values: Vec<Value>,
}

struct Walk {
    rows: Vec<Row>,
    pointers: Vec<Pointer>,
}

/// The record `rowid` of `table` and, breadth first, every row that goes with
/// it; parents always come before the rows reached from them.
fn walk(conn: &Connection, schema: &Schema, table: &str, rowid: i64) -> Result<Walk> {
    let mut rows: Vec<Row> = Vec::new();
    let mut pointers = Vec::new();
    let mut seen: HashSet<(String, i64)> = HashSet::from([(table.to_owned(), rowid)]);
    let mut queue = VecDeque::from([(table.to_owned(), rowid, None)]);
    while let Some((table, rowid, parent)) = queue.pop_front() {
        let Some(values) = read_row(conn, schema, &table, rowid)? else {
            continue;
        };
        let index = rows.len();
        let row = Row {
            table,
            rowid,
            values,
            parent,
        };
        for fk in schema
            .foreign_keys
            .iter()
            .filter(|fk| fk.parent == row.table)
        {
            let Some(key) = row.key(&fk.to) else {
                continue;
            };
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT rowid FROM {} WHERE {} ORDER BY rowid",
                quote(&fk.child),
                equals_params(&fk.from, 1)
            ))?;
            let referrers = stmt
                .query_map(params_from_iter(key.iter()), |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for referrer in referrers {
                if fk.goes_with_parent {
                    if seen.insert((fk.child.clone(), referrer)) {
                        queue.push_back((fk.child.clone(), referrer, Some(index)));
                    }
                } else {
                    pointers.push(Pointer {
                        table: fk.child.clone(),
                        rowid: referrer,
                        columns: fk.from.clone(),
                        values: key.clone(),
                    });
                }
            }
        }
        rows.push(row);
    }
    // A row that goes anyway comes back whole; it needs no pointer restored.
    pointers.retain(|p| !seen.contains(&(p.table.clone(), p.rowid)));
    let mut unique = HashSet::new();
    pointers.retain(|p| unique.insert((p.table.clone(), p.rowid, p.columns.clone())));
    Ok(Walk { rows, pointers })
}

/// Every stored column of one row, typed as SQLite holds it.
fn read_row(
    conn: &Connection,
    schema: &Schema,
    table: &str,
    rowid: i64,
) -> Result<Option<Vec<(String, Value)>>> {
    let info = schema.table(table)?;
    if info.without_rowid {
        // No such table in the schema; the Trash identifies rows by rowid.
        return Err(Error::invalid(
            "table",
            format!("the table {table} has no rowid, so the Trash cannot keep its rows"),
        ));
    }
    let columns = info
        .columns
        .iter()
        .map(|c| quote(&c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {columns} FROM {} WHERE rowid = ?1", quote(table));
    let values = conn
        .query_row(&sql, [rowid], |row| {
            info.columns
                .iter()
                .enumerate()
                .map(|(i, c)| Ok((c.name.clone(), row.get::<_, Value>(i)?)))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .optional()?;
    Ok(values)
}

// ---- What an analyst is told ------------------------------------------------

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// The walk as counts an analyst understands, in a fixed order; zero counts are left out.
fn summarise(kind: TrashKind, walk: &Walk) -> Vec<ImpactItem> {
    let (mut chips, mut assessments, mut listings, mut aliases) = (0, 0, 0, 0);
    let (mut linked, mut claims, mut cited, mut links, mut comparisons) = (0, 0, 0, 0, 0);
    let (mut subsidiaries, mut foundry) = (0, 0);
    let mut notes = BTreeSet::new();
    let mut other_rows: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other_pointers: BTreeMap<&str, usize> = BTreeMap::new();

    for row in walk.rows.iter().skip(1) {
        let direct = row.parent == Some(0);
        match row.table.as_str() {
            "chips" => chips += 1,
            "assessments" => assessments += 1,
            "export_control_listings" => listings += 1,
            "firm_aliases" => aliases += 1,
            "event_firms" => linked += 1,
            "assessment_evidence" | "chip_sources" | "event_sources" => {
                if kind == TrashKind::Source {
                    claims += 1;
                } else if direct {
                    cited += 1;
                }
            }
            "note_links" if kind == TrashKind::Note => links += 1,
            "note_links" => {
                if let Some(Value::Integer(note)) = row.get("note_id") {
                    notes.insert(*note);
                }
            }
            "comparison_firms" => comparisons += 1,
            // The tags themselves stay; losing them is not worth a line.
            "source_tags" | "note_tags" => {}
            other => *other_rows.entry(other).or_default() += 1,
        }
    }
    for pointer in &walk.pointers {
        let column = pointer.columns.join(", ");
        match (pointer.table.as_str(), column.as_str()) {
            ("firms", "parent_firm_id") => subsidiaries += 1,
            ("chips", "foundry_firm_id") => foundry += 1,
            ("export_control_listings", "source_id") => claims += 1,
            (table, _) => *other_pointers.entry(table).or_default() += 1,
        }
    }

    let mut items = Vec::new();
    let mut add = |what: ImpactWhat, count: usize, text: String| {
        if count > 0 {
            items.push(ImpactItem {
                what,
                count: i64::try_from(count).unwrap_or(i64::MAX),
                text,
            });
        }
    };
    let goes = |n: usize| if n == 1 { "goes" } else { "go" };
    add(
        ImpactWhat::Claims,
        claims,
        format!(
            "{} this source",
            plural(claims, "claim cites", "claims cite")
        ),
    );
    add(
        ImpactWhat::Chips,
        chips,
        format!("{} {} with it", plural(chips, "chip", "chips"), goes(chips)),
    );
    add(
        ImpactWhat::Assessments,
        assessments,
        format!(
            "{} {} with it",
            plural(assessments, "assessment", "assessments"),
            goes(assessments)
        ),
    );
    add(
        ImpactWhat::Listings,
        listings,
        format!(
            "{} {} with it",
            plural(
                listings,
                "export-control listing",
                "export-control listings"
            ),
            goes(listings)
        ),
    );
    add(
        ImpactWhat::Aliases,
        aliases,
        format!(
            "{} {} with it",
            plural(aliases, "alias", "aliases"),
            goes(aliases)
        ),
    );
    if kind == TrashKind::Event {
        add(
            ImpactWhat::Firms,
            linked,
            format!(
                "it is unlinked from {} (they stay)",
                plural(linked, "firm", "firms")
            ),
        );
    } else {
        add(
            ImpactWhat::Events,
            linked,
            format!(
                "it is unlinked from {} (they stay)",
                plural(linked, "event", "events")
            ),
        );
    }
    add(
        ImpactWhat::Sources,
        cited,
        format!(
            "it cites {} (they stay)",
            plural(cited, "source", "sources")
        ),
    );
    add(
        ImpactWhat::Subsidiaries,
        subsidiaries,
        plural(
            subsidiaries,
            "subsidiary loses its parent firm",
            "subsidiaries lose their parent firm",
        ),
    );
    add(
        ImpactWhat::FoundryChips,
        foundry,
        plural(
            foundry,
            "chip loses it as its foundry",
            "chips lose it as their foundry",
        ),
    );
    add(
        ImpactWhat::Notes,
        notes.len(),
        format!(
            "{} to it (the notes stay)",
            plural(notes.len(), "note links", "notes link")
        ),
    );
    add(
        ImpactWhat::Links,
        links,
        format!(
            "it links to {} (they stay)",
            plural(links, "record", "records")
        ),
    );
    add(
        ImpactWhat::Comparisons,
        comparisons,
        format!(
            "it leaves {}",
            plural(comparisons, "comparison", "comparisons")
        ),
    );
    for (table, count) in other_rows {
        add(
            ImpactWhat::Other,
            count,
            format!(
                "{} of {table} {} with it",
                plural(count, "row", "rows"),
                goes(count)
            ),
        );
    }
    for (table, count) in other_pointers {
        add(
            ImpactWhat::Other,
            count,
            format!(
                "{} of {table} {} their link to it",
                plural(count, "row", "rows"),
                if count == 1 { "loses" } else { "lose" }
            ),
        );
    }
    items
}

// ---- The payload: what the `trash` row keeps ----------------------------------

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    format: i64,
    /// The schema the rows were captured under.
    schema_version: i64,
    kind: TrashKind,
    entity_id: Id,
    /// The record first, then every row that went with it, parents before children.
    rows: Vec<StoredRow>,
    pointers: Vec<StoredPointer>,
    summary: Vec<ImpactItem>,
}

#[derive(Serialize, Deserialize)]
struct StoredRow {
    table: String,
    rowid: i64,
    parent: Option<usize>,
    /// Column → value; see [`to_json`] for how each SQLite type is kept.
    values: serde_json::Map<String, Json>,
}

#[derive(Serialize, Deserialize)]
struct StoredPointer {
    table: String,
    rowid: i64,
    columns: Vec<String>,
    values: Vec<Json>,
}

impl From<&Row> for StoredRow {
    fn from(row: &Row) -> Self {
        StoredRow {
            table: row.table.clone(),
            rowid: row.rowid,
            parent: row.parent,
            values: row
                .values
                .iter()
                .map(|(c, v)| (c.clone(), to_json(v)))
                .collect(),
        }
    }
}

impl StoredRow {
    fn decode(&self, trash_id: Id) -> Result<Row> {
        Ok(Row {
            table: self.table.clone(),
            rowid: self.rowid,
            parent: self.parent,
            values: self
                .values
                .iter()
                .map(|(c, v)| Ok((c.clone(), from_json(v, trash_id)?)))
                .collect::<Result<_>>()?,
        })
    }
}

impl From<&Pointer> for StoredPointer {
    fn from(pointer: &Pointer) -> Self {
        StoredPointer {
            table: pointer.table.clone(),
            rowid: pointer.rowid,
            columns: pointer.columns.clone(),
            values: pointer.values.iter().map(to_json).collect(),
        }
    }
}

impl StoredPointer {
    fn decode(&self, trash_id: Id) -> Result<Pointer> {
        Ok(Pointer {
            table: self.table.clone(),
            rowid: self.rowid,
            columns: self.columns.clone(),
            values: self
                .values
                .iter()
                .map(|v| from_json(v, trash_id))
                .collect::<Result<_>>()?,
        })
    }
}

/// A value as JSON that keeps its SQLite type exactly: NULL, integers and text
/// as themselves; a real as `{"real": "376.0"}` (Rust's shortest text that
/// reads back to the same bits, where a JSON number could lose the last bit);
/// a blob as `{"blob": "<hex>"}`.
fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Integer(n) => Json::from(*n),
        Value::Text(text) => Json::String(text.clone()),
        Value::Real(x) => serde_json::json!({ "real": format!("{x:?}") }),
        Value::Blob(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            serde_json::json!({ "blob": hex })
        }
    }
}

fn from_json(json: &Json, trash_id: Id) -> Result<Value> {
    let bad = || unreadable(trash_id, &format!("unexpected value {json}"));
    match json {
        Json::Null => Ok(Value::Null),
        Json::Number(n) => n.as_i64().map(Value::Integer).ok_or_else(bad),
        Json::String(text) => Ok(Value::Text(text.clone())),
        Json::Object(map) => {
            if let Some(Json::String(real)) = map.get("real") {
                return real.parse::<f64>().map(Value::Real).map_err(|_| bad());
            }
            if let Some(Json::String(hex)) = map.get("blob") {
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|i| {
                        hex.get(i..i + 2)
                            .and_then(|b| u8::from_str_radix(b, 16).ok())
                    })
                    .collect::<Option<Vec<u8>>>()
                    .ok_or_else(bad)?;
                return Ok(Value::Blob(bytes));
            }
            Err(bad())
        }
        Json::Bool(_) | Json::Array(_) => Err(bad()),
    }
}

// ---- Restoring ----------------------------------------------------------------

struct Restore<'a> {
    conn: &'a Connection,
    schema: &'a Schema,
    trash_id: Id,
    /// "the firm 'Huawei'", for messages.
    what: String,
}

impl Restore<'_> {
    fn refuse(&self, reason: String) -> Error {
        Error::RestoreRefused {
            what: self.what.clone(),
            reason,
        }
    }

    /// Which rows can come back, and what is left out. A row whose parent is
    /// gone: a nullable pointer is set NULL (as deleting the parent would have
    /// done); a row that needs its parent is refused while that parent is in the
    /// Trash (restore it first), and left out when it was deleted for good.
    fn check_parents(&self, rows: &mut [Row]) -> Result<(BTreeSet<usize>, Vec<String>)> {
        let mut kept: BTreeSet<usize> = (0..rows.len()).collect();
        let mut left_out = Vec::new();
        loop {
            let restored = self.keys_of(rows, &kept);
            let mut dropped = None;
            'rows: for index in kept.iter().copied() {
                let table = rows[index].table.clone();
                for fk in self
                    .schema
                    .foreign_keys
                    .iter()
                    .filter(|fk| fk.child == table)
                {
                    let Some(key) = rows[index].key(&fk.from) else {
                        continue;
                    };
                    if restored.contains(&key_text(fk, &key))
                        || self.exists(&fk.parent, &fk.to, &key)?
                    {
                        continue;
                    }
                    if !fk.goes_with_parent {
                        for column in &fk.from {
                            set_value(&mut rows[index], column, Value::Null);
                        }
                        continue;
                    }
                    let subject = if index == 0 {
                        "it".to_owned()
                    } else {
                        format!("{}, which goes with it,", self.describe(&rows[index]))
                    };
                    if let Some((entry, parent)) = self.find_in_trash(fk, &key)? {
                        let first = if entry == parent {
                            "it".to_owned()
                        } else {
                            entry
                        };
                        return Err(self.refuse(format!(
                            "{subject} needs {parent}, which is in the Trash; restore {first} first"
                        )));
                    }
                    let missing = format!(
                        "the {} with {} {}",
                        noun_of(&fk.parent),
                        fk.to.join(", "),
                        show_key(&key)
                    );
                    if index == 0 {
                        return Err(self.refuse(format!(
                            "it needs {missing}, which was deleted for good; it cannot come back, so remove it from the Trash"
                        )));
                    }
                    left_out.push(format!(
                        "{} ({missing} was deleted for good)",
                        self.describe(&rows[index])
                    ));
                    dropped = Some(index);
                    break 'rows;
                }
            }
            match dropped {
                // Rows that needed the dropped row are looked at again.
                Some(index) => {
                    kept.remove(&index);
                }
                None => return Ok((kept, left_out)),
            }
        }
    }

    /// Rows whose rowid is taken now. The record itself, and rows whose ids other
    /// tables point at, must keep their ids: refused. A row nothing points at (a
    /// link, an alias, a listing) simply gets a new rowid.
    fn check_ids(&self, rows: &[Row], kept: &BTreeSet<usize>) -> Result<BTreeSet<usize>> {
        let mut fresh = BTreeSet::new();
        for &index in kept {
            let row = &rows[index];
            let taken: Option<i64> = self
                .conn
                .query_row(
                    &format!("SELECT 1 FROM {} WHERE rowid = ?1", quote(&row.table)),
                    [row.rowid],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_none() {
                continue;
            }
            if index != 0 && !self.schema.is_referenced(&row.table) {
                fresh.insert(index);
                continue;
            }
            let holder = self.describe_stored(&row.table, row.rowid)?;
            let subject = if index == 0 {
                format!("its id {} is", row.rowid)
            } else {
                format!(
                    "the id {} of {}, which goes with it, is",
                    row.rowid,
                    self.describe(row)
                )
            };
            return Err(self.refuse(format!(
                "{subject} now used by {holder}; delete that first (to the Trash), then restore"
            )));
        }
        Ok(fresh)
    }

    /// Values that must be unique (a firm's name, a chip's firm and name, a
    /// firm's assessment on a strategy) and are taken now.
    fn check_unique(&self, rows: &[Row], kept: &BTreeSet<usize>) -> Result<()> {
        for &index in kept {
            let row = &rows[index];
            for unique in unique_keys(self.conn, &row.table)? {
                let columns: Vec<String> = unique.iter().map(|(c, _)| c.clone()).collect();
                let Some(key) = row.key(&columns) else {
                    continue;
                };
                let condition = unique
                    .iter()
                    .enumerate()
                    .map(|(i, (c, collation))| {
                        format!("{} = ?{} COLLATE {}", quote(c), i + 1, quote(collation))
                    })
                    .collect::<Vec<_>>()
                    .join(" AND ");
                let holder: Option<i64> = self
                    .conn
                    .query_row(
                        &format!(
                            "SELECT rowid FROM {} WHERE {condition} LIMIT 1",
                            quote(&row.table)
                        ),
                        params_from_iter(key.iter()),
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(holder) = holder else {
                    continue;
                };
                let noun = noun_of(&row.table);
                let conflict = match (columns.as_slice(), key.as_slice()) {
                    ([column], [Value::Text(value)]) if column == "name" || column == "title" => {
                        format!(
                            "a {noun} named '{value}' exists now; rename it first, then restore"
                        )
                    }
                    _ => format!(
                        "{} exists now; rename or delete it first, then restore",
                        self.describe_stored(&row.table, holder)?
                    ),
                };
                let reason = if index == 0 {
                    conflict
                } else {
                    format!("{} goes with it, and {conflict}", self.describe(row))
                };
                return Err(self.refuse(reason));
            }
        }
        Ok(())
    }

    fn insert(&self, row: &Row, fresh_rowid: bool, is_record: bool) -> Result<()> {
        let table = self.schema.table(&row.table)?;
        let mut columns = Vec::new();
        let mut values = Vec::new();
        if table.rowid_alias.is_none() && !fresh_rowid {
            columns.push("rowid".to_owned());
            values.push(Value::Integer(row.rowid));
        }
        for (column, value) in &row.values {
            if fresh_rowid && table.rowid_alias.as_deref() == Some(column) {
                continue;
            }
            columns.push(quote(column));
            values.push(value.clone());
        }
        let marks = (1..=values.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            quote(&row.table),
            columns.join(", ")
        );
        match self.conn.execute(&sql, params_from_iter(values.iter())) {
            Ok(_) => Ok(()),
            // What the checks above do not foresee (a CHECK added by a later
            // migration, an expression index) still refuses clearly.
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                let subject = if is_record {
                    "it".to_owned()
                } else {
                    format!("{}, which goes with it,", self.describe(row))
                };
                Err(self.refuse(format!(
                    "{subject} no longer fits the workspace ({e}); fix that first, then restore"
                )))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Points a row back at a restored row, if it is still there and still NULL.
    fn point_back(&self, pointer: &Pointer) -> Result<()> {
        let Some(fk) = self
            .schema
            .foreign_keys
            .iter()
            .find(|fk| fk.child == pointer.table && fk.from == pointer.columns)
        else {
            return Ok(());
        };
        if !self.exists(&fk.parent, &fk.to, &pointer.values)? {
            return Ok(());
        }
        let set = equals_params(&pointer.columns, 2).replace(" AND ", ", ");
        let still_null = pointer
            .columns
            .iter()
            .map(|c| format!("{} IS NULL", quote(c)))
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut values = vec![Value::Integer(pointer.rowid)];
        values.extend(pointer.values.iter().cloned());
        self.conn.execute(
            &format!(
                "UPDATE {} SET {set} WHERE rowid = ?1 AND {still_null}",
                quote(&pointer.table)
            ),
            params_from_iter(values.iter()),
        )?;
        Ok(())
    }

    fn exists(&self, table: &str, columns: &[String], key: &[Value]) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT 1 FROM {} WHERE {} LIMIT 1",
            quote(table),
            equals_params(columns, 1)
        ))?;
        let found: Option<i64> = stmt
            .query_row(params_from_iter(key.iter()), |r| r.get(0))
            .optional()?;
        Ok(found.is_some())
    }

    /// The keys other rows may point at, of every row in `kept`, as [`key_text`]
    /// writes them: a lookup per foreign key instead of a scan of all rows.
    fn keys_of(&self, rows: &[Row], kept: &BTreeSet<usize>) -> HashSet<String> {
        let mut keys = HashSet::new();
        for &index in kept {
            let row = &rows[index];
            for fk in self
                .schema
                .foreign_keys
                .iter()
                .filter(|fk| fk.parent == row.table)
            {
                if let Some(key) = row.key(&fk.to) {
                    keys.insert(key_text(fk, &key));
                }
            }
        }
        keys
    }

    /// The other Trash entry that holds the row `fk` needs: (that entry as
    /// "the firm 'Huawei'", the row itself described the same way).
    fn find_in_trash(&self, fk: &ForeignKey, key: &[Value]) -> Result<Option<(String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, title, payload FROM trash WHERE id <> ?1 ORDER BY id DESC",
        )?;
        let entries = stmt
            .query_map([self.trash_id], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, kind, title, payload) in entries {
            // An unreadable entry cannot be restored first anyway.
            let Ok(payload) = serde_json::from_str::<Payload>(&payload) else {
                continue;
            };
            for stored in payload.rows.iter().filter(|r| r.table == fk.parent) {
                let Ok(row) = stored.decode(id) else {
                    continue;
                };
                if row.key(&fk.to).as_deref() == Some(key) {
                    let noun = parse_kind(&kind, id)
                        .map(TrashKind::noun)
                        .unwrap_or("record");
                    return Ok(Some((format!("the {noun} '{title}'"), self.describe(&row))));
                }
            }
        }
        Ok(None)
    }

    /// A captured row as a user would name it: "the firm 'Huawei'".
    fn describe(&self, row: &Row) -> String {
        describe(self.conn, row)
    }

    /// A row in the workspace now, named like [`describe`].
    fn describe_stored(&self, table: &str, rowid: i64) -> Result<String> {
        let values = read_row(self.conn, self.schema, table, rowid)?.unwrap_or_default();
        Ok(describe(
            self.conn,
            &Row {
                table: table.to_owned(),
                rowid,
                values,
                parent: None,
            },
        ))
    }
}

/// A parent key as text that tells tables, columns and SQLite types apart.
fn key_text(fk: &ForeignKey, key: &[Value]) -> String {
    format!("{}({}) = {key:?}", fk.parent, fk.to.join(", "))
}

fn set_value(row: &mut Row, column: &str, value: Value) {
    if let Some(slot) = row.values.iter_mut().find(|(c, _)| c == column) {
        slot.1 = value;
    }
}

/// "firm" for `firms`, the table's name in words otherwise.
fn noun_of(table: &str) -> String {
    TrashKind::of_table(table)
        .map(|k| k.noun().to_owned())
        .unwrap_or_else(|| table.replace('_', " "))
}

fn show_key(key: &[Value]) -> String {
    key.iter()
        .map(|v| match v {
            Value::Integer(n) => n.to_string(),
            Value::Real(x) => x.to_string(),
            Value::Text(t) => format!("'{t}'"),
            Value::Null => "NULL".into(),
            Value::Blob(_) => "(bytes)".into(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A row as a user would name it: "the firm 'Huawei'", "Huawei's chip 'Ascend
/// 910'", "the assessment 'Huawei × In-house chips'", "a note's link".
fn describe(conn: &Connection, row: &Row) -> String {
    let text = |column: &str| match row.get(column) {
        Some(Value::Text(t)) => Some(t.clone()),
        _ => None,
    };
    let name_of = |table: &str, column: &str| -> Option<String> {
        let Some(Value::Integer(id)) = row.get(column) else {
            return None;
        };
        conn.query_row(
            &format!("SELECT name FROM {} WHERE id = ?1", quote(table)),
            [id],
            |r| r.get::<_, String>(0),
        )
        .ok()
    };
    match row.table.as_str() {
        "firms" | "strategies" => match text("name") {
            Some(name) => format!("the {} '{name}'", noun_of(&row.table)),
            None => format!("the {} {}", noun_of(&row.table), row.rowid),
        },
        "sources" | "events" | "notes" => match text("title") {
            Some(title) => format!("the {} '{title}'", noun_of(&row.table)),
            None => format!("the {} {}", noun_of(&row.table), row.rowid),
        },
        "chips" => match (name_of("firms", "firm_id"), text("name")) {
            (Some(firm), Some(name)) => format!("{firm}'s chip '{name}'"),
            (None, Some(name)) => format!("the chip '{name}'"),
            _ => format!("the chip {}", row.rowid),
        },
        "assessments" => match (
            name_of("firms", "firm_id"),
            name_of("strategies", "strategy_id"),
        ) {
            (Some(firm), Some(strategy)) => format!("the assessment '{firm} × {strategy}'"),
            _ => format!("the assessment {}", row.rowid),
        },
        "assessment_evidence" => "evidence cited by an assessment".into(),
        "chip_sources" => "a source cited by a chip".into(),
        "event_sources" => "a source cited by an event".into(),
        "event_firms" => "a firm's link to an event".into(),
        "note_links" => "a note's link".into(),
        "firm_aliases" => "an alias".into(),
        "export_control_listings" => "an export-control listing".into(),
        "source_tags" | "note_tags" => "a tag".into(),
        "comparison_firms" => "a firm in a comparison".into(),
        table => format!("a row of {table}"),
    }
}

/// The plain-column unique constraints of `table` with their collations.
/// Expression and partial indexes are left to the insert, which still refuses.
fn unique_keys(conn: &Connection, table: &str) -> Result<Vec<Vec<(String, String)>>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM pragma_index_list(?1) WHERE \"unique\" = 1 AND partial = 0 ORDER BY seq DESC",
    )?;
    let indexes = stmt
        .query_map([table], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut keys = Vec::new();
    for index in indexes {
        let mut stmt = conn.prepare(
            "SELECT cid, name, coll FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
        )?;
        let columns = stmt
            .query_map([&index], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let plain: Option<Vec<(String, String)>> = columns
            .into_iter()
            .map(|(cid, name, collation)| {
                (cid >= 0).then_some(())?;
                Some((name?, collation.unwrap_or_else(|| "BINARY".into())))
            })
            .collect();
        if let Some(plain) = plain {
            keys.push(plain);
        }
    }
    Ok(keys)
}

//! Writing a record's fields, as the `record_<kind>` views give them, into the
//! local tables: the way changes from the team server (and a person's choice
//! in a conflict) reach the replica. References arrive as uids and are looked
//! up; a reference to a record this replica does not have is left out (a
//! required one refuses the record, naming it).

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::Id;
use crate::records::{id_of, RecordKind};
use crate::relations;
use crate::text::now_utc;

/// A field kept in one column of the record's own table.
struct Column {
    field: &'static str,
    column: &'static str,
    /// A reference: the kind of record its uid names.
    target: Option<RecordKind>,
    /// JSON kept as text (a comparison's dimensions and filters).
    json_text: bool,
}

const fn plain(field: &'static str) -> Column {
    Column {
        field,
        column: field,
        target: None,
        json_text: false,
    }
}

const fn reference(field: &'static str, column: &'static str, target: RecordKind) -> Column {
    Column {
        field,
        column,
        target: Some(target),
        json_text: false,
    }
}

const fn json_text(field: &'static str, column: &'static str) -> Column {
    Column {
        field,
        column,
        target: None,
        json_text: true,
    }
}

const FIRM: &[Column] = &[
    plain("name"),
    plain("native_name"),
    plain("kind"),
    plain("country"),
    reference("parent", "parent_firm_id", RecordKind::Firm),
    plain("website"),
    plain("summary"),
];
const STRATEGY: &[Column] = &[plain("name"), plain("description")];
const ASSESSMENT: &[Column] = &[
    reference("firm", "firm_id", RecordKind::Firm),
    reference("strategy", "strategy_id", RecordKind::Strategy),
    plain("stance"),
    plain("summary"),
    plain("as_of"),
];
const CHIP: &[Column] = &[
    reference("firm", "firm_id", RecordKind::Firm),
    plain("name"),
    plain("purpose"),
    plain("process_node_nm"),
    reference("foundry", "foundry_firm_id", RecordKind::Firm),
    plain("announced_on"),
    plain("peak_dense_tops"),
    plain("peak_bit_width"),
    plain("die_area_mm2"),
    plain("memory_gb"),
    plain("tdp_w"),
    plain("notes"),
];
const SOURCE: &[Column] = &[
    plain("kind"),
    plain("title"),
    plain("authors"),
    plain("publisher"),
    plain("url"),
    plain("doi"),
    plain("published_on"),
    plain("accessed_on"),
    plain("language"),
    plain("abstract"),
    plain("reliability"),
    plain("credibility"),
    plain("original_row"),
];
const NOTE: &[Column] = &[plain("title"), plain("body")];
const EVENT: &[Column] = &[
    plain("occurred_on"),
    plain("kind"),
    plain("title"),
    plain("description"),
];
const COMPARISON: &[Column] = &[
    plain("name"),
    json_text("dimensions", "dimensions_json"),
    json_text("filters", "filters_json"),
];

fn columns(kind: RecordKind) -> &'static [Column] {
    match kind {
        RecordKind::Firm => FIRM,
        RecordKind::Strategy => STRATEGY,
        RecordKind::Assessment => ASSESSMENT,
        RecordKind::Chip => CHIP,
        RecordKind::Source => SOURCE,
        RecordKind::Note => NOTE,
        RecordKind::Event => EVENT,
        RecordKind::Comparison => COMPARISON,
    }
}

/// Tables with created_at / updated_at columns.
fn stamped(kind: RecordKind) -> bool {
    matches!(
        kind,
        RecordKind::Firm | RecordKind::Source | RecordKind::Note | RecordKind::Comparison
    )
}

/// Whether `field` is one of the record's list fields (kept in link rows).
pub(crate) fn is_list(kind: RecordKind, field: &str) -> bool {
    use RecordKind as K;
    matches!(
        (kind, field),
        (K::Firm, "aliases" | "listings")
            | (K::Assessment, "evidence")
            | (K::Chip, "sources")
            | (K::Source, "tags" | "firms")
            | (K::Note, "tags")
            | (K::Event, "firms" | "sources")
            | (K::Comparison, "firms")
    )
}

/// The local id of a referenced record, if this replica has it.
fn local(conn: &Connection, kind: RecordKind, uid: &Value) -> Result<Option<Id>> {
    match uid.as_str() {
        Some(uid) => id_of(conn, kind, uid),
        None => Ok(None),
    }
}

fn to_sql(column: &Column, conn: &Connection, kind: RecordKind, value: &Value) -> Result<Sql> {
    if let Some(target) = column.target {
        return match (value, local(conn, target, value)?) {
            (Value::Null, _) => Ok(Sql::Null),
            (_, Some(id)) => Ok(Sql::Integer(id)),
            (_, None) => Err(Error::invalid(
                format!("{} {}", kind.as_str(), column.field),
                format!(
                    "names a {} this replica does not have ({value})",
                    target.as_str()
                ),
            )),
        };
    }
    if column.json_text {
        return Ok(Sql::Text(value.to_string()));
    }
    Ok(match value {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    })
}

/// Writes `fields` into the record `uid` of `kind`, creating it when this
/// replica does not have it; returns its local id. `version` is the server
/// version the record is at afterwards (None: leave it).
pub(crate) fn write_fields(
    conn: &Connection,
    kind: RecordKind,
    uid: &str,
    fields: &Map<String, Value>,
    version: Option<i64>,
) -> Result<Id> {
    let mut names = Vec::new();
    let mut values = Vec::new();
    for column in columns(kind) {
        if let Some(value) = fields.get(column.field) {
            // A reference to a record this replica lacks: an optional one is
            // left empty, a required one refuses the record.
            let sql = match to_sql(column, conn, kind, value) {
                Err(_) if is_optional_reference(kind, column.field) => Sql::Null,
                other => other?,
            };
            names.push(column.column);
            values.push(sql);
        }
    }
    let now = now_utc();
    let id = match id_of(conn, kind, uid)? {
        Some(id) => {
            let mut sets: Vec<String> = names.iter().map(|n| format!("{n} = ?")).collect();
            // An open form on the record is stale once any field changed.
            if !fields.is_empty() {
                sets.push("revision = revision + 1".into());
                if stamped(kind) {
                    sets.push("updated_at = ?".into());
                    values.push(Sql::Text(now));
                }
            }
            if let Some(v) = version {
                sets.push("sync_version = ?".into());
                values.push(Sql::Integer(v));
            }
            values.push(Sql::Integer(id));
            if sets.is_empty() {
                return Ok(id);
            }
            conn.prepare_cached(&format!(
                "UPDATE {} SET {} WHERE id = ?",
                kind.table(),
                sets.join(", ")
            ))?
            .execute(params_from_iter(values))?;
            id
        }
        None => {
            let mut names: Vec<&str> = names;
            names.push("uid");
            values.push(Sql::Text(uid.to_string()));
            names.push("sync_version");
            values.push(Sql::Integer(version.unwrap_or(0)));
            if stamped(kind) {
                names.extend(["created_at", "updated_at"]);
                values.extend([Sql::Text(now.clone()), Sql::Text(now)]);
            }
            let marks = vec!["?"; names.len()].join(", ");
            conn.prepare_cached(&format!(
                "INSERT INTO {} ({}) VALUES ({marks})",
                kind.table(),
                names.join(", ")
            ))?
            .execute(params_from_iter(values))?;
            conn.last_insert_rowid()
        }
    };
    for (field, value) in fields {
        if is_list(kind, field) {
            write_list(conn, kind, id, field, value)?;
        }
    }
    if kind == RecordKind::Note && fields.contains_key("body") {
        crate::notes::replace_links_of(conn, id)?;
    }
    Ok(id)
}

fn is_optional_reference(kind: RecordKind, field: &str) -> bool {
    matches!(
        (kind, field),
        (RecordKind::Firm, "parent") | (RecordKind::Chip, "foundry")
    )
}

fn items(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// The local ids of the uids in `value` this replica has, in order.
fn local_ids(conn: &Connection, kind: RecordKind, value: &Value) -> Result<Vec<Id>> {
    let mut ids = Vec::new();
    for uid in items(value) {
        if let Some(id) = local(conn, kind, uid)? {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn write_list(
    conn: &Connection,
    kind: RecordKind,
    id: Id,
    field: &str,
    value: &Value,
) -> Result<()> {
    use RecordKind as K;
    match (kind, field) {
        (K::Firm, "aliases") => {
            conn.prepare_cached("DELETE FROM firm_aliases WHERE firm_id = ?1")?
                .execute([id])?;
            for alias in items(value).iter().filter_map(Value::as_str) {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO firm_aliases (firm_id, alias) VALUES (?1, ?2)",
                )?
                .execute(rusqlite::params![id, alias])?;
            }
        }
        (K::Firm, "listings") => {
            conn.prepare_cached("DELETE FROM export_control_listings WHERE firm_id = ?1")?
                .execute([id])?;
            for listing in items(value) {
                let text = |key: &str| listing.get(key).and_then(Value::as_str).map(str::to_owned);
                let source = match listing.get("source") {
                    Some(uid) => local(conn, K::Source, uid)?,
                    None => None,
                };
                conn.prepare_cached("INSERT INTO export_control_listings (firm_id, list_name, listed_on, citation, source_id,
                        license_requirement, license_policy, programs, addresses, first_copy_on, removed_on)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?.execute(
                    rusqlite::params![id, text("list_name"), text("listed_on"), text("citation"), source,
                        text("license_requirement"), text("license_policy"), text("programs"), text("addresses"),
                        text("first_copy_on"), text("removed_on")],
                )?;
            }
        }
        (K::Assessment, "evidence") => {
            conn.prepare_cached("DELETE FROM assessment_evidence WHERE assessment_id = ?1")?
                .execute([id])?;
            for item in items(value) {
                let Some(source) =
                    local(conn, K::Source, item.get("source").unwrap_or(&Value::Null))?
                else {
                    continue;
                };
                conn.prepare_cached("INSERT OR IGNORE INTO assessment_evidence (assessment_id, source_id, locator, excerpt) VALUES (?1, ?2, ?3, ?4)")?.execute(
                    rusqlite::params![
                        id,
                        source,
                        item.get("locator").and_then(Value::as_str),
                        item.get("excerpt").and_then(Value::as_str)
                    ],
                )?;
            }
        }
        (K::Chip, "sources") => {
            let ids = local_ids(conn, K::Source, value)?;
            relations::replace(conn, "chip_sources", "chip_id", id, "source_id", &ids)?;
        }
        (K::Source | K::Note, "tags") => {
            let tags = items(value)
                .iter()
                .filter_map(Value::as_str)
                .map(|name| relations::tag_id(conn, name))
                .collect::<Result<Vec<_>>>()?;
            let (table, owner) = if kind == K::Source {
                ("source_tags", "source_id")
            } else {
                ("note_tags", "note_id")
            };
            relations::replace(conn, table, owner, id, "tag_id", &tags)?;
        }
        (K::Source, "firms") => {
            let ids = local_ids(conn, K::Firm, value)?;
            relations::replace(conn, "source_firms", "source_id", id, "firm_id", &ids)?;
        }
        (K::Event, "firms") => {
            let ids = local_ids(conn, K::Firm, value)?;
            relations::replace(conn, "event_firms", "event_id", id, "firm_id", &ids)?;
        }
        (K::Event, "sources") => {
            let ids = local_ids(conn, K::Source, value)?;
            relations::replace(conn, "event_sources", "event_id", id, "source_id", &ids)?;
        }
        (K::Comparison, "firms") => {
            conn.prepare_cached("DELETE FROM comparison_firms WHERE comparison_id = ?1")?
                .execute([id])?;
            for (position, firm) in local_ids(conn, K::Firm, value)?.into_iter().enumerate() {
                conn.prepare_cached("INSERT OR IGNORE INTO comparison_firms (comparison_id, firm_id, position) VALUES (?1, ?2, ?3)")?.execute(
                    rusqlite::params![id, firm, position as i64],
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether `field` refers to other records (a reference, or a list with them).
pub(crate) fn is_reference(kind: RecordKind, field: &str) -> bool {
    use RecordKind as K;
    columns(kind)
        .iter()
        .any(|c| c.field == field && c.target.is_some())
        || matches!(
            (kind, field),
            (K::Firm, "listings")
                | (K::Assessment, "evidence")
                | (K::Chip | K::Event, "sources")
                | (K::Source | K::Event | K::Comparison, "firms")
        )
}

/// Whether `fields` name a record this replica does not have (yet): a
/// reference, or an item of a list of references. Writing them again once
/// that record is here fills in what was left out.
pub(crate) fn names_a_missing_record(
    conn: &Connection,
    kind: RecordKind,
    fields: &Map<String, Value>,
) -> Result<bool> {
    use RecordKind as K;
    let missing = |target: RecordKind, uid: &Value| -> Result<bool> {
        Ok(!uid.is_null() && local(conn, target, uid)?.is_none())
    };
    for column in columns(kind) {
        if let (Some(target), Some(value)) = (column.target, fields.get(column.field)) {
            if missing(target, value)? {
                return Ok(true);
            }
        }
    }
    for (field, value) in fields {
        let (target, nested) = match (kind, field.as_str()) {
            (K::Firm, "listings") | (K::Assessment, "evidence") => (K::Source, true),
            (K::Chip | K::Event, "sources") => (K::Source, false),
            (K::Source | K::Event | K::Comparison, "firms") => (K::Firm, false),
            _ => continue,
        };
        for item in items(value) {
            let uid = if nested {
                item.get("source").unwrap_or(&Value::Null)
            } else {
                item
            };
            if missing(target, uid)? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

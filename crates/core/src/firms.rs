//! Firms: the list, the firm's own record and its form. The profile page with
//! everything linked to a firm is `profile.rs`.

use rusqlite::{params, Connection, OptionalExtension};

use crate::date;
use crate::error::{Error, Result};
use crate::firm_refs::firm_ref_at;
use crate::model::{
    Editing, Firm, FirmConflict, FirmDraft, FirmKind, FirmOrder, FirmRef, FirmSort, FirmSummary,
    Id, Listing, ListingDetails, ListingDraft,
};
use crate::store::Store;
use crate::text::{column_enum, enum_text, now_utc, sql_limit};
use crate::validate::{self, next_revision, required_revision};

/// All firms by name (case-insensitive), with counts for the list view.
pub fn list(store: &Store, limit: Option<usize>) -> Result<Vec<FirmSummary>> {
    list_sorted(store, FirmOrder::default(), limit)
}

/// All firms in `order`, with counts for the list view. Sorted here, not in
/// the UI, so every front door shows the same order; firms without the value
/// come last either way, ties go by name and then by id.
pub fn list_sorted(
    store: &Store,
    order: FirmOrder,
    limit: Option<usize>,
) -> Result<Vec<FirmSummary>> {
    let key = match order.sort {
        FirmSort::Name => "f.name COLLATE NOCASE",
        FirmSort::Kind => "f.kind",
        FirmSort::Country => "f.country",
        FirmSort::Parent => "p.name COLLATE NOCASE",
        FirmSort::Chips => "chip_count",
        FirmSort::Assessments => "assessment_count",
        FirmSort::Listings => "listing_count",
    };
    let dir = if order.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT f.id, f.name, f.native_name, f.kind, f.country, p.id, p.name, p.native_name,
                (SELECT count(*) FROM firm_chips fc WHERE fc.firm_id = f.id) AS chip_count,
                (SELECT count(*) FROM assessments a WHERE a.firm_id = f.id) AS assessment_count,
                (SELECT count(*) FROM export_control_listings l WHERE l.firm_id = f.id) AS listing_count
         FROM firms f LEFT JOIN firms p ON p.id = f.parent_firm_id
         ORDER BY {key} {dir} NULLS LAST, f.name COLLATE NOCASE, f.id LIMIT ?1"
    );
    let mut stmt = store.conn().prepare(&sql)?;
    let rows = stmt.query_map([sql_limit(limit)], |row| {
        Ok(FirmSummary {
            id: row.get(0)?,
            name: row.get(1)?,
            native_name: row.get(2)?,
            kind: column_enum(row, 3)?,
            country: row.get(4)?,
            parent: firm_ref_at(row, 5)?,
            chip_count: row.get(8)?,
            assessment_count: row.get(9)?,
            listing_count: row.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A firm's own record: names, aliases, parent and listings.
pub(crate) fn load(conn: &Connection, firm_id: Id) -> Result<Firm> {
    let firm = conn
        .query_row(
            "SELECT f.id, f.name, f.native_name, f.kind, f.country, p.id, p.name, p.native_name, f.website, f.summary
             FROM firms f LEFT JOIN firms p ON p.id = f.parent_firm_id WHERE f.id = ?1",
            [firm_id],
            |row| {
                Ok(Firm {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    native_name: row.get(2)?,
                    aliases: Vec::new(),
                    kind: column_enum(row, 3)?,
                    country: row.get(4)?,
                    parent: firm_ref_at(row, 5)?,
                    website: row.get(8)?,
                    summary: row.get(9)?,
                    listings: Vec::new(),
                })
            },
        )
        .optional()?;
    let mut firm = firm.ok_or(Error::NotFound {
        entity: "firm",
        id: firm_id,
    })?;

    let mut stmt =
        conn.prepare("SELECT alias FROM firm_aliases WHERE firm_id = ?1 ORDER BY alias")?;
    firm.aliases = stmt
        .query_map([firm_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;

    let mut stmt = conn.prepare(&format!(
        "SELECT id, list_name, listed_on, citation, source_id, {LISTING_DETAILS} FROM export_control_listings
         WHERE firm_id = ?1 ORDER BY listed_on, id"
    ))?;
    firm.listings = stmt
        .query_map([firm_id], |row| {
            Ok(Listing {
                id: row.get(0)?,
                list_name: row.get(1)?,
                listed_on: row.get(2)?,
                citation: row.get(3)?,
                source_ids: row.get::<_, Option<Id>>(4)?.into_iter().collect(),
                details: listing_details(row, 5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(firm)
}

/// The columns of [`ListingDetails`], in the order [`listing_details`] reads them.
const LISTING_DETAILS: &str =
    "license_requirement, license_policy, programs, addresses, first_copy_on, removed_on";

fn listing_details(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<ListingDetails> {
    Ok(ListingDetails {
        license_requirement: row.get(first)?,
        license_policy: row.get(first + 1)?,
        programs: row.get(first + 2)?,
        addresses: row.get(first + 3)?,
        first_copy_on: row.get(first + 4)?,
        removed_on: row.get(first + 5)?,
    })
}

// ---- The firm form ----------------------------------------------------------

/// A firm as its form edits it.
pub fn load_draft(store: &Store, firm_id: Id) -> Result<Editing<FirmDraft>> {
    store.read(|conn| load_draft_in(conn, firm_id))
}

fn load_draft_in(conn: &Connection, firm_id: Id) -> Result<Editing<FirmDraft>> {
    let firm = load(conn, firm_id)?;
    let revision: i64 =
        conn.query_row("SELECT revision FROM firms WHERE id = ?1", [firm_id], |r| {
            r.get(0)
        })?;
    let mut stmt = conn.prepare(&format!(
        "SELECT list_name, listed_on, citation, source_id, {LISTING_DETAILS} FROM export_control_listings
         WHERE firm_id = ?1 ORDER BY listed_on, id"
    ))?;
    let listings = stmt
        .query_map([firm_id], |row| {
            Ok(ListingDraft {
                list_name: row.get(0)?,
                listed_on: row.get(1)?,
                citation: row.get(2)?,
                source_id: row.get(3)?,
                details: listing_details(row, 4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Editing {
        id: firm.id,
        revision,
        draft: FirmDraft {
            name: firm.name,
            native_name: firm.native_name,
            aliases: firm.aliases,
            kind: firm.kind,
            country: firm.country,
            parent_firm_id: firm.parent.map(|p| p.id),
            website: firm.website,
            summary: firm.summary,
            listings,
        },
    })
}

/// Other firms that already use the name, native name or an alias typed into
/// the form (ignoring case), so the form can offer to open that firm instead.
pub fn find_conflicts(
    store: &Store,
    draft: &FirmDraft,
    except: Option<Id>,
) -> Result<Vec<FirmConflict>> {
    store.read(|conn| conflicts_in(conn, draft, except))
}

fn conflicts_in(
    conn: &Connection,
    draft: &FirmDraft,
    except: Option<Id>,
) -> Result<Vec<FirmConflict>> {
    let mut typed: Vec<(String, &str)> = vec![("name".into(), draft.name.as_str())];
    if let Some(native) = &draft.native_name {
        typed.push(("nativeName".into(), native));
    }
    for (index, alias) in draft.aliases.iter().enumerate() {
        typed.push((format!("aliases[{index}]"), alias));
    }
    let mut stmt = conn.prepare(
        "SELECT f.id, f.name, f.native_name FROM firms f
         WHERE f.id IS NOT ?2 AND (f.name = ?1 COLLATE NOCASE OR f.native_name = ?1 COLLATE NOCASE
            OR EXISTS (SELECT 1 FROM firm_aliases a WHERE a.firm_id = f.id AND a.alias = ?1 COLLATE NOCASE))
         ORDER BY f.id LIMIT 1",
    )?;
    let mut conflicts = Vec::new();
    for (field, name) in typed {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let firm = stmt
            .query_row(params![name, except], |row| {
                Ok(FirmRef {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    native_name: row.get(2)?,
                })
            })
            .optional()?;
        if let Some(firm) = firm {
            conflicts.push(FirmConflict {
                field,
                name: name.to_owned(),
                firm,
            });
        }
    }
    Ok(conflicts)
}

/// Creates (`firm_id` None) or updates a firm with its aliases and listings in
/// one transaction. An update names the revision its form loaded.
pub fn save(
    store: &mut Store,
    firm_id: Option<Id>,
    revision: Option<i64>,
    draft: &FirmDraft,
) -> Result<Editing<FirmDraft>> {
    store.write(|tx| {
        // A stale copy is refused before anything else: its fields may be outdated too.
        if let Some(id) = firm_id {
            next_revision(tx, "firms", "firm", id, required_revision(revision)?)?;
        }
        let clean = validate_draft(tx, draft, firm_id)?;
        let now = now_utc();
        let id = match firm_id {
            Some(id) => {
                tx.execute(
                    "UPDATE firms SET name = ?2, native_name = ?3, kind = ?4, country = ?5, parent_firm_id = ?6,
                            website = ?7, summary = ?8, updated_at = ?9 WHERE id = ?1",
                    params![id, clean.name, clean.native_name, enum_text(&clean.kind), clean.country,
                            clean.parent_firm_id, clean.website, clean.summary, now],
                )?;
                id
            }
            None => insert(tx, &FirmRow::of_draft(&clean, &now))?,
        };
        tx.execute("DELETE FROM firm_aliases WHERE firm_id = ?1", [id])?;
        for alias in &clean.aliases {
            tx.execute(
                "INSERT INTO firm_aliases (firm_id, alias) VALUES (?1, ?2)",
                params![id, alias],
            )?;
        }
        tx.execute("DELETE FROM export_control_listings WHERE firm_id = ?1", [id])?;
        for l in &clean.listings {
            let d = &l.details;
            tx.execute(
                "INSERT INTO export_control_listings (firm_id, list_name, listed_on, citation, source_id,
                    license_requirement, license_policy, programs, addresses, first_copy_on, removed_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![id, l.list_name, l.listed_on, l.citation, l.source_id, d.license_requirement,
                        d.license_policy, d.programs, d.addresses, d.first_copy_on, d.removed_on],
            )?;
        }
        load_draft_in(tx, id)
    })
}

// ---- Writing a new firm -------------------------------------------------------

/// The one statement that adds a firm: the form, the firm and chip imports,
/// the default dataset and both sample generators all write through
/// [`insert`]. It names every column but `id` and `revision`,
/// which a new row takes from the table; a test compares it with the table.
pub(crate) const INSERT_FIRM: &str =
    "INSERT INTO firms (name, native_name, kind, country, parent_firm_id, website, summary, import_batch_id,
        created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";

/// A new firm as it is stored, borrowed from whatever its writer holds.
/// Adding a column to `firms` means a field here, its place in
/// [`INSERT_FIRM`] and [`insert`]; the compiler then names every writer that
/// must fill it.
pub(crate) struct FirmRow<'a> {
    pub name: &'a str,
    pub native_name: Option<&'a str>,
    pub kind: FirmKind,
    pub country: Option<&'a str>,
    pub parent_firm_id: Option<Id>,
    pub website: Option<&'a str>,
    pub summary: &'a str,
    pub import_batch_id: Option<Id>,
    /// When it was added: its `created_at`, and its `updated_at` too.
    pub created_at: &'a str,
}

impl<'a> FirmRow<'a> {
    /// A checked draft's fields (its aliases and listings are written apart),
    /// typed rather than imported.
    pub fn of_draft(draft: &'a FirmDraft, created_at: &'a str) -> FirmRow<'a> {
        FirmRow {
            name: &draft.name,
            native_name: draft.native_name.as_deref(),
            kind: draft.kind,
            country: draft.country.as_deref(),
            parent_firm_id: draft.parent_firm_id,
            website: draft.website.as_deref(),
            summary: &draft.summary,
            import_batch_id: None,
            created_at,
        }
    }
}

/// Adds one firm (no aliases or listings); its id. The statement is cached on
/// the connection, so a writer adding many reuses it.
pub(crate) fn insert(conn: &Connection, row: &FirmRow<'_>) -> Result<Id> {
    Ok(conn.prepare_cached(INSERT_FIRM)?.insert(params![
        row.name,
        row.native_name,
        enum_text(&row.kind),
        row.country,
        row.parent_firm_id,
        row.website,
        row.summary,
        row.import_batch_id,
        row.created_at,
    ])?)
}

/// Makes `parent_id` the parent of firm `id`, as loaders do once every firm of
/// a file exists (a parent may come after its subsidiary); not a revision.
pub(crate) fn set_parent(conn: &Connection, id: Id, parent_id: Id) -> Result<()> {
    conn.execute(
        "UPDATE firms SET parent_firm_id = ?2 WHERE id = ?1",
        params![id, parent_id],
    )?;
    Ok(())
}

/// The draft as it will be stored, or the first field at fault.
fn validate_draft(conn: &Connection, draft: &FirmDraft, firm_id: Option<Id>) -> Result<FirmDraft> {
    let clean = FirmDraft {
        name: validate::required("name", &draft.name)?,
        native_name: validate::optional("nativeName", draft.native_name.as_deref())?,
        aliases: validate::name_list("aliases", &draft.aliases)?,
        kind: draft.kind,
        country: validate::country("country", draft.country.as_deref())?,
        parent_firm_id: draft.parent_firm_id,
        website: validate::url("website", draft.website.as_deref())?,
        summary: validate::text("summary", &draft.summary)?,
        listings: draft
            .listings
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let field = |name: &str| format!("listings[{i}].{name}");
                Ok(ListingDraft {
                    list_name: validate::required(&field("listName"), &l.list_name)?,
                    listed_on: date::LISTED_ON
                        .read_at(&field("listedOn"), l.listed_on.as_deref())?,
                    citation: validate::optional(&field("citation"), l.citation.as_deref())?,
                    source_id: l
                        .source_id
                        .map(|id| {
                            validate::existing_id(conn, &field("sourceId"), "sources", "source", id)
                        })
                        .transpose()?,
                    details: l.details.clone(),
                })
            })
            .collect::<Result<_>>()?,
    };
    if let Some(conflict) = conflicts_in(conn, &clean, firm_id)?.into_iter().next() {
        return Err(Error::invalid(
            conflict.field,
            format!(
                "'{}' is already the firm {}; open that firm instead of adding it twice",
                conflict.name,
                display_name(&conflict.firm)
            ),
        ));
    }
    if let Some(parent) = clean.parent_firm_id {
        validate::existing_id(conn, "parentFirmId", "firms", "parent firm", parent)?;
        let cycle = match firm_id {
            Some(id) => is_in_parent_chain(conn, parent, id)?,
            None => false,
        };
        if cycle {
            return Err(Error::invalid(
                "parentFirmId",
                "a firm cannot be its own parent or the parent of its parent; choose another firm",
            ));
        }
    }
    Ok(clean)
}

/// True when `firm_id` is `start` or one of its ancestors (walking parent links).
fn is_in_parent_chain(conn: &Connection, start: Id, firm_id: Id) -> Result<bool> {
    let found: Option<i64> = conn
        .query_row(
            "WITH RECURSIVE chain(id) AS (SELECT ?1 UNION SELECT f.parent_firm_id FROM firms f JOIN chain c ON f.id = c.id WHERE f.parent_firm_id IS NOT NULL)
             SELECT 1 FROM chain WHERE id = ?2",
            params![start, firm_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

/// "Huawei (华为)" or "Huawei".
fn display_name(firm: &FirmRef) -> String {
    match &firm.native_name {
        Some(native) => format!("{} ({native})", firm.name),
        None => firm.name.clone(),
    }
}

// ---- Naming a firm -----------------------------------------------------------

/// The firm `text` names: its name, an alias or its native name (ignoring
/// case, as typed, then as a `[[link]]` reads it), else its id (`12` or `#12`).
/// A text that names no firm is invalid input for `field`, with near matches.
pub fn resolve(store: &Store, field: &str, text: &str) -> Result<Id> {
    store.read(|conn| resolve_in(conn, field, text))
}

pub(crate) fn resolve_in(conn: &Connection, field: &str, text: &str) -> Result<Id> {
    // As typed first (a name may hold a line break), then as a [[link]] reads it.
    let exact: Option<Id> = conn
        .query_row(
            "SELECT id FROM (
                SELECT id, 1 AS rank FROM firms WHERE name = ?1 COLLATE NOCASE
                UNION ALL SELECT firm_id, 2 FROM firm_aliases WHERE alias = ?1 COLLATE NOCASE
                UNION ALL SELECT id, 3 FROM firms WHERE native_name = ?1 COLLATE NOCASE)
             ORDER BY rank, id LIMIT 1",
            [text.trim()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = exact {
        return Ok(id);
    }
    let name = crate::links::normalize(text);
    if name.is_empty() {
        return Err(Error::invalid(field, "a firm name is empty"));
    }
    if let Some(found) = crate::links::resolve(conn, &format!("firm:{name}"))? {
        if found.kind == crate::links::LinkKind::Firm {
            return Ok(found.id);
        }
    }
    if let Ok(id) = name.trim_start_matches('#').parse::<Id>() {
        let exists: Option<i64> = conn
            .query_row("SELECT 1 FROM firms WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        if exists.is_some() {
            return Ok(id);
        }
    }
    let near = near_firm_names(conn, &name)?;
    let hint = if near.is_empty() {
        "see `chipwatch list firms` for the names".to_owned()
    } else {
        format!("did you mean {}?", near.join(", "))
    };
    Err(Error::invalid(
        field,
        format!("no firm is called '{name}'; {hint}"),
    ))
}

/// Up to five firm names close to `typed`: one contains the other (ignoring
/// case), or they differ by a few letters.
fn near_firm_names(conn: &Connection, typed: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT f.name, f.name FROM firms f
         UNION ALL SELECT f.name, f.native_name FROM firms f WHERE f.native_name IS NOT NULL
         UNION ALL SELECT f.name, a.alias FROM firm_aliases a JOIN firms f ON f.id = a.firm_id",
    )?;
    let known = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let typed_lower = typed.to_lowercase();
    let mut scored: Vec<(usize, String)> = Vec::new();
    for (firm, label) in known {
        let lower = label.to_lowercase();
        let distance = if lower.contains(&typed_lower) || typed_lower.contains(&lower) {
            0
        } else {
            edit_distance(&lower, &typed_lower)
        };
        let allowed = (typed_lower.chars().count() / 3).max(1);
        if distance <= allowed {
            scored.push((distance, firm));
        }
    }
    scored.sort();
    let mut names: Vec<String> = Vec::new();
    for (_, name) in scored {
        if !names.contains(&name) && names.len() < 5 {
            names.push(name);
        }
    }
    Ok(names)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{insert_columns, table_columns_but};

    /// Columns a new row takes from the table: its rowid and first revision.
    /// (`uid` is given by the insert trigger, `sync_version` by team sync.)
    const LEFT_TO_DEFAULT: [&str; 4] = ["id", "revision", "uid", "sync_version"];

    /// A column added to `firms` must be written by the one insert (or be
    /// named as left to its default), or every writer would leave it out.
    #[test]
    fn the_insert_names_every_column_of_firms() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            insert_columns(INSERT_FIRM),
            table_columns_but(store.conn(), "firms", &LEFT_TO_DEFAULT)
        );
    }
}

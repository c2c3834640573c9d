//! Notes: the analyst's own writing, in Markdown, with `[[links]]` to firms,
//! chips, sources, events and strategies (see `links.rs` for what a link names).
//!
//! A note's links are stored in `note_links` when it is saved, recomputed from
//! the body each time, so backlinks ("mentioned in 4 notes") are one indexed
//! query. Rendering resolves the body's links afresh, so a note shows a link
//! as missing once its record is renamed, until the note is edited.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::links::{self, EntityRef, LinkTarget};
use crate::markdown;
use crate::model::{Id, Note, NoteDraft, NoteRef};
use crate::relations;
use crate::store::Store;
use crate::text::{grouped, now_utc, sql_limit};
use crate::validate;

/// A note ready to show: its fields, its body as safe HTML, and what it links to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenderedNote {
    pub note: Note,
    /// Sanitised HTML of the body (see `markdown.rs`); safe to insert as is.
    pub html: String,
    /// The records the body links to, in order of first mention, each once.
    pub links: Vec<LinkTarget>,
    /// `[[Links]]` that name no record, as written between the brackets.
    pub missing_links: Vec<String>,
}

/// What the Notes list asks for: one page, optionally narrowed by words and a tag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteListQuery {
    /// Words or Chinese characters, matched through the search index; blank for all notes.
    pub text: Option<String>,
    /// Only notes with this tag (ignoring case).
    pub tag: Option<String>,
    pub offset: u32,
    /// Rows per page (default 50, at most 200).
    pub limit: Option<u32>,
}

/// One page of the Notes list. Without words the order is most recently changed
/// first and `total` counts every matching note; with words the order is best
/// match first and at most `SEARCH_CAP` matches are listed (`capped` says so).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteList {
    pub notes: Vec<NoteSummary>,
    pub total: u32,
    pub capped: bool,
}

/// A row of the Notes list: the start of the body only, never the whole note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteSummary {
    pub id: Id,
    pub title: String,
    /// Up to 220 characters of the body without Markdown marks.
    pub excerpt: String,
    pub tags: Vec<String>,
    pub updated_at: String,
}

/// A tag and how many notes carry it, for the Notes list's tag menu.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TagCount {
    pub name: String,
    pub notes: u32,
}

/// The most matches a worded Notes filter lists (the search index ranks them).
pub const SEARCH_CAP: u32 = 200;

/// One page of notes for the list (see `NoteListQuery`).
pub fn page(store: &Store, query: &NoteListQuery) -> Result<NoteList> {
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let tag = query
        .tag
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let text = query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if let Some(text) = text {
        let hits = crate::search::search(
            store,
            &crate::search::SearchQuery {
                text: text.to_owned(),
                kinds: vec![crate::search::SearchKind::Note],
                tag: tag.map(str::to_owned),
                from: None,
                to: None,
                limit: Some(SEARCH_CAP),
            },
        )?;
        let total = hits.len() as u32;
        let ids: Vec<Id> = hits
            .iter()
            .skip(query.offset as usize)
            .take(limit as usize)
            .map(|h| h.id)
            .collect();
        let notes = store.read(|conn| summaries(conn, &ids))?;
        return Ok(NoteList {
            notes,
            total,
            capped: total >= SEARCH_CAP,
        });
    }
    store.read(|conn| {
        let (total, ids): (u32, Vec<Id>) = match tag {
            None => {
                let total = conn.query_row("SELECT count(*) FROM notes", [], |r| r.get(0))?;
                let mut stmt = conn.prepare(
                    "SELECT id FROM notes ORDER BY updated_at DESC, id DESC LIMIT ?1 OFFSET ?2",
                )?;
                let ids = stmt
                    .query_map(params![limit, query.offset], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                (total, ids)
            }
            Some(tag) => {
                const TAGGED: &str = "FROM notes n JOIN note_tags nt ON nt.note_id = n.id
                     JOIN tags t ON t.id = nt.tag_id WHERE t.name = ?1 COLLATE NOCASE";
                let total =
                    conn.query_row(&format!("SELECT count(*) {TAGGED}"), [tag], |r| r.get(0))?;
                let mut stmt = conn.prepare(&format!(
                    "SELECT n.id {TAGGED} ORDER BY n.updated_at DESC, n.id DESC LIMIT ?2 OFFSET ?3"
                ))?;
                let ids = stmt
                    .query_map(params![tag, limit, query.offset], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                (total, ids)
            }
        };
        Ok(NoteList {
            notes: summaries(conn, &ids)?,
            total,
            capped: false,
        })
    })
}

/// Every tag on a note, most used first.
pub fn tags(store: &Store) -> Result<Vec<TagCount>> {
    store.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT t.name, count(*) AS uses FROM tags t JOIN note_tags nt ON nt.tag_id = t.id
             GROUP BY t.id ORDER BY uses DESC, t.name",
        )?;
        let tags = stmt
            .query_map([], |r| {
                Ok(TagCount {
                    name: r.get(0)?,
                    notes: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(tags)
    })
}

/// List rows for these notes, in the order given. Reads only the start of each
/// body, so a page of long notes stays small.
fn summaries(conn: &Connection, ids: &[Id]) -> Result<Vec<NoteSummary>> {
    let mut row = conn.prepare_cached(
        "SELECT title, substr(body, 1, 600), updated_at FROM notes WHERE id = ?1",
    )?;
    let mut tag_rows = conn.prepare_cached(
        "SELECT t.name FROM tags t JOIN note_tags nt ON nt.tag_id = t.id WHERE nt.note_id = ?1 ORDER BY t.name",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let found = row
            .query_row([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .optional()?;
        // A note deleted between the search and this read is simply left out.
        let Some((title, body, updated_at)) = found else {
            continue;
        };
        let tags = tag_rows
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.push(NoteSummary {
            id,
            title,
            excerpt: excerpt(&body),
            tags,
            updated_at,
        });
    }
    Ok(out)
}

/// The start of a body as plain text: `[[Target|label]]` shows its label, and
/// Markdown marks and line breaks are dropped.
pub fn excerpt(body: &str) -> String {
    let mut plain = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("[[") {
        plain.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("]]") {
            Some(end) => {
                let inner = &after[..end];
                plain.push_str(inner.rsplit('|').next().unwrap_or(inner));
                rest = &after[end + 2..];
            }
            None => {
                plain.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    plain.push_str(rest);
    let cleaned: String = plain
        .chars()
        .filter(|c| !matches!(c, '#' | '*' | '_' | '`' | '>'))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let words = cleaned
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    match words.char_indices().nth(220) {
        Some((cut, _)) => format!("{}…", words[..cut].trim_end()),
        None => words,
    }
}

/// A note that links to a record, as the record's page lists it: the text
/// around the mention, never the whole body or its Markdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteMention {
    pub id: Id,
    pub title: String,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub snippet: markdown::MentionSnippet,
}

/// `note_id` as a page of `target` lists it: the text around its first
/// `[[link]]` to `target`, or else around the first of `names` (the record's
/// names as the reader knows them), or else the start of the body.
pub(crate) fn mention_in(
    conn: &Connection,
    note_id: Id,
    target: EntityRef,
    names: &[&str],
) -> Result<NoteMention> {
    let note = load(conn, note_id)?;
    let snippet = markdown::mention_snippet(
        &note.body,
        |text| Ok::<bool, Error>(links::resolve(conn, text)? == Some(target)),
        names,
    )?;
    Ok(NoteMention {
        id: note.id,
        title: note.title,
        tags: note.tags,
        created_at: note.created_at,
        updated_at: note.updated_at,
        snippet,
    })
}

/// All notes, most recently changed first.
pub fn list(store: &Store, limit: Option<usize>) -> Result<Vec<Note>> {
    store.read(|conn| {
        let mut stmt =
            conn.prepare("SELECT id FROM notes ORDER BY updated_at DESC, id LIMIT ?1")?;
        let ids = stmt
            .query_map([sql_limit(limit)], |row| row.get::<_, Id>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter().map(|id| load(conn, id)).collect()
    })
}

pub(crate) fn load(conn: &Connection, note_id: Id) -> Result<Note> {
    let note = conn
        .query_row(
            "SELECT id, title, body, created_at, updated_at, revision FROM notes WHERE id = ?1",
            [note_id],
            |row| {
                Ok(Note {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    body: row.get(2)?,
                    tags: Vec::new(),
                    created_at: row.get(3)?,
                    updated_at: row.get(4)?,
                    revision: row.get(5)?,
                })
            },
        )
        .optional()?;
    let mut note = note.ok_or(Error::NotFound {
        entity: "note",
        id: note_id,
    })?;
    let mut stmt =
        conn.prepare("SELECT t.name FROM tags t JOIN note_tags nt ON nt.tag_id = t.id WHERE nt.note_id = ?1 ORDER BY t.name")?;
    note.tags = stmt
        .query_map([note_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(note)
}

/// Creates a note (`note_id` None) or updates one, with its tags and links, in
/// one transaction. An update must name the revision it was made on
/// (`expected_revision`); if the note changed or was deleted since, nothing is
/// saved and the error says so. Tags are trimmed, kept once ignoring case, and
/// created as needed; an existing tag keeps its spelling.
pub fn save(
    store: &mut Store,
    note_id: Option<Id>,
    draft: &NoteDraft,
    expected_revision: Option<i64>,
) -> Result<Note> {
    store.write(|tx| {
        // A stale copy is refused before anything else: its fields may be outdated too.
        if let Some(id) = note_id {
            let expected = expected_revision.ok_or_else(|| {
                Error::invalid(
                    "revision",
                    "an edit must name the revision it was made on; reload the note",
                )
            })?;
            validate::next_revision(tx, "notes", "note", id, expected)?;
        }
        let title = validate::required("title", &draft.title)?;
        let body = validate::text("body", &draft.body)?;
        let depth = markdown::nesting_depth(&body);
        if depth > markdown::MAX_NESTING {
            return Err(Error::invalid(
                "body",
                format!(
                    "nests {} levels deep (block quotes or list items inside each other); the limit is {}. Remove the extra '>' or list markers",
                    grouped(depth as u64),
                    markdown::MAX_NESTING
                ),
            ));
        }
        let tags = validate::name_list("tags", &draft.tags)?;
        let now = now_utc();
        let id = match note_id {
            Some(id) => {
                tx.execute(
                    "UPDATE notes SET title = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
                    params![id, title, body, now],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO notes (title, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                    params![title, body, now],
                )?;
                tx.last_insert_rowid()
            }
        };
        let tag_ids = tags
            .iter()
            .map(|t| relations::tag_id(tx, t))
            .collect::<Result<Vec<_>>>()?;
        relations::replace(tx, "note_tags", "note_id", id, "tag_id", &tag_ids)?;
        replace_links(tx, id, &body)?;
        load(tx, id)
    })
}

/// Recomputes the links of note `note_id` from its stored body (a body that
/// arrived from the team server).
pub(crate) fn replace_links_of(conn: &Connection, note_id: Id) -> Result<()> {
    let body: String = conn.query_row("SELECT body FROM notes WHERE id = ?1", [note_id], |r| {
        r.get(0)
    })?;
    replace_links(conn, note_id, &body)
}

/// Makes `note_links` hold exactly the records `body` links to.
fn replace_links(conn: &Connection, note_id: Id, body: &str) -> Result<()> {
    conn.execute("DELETE FROM note_links WHERE note_id = ?1", [note_id])?;
    for text in markdown::wiki_links(body) {
        if let Some(target) = links::resolve(conn, &text)? {
            conn.execute(
                &format!(
                    "INSERT OR IGNORE INTO note_links (note_id, {}) VALUES (?1, ?2)",
                    target.kind.note_links_column()
                ),
                params![note_id, target.id],
            )?;
        }
    }
    Ok(())
}

/// A note with its body rendered to safe HTML and its links resolved, from
/// one snapshot (rendered after the read).
pub fn render(store: &Store, note_id: Id) -> Result<RenderedNote> {
    let (note, resolved) = store.read(|conn| {
        let note = load(conn, note_id)?;
        let resolved = resolve_links(conn, &markdown::wiki_links(&note.body))?;
        Ok((note, resolved))
    })?;
    let html = markdown::to_html(&note.body, |text| resolved.targets.get(text).cloned());
    Ok(RenderedNote {
        note,
        html,
        links: resolved.links,
        missing_links: resolved.missing,
    })
}

/// What a body's `[[links]]` name in the workspace, for [`render_preview`]:
/// the only part of the editor's live preview that reads the workspace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviewLinks {
    targets: HashMap<String, LinkTarget>,
}

/// Resolves the `[[links]]` of `body` (nothing is saved). With
/// [`render_preview`] the app holds the workspace only for this step.
pub fn preview_links(store: &Store, body: &str) -> Result<PreviewLinks> {
    let texts = markdown::wiki_links(body);
    let resolved = store.read(|conn| resolve_links(conn, &texts))?;
    Ok(PreviewLinks {
        targets: resolved.targets,
    })
}

/// The HTML `body` would render to with these links, without the workspace.
pub fn render_preview(body: &str, links: &PreviewLinks) -> String {
    markdown::to_html(body, |text| links.targets.get(text).cloned())
}

/// The HTML a body would render to, for the editor's live preview (nothing
/// is saved): [`preview_links`], then [`render_preview`].
pub fn preview(store: &Store, body: &str) -> Result<String> {
    let links = preview_links(store, body)?;
    Ok(render_preview(body, &links))
}

/// A body's link texts resolved: the target of each that names a record,
/// the records (each once, in order of first mention) and the texts that
/// name none.
struct ResolvedLinks {
    targets: HashMap<String, LinkTarget>,
    links: Vec<LinkTarget>,
    missing: Vec<String>,
}

fn resolve_links(conn: &Connection, texts: &[String]) -> Result<ResolvedLinks> {
    let mut resolved = ResolvedLinks {
        targets: HashMap::new(),
        links: Vec::new(),
        missing: Vec::new(),
    };
    // Records already listed, so thousands of links are not rescanned per link.
    let mut listed: HashSet<EntityRef> = HashSet::new();
    for text in texts {
        let target = match links::resolve(conn, text)? {
            Some(entity) => links::describe(conn, entity)?,
            None => None,
        };
        match target {
            Some(target) => {
                if listed.insert(target.entity()) {
                    resolved.links.push(target.clone());
                }
                resolved.targets.insert(text.clone(), target);
            }
            None => resolved.missing.push(text.clone()),
        }
    }
    Ok(resolved)
}

/// The notes that link to `target`, most recently changed first ("mentioned in 4 notes").
pub fn backlinks(store: &Store, target: EntityRef) -> Result<Vec<NoteRef>> {
    store.read(|conn| {
        let mut stmt = conn.prepare(&format!(
            "SELECT n.id, n.title, n.updated_at FROM notes n
              WHERE n.id IN (SELECT note_id FROM note_links WHERE {} = ?1)
              ORDER BY n.updated_at DESC, n.id DESC",
            target.kind.note_links_column()
        ))?;
        let notes = stmt
            .query_map([target.id], |row| {
                Ok(NoteRef {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    updated_at: row.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(notes)
    })
}

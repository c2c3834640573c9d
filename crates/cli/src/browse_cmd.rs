//! Reading a workspace from a terminal: `search` and `list`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::search::{self, SearchKind, SearchQuery};
use chipwatch_core::{chips, events, firms, notes, sources, strategies, Error, Store};
use serde::Serialize;

use crate::{print_json, Entity, SearchKindArg};

pub(crate) fn search_command(
    path: &Path,
    query: String,
    more_words: &[String],
    kinds: Vec<SearchKindArg>,
    limit: Option<u32>,
    json: bool,
) -> Result<ExitCode, Error> {
    // Once an unquoted query has begun, clap takes whatever follows as more of
    // it (so that `-huawei` is a word, not `-h`), options included.
    if let Some(option) = more_words.iter().find(|w| w.starts_with("--")) {
        eprintln_escaped!(
            "chipwatch: '{option}' came after the words of the query, so it would be searched for; \
             give options before the query, or quote the query: chipwatch search {option} … \"芯片 -huawei\""
        );
        return Ok(ExitCode::from(2));
    }
    let text = std::iter::once(query)
        .chain(more_words.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    if search::only_leaves_out(&text) {
        eprintln_escaped!(
            "chipwatch: '{text}' only leaves words out, so nothing is found; add a word to look for, \
             e.g. chipwatch search \"芯片 {text}\""
        );
    }
    let query = SearchQuery {
        text,
        kinds: kinds.into_iter().map(SearchKind::from).collect(),
        limit,
        ..SearchQuery::default()
    };
    let hits = search::search(&Store::open_read_only(path)?, &query)?;
    if json {
        return print_json(&hits);
    }
    for hit in &hits {
        println_escaped!(
            "{:<6} {:>7}  {}  {}",
            hit.kind.as_str(),
            hit.id,
            hit.title,
            hit.snippet
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn list(
    store: &Store,
    entity: Entity,
    json: bool,
    limit: Option<usize>,
) -> Result<ExitCode, Error> {
    match entity {
        Entity::Firms => print_rows(firms::list(store, limit)?, json, |f| {
            (f.id, &f.name, f.native_name.clone().unwrap_or_default())
        }),
        Entity::Chips => {
            let listed = chips::list(store, limit)?
                .into_iter()
                .map(crate::import_cmd::ListedChip::from)
                .collect();
            print_rows(listed, json, |c: &crate::import_cmd::ListedChip| {
                (c.chip.id, &c.chip.name, c.chip.firm.name.clone())
            })
        }
        Entity::Sources => print_rows(sources::list(store, limit)?, json, |s| {
            (s.id, &s.title, s.published_on.clone().unwrap_or_default())
        }),
        Entity::Notes => print_rows(notes::list(store, limit)?, json, |n| {
            (n.id, &n.title, n.tags.join(", "))
        }),
        Entity::Events => print_rows(events::list(store, limit)?, json, |e| {
            (e.id, &e.title, e.occurred_on.clone())
        }),
        Entity::Strategies => print_rows(strategies::list(store, limit)?, json, |s| {
            (s.id, &s.name, String::new())
        }),
    }
}

/// Prints `items` as JSON, or one line each: id, name or title, a short detail.
pub(crate) fn print_rows<T: Serialize>(
    items: Vec<T>,
    json: bool,
    line: impl Fn(&T) -> (i64, &String, String),
) -> Result<ExitCode, Error> {
    if json {
        return print_json(&items);
    }
    for item in &items {
        let (id, name, detail) = line(item);
        println_escaped!("{id:>5}  {name}  {detail}");
    }
    Ok(ExitCode::SUCCESS)
}

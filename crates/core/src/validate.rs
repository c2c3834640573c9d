//! Field checks shared by every form, so each rule is written once. Each check
//! takes the form's field name (camelCase, as the UI names it) and returns the
//! value as it will be stored, or `Error::InvalidInput` naming that field.
//! Dates are read by their field (`date::DateField`, e.g. `date::LISTED_ON`).

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::Id;
use crate::text::grouped;

/// Longest text a single field accepts: generous (a pasted abstract or a long
/// note), but a bound, so a mistaken paste of a whole file is refused clearly.
pub const MAX_TEXT_CHARS: usize = 200_000;

/// A required single-line or multi-line value, trimmed.
pub fn required(field: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    bounded(field, trimmed)
}

/// An optional value, trimmed; blank becomes `None`.
pub fn optional(field: &str, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded(field, text).map(Some),
    }
}

/// Free text kept as typed (leading spaces and newlines may matter in a summary),
/// only bounded in length.
pub fn text(field: &str, value: &str) -> Result<String> {
    bounded(field, value)
}

fn bounded(field: &str, value: &str) -> Result<String> {
    let chars = value.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Error::invalid(
            field,
            format!("is {chars} characters long; the limit is {MAX_TEXT_CHARS}"),
        ));
    }
    Ok(value.to_owned())
}

/// A web address: http or https with a host, no spaces.
pub fn url(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(url) = optional(field, value)? else {
        return Ok(None);
    };
    if is_web_address(&url) {
        Ok(Some(url))
    } else {
        Err(Error::invalid(
            field,
            format!("'{url}' is not a web address; write it as https://example.org/page"),
        ))
    }
}

/// The rule of [`url`], for text already stored: http or https (in any case)
/// with a host, no spaces or control characters. Only such an address becomes
/// a link in an export; `workspace::check` names stored ones that break it.
pub fn is_web_address(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    host.is_some_and(|host| !host.is_empty())
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Characters that change how text is shown without being seen (direction
/// overrides, zero-width marks): an address holding one could show one host
/// and open another.
fn is_invisible_mark(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The address the system browser may be asked to open: a web address (the
/// rule of [`is_web_address`]: http or https, a host, no spaces), without a
/// user name or password before the host ("https://bank.com@evil.example"
/// opens evil.example), a backslash or invisible marks. Non-ASCII hosts
/// (华为.com) are kept: the browser shows and resolves them itself.
pub fn openable_web_address(text: &str) -> Result<String> {
    let address = text.trim();
    let refuse = || {
        Error::invalid(
            "url",
            format!("'{address}' cannot be opened: only http and https web addresses open in the browser"),
        )
    };
    if !is_web_address(address) || address.contains('\\') || address.chars().any(is_invisible_mark)
    {
        return Err(refuse());
    }
    let after_scheme = address
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    if authority.contains('@') {
        return Err(refuse());
    }
    Ok(address.to_owned())
}

/// https://doi.org/<doi> for a DOI (bare or written as a link, as [`doi`]
/// accepts it); characters that would end the path (?, #, %, spaces …) are
/// percent-encoded so the whole DOI reaches the resolver.
pub fn doi_web_address(text: &str) -> Result<String> {
    let bare = doi("doi", Some(text))?.ok_or_else(|| Error::invalid("doi", "is required"))?;
    let mut address = String::from("https://doi.org/");
    for byte in bare.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:;()[]".contains(&byte) {
            address.push(char::from(byte));
        } else {
            address.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(address)
}

/// A DOI, stored bare ("10.1000/xyz"); a doi.org link or "doi:" prefix is accepted and removed.
pub fn doi(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(text) = optional(field, value)? else {
        return Ok(None);
    };
    let lower = text.to_ascii_lowercase();
    let bare = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "doi:",
    ]
    .iter()
    .find_map(|prefix| {
        lower
            .starts_with(prefix)
            .then(|| text[prefix.len()..].trim())
    })
    .unwrap_or(&text);
    let valid = bare.split_once('/').is_some_and(|(registrant, suffix)| {
        registrant.len() >= 7
            && registrant.starts_with("10.")
            && registrant[3..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.')
            && !suffix.is_empty()
            && !suffix.chars().any(char::is_whitespace)
    });
    if valid {
        Ok(Some(bare.to_owned()))
    } else {
        Err(Error::invalid(
            field,
            format!("'{text}' is not a DOI; a DOI looks like 10.1038/s41586-023-06004-9"),
        ))
    }
}

/// A measured quantity: finite and above zero when given.
pub fn positive(field: &str, value: Option<f64>) -> Result<Option<f64>> {
    match value {
        Some(v) if !v.is_finite() || v <= 0.0 => Err(Error::invalid(
            field,
            format!("{v} is not a positive number; leave it empty when you do not have the figure"),
        )),
        other => Ok(other),
    }
}

/// A country as its ISO 3166-1 alpha-2 code, from the code itself ("cn"),
/// its alpha-3 code ("CHN") or its name in English or Chinese ("China", "中国"):
/// see [`crate::country::alpha2`].
pub fn country(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(text) = optional(field, value)? else {
        return Ok(None);
    };
    match crate::country::alpha2(&text) {
        Some(code) => Ok(Some(code.to_owned())),
        None => Err(Error::invalid(
            field,
            format!("'{text}' is not a country Chipwatch knows; write its code (CN, CHN) or its name in English or Chinese (China, 中国)"),
        )),
    }
}

/// The most different names a list (a record's tags or aliases) holds: far
/// more than anyone types, and a bound on a spreadsheet cell split into names.
pub const MAX_NAMES: usize = 1_000;

/// A list of short names (aliases, tags): trimmed, blanks dropped, duplicates
/// (ignoring case) removed, order kept; at most [`MAX_NAMES`] different ones.
/// Duplicates are found through a set, so a long list is not rescanned per name.
pub fn name_list(field: &str, values: &[String]) -> Result<Vec<String>> {
    let mut kept: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (index, value) in values.iter().enumerate() {
        let Some(name) = optional(&format!("{field}[{index}]"), Some(value))? else {
            continue;
        };
        if seen.insert(name.to_lowercase()) {
            kept.push(name);
        }
    }
    if kept.len() > MAX_NAMES {
        return Err(Error::invalid(
            field,
            format!(
                "lists {} different names; the limit is {}. Keep the ones that matter and leave the rest out",
                grouped(kept.len() as u64),
                grouped(MAX_NAMES as u64)
            ),
        ));
    }
    Ok(kept)
}

/// Ids chosen in a picker must still exist (another window may have deleted one).
pub fn existing_ids(
    conn: &Connection,
    field: &str,
    table: &str,
    entity: &str,
    ids: &[Id],
) -> Result<Vec<Id>> {
    let mut kept = Vec::new();
    for id in ids {
        existing_id(conn, field, table, entity, *id)?;
        if !kept.contains(id) {
            kept.push(*id);
        }
    }
    Ok(kept)
}

/// An id chosen in a picker that must still exist.
pub fn existing_id(
    conn: &Connection,
    field: &str,
    table: &str,
    entity: &str,
    id: Id,
) -> Result<Id> {
    let found: Option<i64> = conn
        .query_row(&format!("SELECT 1 FROM {table} WHERE id = ?1"), [id], |r| {
            r.get(0)
        })
        .optional()?;
    match found {
        Some(_) => Ok(id),
        None => Err(Error::invalid(
            field,
            format!("the {entity} chosen here (id {id}) no longer exists; choose another"),
        )),
    }
}

/// An update must say which revision its form loaded.
pub(crate) fn required_revision(revision: Option<i64>) -> Result<i64> {
    revision.ok_or_else(|| {
        Error::invalid(
            "revision",
            "an edit must name the revision it was made on; reload the form",
        )
    })
}

/// Moves `table`'s row `id` from revision `expected` to the next one, or says
/// why it cannot: someone else saved or deleted it since the form loaded it.
/// Returns the new revision.
pub fn next_revision(
    conn: &Connection,
    table: &str,
    entity: &'static str,
    id: Id,
    expected: i64,
) -> Result<i64> {
    let changed = conn.execute(
        &format!("UPDATE {table} SET revision = revision + 1 WHERE id = ?1 AND revision = ?2"),
        params![id, expected],
    )?;
    if changed == 1 {
        return Ok(expected + 1);
    }
    let exists: Option<i64> = conn
        .query_row(&format!("SELECT 1 FROM {table} WHERE id = ?1"), [id], |r| {
            r.get(0)
        })
        .optional()?;
    Err(match exists {
        Some(_) => Error::changed_meanwhile(entity, id),
        None => Error::deleted_meanwhile(entity, id),
    })
}

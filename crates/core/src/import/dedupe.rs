//! Duplicate keys for sources, and the sets an import checks rows against.
//!
//! Three keys, any of which makes a duplicate: the DOI (ignoring case); the web
//! address normalised (scheme and host lower-cased, default port, trailing
//! slash, fragment and tracking parameters such as utm_*, fbclid and gclid
//! removed); and the title (lower-cased, letters and digits only) with the year
//! and the first author's surname.
//!
//! The sets hold 64-bit hashes of the keys, not the keys: a million rows cost
//! ~16 bytes per key instead of the key's text. Two different keys sharing a
//! hash (odds ~1 in 10^7 at a million keys) would report a false duplicate,
//! which the report shows with the record it matched.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use rusqlite::Connection;

use super::DuplicateKey;
use crate::error::Result;
use crate::model::Id;

/// Query parameters that only say where a click came from.
const TRACKING_PARAMETERS: [&str; 16] = [
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
    "yclid", "_hsenc", "_hsmi", "mkt_tok", "spm", "ref_src", "si",
];

/// The web address as compared: see the module notes.
pub fn url_key(url: &str) -> String {
    let url = url.trim();
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => (String::new(), url),
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    let (host, path) = match before_query.find('/') {
        Some(slash) => before_query.split_at(slash),
        None => (before_query, ""),
    };
    let mut host = host.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => Some(":80"),
        "https" => Some(":443"),
        _ => None,
    };
    if let Some(port) = default_port {
        if let Some(stripped) = host.strip_suffix(port) {
            host = stripped.to_owned();
        }
    }
    let path = path.trim_end_matches('/');
    let mut key = String::with_capacity(url.len());
    key.push_str(&scheme);
    key.push_str("://");
    key.push_str(&host);
    key.push_str(path);
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| {
                let name = pair
                    .split('=')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                !name.is_empty()
                    && !name.starts_with("utm_")
                    && !TRACKING_PARAMETERS.contains(&name.as_str())
            })
            .collect();
        if !kept.is_empty() {
            key.push('?');
            key.push_str(&kept.join("&"));
        }
    }
    key
}

/// The DOI as compared (stored bare, e.g. "10.1000/xyz").
pub fn doi_key(doi: &str) -> String {
    doi.trim().to_lowercase()
}

/// Title, year and first author's surname as compared. None without a title.
pub fn title_key(title: &str, published_on: Option<&str>, authors: Option<&str>) -> Option<String> {
    let mut key: String = title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if key.is_empty() {
        return None;
    }
    key.push('|');
    if let Some(year) = published_on.and_then(|d| d.get(..4)) {
        key.push_str(year);
    }
    key.push('|');
    if let Some(surname) = authors.and_then(first_surname) {
        key.push_str(&surname);
    }
    Some(key)
}

/// "Last, First; Last, First" → "last"; "First Last and ..." → "last"; 张三 → 张三.
pub fn first_surname(authors: &str) -> Option<String> {
    let first = authors
        .split([';', '；'])
        .next()
        .unwrap_or_default()
        .split(" and ")
        .next()
        .unwrap_or_default()
        .trim();
    let surname = match first.split_once(',') {
        Some((last, _)) => last.trim(),
        None => first.split_whitespace().last().unwrap_or_default(),
    };
    let surname: String = surname
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    (!surname.is_empty()).then_some(surname)
}

/// The keys of one source.
#[derive(Debug, Default, Clone)]
pub struct Keys {
    pub doi: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
}

impl Keys {
    pub fn of(
        title: &str,
        doi: Option<&str>,
        url: Option<&str>,
        published_on: Option<&str>,
        authors: Option<&str>,
    ) -> Keys {
        Keys {
            doi: doi.map(doi_key),
            url: url.map(url_key),
            title: title_key(title, published_on, authors),
        }
    }
}

/// Where a key was first seen: an existing source (row 0) or a row of the
/// file, with the source that row became (0 when it was not written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub source_id: Id,
    pub row: u64,
}

/// The keys are already hashes: pass them through.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashedMap = HashMap<u64, Origin, BuildHasherDefault<PassThrough>>;

fn hash_key(kind: u8, key: &str) -> u64 {
    // Fixed keys: the same key gives the same hash all through an import.
    let mut hasher = std::hash::DefaultHasher::new();
    kind.hash(&mut hasher);
    key.hash(&mut hasher);
    hasher.finish()
}

/// Every key seen so far: the workspace's sources, then the file's rows.
#[derive(Default)]
pub struct Seen {
    doi: HashedMap,
    url: HashedMap,
    title: HashedMap,
}

impl Seen {
    /// The keys of every source in the workspace, read once.
    pub fn load(conn: &Connection) -> Result<Seen> {
        let mut seen = Seen::default();
        let mut stmt =
            conn.prepare("SELECT id, title, doi, url, published_on, authors FROM sources")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: Id = row.get(0)?;
            let title: String = row.get(1)?;
            let doi: Option<String> = row.get(2)?;
            let url: Option<String> = row.get(3)?;
            let published: Option<String> = row.get(4)?;
            let authors: Option<String> = row.get(5)?;
            let keys = Keys::of(
                &title,
                doi.as_deref(),
                url.as_deref(),
                published.as_deref(),
                authors.as_deref(),
            );
            seen.insert(
                &keys,
                Origin {
                    source_id: id,
                    row: 0,
                },
            );
        }
        Ok(seen)
    }

    /// The first key of `keys` seen before, with where.
    pub fn find(&self, keys: &Keys) -> Option<(DuplicateKey, String, Origin)> {
        let lookups = [
            (DuplicateKey::Doi, 0u8, &keys.doi, &self.doi),
            (DuplicateKey::Url, 1, &keys.url, &self.url),
            (DuplicateKey::Title, 2, &keys.title, &self.title),
        ];
        lookups.into_iter().find_map(|(what, kind, key, map)| {
            let key = key.as_ref()?;
            map.get(&hash_key(kind, key))
                .map(|origin| (what, key.clone(), *origin))
        })
    }

    /// Remembers `keys`; a key seen before keeps its first origin.
    pub fn insert(&mut self, keys: &Keys, origin: Origin) {
        for (kind, key, map) in [
            (0u8, &keys.doi, &mut self.doi),
            (1, &keys.url, &mut self.url),
            (2, &keys.title, &mut self.title),
        ] {
            if let Some(key) = key {
                map.entry(hash_key(kind, key)).or_insert(origin);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_without_tracking_and_cosmetics() {
        let same = [
            "https://example.org/a/b",
            "HTTPS://Example.ORG/a/b/",
            "https://example.org:443/a/b#section",
            "https://example.org/a/b?utm_source=x&utm_medium=y",
            "https://example.org/a/b/?fbclid=abc",
            "https://example.org/a/b?gclid=1#top",
        ];
        for url in same {
            assert_eq!(url_key(url), "https://example.org/a/b", "{url}");
        }
        assert_eq!(
            url_key("https://example.org/a?id=5&utm_source=x"),
            "https://example.org/a?id=5"
        );
        assert_ne!(
            url_key("https://example.org/A"),
            url_key("https://example.org/a")
        );
    }

    #[test]
    fn titles_compare_by_letters_year_and_surname() {
        let a = title_key(
            "Huawei's Ascend: a review",
            Some("2023-10-17"),
            Some("Smith, Jane; Doe, J."),
        );
        let b = title_key(
            "HUAWEI'S ASCEND — A REVIEW",
            Some("2023"),
            Some("Jane Smith"),
        );
        assert_eq!(a, b);
        assert_ne!(
            a,
            title_key(
                "Huawei's Ascend: a review",
                Some("2022"),
                Some("Smith, Jane")
            )
        );
        assert_eq!(first_surname("张三；李四").as_deref(), Some("张三"));
    }
}

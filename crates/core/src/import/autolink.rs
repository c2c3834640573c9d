//! Auto-link: an imported source whose title, abstract or tags name a firm (its
//! name, native name or an alias: 华为 → Huawei) is linked to that firm as a
//! mention (`source_firms`). One Aho-Corasick automaton over every name,
//! ASCII case ignored, finds them all in one pass over the text. A name that
//! starts or ends with an ASCII letter or digit must stand as a word there, so
//! "Arm" is not found in "harm" and "AMD" not in "AMDAHL"; Chinese names have no
//! word boundaries and match anywhere.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::model::{Id, Source};
use crate::store::Store;

/// Names shorter than this (in characters) are too likely to be something else.
const MIN_NAME_CHARS: usize = 2;

pub(crate) struct FirmMatcher {
    automaton: Option<AhoCorasick>,
    /// The firm of each pattern, and whether it needs word boundaries.
    patterns: Vec<(Id, bool, bool)>,
}

impl FirmMatcher {
    /// Every firm's name, native name and aliases, as the workspace holds them now.
    pub fn load(conn: &Connection) -> Result<FirmMatcher> {
        let mut names: Vec<(Id, String)> = Vec::new();
        let mut stmt = conn.prepare(
            "SELECT id, name FROM firms UNION ALL SELECT id, native_name FROM firms WHERE native_name IS NOT NULL
             UNION ALL SELECT firm_id, alias FROM firm_aliases",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let name: String = row.get(1)?;
            let name = name.trim().to_owned();
            if name.chars().count() >= MIN_NAME_CHARS {
                names.push((row.get(0)?, name));
            }
        }
        Ok(FirmMatcher::new(names))
    }

    pub fn new(names: Vec<(Id, String)>) -> FirmMatcher {
        let mut patterns = Vec::with_capacity(names.len());
        let mut texts = Vec::with_capacity(names.len());
        for (id, name) in names {
            let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            patterns.push((id, word(name.chars().next()), word(name.chars().last())));
            texts.push(name);
        }
        let automaton = if texts.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&texts)
                .ok()
        };
        FirmMatcher {
            automaton,
            patterns,
        }
    }

    /// The firms named in `texts`, each once, into `found` (cleared first).
    pub fn find(&self, texts: &[&str], found: &mut Vec<Id>) {
        found.clear();
        let Some(automaton) = &self.automaton else {
            return;
        };
        for text in texts {
            let bytes = text.as_bytes();
            for m in automaton.find_overlapping_iter(*text) {
                let (firm, word_start, word_end) = self.patterns[m.pattern().as_usize()];
                if found.contains(&firm) {
                    continue;
                }
                let before = m.start().checked_sub(1).map(|i| bytes[i]);
                let after = bytes.get(m.end()).copied();
                if word_start && before.is_some_and(|b| b.is_ascii_alphanumeric()) {
                    continue;
                }
                if word_end && after.is_some_and(|b| b.is_ascii_alphanumeric()) {
                    continue;
                }
                found.push(firm);
            }
        }
    }
}

/// The sources that mention a firm (found by an import), newest first, at most
/// `limit` of them, and how many there are in all.
/// The sources that mention a firm (newest first, at most `limit`) and how many there are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirmMentions {
    pub sources: Vec<Source>,
    pub total: i64,
}

pub fn mentions_of_firm(store: &Store, firm_id: Id, limit: usize) -> Result<FirmMentions> {
    store.read(|conn| {
        let total: i64 = conn.query_row(
            "SELECT count(*) FROM source_firms WHERE firm_id = ?1",
            [firm_id],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare(
            "SELECT source_id FROM source_firms WHERE firm_id = ?1 ORDER BY source_id DESC LIMIT ?2",
        )?;
        let ids = stmt
            .query_map(
                rusqlite::params![firm_id, i64::try_from(limit).unwrap_or(i64::MAX)],
                |r| r.get::<_, Id>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let sources = ids
            .into_iter()
            .map(|id| crate::sources::load(conn, id))
            .collect::<Result<Vec<_>>>()?;
        Ok(FirmMentions { sources, total })
    })
}

/// Removes a mention the analyst found wrong (e.g. a name that means
/// something else in that text); the source and the firm stay.
pub fn remove_mention(store: &mut Store, source_id: Id, firm_id: Id) -> Result<()> {
    store.write(|tx| {
        let removed = tx.execute(
            "DELETE FROM source_firms WHERE source_id = ?1 AND firm_id = ?2",
            [source_id, firm_id],
        )?;
        if removed == 0 {
            return Err(crate::error::Error::NotFound {
                entity: "mention",
                id: source_id,
            });
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ascii_names_match_whole_words_only() {
        let matcher = FirmMatcher::new(vec![
            (1, "Arm".into()),
            (2, "华为".into()),
            (3, "Huawei".into()),
            (4, "T-Head".into()),
        ]);
        let mut found = Vec::new();
        matcher.find(&["No harm done; the pharmacy"], &mut found);
        assert!(found.is_empty(), "{found:?}");
        matcher.find(&["ARM licenses cores", "华为发布芯片"], &mut found);
        assert_eq!(found, vec![1, 2]);
        matcher.find(&["华为Huawei and T-Head's chip"], &mut found);
        assert_eq!(found, vec![2, 3, 4]);
    }
}

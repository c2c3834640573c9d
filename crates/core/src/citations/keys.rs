//! Citation keys, the names a paper cites its sources by (`@allen2022choking`):
//! the first author's family name, the year and the first word of the title,
//! folded to ASCII letters and digits. BibTeX's entry key and CSL-JSON's `id`
//! are the same key.
//!
//! A key is stable: it depends on the source's own authors, date and title, and
//! on the sources added before it (lower id) that would get the same key. The
//! first of those keeps the plain key, the next ones get `-2`, `-3` … So a key
//! is the same in every export, whatever else the export holds, and adding
//! sources never changes the keys of those already there. A plain key holds
//! only `a-z0-9`, so no suffixed key can equal another source's plain key.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use unicode_normalization::UnicodeNormalization;

use crate::citation_kinds::{split_authors, PersonName};
use crate::model::Id;

/// Title words a key passes over, as reference managers do ("The …", "On …").
const PASSED_OVER: [&str; 12] = [
    "a", "an", "the", "on", "of", "in", "and", "for", "to", "at", "by", "with",
];

/// The most characters a name or title word adds to a key.
const MAX_PART: usize = 24;

/// `text` in lower-case ASCII letters and digits: accents dropped (é → e,
/// full-width Ｈ → h, ß → ss), everything else (punctuation, spaces, Chinese)
/// left out.
pub fn ascii_fold(text: &str) -> String {
    let mut folded = String::new();
    for c in text.nfkd() {
        match c {
            'a'..='z' | '0'..='9' => folded.push(c),
            'A'..='Z' => folded.push(c.to_ascii_lowercase()),
            // Latin letters that do not decompose into a letter and an accent.
            'ß' => folded.push_str("ss"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'ø' | 'Ø' => folded.push('o'),
            'ł' | 'Ł' => folded.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => folded.push('d'),
            'þ' | 'Þ' => folded.push_str("th"),
            'ı' => folded.push('i'),
            _ => {}
        }
    }
    folded
}

/// The words of `text` folded, the empty ones (Chinese, punctuation) left out.
/// Hyphens, dashes, slashes and colons part words: "Foreign-Produced" is two.
fn folded_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/' | ':'))
        .map(ascii_fold)
        .filter(|word| !word.is_empty())
}

fn capped(mut part: String) -> String {
    part.truncate(MAX_PART);
    part
}

/// The key a source gets when no earlier source shares it: family name (or
/// an organisation's first word), year, first title word, e.g.
/// `allen2022choking`. A source without authors is named by its title's first
/// words instead (`entity2023list`). A name with no Latin letters (张三), or
/// no authors and a title with none, gives `src<ID>`.
pub fn plain_key(id: Id, title: &str, authors: Option<&str>, published_on: Option<&str>) -> String {
    let names = authors.map(split_authors).unwrap_or_default();
    let mut title_words = folded_words(title).filter(|w| !PASSED_OVER.contains(&w.as_str()));
    let name = match names.first() {
        Some(PersonName::Parts { family, .. }) => ascii_fold(family),
        Some(PersonName::Literal(name)) => folded_words(name)
            .find(|w| !PASSED_OVER.contains(&w.as_str()))
            .unwrap_or_default(),
        None => title_words.next().unwrap_or_default(),
    };
    if name.is_empty() {
        return format!("src{id}");
    }
    let year = published_on
        .and_then(|date| date.get(..4))
        .filter(|year| year.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("");
    let word = title_words.next().unwrap_or_default();
    format!("{}{year}{}", capped(name), capped(word))
}

/// Hands out keys in id order: the first source with a plain key keeps it,
/// the next ones get `-2`, `-3` … Counts plain keys by a 64-bit hash, so its
/// memory is 16 bytes or so per distinct key; two different keys with the
/// same hash only give the later one a suffix it did not need (still unique).
pub struct KeyCounter {
    seen: HashMap<u64, u32>,
    /// Only these keys need counting (those of the sources exported); None: all.
    only: Option<HashSet<u64>>,
}

impl KeyCounter {
    /// A counter for every key, or only for the plain keys in `only`.
    pub fn new(only: Option<HashSet<u64>>) -> KeyCounter {
        KeyCounter {
            seen: HashMap::new(),
            only,
        }
    }

    /// The hash a plain key is counted by.
    pub fn hash(plain: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        plain.hash(&mut hasher);
        hasher.finish()
    }

    /// The key of the next source (by id) whose plain key is `plain`.
    pub fn next_key(&mut self, plain: String) -> String {
        let hash = Self::hash(&plain);
        if self.only.as_ref().is_some_and(|only| !only.contains(&hash)) {
            return plain;
        }
        let earlier = self.seen.entry(hash).or_insert(0);
        *earlier += 1;
        match *earlier {
            1 => plain,
            n => format!("{plain}-{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_name_year_and_first_title_word() {
        assert_eq!(
            plain_key(
                1,
                "Choking off China's AI access",
                Some("Allen, Gregory C."),
                Some("2022-10-11")
            ),
            "allen2022choking"
        );
        // Accents folded, stop words passed over, apostrophes dropped.
        assert_eq!(
            plain_key(
                2,
                "The État’s chips",
                Some("Müller-Łukasz, Jörg"),
                Some("2023")
            ),
            "mullerlukasz2023etats"
        );
        // An organisation: its first word that is not a stop word.
        assert_eq!(
            plain_key(
                3,
                "Entity List additions",
                Some("Bureau of Industry and Security"),
                None
            ),
            "bureauentity"
        );
    }

    #[test]
    fn without_authors_the_title_names_the_source() {
        assert_eq!(
            plain_key(4, "Entity List Additions", None, Some("2023-10-19")),
            "entity2023list"
        );
        assert_eq!(
            plain_key(5, "Ｈｕａｗｅｉ：芯片", None, Some("2020")),
            "huawei2020"
        );
    }

    #[test]
    fn chinese_only_names_fall_back_to_the_id() {
        assert_eq!(
            plain_key(17, "Huawei Ascend", Some("张三; Li, Si"), Some("2023")),
            "src17"
        );
        assert_eq!(plain_key(18, "华为芯片的发展", None, Some("2023")), "src18");
    }

    #[test]
    fn later_sources_with_the_same_key_get_a_number() {
        let mut counter = KeyCounter::new(None);
        assert_eq!(counter.next_key("bis2023entity".into()), "bis2023entity");
        assert_eq!(counter.next_key("allen2022chips".into()), "allen2022chips");
        assert_eq!(counter.next_key("bis2023entity".into()), "bis2023entity-2");
        assert_eq!(counter.next_key("bis2023entity".into()), "bis2023entity-3");
        // Only the exported sources' keys are counted; others pass through.
        let only = HashSet::from([KeyCounter::hash("a2020b")]);
        let mut counter = KeyCounter::new(Some(only));
        assert_eq!(counter.next_key("c2020d".into()), "c2020d");
        assert_eq!(counter.next_key("c2020d".into()), "c2020d");
        assert_eq!(counter.next_key("a2020b".into()), "a2020b");
        assert_eq!(counter.next_key("a2020b".into()), "a2020b-2");
    }

    #[test]
    fn long_parts_are_cut() {
        let key = plain_key(
            1,
            "Donaudampfschifffahrtsgesellschaftskapitän",
            Some("Wolfeschlegelsteinhausenbergerdorff, Hubert"),
            Some("1999"),
        );
        assert_eq!(key, "wolfeschlegelsteinhausen1999donaudampfschifffahrtsge");
    }
}

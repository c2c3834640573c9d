//! Highlighting and snippets: where the query matched a text, and the hit as
//! it is shown.

use super::documents::Doc;
use super::query::{ParsedQuery, Term};
use super::tokens::{fold_width, fold_word, is_cjk, is_word_char};
use super::{SearchHit, SearchKind, SnippetPart};
use crate::model::Id;

const SNIPPET_CHARS: usize = 160;
/// How much of a long field (a note may hold 200,000 characters) a snippet
/// looks through for a match; past it, the snippet shows the field's start.
const SNIPPET_SCAN_CHARS: usize = 20_000;
const SNIPPET_LEAD_CHARS: usize = 40;

pub(super) fn make_hit(kind: SearchKind, id: Id, doc: Doc, marker: &Marker) -> SearchHit {
    let title_parts = parts(&doc.title, &marker.ranges(&doc.title));
    let tags = doc.tags.join(", ");
    let fields: Vec<&str> = doc
        .names
        .iter()
        .chain(&doc.body)
        .map(String::as_str)
        .chain(std::iter::once(tags.as_str()))
        .collect();
    let snippet_parts = snippet(&fields, marker);
    SearchHit {
        kind,
        id,
        title: doc.title,
        title_parts,
        snippet: snippet_parts.iter().map(|p| p.text.as_str()).collect(),
        snippet_parts,
        date: doc.date,
    }
}

/// Finds where the included terms occur in a text, the way the index matched them.
pub(super) struct Marker {
    /// Folded words; `true` where a word may be a prefix.
    words: Vec<(String, bool)>,
    runs: Vec<Vec<char>>,
}

impl Marker {
    pub fn new(query: &ParsedQuery) -> Marker {
        let mut marker = Marker {
            words: Vec::new(),
            runs: Vec::new(),
        };
        for term in &query.include {
            match term {
                Term::Words { words, prefix, .. } => {
                    for (i, word) in words.iter().enumerate() {
                        // A word may also hold several unicode61 tokens; its pieces are marked.
                        let last = i + 1 == words.len();
                        marker.words.push((fold_word(word), *prefix && last));
                    }
                }
                Term::Cjk { run, .. } => marker.runs.push(run.clone()),
            }
        }
        marker
    }

    pub fn matches(&self, text: &str) -> bool {
        !self.ranges(text).is_empty()
    }

    /// Byte ranges of matches in `text`, sorted, not overlapping.
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let chars: Vec<(usize, char)> = text
            .char_indices()
            .map(|(i, c)| (i, fold_width(c)))
            .collect();
        let end_of = |index: usize| chars.get(index).map_or(text.len(), |(i, _)| *i);
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i].1;
            if is_word_char(c) {
                let start = i;
                while i < chars.len() && is_word_char(chars[i].1) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().map(|(_, c)| *c).collect();
                let folded = fold_word(&word);
                let hit = self
                    .words
                    .iter()
                    .any(|(w, prefix)| folded == *w || (*prefix && folded.starts_with(w.as_str())));
                if hit {
                    ranges.push((chars[start].0, end_of(i)));
                }
                continue;
            }
            if is_cjk(c) {
                for run in &self.runs {
                    let n = run.len();
                    if i + n <= chars.len()
                        && chars[i..i + n]
                            .iter()
                            .map(|(_, c)| *c)
                            .eq(run.iter().copied())
                    {
                        ranges.push((chars[i].0, end_of(i + n)));
                    }
                }
            }
            i += 1;
        }
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }
}

/// `text` cut into parts at the byte `ranges`.
fn parts(text: &str, ranges: &[(usize, usize)]) -> Vec<SnippetPart> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end) in ranges {
        if start > at {
            out.push(SnippetPart {
                text: text[at..start].to_owned(),
                hit: false,
            });
        }
        out.push(SnippetPart {
            text: text[start..end].to_owned(),
            hit: true,
        });
        at = end;
    }
    if at < text.len() {
        out.push(SnippetPart {
            text: text[at..].to_owned(),
            hit: false,
        });
    }
    out
}

/// The snippet: around the first match in the first field that has one, else
/// the start of the first non-empty field. One line, whitespace collapsed.
fn snippet(fields: &[&str], marker: &Marker) -> Vec<SnippetPart> {
    let mut fallback = None;
    for field in fields {
        let scanned = match field.char_indices().nth(SNIPPET_SCAN_CHARS) {
            Some((end, _)) => &field[..end],
            None => field,
        };
        let text = one_line(scanned);
        if text.is_empty() {
            continue;
        }
        let ranges = marker.ranges(&text);
        if let Some(&(first, _)) = ranges.first() {
            return window(&text, &ranges, first);
        }
        if fallback.is_none() {
            fallback = Some(text);
        }
    }
    fallback.map_or_else(Vec::new, |text| window(&text, &[], 0))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Up to SNIPPET_CHARS characters of `text` starting a little before byte
/// `first`, cut at spaces where that is near, with "…" where text is left out.
fn window(text: &str, ranges: &[(usize, usize)], first: usize) -> Vec<SnippetPart> {
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let first_char = starts.partition_point(|&b| b < first);
    let mut start_char = first_char.saturating_sub(SNIPPET_LEAD_CHARS);
    if start_char > 0 {
        // Begin after a space when one is near, so the first word is whole.
        if let Some(space) = (start_char..first_char).find(|&i| text[starts[i]..].starts_with(' '))
        {
            start_char = space + 1;
        }
    }
    let mut end_char = (start_char + SNIPPET_CHARS).min(starts.len());
    if end_char < starts.len() {
        let floor = end_char.saturating_sub(20).max(first_char + 1);
        if let Some(space) = (floor..end_char)
            .rev()
            .find(|&i| text[starts[i]..].starts_with(' '))
        {
            end_char = space;
        }
    }
    let byte = |i: usize| starts.get(i).copied().unwrap_or(text.len());
    let (start, end) = (byte(start_char), byte(end_char));
    let clipped: Vec<(usize, usize)> = ranges
        .iter()
        .filter(|(s, e)| *e > start && *s < end)
        .map(|(s, e)| ((*s).max(start) - start, (*e).min(end) - start))
        .collect();
    let mut out = Vec::new();
    if start > 0 {
        out.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    out.extend(parts(&text[start..end], &clipped));
    if end < text.len() {
        out.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    // Neighbouring plain parts read as one.
    let mut merged: Vec<SnippetPart> = Vec::new();
    for part in out {
        match merged.last_mut() {
            Some(last) if !last.hit && !part.hit => last.text.push_str(&part.text),
            _ => merged.push(part),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_mark_words_prefixes_and_cjk_runs() {
        let marker = Marker::new(&ParsedQuery::parse("export 芯片 asc"));
        let text = "Exports of 国产芯片 and Ascend: export controls";
        let marked: Vec<&str> = marker
            .ranges(text)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(marked, ["芯片", "Ascend", "export"]);
    }
}

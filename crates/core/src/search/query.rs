//! Query parsing: the user's text as terms to include and exclude, prefixes
//! completed from `search_terms`, and the FTS5 MATCH expression.

use rusqlite::{params, Connection};

use super::tokens::{fold_width, fold_word, is_cjk, is_word_char, push_bigrams};
use super::{BM25_TERM_LIMIT, PREFIX_COMPLETIONS};
use crate::error::Result;

/// What the query parser reads of a (perhaps pasted) text.
const MAX_QUERY_CHARS: usize = 1_000;
const MAX_TERMS: usize = 16;
/// A word still being typed is a prefix only from this length on: a one-letter
/// prefix matches most of the vocabulary.
const MIN_PREFIX_CHARS: usize = 2;

/// One thing a hit must (or must not) contain.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Term {
    /// Words in a row ("export controls", "U.S.", a quoted phrase); with
    /// `prefix`, the last one may be the start of a word, which stands for
    /// `completions` (see [`ParsedQuery::complete`]).
    Words {
        words: Vec<String>,
        prefix: bool,
        completions: Vec<String>,
    },
    /// A run of CJK characters, found as a substring. A lone character stands
    /// for the bigrams it starts (`completions`).
    Cjk {
        run: Vec<char>,
        completions: Vec<String>,
    },
}

impl Term {
    fn words(words: Vec<String>, prefix: bool) -> Term {
        Term::Words {
            words,
            prefix,
            completions: Vec::new(),
        }
    }

    fn cjk(run: Vec<char>) -> Term {
        Term::Cjk {
            run,
            completions: Vec::new(),
        }
    }

    /// The term in FTS5 syntax: every word is inside a quoted string, so
    /// nothing the user typed is syntax.
    fn expression(&self) -> String {
        match self {
            Term::Words {
                words,
                prefix: true,
                completions,
            } if !completions.is_empty() => {
                let head = &words[..words.len().saturating_sub(1)];
                let phrases: Vec<String> = completions
                    .iter()
                    .map(|c| {
                        let mut phrase = head.to_vec();
                        phrase.push(c.clone());
                        quoted(&phrase.join(" "))
                    })
                    .collect();
                format!("({})", phrases.join(" OR "))
            }
            Term::Words { words, prefix, .. } => {
                format!(
                    "{}{}",
                    quoted(&words.join(" ")),
                    if *prefix { "*" } else { "" }
                )
            }
            Term::Cjk { completions, .. } if !completions.is_empty() => {
                let terms: Vec<String> = completions.iter().map(|c| quoted(c)).collect();
                format!("({})", terms.join(" OR "))
            }
            Term::Cjk { run, .. } if run.len() == 1 => format!("{}*", quoted(&run[0].to_string())),
            Term::Cjk { run, .. } => {
                let mut bigrams = String::new();
                push_bigrams(run, &mut bigrams);
                quoted(&bigrams)
            }
        }
    }

    /// The prefix to complete, folded as `search_terms` holds it.
    fn prefix(&self) -> Option<String> {
        match self {
            Term::Words {
                words,
                prefix: true,
                ..
            } => words.last().map(|w| fold_word(w)),
            Term::Cjk { run, .. } if run.len() == 1 => Some(run.iter().collect()),
            _ => None,
        }
    }

    fn set_completions(&mut self, found: Vec<String>) {
        match self {
            Term::Words { completions, .. } | Term::Cjk { completions, .. } => *completions = found,
        }
    }
}

/// An FTS5 string literal.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[derive(Debug, Default)]
pub(super) struct ParsedQuery {
    pub include: Vec<Term>,
    pub exclude: Vec<Term>,
}

impl ParsedQuery {
    pub fn parse(text: &str) -> ParsedQuery {
        let text: String = text.chars().take(MAX_QUERY_CHARS).map(fold_width).collect();
        let mut parsed = ParsedQuery::default();
        let mut chunk = String::new();
        let mut quoted = false;
        for c in text.chars() {
            if is_quote(c) {
                parsed.add_chunk(&chunk, quoted, false);
                chunk.clear();
                quoted = !quoted;
            } else if c.is_whitespace() && !quoted {
                parsed.add_chunk(&chunk, false, false);
                chunk.clear();
            } else {
                chunk.push(c);
            }
        }
        // The last word, when the text ends in it, may still be being typed.
        let typing = !quoted && text.chars().last().is_some_and(is_word_char);
        parsed.add_chunk(&chunk, quoted, typing);
        parsed.include.truncate(MAX_TERMS);
        parsed.exclude.truncate(MAX_TERMS);
        parsed
    }

    /// Adds the terms of one whitespace-free chunk or one quoted string.
    fn add_chunk(&mut self, chunk: &str, quoted: bool, typing: bool) {
        let (negated, body) = match chunk.strip_prefix('-') {
            Some(rest) if !quoted => (true, rest),
            _ => (false, chunk),
        };
        let mut terms = Vec::new();
        let mut words: Vec<String> = Vec::new();
        let mut word = String::new();
        let mut run: Vec<char> = Vec::new();
        for c in body.chars() {
            if is_word_char(c) {
                if !run.is_empty() {
                    terms.push(Term::cjk(std::mem::take(&mut run)));
                }
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if is_cjk(c) {
                run.push(c);
                continue;
            }
            if !run.is_empty() {
                terms.push(Term::cjk(std::mem::take(&mut run)));
            }
            // `word*`: a prefix; it ends the phrase (only its last word can be one).
            if c == '*' && !quoted && !words.is_empty() {
                terms.push(Term::words(std::mem::take(&mut words), true));
            }
        }
        if !run.is_empty() {
            terms.push(Term::cjk(run));
        }
        let typed_word = !word.is_empty();
        if typed_word {
            words.push(word);
        }
        if !words.is_empty() {
            let prefix = typing
                && typed_word
                && !negated
                && words
                    .last()
                    .is_some_and(|w| w.chars().count() >= MIN_PREFIX_CHARS);
            terms.push(Term::words(words, prefix));
        }
        if negated {
            self.exclude.extend(terms);
        } else {
            self.include.extend(terms);
        }
    }

    /// Looks up what each prefix stands for: its shortest completions.
    /// None found: the prefix stays an FTS5 prefix query (which then matches
    /// nothing, cheaply).
    pub fn complete(&mut self, conn: &Connection) -> Result<()> {
        let mut stmt = conn.prepare_cached(
            "SELECT term FROM search_terms WHERE term >= ?1 AND term < ?1 || char(1114111)
             ORDER BY length(term), term LIMIT ?2",
        )?;
        for term in self.include.iter_mut().chain(self.exclude.iter_mut()) {
            if let Some(prefix) = term.prefix() {
                let found = stmt
                    .query_map(params![prefix, PREFIX_COMPLETIONS as i64], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()?;
                term.set_completions(found);
            }
        }
        Ok(())
    }

    /// True when every term matches at most BM25_TERM_LIMIT rows in the whole
    /// index, so that bm25's IDF counts are cheap (see the ranking rule).
    pub fn terms_are_rare(&self, conn: &Connection) -> Result<bool> {
        let mut stmt = conn.prepare_cached(
            "SELECT count(*) FROM (SELECT rowid FROM search_index WHERE search_index MATCH ?1 LIMIT ?2)",
        )?;
        for term in self.include.iter().chain(&self.exclude) {
            let count: i64 = stmt.query_row(
                params![term.expression(), BM25_TERM_LIMIT as i64 + 1],
                |r| r.get(0),
            )?;
            if count > BM25_TERM_LIMIT as i64 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The FTS5 MATCH expression: every included term AND-ed, excluded ones NOT-ed.
    pub fn expression(&self) -> Option<String> {
        if self.include.is_empty() {
            return None;
        }
        let include = self
            .include
            .iter()
            .map(Term::expression)
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut expression = format!("({include})");
        for term in &self.exclude {
            expression = format!("({expression} NOT {})", term.expression());
        }
        Some(expression)
    }
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '«' | '»' | '「' | '」' | '『' | '』'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn match_expression(text: &str) -> Option<String> {
        ParsedQuery::parse(text).expression()
    }

    #[test]
    fn hostile_text_becomes_quoted_terms_only() {
        assert_eq!(match_expression(""), None);
        assert_eq!(match_expression("  \"\" *** --- 🚀 "), None);
        assert_eq!(
            match_expression("huawei AND \"export controls\" -smic"),
            Some("((\"huawei\" AND \"AND\" AND \"export controls\") NOT \"smic\")".into())
        );
        assert_eq!(match_expression("asc"), Some("(\"asc\"*)".into()));
        assert_eq!(match_expression("asc "), Some("(\"asc\")".into()));
        assert_eq!(match_expression("华为"), Some("(\"华为\")".into()));
        assert_eq!(match_expression("光刻机"), Some("(\"光刻 刻机\")".into()));
        assert_eq!(match_expression("芯"), Some("(\"芯\"*)".into()));
        assert_eq!(
            match_expression("U.S. H20芯片"),
            Some("(\"U S\" AND \"芯片\" AND \"H20\")".into())
        );
    }
}

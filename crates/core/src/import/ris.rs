//! RIS, read by the specification's rules: a tag line is two characters (a
//! capital letter, then a capital or a digit), two spaces, a hyphen and a
//! space, then the value; `TY` opens a record and `ER` ends it; AU, A1 and KW
//! repeat; a line without a tag continues the value before it. (No crate on
//! crates.io reads RIS this strictly: the maintained one, biblib, takes a
//! record without its ER in silence, which could merge two references.)
//!
//! [`index`] checks the structure of the whole file before anything is
//! imported (a record without its ER line is refused with its line) and
//! keeps where each record is; [`read`] reads one record when its turn comes,
//! so memory holds the file's text and one record at a time.

use std::collections::BTreeMap;

use super::citation_input::{Refusal, Span};
use super::citation_rows::{name_of_text, CitationRecord, FieldText};
use super::source_rows::split_tags;
use crate::citation_kinds::kind_from_ris_type;
use crate::text::grouped;

/// Where the records are, and what was read past (text outside records).
pub(super) fn index(text: &str) -> Result<(Vec<Span>, Vec<String>), Refusal> {
    let mut spans = Vec::new();
    // The open record: its first line, its start, its TY value.
    let mut open: Option<(u64, usize, String)> = None;
    let mut last_end_line: Option<u64> = None;
    let mut stray_text: Option<(u64, u64)> = None;
    let mut stray_ends: Option<(u64, u64)> = None;
    for (number, start, line) in lines(text) {
        match tag_of(line) {
            Some(("TY", value)) => {
                if let Some((opened, _, ty)) = &open {
                    return Err(Refusal::new(
                        *opened,
                        format!(
                            "the record that starts here (TY  - {ty}) has no `ER  - ` line: another record starts on line {} before it ends. Add `ER  - ` on a line of its own after the record's last line, then import again.",
                            grouped(number)
                        ),
                    ));
                }
                open = Some((number, start, value.to_owned()));
            }
            Some(("ER", _)) => match open.take() {
                Some((opened, record_start, _)) => {
                    spans.push(Span {
                        line: opened,
                        start: record_start,
                        end: start + line.len(),
                    });
                    last_end_line = Some(number);
                }
                None => count(&mut stray_ends, number),
            },
            Some((tag, _)) if open.is_none() => {
                let after = match last_end_line {
                    Some(end) => format!(" (the record before it ends on line {})", grouped(end)),
                    None => String::new(),
                };
                return Err(Refusal::new(
                    number,
                    format!(
                        "`{tag}  - ` comes outside any record{after}: every RIS record starts with a `TY  - ` line and ends with an `ER  - ` line. Add the record's `TY  - ` line (or remove the stray lines), then import again."
                    ),
                ));
            }
            Some(_) => {}
            None if open.is_none() && !line.trim().is_empty() => count(&mut stray_text, number),
            None => {}
        }
    }
    if let Some((opened, _, ty)) = open {
        return Err(Refusal::new(
            opened,
            format!(
                "the record that starts here (TY  - {ty}) has no `ER  - ` line: the file ends before it does. The file may be cut short; export it again, or add `ER  - ` after the record's last line."
            ),
        ));
    }
    let mut warnings = Vec::new();
    if let Some((first, n)) = stray_text {
        warnings.push(format!(
            "{} outside any record (the first on line {}) {} read past, as RIS readers do.",
            lines_word(n),
            grouped(first),
            if n == 1 { "was" } else { "were" }
        ));
    }
    if let Some((first, n)) = stray_ends {
        warnings.push(format!(
            "{} `ER  - ` {} no record (the first on line {}); {} read past.",
            grouped(n),
            if n == 1 { "line ends" } else { "lines end" },
            grouped(first),
            if n == 1 { "it was" } else { "they were" }
        ));
    }
    Ok((spans, warnings))
}

fn lines_word(n: u64) -> String {
    if n == 1 {
        "1 line of text".into()
    } else {
        format!("{} lines of text", grouped(n))
    }
}

fn count(seen: &mut Option<(u64, u64)>, line: u64) {
    match seen {
        Some((_, n)) => *n += 1,
        None => *seen = Some((line, 1)),
    }
}

/// Each line of `text` with its number (from 1) and where it starts; the line
/// without its line break.
fn lines(text: &str) -> impl Iterator<Item = (u64, usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n')
        .enumerate()
        .map(move |(index, raw)| {
            let at = start;
            start += raw.len();
            let line = raw.strip_suffix('\n').unwrap_or(raw);
            let line = line.strip_suffix('\r').unwrap_or(line);
            (index as u64 + 1, at, line)
        })
}

/// `("AU", "Allen, Gregory C.")` of a tag line; None for any other line.
fn tag_of(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let tagged = bytes.len() >= 5
        && bytes[0].is_ascii_uppercase()
        && (bytes[1].is_ascii_uppercase() || bytes[1].is_ascii_digit())
        && &bytes[2..5] == b"  -";
    if !tagged {
        return None;
    }
    let value = &line[5..];
    // "ER  -" may end there; a value follows "  - ".
    let value = value.strip_prefix(' ').unwrap_or(value);
    Some((&line[..2], value.trim()))
}

/// The fields a title is read from, in order.
const TITLE_TAGS: [&str; 4] = ["TI", "T1", "CT", "BT"];
/// Where the journal, website or publisher is, in order.
const PUBLISHER_TAGS: [&str; 5] = ["JF", "T2", "JO", "JA", "PB"];

/// One record (as [`index`] found it) read into its fields.
pub(super) fn read(text: &str, span: &Span) -> CitationRecord {
    // Tag → values in file order; a line without a tag continues the last value.
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text[span.start..span.end].split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        match tag_of(line) {
            Some(("ER", _)) => break,
            Some((tag, value)) => fields.push((tag.to_owned(), value.to_owned())),
            None if line.trim().is_empty() => {}
            None => {
                if let Some((tag, value)) = fields.last_mut() {
                    // An abstract keeps its paragraphs; other values are one line.
                    let joiner = if matches!(tag.as_str(), "AB" | "N2" | "N1") {
                        '\n'
                    } else {
                        ' '
                    };
                    if !value.is_empty() {
                        value.push(joiner);
                    }
                    value.push_str(line.trim());
                }
            }
        }
    }
    let ty = fields
        .iter()
        .find(|(tag, _)| tag == "TY")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut record = CitationRecord::new(
        span.line,
        format!("The record (TY  - {ty})"),
        format!("TY  - {ty}"),
        "TI or T1",
    );
    record.kind = kind_from_ris_type(&ty);
    let first = |tags: &[&str]| -> Option<FieldText> {
        tags.iter().find_map(|wanted| {
            fields
                .iter()
                .find(|(tag, value)| tag == wanted && !value.is_empty())
                .map(|(tag, value)| FieldText::new(tag.as_str(), value.as_str()))
        })
    };
    record.title = first(&TITLE_TAGS);
    record.publisher = first(&PUBLISHER_TAGS);
    record.url = first(&["UR"]);
    record.doi = first(&["DO"]);
    record.r#abstract = first(&["AB", "N2"]);
    record.language = first(&["LA"]);
    record.accessed = first(&["Y2"]).map(|f| FieldText::new(f.field, slashed_date(&f.text)));
    record.published = ["DA", "PY", "Y1"]
        .iter()
        .filter_map(|tag| first(&[tag]))
        .map(|f| FieldText::new(f.field, slashed_date(&f.text)))
        .collect();
    let author_tag = if fields.iter().any(|(tag, _)| tag == "AU") {
        "AU"
    } else {
        "A1"
    };
    let names: Vec<_> = fields
        .iter()
        .filter(|(tag, _)| tag == author_tag)
        .filter_map(|(_, value)| name_of_text(value))
        .collect();
    if !names.is_empty() {
        record.authors = Some((author_tag.to_owned(), names));
    }
    let mut tags = Vec::new();
    for (_, value) in fields.iter().filter(|(tag, _)| tag == "KW") {
        // One keyword a line; a line of several separated by ";" is split.
        if value.contains([';', '；']) {
            split_tags(value, &mut tags);
        } else if !value.is_empty() {
            tags.push(value.clone());
        }
    }
    if !tags.is_empty() {
        record.tags = Some(("KW".to_owned(), tags));
    }
    // Every tag once, repeated values on lines of their own, in file order.
    let mut order: Vec<String> = Vec::new();
    let mut joined: BTreeMap<String, String> = BTreeMap::new();
    for (tag, value) in fields {
        if value.is_empty() {
            continue;
        }
        match joined.get_mut(&tag) {
            Some(text) => {
                text.push('\n');
                text.push_str(&value);
            }
            None => {
                order.push(tag.clone());
                joined.insert(tag, value);
            }
        }
    }
    record.original = order
        .into_iter()
        .filter_map(|tag| joined.remove(&tag).map(|value| (tag, value)))
        .collect();
    record
}

/// RIS writes dates as `YYYY/MM/DD/other` with any part empty ("2023///",
/// "2023/10//"): as ISO text. Anything else is left for `date::read`.
fn slashed_date(text: &str) -> String {
    let parts: Vec<&str> = text.trim().splitn(4, '/').collect();
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    match parts.as_slice() {
        [year, rest @ ..] if !rest.is_empty() && year.len() == 4 && digits(year, 4) => {
            let month = rest.first().copied().unwrap_or_default();
            let day = rest.get(1).copied().unwrap_or_default();
            match (month, day) {
                ("", _) => (*year).to_owned(),
                (m, "") if digits(m, 2) => format!("{year}-{m:0>2}"),
                (m, d) if digits(m, 2) && digits(d, 2) => format!("{year}-{m:0>2}-{d:0>2}"),
                _ => text.trim().to_owned(),
            }
        }
        _ => text.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_lines_follow_the_spec() {
        assert_eq!(tag_of("TY  - JOUR"), Some(("TY", "JOUR")));
        assert_eq!(tag_of("ER  -"), Some(("ER", "")));
        assert_eq!(tag_of("ER  - "), Some(("ER", "")));
        assert_eq!(tag_of("A1  - 张三"), Some(("A1", "张三")));
        assert_eq!(tag_of("ty  - JOUR"), None);
        assert_eq!(tag_of("AI - driven chips"), None);
        assert_eq!(tag_of("continued text"), None);
    }

    #[test]
    fn slashed_dates_become_iso_text() {
        for (text, expected) in [
            ("2023///", "2023"),
            ("2023/10//", "2023-10"),
            ("2023/10/17/", "2023-10-17"),
            ("2023/1/5/Spring", "2023-01-05"),
            ("2023", "2023"),
            ("2023-10-17 08:12:33", "2023-10-17 08:12:33"),
            ("2023/Oct/", "2023/Oct/"),
        ] {
            assert_eq!(slashed_date(text), expected, "{text}");
        }
    }

    #[test]
    fn a_record_without_er_is_refused_at_its_first_line() {
        let text = "TY  - JOUR\nTI  - One\nER  - \n\nTY  - RPRT\nTI  - Two\n\nTY  - JOUR\nTI  - Three\nER  - \n";
        let refusal = index(text).unwrap_err();
        assert_eq!(refusal.line, 5);
        assert!(refusal.message.contains("line 8"), "{}", refusal.message);
        let cut = "TY  - JOUR\nTI  - One\n";
        assert_eq!(index(cut).unwrap_err().line, 1);
        let orphan = "TY  - JOUR\nER  - \nAU  - Lost\n";
        assert_eq!(index(orphan).unwrap_err().line, 3);
    }

    #[test]
    fn continuation_lines_and_repeated_tags_are_kept() {
        let text = "Provider: a catalogue\r\n\r\nTY  - JOUR\r\nTI  - A long\r\n  title\r\nAU  - 张三\r\nAU  - Allen, Gregory C.\r\nKW  - AI chips\r\nKW  - 华为\r\nAB  - First paragraph.\r\nSecond paragraph.\r\nER  - \r\n";
        let (spans, warnings) = index(text).unwrap();
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].line, 3);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let record = read(text, &spans[0]);
        assert_eq!(record.title.unwrap().text, "A long title");
        assert_eq!(record.authors.unwrap().1.len(), 2);
        assert_eq!(
            record.tags,
            Some(("KW".into(), vec!["AI chips".into(), "华为".into()]))
        );
        assert_eq!(
            record.r#abstract.unwrap().text,
            "First paragraph.\nSecond paragraph."
        );
        assert!(record
            .original
            .contains(&("KW".to_owned(), "AI chips\n华为".to_owned())));
    }
}

//! CSL-JSON: a list of items (`[{"type": "report", "title": …}, …]`), as
//! Zotero, Mendeley and citeproc write it; one item alone (`{…}`) is read as
//! a list of one. serde_json checks the whole file first, so invalid JSON is
//! refused with serde's line and column before anything is imported; then
//! [`index`] finds where each item starts (its line names it in problems) and
//! [`read`] parses one item when its turn comes.

use serde_json::{Map, Value};

use super::citation_input::{Refusal, Span};
use super::citation_rows::{CitationRecord, FieldText};
use super::source_rows::split_tags;
use crate::citation_kinds::{kind_from_csl_type, PersonName};

/// Checks that `text` is JSON, then finds each item of its top-level list.
pub(super) fn index(text: &str) -> Result<Vec<Span>, Refusal> {
    if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(json_refusal(&error));
    }
    let bytes = text.as_bytes();
    let mut lines = LineCounter::default();
    let mut at = skip_blank(bytes, 0);
    match bytes.get(at) {
        Some(b'{') => {
            let end = value_end(bytes, at);
            return Ok(vec![Span {
                line: lines.line_at(bytes, at),
                start: at,
                end,
            }]);
        }
        Some(b'[') => at += 1,
        other => {
            let what = match other {
                Some(b'"') => "a string",
                Some(b't' | b'f') => "true or false",
                Some(b'n') => "null",
                _ => "a number",
            };
            return Err(Refusal::new(
                lines.line_at(bytes, at),
                format!("holds {what} where CSL-JSON has a list of items (`[{{…}}, …]`). Export the references again as CSL JSON."),
            ));
        }
    }
    let mut spans = Vec::new();
    loop {
        at = skip_blank(bytes, at);
        match bytes.get(at) {
            Some(b']') | None => break,
            Some(b',') => at += 1,
            Some(_) => {
                let end = value_end(bytes, at);
                spans.push(Span {
                    line: lines.line_at(bytes, at),
                    start: at,
                    end,
                });
                at = end;
            }
        }
    }
    Ok(spans)
}

/// serde's error as a refusal: its line, and its column in the message.
fn json_refusal(error: &serde_json::Error) -> Refusal {
    let text = error.to_string();
    // serde ends its message with " at line L column C"; the line is said apart.
    let what = text
        .rfind(" at line ")
        .map_or(text.as_str(), |cut| &text[..cut]);
    Refusal::new(
        error.line().max(1) as u64,
        format!(
            "this is not valid JSON at column {} ({what}). A missing comma, quote or bracket just before is the usual cause; fix it, or export the references again as CSL JSON.",
            error.column()
        ),
    )
}

/// Counts lines up to increasing positions, so the whole file is counted once.
#[derive(Default)]
struct LineCounter {
    at: usize,
    line: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], position: usize) -> u64 {
        let upto = position.min(bytes.len());
        if upto > self.at {
            self.line += bytes[self.at..upto].iter().filter(|&&b| b == b'\n').count() as u64;
            self.at = upto;
        }
        self.line + 1
    }
}

fn skip_blank(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// Where the JSON value starting at `at` ends (the text is valid JSON).
fn value_end(bytes: &[u8], start: usize) -> usize {
    let container = matches!(bytes.get(start), Some(b'{' | b'['));
    if !container && bytes.get(start) != Some(&b'"') {
        // A number, true, false or null: up to the next separator.
        let mut at = start;
        while bytes
            .get(at)
            .is_some_and(|b| !matches!(b, b',' | b']' | b'}') && !b.is_ascii_whitespace())
        {
            at += 1;
        }
        return at;
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut at = start;
    while let Some(&b) = bytes.get(at) {
        at += 1;
        if in_string {
            match b {
                b'\\' => at += 1,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return at;
                    }
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    at.min(bytes.len())
}

/// Item `number` (from 1) of the file, at `span`, read into its fields.
pub(super) fn read(text: &str, span: &Span, number: usize) -> CitationRecord {
    let value: Result<Value, _> = serde_json::from_str(&text[span.start..span.end]);
    let map = match value {
        Ok(Value::Object(map)) => map,
        _ => {
            let mut record = CitationRecord::new(
                span.line,
                format!("Item {number}"),
                format!("item {number}"),
                "title",
            );
            record.problem(
                None,
                None,
                format!("Item {number} is not an object of fields ({{\"title\": …}}), so it is no reference. Remove it, or export the references again as CSL JSON."),
            );
            return record;
        }
    };
    let (label, name) = match map.get("id").and_then(scalar_text) {
        Some(id) => (format!("The item with id \"{id}\""), format!("id {id}")),
        None => (format!("Item {number}"), format!("item {number}")),
    };
    let mut record = CitationRecord::new(span.line, label, name, "title");
    if let Some(kind) = map.get("type").and_then(Value::as_str) {
        record.kind = kind_from_csl_type(kind);
    }
    record.title = text_field(&mut record, &map, "title");
    record.publisher = text_field(&mut record, &map, "container-title")
        .or_else(|| text_field(&mut record, &map, "publisher"));
    record.url = text_field(&mut record, &map, "URL");
    record.doi = text_field(&mut record, &map, "DOI");
    record.r#abstract = text_field(&mut record, &map, "abstract");
    record.language = text_field(&mut record, &map, "language");
    if let Some(date) = date_field(&mut record, &map, "issued") {
        record.published.push(date);
    }
    record.accessed = date_field(&mut record, &map, "accessed");
    if let Some(authors) = map.get("author") {
        let names = names_of(&mut record, authors);
        if !names.is_empty() {
            record.authors = Some(("author".to_owned(), names));
        }
    }
    let mut tags = Vec::new();
    match map.get("keyword") {
        Some(Value::String(text)) => split_tags(text, &mut tags),
        Some(Value::Array(items)) => tags.extend(items.iter().filter_map(scalar_text)),
        _ => {}
    }
    if !tags.is_empty() {
        record.tags = Some(("keyword".to_owned(), tags));
    }
    record.original = map
        .iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (name.clone(), text)
        })
        .collect();
    record
}

/// A string or number as text.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A text field; a list or an object there is a problem.
fn text_field(
    record: &mut CitationRecord,
    map: &Map<String, Value>,
    name: &str,
) -> Option<FieldText> {
    match map.get(name)? {
        Value::Null => None,
        Value::String(text) if text.trim().is_empty() => None,
        value => match scalar_text(value) {
            Some(text) => Some(FieldText::new(name, text)),
            None => {
                record.problem(
                    Some(name),
                    Some(&value.to_string()),
                    format!("{name} holds {}, where CSL-JSON has text. Write it as a string (\"…\"), or leave it out.", shape(value)),
                );
                None
            }
        },
    }
}

fn shape(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
        Value::Bool(_) => "true or false",
        Value::Null => "null",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
    }
}

/// A CSL date (`{"date-parts": [[2023, 10, 17]]}`, `{"raw": "…"}`,
/// `{"literal": "…"}`, or a string) as text for `date::read`; the first
/// date of a range.
fn date_field(
    record: &mut CitationRecord,
    map: &Map<String, Value>,
    name: &str,
) -> Option<FieldText> {
    let value = map.get(name)?;
    let text = match value {
        Value::Null => return None,
        Value::String(text) => Some(text.clone()),
        Value::Object(date) => match date.get("date-parts") {
            Some(Value::Array(parts)) => parts.first().and_then(date_parts),
            _ => ["raw", "literal"]
                .iter()
                .find_map(|key| date.get(*key).and_then(scalar_text)),
        },
        _ => None,
    };
    match text {
        Some(text) if text.trim().is_empty() => None,
        Some(text) => Some(FieldText::new(name, text)),
        None => {
            record.problem(
                Some(name),
                Some(&value.to_string()),
                format!("{name} is not a date CSL-JSON writes: use {{\"date-parts\": [[2023, 10, 17]]}} (year, month and day; the month and day may be left out), or leave it out."),
            );
            None
        }
    }
}

/// `[2023, 10, 17]` (numbers or numeric strings) as "2023-10-17"; a month
/// past 12 is a season (21–24) and is left out.
fn date_parts(parts: &Value) -> Option<String> {
    let numbers: Vec<i64> = parts
        .as_array()?
        .iter()
        .map(|part| match part {
            Value::Number(n) => n.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match numbers.as_slice() {
        [year] => Some(format!("{year:04}")),
        [year, month, ..] if !(1..=12).contains(month) => Some(format!("{year:04}")),
        [year, month] => Some(format!("{year:04}-{month:02}")),
        [year, month, day, ..] => Some(format!("{year:04}-{month:02}-{day:02}")),
        [] => None,
    }
}

/// CSL names: `{"family", "given"}` (with particles and suffix) or `{"literal"}`.
fn names_of(record: &mut CitationRecord, authors: &Value) -> Vec<PersonName> {
    let Value::Array(list) = authors else {
        record.problem(
            Some("author"),
            Some(&authors.to_string()),
            "author is not a list of names; write [{\"family\": \"Allen\", \"given\": \"Gregory C.\"}, {\"literal\": \"华为技术有限公司\"}], or leave it out.".into(),
        );
        return Vec::new();
    };
    let mut names = Vec::new();
    for name in list {
        let part = |key: &str| {
            name.get(key)
                .and_then(scalar_text)
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
        };
        if let Value::String(text) = name {
            if !text.trim().is_empty() {
                names.push(PersonName::Literal(text.trim().to_owned()));
            }
            continue;
        }
        if let Some(literal) = part("literal") {
            names.push(PersonName::Literal(literal));
            continue;
        }
        let family = [part("non-dropping-particle"), part("family")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let mut given = [part("given"), part("dropping-particle")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(suffix) = part("suffix") {
            given = format!("{given}, {suffix}");
        }
        match (family.is_empty(), given.is_empty()) {
            (false, _) => names.push(PersonName::Parts { family, given }),
            (true, false) => names.push(PersonName::Literal(given)),
            (true, true) => {}
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_found_with_their_lines() {
        let text =
            "[\n  {\"id\": \"a\", \"title\": \"x, [y] {z} \\\"q\\\"\"},\n  {\"id\": 2}\n, 3\n]";
        let spans = index(text).unwrap();
        assert_eq!(spans.len(), 3);
        assert_eq!(spans.iter().map(|s| s.line).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(&text[spans[1].start..spans[1].end], "{\"id\": 2}");
        assert_eq!(&text[spans[2].start..spans[2].end], "3");
        let one = index(" {\"title\": \"t\"} ").unwrap();
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn invalid_json_is_refused_with_serdes_line_and_column() {
        let refusal = index("[\n  {\"title\": \"a\"}\n  {\"title\": \"b\"}\n]").unwrap_err();
        assert_eq!(refusal.line, 3);
        assert!(
            refusal
                .message
                .starts_with("this is not valid JSON at column 3 (expected `,` or `]`)"),
            "{}",
            refusal.message
        );
        assert_eq!(index("\"just text\"").unwrap_err().line, 1);
    }

    #[test]
    fn names_dates_and_keywords_are_read() {
        let text = r#"[{"id": "x", "type": "article-journal", "title": "华为昇腾910B的性能分析",
            "author": [{"family": "张", "given": "三"}, {"literal": "华为技术有限公司"},
                       {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"}],
            "issued": {"date-parts": [["2023", 10]]}, "accessed": {"raw": "2023-11-01"},
            "keyword": "AI chips, 华为", "volume": 12}]"#;
        let spans = index(text).unwrap();
        let record = read(text, &spans[0], 1);
        assert_eq!(record.label, "The item with id \"x\"");
        assert_eq!(record.published, vec![FieldText::new("issued", "2023-10")]);
        assert_eq!(
            record.accessed,
            Some(FieldText::new("accessed", "2023-11-01"))
        );
        let (_, names) = record.authors.unwrap();
        assert_eq!(names[1], PersonName::Literal("华为技术有限公司".into()));
        assert_eq!(names[2].as_text(), "Beethoven, Ludwig van");
        assert_eq!(record.tags.unwrap().1, ["AI chips", "华为"]);
        assert!(record.original.contains(&("volume".into(), "12".into())));
        assert!(record.problems.is_empty());
    }
}

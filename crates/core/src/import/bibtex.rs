//! BibTeX and BibLaTeX through the `biblatex` crate (the Typst project's):
//! it parses entries, resolves `@string` abbreviations and `crossref`s,
//! decodes LaTeX accents (`M{\"u}ller` → Müller) and splits `author` on
//! "and", keeping `{braced}` names whole.
//!
//! The crate reads a whole file and stops at the first fault, and a few inputs
//! would make it recurse without end (an abbreviation or a crossref that
//! leads back to itself) or expand without bound (abbreviations of
//! abbreviations). So the file is first parsed raw, which refuses broken
//! structure with its line (an entry whose `}` is missing is named where it
//! opens), and each entry is looked at before the crate resolves it: a
//! repeated key, an undefined, circular or oversized abbreviation, or a value
//! the crate cannot read leaves that one entry out as a row problem, named by
//! its line and key, and the rest import.

use std::collections::{HashMap, HashSet};

use biblatex::{
    Bibliography, ChunksExt, Entry, Field, ParseError, ParseErrorKind, RawBibliography, RawChunk,
    Token,
};

use super::citation_input::Refusal;
use super::citation_rows::{CitationRecord, FieldText};
use super::input::{MAX_CELL_BYTES, MAX_ROW_BYTES};
use super::source_rows::split_tags;
use super::ImportProblem;
use crate::citation_kinds::{kind_from_bibtex_type, PersonName};
use crate::text::grouped;

/// One entry of the file: read by the crate, or the problems that left it out.
pub(super) struct Item {
    pub line: u64,
    /// Where the entry ends in the file's text.
    pub end: usize,
    key: String,
    kind: String,
    read: Result<Entry, Vec<ImportProblem>>,
}

/// Entries the crate may refuse one by one before the file as a whole is refused.
const MAX_REFUSED_ENTRIES: usize = 100;
/// Nesting of abbreviations (`@string{a = b # c}`) followed at most.
const MAX_ABBREVIATION_DEPTH: u32 = 32;
/// All abbreviations of a file expanded together, at most (a file of a few
/// lines can otherwise ask for gigabytes: `@string{b = a # a}` and so on).
const MAX_EXPANDED_BYTES: u64 = 256 << 20;

/// Every entry of `text` (entry types that hold no reference, `@xdata` and
/// `@set`, are not listed), and warnings.
pub(super) fn parse(text: &str) -> Result<(Vec<Item>, Vec<String>), Refusal> {
    let raw = RawBibliography::parse(text).map_err(|error| refusal(text, &error))?;
    let mut lines = LineCounter::default();
    let mut items: Vec<Item> = Vec::with_capacity(raw.entries.len());
    let mut warnings = Vec::new();
    let mut first_of_key: HashMap<&str, u64> = HashMap::new();
    let abbreviations: HashMap<&str, &Field<'_>> = raw
        .abbreviations
        .iter()
        .map(|pair| (pair.key.v, &pair.value.v))
        .collect();
    let mut expansions = Expansions::default();
    let mut expanded_total: u64 = 0;
    // Entries with links (crossref, xdata), and where each key is.
    let links: HashMap<&str, Vec<String>> = raw
        .entries
        .iter()
        .filter_map(|entry| {
            let targets = link_targets(&entry.v.fields);
            (!targets.is_empty()).then_some((entry.v.key.v, targets))
        })
        .collect();
    let mut kept = Vec::with_capacity(raw.entries.len());
    let mut one_step_links: Option<(u64, String)> = None;
    for entry in &raw.entries {
        let line = lines.line_at(text, entry.span.start);
        let key = entry.v.key.v;
        let kind = entry.v.kind.v.to_ascii_lowercase();
        let mut item = Item {
            line,
            end: entry.span.end,
            key: key.to_owned(),
            kind,
            read: Err(Vec::new()),
        };
        let mut problems = Vec::new();
        match first_of_key.get(key) {
            Some(first) => problems.push(ImportProblem {
                row: line,
                column: None,
                value: Some(key.to_owned()),
                message: format!(
                    "The key {key} is used again here (first on line {}); BibTeX needs each entry's key once, so this entry is left out. Give it a key of its own if it is another reference.",
                    grouped(*first)
                ),
            }),
            None => {
                first_of_key.insert(key, line);
            }
        }
        let mut expanded: u64 = 0;
        for pair in &entry.v.fields {
            let mut field_bytes: u64 = 0;
            for chunk in &pair.value.v {
                match chunk.v {
                    RawChunk::Normal(text) => field_bytes += text.len() as u64,
                    RawChunk::Abbreviation(name) => match expansions.of(name, &abbreviations, 0) {
                        Ok(bytes) => field_bytes += bytes,
                        Err(why) => problems.push(ImportProblem {
                            row: line,
                            column: Some(pair.key.v.to_owned()),
                            value: Some(name.to_owned()),
                            message: why,
                        }),
                    },
                }
            }
            if field_bytes > MAX_CELL_BYTES as u64 {
                problems.push(ImportProblem {
                    row: line,
                    column: Some(pair.key.v.to_owned()),
                    value: None,
                    message: format!(
                        "This field is {} bytes long with its abbreviations written out; Chipwatch reads fields of up to {} bytes (1 MiB). Shorten it, then import again.",
                        grouped(field_bytes),
                        grouped(MAX_CELL_BYTES as u64)
                    ),
                });
            }
            expanded += field_bytes;
        }
        if expanded > MAX_ROW_BYTES as u64 && problems.is_empty() {
            problems.push(ImportProblem {
                row: line,
                column: None,
                value: None,
                message: format!(
                    "This entry is {} bytes long with its abbreviations written out; Chipwatch reads entries of up to {} bytes (16 MiB). Shorten it, then import again.",
                    grouped(expanded),
                    grouped(MAX_ROW_BYTES as u64)
                ),
            });
        }
        if problems.is_empty() {
            expanded_total += expanded;
            if expanded_total > MAX_EXPANDED_BYTES {
                return Err(Refusal::new(
                    line,
                    format!(
                        "by this entry, the file's abbreviations (@string) written out come to more than {} bytes (256 MiB). Split the file, or write the repeated values out, then import again.",
                        grouped(MAX_EXPANDED_BYTES)
                    ),
                ));
            }
        }
        let mut entry = entry.clone();
        // `ids` gives an entry more keys; they could clash with other keys.
        entry
            .v
            .fields
            .retain(|pair| !pair.key.v.eq_ignore_ascii_case("ids"));
        // Crossrefs are followed one step: a link to an entry that links on
        // (or to itself) could go round for ever in the crate.
        let loops = links.get(key).is_some_and(|targets| {
            targets
                .iter()
                .any(|target| target == key || links.contains_key(target.as_str()))
        });
        if loops {
            entry.v.fields.retain(|pair| !is_link(pair.key.v));
            one_step_links.get_or_insert((line, key.to_owned()));
        }
        if problems.is_empty() {
            kept.push(Some(entry));
        } else {
            item.read = Err(problems);
            kept.push(None);
        }
        items.push(item);
    }
    if let Some((line, key)) = one_step_links {
        warnings.push(format!(
            "The entry {key} (line {}) refers by crossref or xdata to an entry that refers on, or to itself; Chipwatch follows one step only, so such entries take no fields from the entries they refer to.",
            grouped(line)
        ));
    }
    let entries = resolve(text, &raw, &mut kept, &mut items)?;
    let mut entries = entries.into_iter();
    for (item, entry) in items.iter_mut().zip(&kept) {
        if entry.is_some() {
            if let Some(read) = entries.next() {
                item.read = Ok(read);
            }
        }
    }
    items.retain(|item| !matches!(item.kind.as_str(), "xdata" | "set"));
    Ok((items, warnings))
}

/// The crate's reading of the kept entries, in file order. An entry whose
/// value it refuses is left out with its problem and the rest read again.
fn resolve<'s>(
    text: &str,
    raw: &RawBibliography<'s>,
    kept: &mut [Option<biblatex::Spanned<biblatex::RawEntry<'s>>>],
    items: &mut [Item],
) -> Result<Vec<Entry>, Refusal> {
    let mut refused = 0;
    loop {
        let bibliography = RawBibliography {
            preamble: String::new(),
            entries: kept.iter().flatten().cloned().collect(),
            abbreviations: raw.abbreviations.clone(),
        };
        let error = match Bibliography::from_raw(bibliography) {
            Ok(bibliography) => return Ok(bibliography.into_vec()),
            Err(error) => error,
        };
        // The kept entry the fault is in.
        let at = error.span.start;
        let culprit = kept.iter().position(|entry| {
            entry
                .as_ref()
                .is_some_and(|e| e.span.start <= at && at < e.span.end.max(e.span.start + 1))
        });
        match culprit {
            Some(index) if refused < MAX_REFUSED_ENTRIES => {
                refused += 1;
                kept[index] = None;
                let item = &mut items[index];
                let (line, column) = line_and_column(text, at);
                item.read = Err(vec![ImportProblem {
                    row: item.line,
                    column: None,
                    value: None,
                    message: format!(
                        "The entry @{}{{{}}} cannot be read: {} (line {}, column {}). Fix the value there, then import again.",
                        item.kind,
                        item.key,
                        describe(&error.kind),
                        grouped(line),
                        column
                    ),
                }]);
            }
            _ => return Err(refusal(text, &error)),
        }
    }
}

fn is_link(field: &str) -> bool {
    field.eq_ignore_ascii_case("crossref") || field.eq_ignore_ascii_case("xdata")
}

/// The keys an entry's crossref and xdata fields name, as written.
fn link_targets(fields: &[biblatex::Pair<'_>]) -> Vec<String> {
    let mut targets = Vec::new();
    for pair in fields.iter().filter(|pair| is_link(pair.key.v)) {
        let mut text = String::new();
        for chunk in &pair.value.v {
            match chunk.v {
                RawChunk::Normal(part) | RawChunk::Abbreviation(part) => text.push_str(part),
            }
        }
        targets.extend(
            text.split(',')
                .map(|key| key.replace(['{', '}'], "").trim().to_owned())
                .filter(|key| !key.is_empty()),
        );
    }
    targets
}

/// What each abbreviation comes to: its length written out, or why it cannot be used.
#[derive(Default)]
struct Expansions<'s> {
    known: HashMap<&'s str, Result<u64, String>>,
    visiting: HashSet<&'s str>,
}

impl<'s> Expansions<'s> {
    fn of(
        &mut self,
        name: &'s str,
        abbreviations: &HashMap<&'s str, &'s Field<'s>>,
        depth: u32,
    ) -> Result<u64, String> {
        if let Some(known) = self.known.get(name) {
            return known.clone();
        }
        let Some(field) = abbreviations.get(name) else {
            // The crate knows the months (jan … dec) without a definition.
            return match month_name(name) {
                Some(month) => Ok(month.len() as u64),
                None => Err(format!(
                    "This field uses the abbreviation {name}, which the file never defines (@string{{{name} = …}}). Define it, or write the value out in braces."
                )),
            };
        };
        if !self.visiting.insert(name) {
            return Err(format!(
                "The abbreviation {name} is defined in terms of itself, so it has no value. Fix its @string definition."
            ));
        }
        let result = if depth >= MAX_ABBREVIATION_DEPTH {
            Err(format!(
                "The abbreviation {name} is built of abbreviations nested more than {MAX_ABBREVIATION_DEPTH} deep. Write its value out."
            ))
        } else {
            let mut bytes: u64 = 0;
            let mut failed = None;
            for chunk in field.iter() {
                match chunk.v {
                    RawChunk::Normal(text) => bytes += text.len() as u64,
                    RawChunk::Abbreviation(inner) => match self.of(inner, abbreviations, depth + 1)
                    {
                        Ok(inner_bytes) => bytes = bytes.saturating_add(inner_bytes),
                        Err(why) => {
                            failed = Some(why);
                            break;
                        }
                    },
                }
                if bytes > MAX_CELL_BYTES as u64 {
                    failed = Some(format!(
                        "The abbreviation {name} comes to more than {} bytes (1 MiB) written out. Shorten its @string definition.",
                        grouped(MAX_CELL_BYTES as u64)
                    ));
                    break;
                }
            }
            failed.map_or(Ok(bytes), Err)
        };
        self.visiting.remove(name);
        self.known.insert(name, result.clone());
        result
    }
}

fn month_name(abbreviation: &str) -> Option<&'static str> {
    const MONTHS: [(&str, &str); 12] = [
        ("jan", "January"),
        ("feb", "February"),
        ("mar", "March"),
        ("apr", "April"),
        ("may", "May"),
        ("jun", "June"),
        ("jul", "July"),
        ("aug", "August"),
        ("sep", "September"),
        ("oct", "October"),
        ("nov", "November"),
        ("dec", "December"),
    ];
    let lower = abbreviation.to_lowercase();
    MONTHS
        .iter()
        .find(|(short, _)| *short == lower)
        .map(|(_, name)| *name)
}

/// The crate's error in words.
fn describe(kind: &ParseErrorKind) -> String {
    let token = |token: &Token| match token {
        Token::Identifier => "a name (of a field, an entry type or an abbreviation)",
        Token::OpeningBrace => "an opening brace `{`",
        Token::ClosingBrace => "a closing brace `}`",
        Token::Comma => "a comma",
        Token::QuotationMark => "a double quote `\"`",
        Token::Equals => "an equals sign `=`",
        Token::DecimalPoint => "a decimal point",
    };
    match kind {
        ParseErrorKind::UnexpectedEof => "the file ends inside a value or an entry".into(),
        ParseErrorKind::Expected(Token::Comma) => {
            "a comma is missing here (after the entry's key, or between two fields)".into()
        }
        ParseErrorKind::Expected(t) => format!("{} is expected here", token(t)),
        ParseErrorKind::Unexpected(t) => format!("{} is out of place here", token(t)),
        ParseErrorKind::MalformedCommand => "a LaTeX command here cannot be read".into(),
        ParseErrorKind::UnknownAbbreviation(name) => {
            format!("the abbreviation {name} is not defined")
        }
        ParseErrorKind::DuplicateKey(key) => format!("the key {key} is used twice"),
        other => other.to_string(),
    }
}

/// The file refused for a fault at `error`: an entry whose closing brace is
/// missing is named where it opens; anything else where it is.
fn refusal(text: &str, error: &ParseError) -> Refusal {
    let at = error.span.start.min(text.len());
    let (entries, unclosed) = entry_starts(text);
    if let Some(open) = unclosed.filter(|open| open.at <= at) {
        return Refusal::new(
            open.line,
            format!(
                "the entry @{}{{{}, opened here, never closes — a `}}` is missing. Add it where the entry ends (a value's own `{{` may be the one left open), then import again.",
                open.kind, open.key
            ),
        );
    }
    let (line, column) = line_and_column(text, at);
    let within = entries
        .iter()
        .rev()
        .find(|entry| entry.at <= at)
        .map(|entry| {
            format!(
                ", in the entry @{}{{{}}} that starts on line {}",
                entry.kind,
                entry.key,
                grouped(entry.line)
            )
        })
        .unwrap_or_default();
    Refusal::new(
        line,
        format!(
            "{} at column {column}{within}. Fix it, then import again.",
            describe(&error.kind)
        ),
    )
}

/// Where an entry starts, as the brace count finds it.
struct EntryStart {
    at: usize,
    line: u64,
    kind: String,
    key: String,
}

/// Every `@type{key` at the top level of `text`, and the one still open at
/// the end if a brace is missing. Braces are counted as BibTeX counts them
/// (a backslash escapes the next character); text between entries is skipped.
fn entry_starts(text: &str) -> (Vec<EntryStart>, Option<EntryStart>) {
    let bytes = text.as_bytes();
    let mut entries: Vec<EntryStart> = Vec::new();
    let mut depth = 0usize;
    let mut line: u64 = 1;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b == b'\n' {
            line += 1;
        }
        if depth == 0 {
            match b {
                b'%' => {
                    while at < bytes.len() && bytes[at] != b'\n' {
                        at += 1;
                    }
                    continue;
                }
                b'@' => {
                    let kind_len = bytes[at + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
                        .count();
                    let mut brace = at + 1 + kind_len;
                    while bytes.get(brace).is_some_and(|c| *c == b' ' || *c == b'\t') {
                        brace += 1;
                    }
                    if kind_len > 0 && bytes.get(brace) == Some(&b'{') {
                        let key_start = brace + 1;
                        let key_len = bytes[key_start..]
                            .iter()
                            .take_while(|c| !matches!(c, b',' | b'}' | b'\n' | b'\r'))
                            .count();
                        entries.push(EntryStart {
                            at,
                            line,
                            kind: text[at + 1..at + 1 + kind_len].to_owned(),
                            key: text[key_start..key_start + key_len].trim().to_owned(),
                        });
                        depth = 1;
                        at = key_start;
                        continue;
                    }
                }
                _ => {}
            }
        } else {
            match b {
                b'\\' => {
                    if bytes.get(at + 1) == Some(&b'\n') {
                        line += 1;
                    }
                    at += 2;
                    continue;
                }
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
        }
        at += 1;
    }
    let unclosed = if depth > 0 { entries.pop() } else { None };
    (entries, unclosed)
}

fn line_and_column(text: &str, at: usize) -> (u64, usize) {
    let at = at.min(text.len());
    let mut start = at;
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Counts lines up to increasing positions, so the whole file is counted once.
#[derive(Default)]
struct LineCounter {
    at: usize,
    line: u64,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, position: usize) -> u64 {
        let upto = position.min(text.len());
        if upto > self.at {
            self.line += text.as_bytes()[self.at..upto]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.at = upto;
        }
        self.line + 1
    }
}

/// Fields the outlet is read from, in order.
const PUBLISHER_FIELDS: [&str; 7] = [
    "journaltitle",
    "journal",
    "booktitle",
    "publisher",
    "institution",
    "organization",
    "school",
];

/// One entry as the crate read it, into its fields (or its problems).
pub(super) fn read(item: Item) -> CitationRecord {
    let name = format!("@{}{{{}}}", item.kind, item.key);
    let mut record = CitationRecord::new(item.line, format!("The entry {name}"), name, "title");
    record.kind = kind_from_bibtex_type(&item.kind);
    let entry = match item.read {
        Ok(entry) => entry,
        Err(problems) => {
            record.problems = problems;
            return record;
        }
    };
    let text = |name: &str| -> Option<FieldText> {
        let value = entry.get(name)?.format_verbatim();
        let value = value.trim();
        (!value.is_empty()).then(|| FieldText::new(name, value))
    };
    record.title = text("title");
    record.publisher = PUBLISHER_FIELDS.iter().find_map(|name| text(name));
    record.url = text("url").or_else(|| {
        // @misc{…, howpublished = {\url{https://…}}}: the address alone.
        text("howpublished").and_then(|f| {
            let inner = f
                .text
                .strip_prefix("\\url{")
                .and_then(|rest| rest.strip_suffix('}'));
            let address = inner.unwrap_or(&f.text).trim();
            let lower = address.to_ascii_lowercase();
            (lower.starts_with("http://") || lower.starts_with("https://"))
                .then(|| FieldText::new("howpublished", address))
        })
    });
    record.doi = text("doi");
    record.r#abstract = text("abstract");
    record.language = text("language").or_else(|| text("langid"));
    record.accessed = text("urldate");
    if let Some(date) = text("date") {
        // BibLaTeX: "2023-10-17", a range "2023-10/2023-12", uncertain "2023?".
        let start = date.text.split('/').next().unwrap_or_default();
        let start = start.trim_end_matches(['?', '~', '%']).trim();
        record.published.push(FieldText::new("date", start));
    }
    if let Some(year) = text("year") {
        if let Some(month) = text("month") {
            let month_text = match month.text.parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) => format!("{}-{m:02}", year.text),
                _ => format!("{} {}", month.text, year.text),
            };
            record.published.push(FieldText::new("month", month_text));
        }
        record.published.push(year);
    }
    match entry.author() {
        Ok(people) => {
            let names: Vec<PersonName> = people.into_iter().filter_map(person_name).collect();
            if !names.is_empty() {
                record.authors = Some(("author".to_owned(), names));
            }
        }
        Err(biblatex::RetrievalError::Missing(_)) => {}
        Err(biblatex::RetrievalError::TypeError(_)) => {
            // Names the crate cannot split stay one name, as written.
            if let Some(field) = text("author") {
                record.authors = Some(("author".to_owned(), vec![PersonName::Literal(field.text)]));
            }
        }
    }
    if let Some(keywords) = text("keywords") {
        let mut tags = Vec::new();
        split_tags(&keywords.text, &mut tags);
        if !tags.is_empty() {
            record.tags = Some(("keywords".to_owned(), tags));
        }
    }
    record.original = vec![
        ("entry type".to_owned(), item.kind.clone()),
        ("citation key".to_owned(), item.key.clone()),
    ];
    record.original.extend(
        entry
            .fields
            .iter()
            .map(|(name, chunks)| (name.clone(), chunks.format_verbatim())),
    );
    record
}

/// A BibTeX name as Chipwatch's authors text holds it: "von Neumann, John",
/// "Huawei Technologies Co., Ltd." (braced: one literal name), 张三.
fn person_name(person: biblatex::Person) -> Option<PersonName> {
    let family = [person.prefix.trim(), person.name.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut given = person.given_name.trim().to_owned();
    if !person.suffix.trim().is_empty() {
        given = format!("{given}, {}", person.suffix.trim());
    }
    match (family.is_empty(), given.is_empty()) {
        (true, true) => None,
        (false, true) => Some(PersonName::Literal(family)),
        (true, false) => Some(PersonName::Literal(given)),
        (false, false) => Some(PersonName::Parts { family, given }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<CitationRecord> {
        parse(text).unwrap().0.into_iter().map(read).collect()
    }

    #[test]
    fn an_unterminated_brace_names_the_entry_where_it_opens() {
        let text = "@book{ok, title = {Fine}}\n\n% a note\n@article{smic2023,\n  title = {SMIC's 7 nm,\n  year = {2023}\n}\n\n@book{later, title = {Later}}\n";
        let refusal = parse(text).err().unwrap();
        assert_eq!(refusal.line, 4);
        assert!(
            refusal.message.starts_with(
                "the entry @article{smic2023, opened here, never closes — a `}` is missing"
            ),
            "{}",
            refusal.message
        );
    }

    #[test]
    fn other_faults_are_named_where_they_are() {
        let text = "@article{a,\n  title = {A}\n  year = {2023}\n}\n";
        let refusal = parse(text).err().unwrap();
        assert_eq!(refusal.line, 3);
        assert!(
            refusal.message.contains("a comma is missing"),
            "{}",
            refusal.message
        );
        assert!(
            refusal.message.contains("@article{a}"),
            "{}",
            refusal.message
        );
    }

    #[test]
    fn bad_entries_are_left_out_one_by_one() {
        let text = r#"@string{self = self}
@string{a = "x"} @string{b = a # a}
@article{one, title = {One}, journal = b}
@article{one, title = {Again}}
@article{two, title = {Two}, journal = IEEEJ}
@article{three, title = {Three}, note = self}
@article{four, title = "Cost $5"}
@article{five, title = {Five}, crossref = {five}}
@article{six, title = {Six}, month = oct, year = 2023}
"#;
        let read = records(text);
        let summary: Vec<(u64, bool)> = read
            .iter()
            .map(|r| (r.line, r.problems.is_empty()))
            .collect();
        assert_eq!(
            summary,
            [
                (3, true),
                (4, false),
                (5, false),
                (6, false),
                (7, false),
                (8, true),
                (9, true)
            ]
        );
        assert_eq!(read[0].publisher.as_ref().unwrap().text, "xx");
        assert!(read[1].problems[0].message.contains("first on line 3"));
        assert!(read[2].problems[0].message.contains("never defines"));
        assert!(read[3].problems[0].message.contains("in terms of itself"));
        assert!(read[4].problems[0].message.contains("cannot be read"));
        assert_eq!(
            read[6].published,
            vec![
                FieldText::new("month", "October 2023"),
                FieldText::new("year", "2023")
            ]
        );
    }

    #[test]
    fn abbreviations_that_double_are_stopped() {
        let mut text = String::from("@string{a0 = \"xxxxxxxxxxxxxxxx\"}\n");
        for n in 1..40 {
            text.push_str(&format!("@string{{a{n} = a{} # a{}}}\n", n - 1, n - 1));
        }
        text.push_str("@article{big, title = {Big}, note = a39}\n");
        let read = records(&text);
        assert_eq!(read.len(), 1);
        assert!(
            read[0].problems[0].message.contains("more than"),
            "{:?}",
            read[0].problems
        );
    }

    #[test]
    fn names_accents_and_literal_organisations() {
        let text = r#"@article{x, title = {T}, author = {张三 and Allen, Gregory C. and {Huawei Technologies Co., Ltd.} and von Neumann, John and M{\"u}ller, J{\"o}rg}}"#;
        let record = records(text).remove(0);
        let (_, names) = record.authors.unwrap();
        let texts: Vec<String> = names.iter().map(PersonName::as_text).collect();
        assert_eq!(
            texts,
            [
                "张三",
                "Allen, Gregory C.",
                "Huawei Technologies Co., Ltd.",
                "von Neumann, John",
                "Müller, Jörg"
            ]
        );
    }
}

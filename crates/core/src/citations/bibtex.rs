//! BibTeX/BibLaTeX entries: what LaTeX, pandoc, JabRef and Zotero read.
//!
//! Text is UTF-8 (Chinese stays as written) with TeX's special characters
//! escaped (and `"` braced), so a title reads back as typed. The title is wrapped in a second
//! pair of braces so styles do not change its case ("China", "AI" and "SMIC"
//! stay capitals). Organisations and names written whole are braced too
//! (`{Center for Security and Emerging Technology}`), so they are never split
//! into given and family names. Both the classic fields (`year`, `month`) and
//! BibLaTeX's (`date`, `urldate`) are written; readers take the ones they know.

use std::io::Write;

use super::Citation;
use crate::citation_kinds::{bibtex_type, PersonName};

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `text` with TeX's special characters escaped and its line breaks made
/// spaces (a blank line would end a paragraph inside a field).
pub fn escape(text: &str) -> String {
    escape_keeping_lines(&one_line(text))
}

/// Every line break and run of spaces around it as one space.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n', '\u{2028}', '\u{2029}'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An abstract: its lines kept, blank lines between paragraphs squeezed to one
/// line break (a blank line would be a paragraph break TeX refuses in a field).
fn escape_abstract(text: &str) -> String {
    let lines: Vec<&str> = text
        .split(['\r', '\n', '\u{2028}', '\u{2029}'])
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty())
        .collect();
    escape_keeping_lines(&lines.join("\n"))
}

fn escape_keeping_lines(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '#' | '_' | '$' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '~' => escaped.push_str("\\textasciitilde{}"),
            '^' => escaped.push_str("\\textasciicircum{}"),
            // Braced, a double quote stays one: bare, LaTeX readers turn pairs
            // into curly quotes (and babel's German makes it a shorthand).
            '"' => escaped.push_str("{\"}"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A web address or DOI, which readers take verbatim: only what would break
/// the field's braces (or a reader's escapes) is percent-encoded.
fn verbatim(text: &str) -> String {
    one_line(text)
        .replace('\\', "%5C")
        .replace('{', "%7B")
        .replace('}', "%7D")
        .replace(' ', "%20")
}

/// A name part that holds the word "and" is braced, or BibTeX would read two
/// people ("Procter and Gamble").
fn name_part(part: &str) -> String {
    let escaped = escape(part);
    let has_and = part
        .split_whitespace()
        .any(|word| word.eq_ignore_ascii_case("and"));
    if has_and {
        format!("{{{escaped}}}")
    } else {
        escaped
    }
}

/// The author field: "Family, Given and {Organisation}".
pub fn authors(names: &[PersonName]) -> String {
    names
        .iter()
        .map(|name| match name {
            PersonName::Parts { family, given } if given.is_empty() => name_part(family),
            PersonName::Parts { family, given } => {
                format!("{}, {}", name_part(family), name_part(given))
            }
            PersonName::Literal(whole) => format!("{{{}}}", escape(whole)),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The field a source's publisher goes in for each entry type.
fn publisher_field(entry_type: &str) -> &'static str {
    match entry_type {
        "article" => "journal",
        "techreport" => "institution",
        "inproceedings" => "booktitle",
        "online" => "organization",
        _ => "publisher",
    }
}

/// One entry, then a blank line.
pub fn write_entry(out: &mut dyn Write, citation: &Citation) -> std::io::Result<()> {
    let entry_type = bibtex_type(citation.kind);
    writeln!(out, "@{entry_type}{{{},", citation.key)?;
    let mut field = |name: &str, value: &str| writeln!(out, "  {name} = {{{value}}},");
    if !citation.authors.is_empty() {
        field("author", &authors(&citation.authors))?;
    }
    field("title", &format!("{{{}}}", escape(&citation.title)))?;
    if let Some(publisher) = &citation.publisher {
        field(publisher_field(entry_type), &escape(publisher))?;
    }
    if let Some(date) = &citation.published {
        field("year", &format!("{:04}", date.year))?;
        field("date", &date.iso())?;
    }
    if let Some(doi) = &citation.doi {
        field("doi", &verbatim(doi))?;
    }
    if let Some(url) = &citation.url {
        field("url", &verbatim(url))?;
    }
    if let Some(accessed) = &citation.accessed {
        field("urldate", &accessed.iso())?;
    }
    if let Some(language) = &citation.language {
        field("language", &escape(language))?;
    }
    if !citation.tags.is_empty() {
        let tags: Vec<String> = citation.tags.iter().map(|t| escape(t)).collect();
        field("keywords", &crate::citation_kinds::join_tags(&tags))?;
    }
    if let Some(text) = &citation.abstract_text {
        field("abstract", &escape_abstract(text))?;
    }
    // The month as BibTeX's own macro (unbraced), which every style knows;
    // BibLaTeX reads the whole date from `date`.
    if let Some(month) = citation.published.and_then(|d| d.month) {
        if let Some(name) = MONTHS.get(month as usize - 1) {
            writeln!(out, "  month = {name},")?;
        }
    }
    writeln!(out, "}}")?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(
            escape(r"{a} 50% R&D #1 a_b $5 back\slash ~ ^"),
            r"\{a\} 50\% R\&D \#1 a\_b \$5 back\textbackslash{}slash \textasciitilde{} \textasciicircum{}"
        );
        // Chinese, commas and emoji stay as they are; lines become one.
        assert_eq!(
            escape("华为 \"Ascend\", 'x'\r\n\n 🚀"),
            "华为 {\"}Ascend{\"}, 'x' 🚀"
        );
    }

    #[test]
    fn organisations_are_braced_and_and_in_a_name_is_protected() {
        let names = crate::citation_kinds::split_authors(
            "Allen, Gregory C.; Center for Security and Emerging Technology; 张三; Procter and Gamble, Team",
        );
        assert_eq!(
            authors(&names),
            "Allen, Gregory C. and {Center for Security and Emerging Technology} and {张三} and {Procter and Gamble}, Team"
        );
    }

    #[test]
    fn addresses_stay_verbatim_but_cannot_break_the_braces() {
        assert_eq!(
            verbatim("https://a.example/x_y%20z#frag?q={1}"),
            "https://a.example/x_y%20z#frag?q=%7B1%7D"
        );
    }
}

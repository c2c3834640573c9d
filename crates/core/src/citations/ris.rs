//! RIS records, as the RIS specification (Research Information Systems,
//! 2011) writes them and EndNote, Zotero and Mendeley read them: a line per
//! field, `TAG  - value`, CRLF line ends, `TY` first and `ER` last; repeated
//! `AU` and `KW` for each author and tag. A value is one line: its line breaks
//! (an abstract's paragraphs) become spaces. UTF-8, without a byte order mark.
//!
//! The tags written (and what a reader gets back from them):
//! `TY` kind (`citation_kinds::ris_type`), `TI` title, `AU` each author
//! ("Family, Given", or the name whole), `PY` year, `DA` date (YYYY/MM/DD/),
//! `T2` where an article, paper or web page appeared or else `PB` publisher,
//! `UR` web address, `DO` DOI, `AB` abstract, `Y2` accessed (YYYY/MM/DD/),
//! `LA` language, `KW` each tag, `ER`.

use std::io::Write;

use super::{Citation, DateParts};
use crate::citation_kinds::ris_type;

/// A value on one line: line breaks and the spaces around them as one space.
pub fn one_line(text: &str) -> String {
    text.split(['\r', '\n', '\u{2028}', '\u{2029}', '\u{0085}'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A date as RIS writes it: YYYY/MM/DD/ with the unknown parts empty
/// ("2023/10//", "2023///").
pub fn date(parts: &DateParts) -> String {
    let two = |part: Option<u32>| part.map(|p| format!("{p:02}")).unwrap_or_default();
    format!("{:04}/{}/{}/", parts.year, two(parts.month), two(parts.day))
}

/// One record, then a blank line.
pub fn write_entry(out: &mut dyn Write, citation: &Citation) -> std::io::Result<()> {
    let mut line = |tag: &str, value: &str| -> std::io::Result<()> {
        let value = one_line(value);
        if value.is_empty() {
            return Ok(());
        }
        write!(out, "{tag}  - {value}\r\n")
    };
    line("TY", ris_type(citation.kind))?;
    line("TI", &citation.title)?;
    for name in &citation.authors {
        line("AU", &name.as_text())?;
    }
    if let Some(published) = &citation.published {
        line("PY", &format!("{:04}", published.year))?;
        line("DA", &date(published))?;
    }
    if let Some(publisher) = &citation.publisher {
        line(
            if citation.publisher_is_container() {
                "T2"
            } else {
                "PB"
            },
            publisher,
        )?;
    }
    if let Some(url) = &citation.url {
        line("UR", url)?;
    }
    if let Some(doi) = &citation.doi {
        line("DO", doi)?;
    }
    if let Some(text) = &citation.abstract_text {
        line("AB", text)?;
    }
    if let Some(accessed) = &citation.accessed {
        line("Y2", &date(accessed))?;
    }
    if let Some(language) = &citation.language {
        line("LA", language)?;
    }
    for tag in &citation.tags {
        line("KW", tag)?;
    }
    // The end tag has nothing after its hyphen but the space.
    out.write_all(b"ER  - \r\n\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        let d = |s| date(&DateParts::parse(s).unwrap());
        assert_eq!(d("2023"), "2023///");
        assert_eq!(d("2023-10"), "2023/10//");
        assert_eq!(d("2023-10-17"), "2023/10/17/");
    }

    #[test]
    fn a_multi_line_value_is_one_line() {
        assert_eq!(
            one_line("First.\r\n\r\n  Second.\nThird. "),
            "First. Second. Third."
        );
    }
}

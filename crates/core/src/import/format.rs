//! What kind of file an import reads: CSV, or a citation file that a
//! reference manager or library catalogue exported (RIS, BibTeX/BibLaTeX,
//! CSL-JSON). Told by the first bytes, so `refs.bib` needs no option and a
//! file with the wrong extension is still read as what it is; the extension
//! decides only when the start says nothing. A CSV stays CSV.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sniff::SNIFF_BYTES;
use crate::error::{Error, Result};

/// The kind of file an import reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// Comma, semicolon or tab separated text, read through a column mapping.
    #[default]
    Csv,
    /// RIS (`TY  - JOUR` … `ER  - `): EndNote, Zotero, Mendeley, library catalogues.
    Ris,
    /// BibTeX or BibLaTeX (`@article{key, …}`).
    Bibtex,
    /// CSL-JSON: a list of items as Zotero and citeproc write them.
    CslJson,
}

impl FileFormat {
    pub const ALL: [FileFormat; 4] = [
        FileFormat::Csv,
        FileFormat::Ris,
        FileFormat::Bibtex,
        FileFormat::CslJson,
    ];

    /// The format's name as people know it.
    pub fn label(self) -> &'static str {
        match self {
            FileFormat::Csv => "CSV",
            FileFormat::Ris => "RIS",
            FileFormat::Bibtex => "BibTeX",
            FileFormat::CslJson => "CSL-JSON",
        }
    }

    /// A citation file: its records are sources, with no column mapping.
    pub fn is_citations(self) -> bool {
        self != FileFormat::Csv
    }
}

/// The format of the file at `path`, from its first bytes (at most 64 KiB)
/// and, when they say nothing, its extension.
pub fn detect(path: &Path) -> Result<FileFormat> {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    if file.metadata().map_err(io_error)?.is_dir() {
        // The CSV reader says what is wrong with a folder.
        return Ok(FileFormat::Csv);
    }
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    file.take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    Ok(detect_in(&head, extension.as_deref()))
}

/// The format `head` (a file's first bytes) starts like; else its extension's.
pub(super) fn detect_in(head: &[u8], extension: Option<&str>) -> FileFormat {
    // UTF-16 with a BOM is looked at as text; UTF-8's BOM is skipped.
    let decoded;
    let text: &[u8] = match Encoding::for_bom(head) {
        Some((encoding, bom)) if encoding != encoding_rs::UTF_8 => {
            decoded = encoding
                .decode_without_bom_handling(&head[bom..])
                .0
                .into_owned();
            decoded.as_bytes()
        }
        Some((_, bom)) => &head[bom..],
        None => head,
    };
    if let Some(format) = by_content(text) {
        return format;
    }
    match extension {
        Some("ris") => FileFormat::Ris,
        Some("bib" | "bibtex" | "biblatex") => FileFormat::Bibtex,
        Some("json") => FileFormat::CslJson,
        _ => FileFormat::Csv,
    }
}

fn by_content(text: &[u8]) -> Option<FileFormat> {
    let start = skip_blank(text);
    let rest = &text[start..];
    if rest.starts_with(b"TY  -") {
        return Some(FileFormat::Ris);
    }
    // A list of objects, or one object: `[ {` / `[]` / `{ "`.
    let after = |at: usize| {
        rest.get(at..)
            .map(|r| &r[skip_blank(r)..])
            .unwrap_or_default()
    };
    match rest.first() {
        Some(b'[') if matches!(after(1).first(), Some(b'{' | b']')) => {
            return Some(FileFormat::CslJson)
        }
        Some(b'{') if matches!(after(1).first(), Some(b'"' | b'}')) => {
            return Some(FileFormat::CslJson)
        }
        _ => {}
    }
    // BibTeX: comment lines (`% Encoding: UTF-8`) may come first, then `@type{`.
    let mut rest = rest;
    while rest.first() == Some(&b'%') {
        let line_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |n| n + 1);
        rest = &rest[line_end..];
        rest = &rest[skip_blank(rest)..];
    }
    if rest.first() == Some(&b'@') {
        let name_len = rest[1..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let after_name = &rest[1 + name_len..];
        let after_name = &after_name[skip_blank(after_name)..];
        if name_len > 0 && after_name.first() == Some(&b'{') {
            return Some(FileFormat::Bibtex);
        }
    }
    None
}

fn skip_blank(text: &[u8]) -> usize {
    text.iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bytes_tell_the_format_and_the_extension_only_breaks_a_tie() {
        let cases: [(&[u8], Option<&str>, FileFormat); 14] = [
            (
                b"TY  - JOUR\r\nTI  - x\r\nER  - \r\n",
                None,
                FileFormat::Ris,
            ),
            (
                b"\xEF\xBB\xBF\r\n\r\nTY  - BOOK\n",
                Some("txt"),
                FileFormat::Ris,
            ),
            (
                b"@article{smic2023,\n title = {x}}",
                Some("txt"),
                FileFormat::Bibtex,
            ),
            (
                b"% Encoding: UTF-8\n\n@Article{a,",
                None,
                FileFormat::Bibtex,
            ),
            (b"\n@comment{jabref-meta: x}", None, FileFormat::Bibtex),
            (
                b"[\n  {\"id\": \"a\", \"type\": \"report\"}]",
                None,
                FileFormat::CslJson,
            ),
            (b"[]", Some("csv"), FileFormat::CslJson),
            (b"{ \"id\": 1 }", None, FileFormat::CslJson),
            (
                b"Title,Url\nA,https://a.example\n",
                Some("bib"),
                FileFormat::Bibtex,
            ),
            (b"Title,Url\n", Some("csv"), FileFormat::Csv),
            (b"Title,Url\n", None, FileFormat::Csv),
            (b"@handle,name\nx,y\n", Some("csv"), FileFormat::Csv),
            (b"[Title],Url\n", Some("csv"), FileFormat::Csv),
            (b"", Some("ris"), FileFormat::Ris),
        ];
        for (head, extension, expected) in cases {
            assert_eq!(
                detect_in(head, extension),
                expected,
                "{:?}",
                String::from_utf8_lossy(head)
            );
        }
        // UTF-16 with a BOM is read as text too.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("TY  - JOUR\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(detect_in(&utf16, None), FileFormat::Ris);
    }
}

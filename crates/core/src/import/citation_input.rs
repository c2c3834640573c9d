//! Reading a citation file (RIS, BibTeX/BibLaTeX, CSL-JSON) for an import or
//! a preview. The file is read whole (at most [`MAX_CITATION_FILE_BYTES`];
//! BibTeX [`MAX_BIBTEX_FILE_BYTES`]),
//! hashed as it is read, and must be UTF-8 (a BOM is skipped; UTF-16 with a
//! BOM is decoded). Its structure is checked before any record is imported:
//! a broken file (an entry whose `}` is missing, an RIS record without its
//! ER line, invalid JSON) is refused with its line and nothing is written.
//! Then records come one at a time, each read into a source or its problems
//! (`citation_rows.rs`), and go through the same writer as a CSV's rows.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use encoding_rs::{Encoding, UTF_8};
use sha2::{Digest, Sha256};

use super::citation_rows::{normalise_record, CitationRecord};
use super::format::FileFormat;
use super::sniff::binary_kind;
use super::source_pipeline::{ReadRow, SourceRows};
use super::{
    bibtex, csl_json, ris, Delimiter, ImportOptions, ImportReport, ImportTarget, ImportedFile,
};
use crate::error::{Error, Result};
use crate::text::grouped;

/// The largest RIS or CSL-JSON file an import reads (it is read whole): far
/// beyond any library's export, and a bound on the memory it takes (about
/// twice the file: its text and one record at a time).
pub const MAX_CITATION_FILE_BYTES: u64 = 256 << 20;
/// The largest BibTeX file: the crate holds every entry at once, about 18
/// times the file's size (21 MB of BibTeX took 384 MB), so 64 MiB is about
/// 1.2 GB at most. A library of 50,000 references exports about 50 MB.
pub const MAX_BIBTEX_FILE_BYTES: u64 = 64 << 20;

/// Read in pieces of this size, looking at the cancel flag between them.
const READ_CHUNK: usize = 1 << 20;

/// Where a record is in the file's text, and the line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub line: u64,
    pub start: usize,
    pub end: usize,
}

/// Why a file cannot be read at all: the line at fault and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Refusal {
    pub line: u64,
    pub message: String,
}

impl Refusal {
    pub fn new(line: u64, message: String) -> Refusal {
        Refusal { line, message }
    }
}

enum Records {
    Ris {
        text: String,
        spans: Vec<Span>,
    },
    CslJson {
        text: String,
        spans: Vec<Span>,
    },
    Bibtex {
        items: std::vec::IntoIter<bibtex::Item>,
    },
}

pub(crate) struct CitationInput {
    pub file_name: String,
    pub total_bytes: u64,
    pub format: FileFormat,
    /// Records in the file, those with problems too.
    pub records: u64,
    pub warnings: Vec<String>,
    sha256: String,
    source: Records,
    /// Records handed out so far.
    taken: u64,
    bytes_read: u64,
}

impl CitationInput {
    /// Reads the file at `path` as `format` and checks its structure.
    pub fn open(path: &Path, format: FileFormat, cancel: &AtomicBool) -> Result<CitationInput> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let refused = |line: Option<u64>, message: String| Error::ImportFile {
            file: file_name.clone(),
            line,
            message,
        };
        let io_error = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = File::open(path).map_err(io_error)?;
        let metadata = file.metadata().map_err(io_error)?;
        let label = format.label();
        if metadata.is_dir() {
            return Err(refused(None, format!("is a folder, not a {label} file.")));
        }
        let total_bytes = metadata.len();
        let (cap, cap_shown) = match format {
            FileFormat::Bibtex => (MAX_BIBTEX_FILE_BYTES, "64 MiB"),
            _ => (MAX_CITATION_FILE_BYTES, "256 MiB"),
        };
        if total_bytes > cap {
            return Err(refused(
                None,
                format!(
                    "is {} bytes; Chipwatch reads {label} files of up to {} bytes ({cap_shown}). Export the references in parts (by collection or year) and import each.",
                    grouped(total_bytes),
                    grouped(cap)
                ),
            ));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(total_bytes).unwrap_or(0));
        let mut hasher = Sha256::new();
        let mut chunk = vec![0; READ_CHUNK];
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::ImportCancelled);
            }
            let n = file.read(&mut chunk).map_err(io_error)?;
            if n == 0 {
                break;
            }
            if bytes.len() as u64 + n as u64 > cap {
                return Err(refused(None, format!("grew past {cap_shown} while it was being read. Wait until the program writing it has finished, then import it again.")));
            }
            hasher.update(&chunk[..n]);
            bytes.extend_from_slice(&chunk[..n]);
        }
        let sha256 = format!("{:x}", hasher.finalize());
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(refused(
                None,
                format!("is empty: it holds no {label} records. Export the references again."),
            ));
        }
        if let Some(kind) = binary_kind(&bytes) {
            return Err(refused(None, format!("is {kind}, not a {label} file (it was probably renamed). Export the references again as {label}.")));
        }
        let text = decode(bytes, label).map_err(|r| refused(Some(r.line), r.message))?;
        let mut warnings = Vec::new();
        let source = match format {
            FileFormat::Ris => {
                let (spans, read_past) =
                    ris::index(&text).map_err(|r| refused(Some(r.line), r.message))?;
                warnings.extend(read_past);
                Records::Ris { text, spans }
            }
            FileFormat::CslJson => {
                let spans = csl_json::index(&text).map_err(|r| refused(Some(r.line), r.message))?;
                Records::CslJson { text, spans }
            }
            FileFormat::Bibtex => {
                let (items, notes) =
                    bibtex::parse(&text).map_err(|r| refused(Some(r.line), r.message))?;
                warnings.extend(notes);
                Records::Bibtex {
                    items: items.into_iter(),
                }
            }
            FileFormat::Csv => {
                return Err(Error::invalid(
                    "format",
                    "a CSV file is read through its column mapping, not as citations",
                ))
            }
        };
        let records = match &source {
            Records::Ris { spans, .. } | Records::CslJson { spans, .. } => spans.len(),
            Records::Bibtex { items } => items.len(),
        } as u64;
        Ok(CitationInput {
            file_name,
            total_bytes,
            format,
            records,
            warnings,
            sha256,
            source,
            taken: 0,
            bytes_read: 0,
        })
    }

    /// The next record as the file holds it, or None at the end.
    pub fn next_record(&mut self) -> Option<CitationRecord> {
        let index = usize::try_from(self.taken).ok()?;
        let (record, end) = match &mut self.source {
            Records::Ris { text, spans } => {
                let span = spans.get(index)?;
                (ris::read(text, span), span.end)
            }
            Records::CslJson { text, spans } => {
                let span = spans.get(index)?;
                (csl_json::read(text, span, index + 1), span.end)
            }
            Records::Bibtex { items } => {
                let item = items.next()?;
                let end = item.end;
                (bibtex::read(item), end)
            }
        };
        self.taken += 1;
        self.bytes_read = (end as u64).min(self.total_bytes);
        Some(record)
    }

    /// The report of an import of this file, before any record is read.
    pub fn report(&self, options: &ImportOptions) -> ImportReport {
        ImportReport {
            target: Some(ImportTarget::Sources),
            file_name: self.file_name.clone(),
            format: self.format,
            encoding: UTF_8.name().to_owned(),
            delimiter: None,
            dry_run: options.dry_run,
            warnings: self.warnings.clone(),
            ..ImportReport::default()
        }
    }
}

impl SourceRows for CitationInput {
    fn next_row(&mut self) -> Result<Option<ReadRow>> {
        let Some(record) = self.next_record() else {
            return Ok(None);
        };
        let row = record.line;
        let outcome = normalise_record(record);
        let bytes = match &outcome {
            Ok((clean, original)) => clean.draft.title.len() + original.len(),
            Err(_) => 0,
        };
        Ok(Some(ReadRow {
            row,
            outcome,
            bytes,
        }))
    }

    fn file(&self) -> &dyn ImportedFile {
        self
    }
}

impl ImportedFile for CitationInput {
    fn file_name(&self) -> &str {
        &self.file_name
    }

    fn encoding_name(&self) -> &str {
        UTF_8.name()
    }

    fn delimiter(&self) -> Option<Delimiter> {
        None
    }

    fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    fn bytes_read(&self) -> u64 {
        if self.taken >= self.records {
            self.total_bytes
        } else {
            self.bytes_read
        }
    }

    /// The file was read whole before the first record: what was imported is
    /// what was hashed, however the file changed since.
    fn finish(&self) -> Result<String> {
        Ok(self.sha256.clone())
    }
}

/// The file's text: UTF-8 (its BOM skipped), or UTF-16 with a BOM.
fn decode(mut bytes: Vec<u8>, label: &str) -> std::result::Result<String, Refusal> {
    let not_text = |line: u64, what: &str| {
        Refusal::new(
            line,
            format!("{what}, so this is not {label} text as Chipwatch reads it (UTF-8). Export the references again as UTF-8, or open the file in a text editor and save it as UTF-8."),
        )
    };
    let text = match Encoding::for_bom(&bytes) {
        Some((encoding, bom)) if encoding != UTF_8 => {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
            if had_errors {
                return Err(not_text(
                    1,
                    &format!(
                        "the file starts like {} but holds bytes that are not",
                        encoding.name()
                    ),
                ));
            }
            text.into_owned()
        }
        Some((_, bom)) => {
            bytes.drain(..bom);
            String::from_utf8(bytes).map_err(|e| {
                let valid = e.utf8_error().valid_up_to();
                not_text(line_of(e.as_bytes(), valid), "a byte here is not UTF-8")
            })?
        }
        None => String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            not_text(line_of(e.as_bytes(), valid), "a byte here is not UTF-8")
        })?,
    };
    if let Some(at) = text.find('\0') {
        return Err(not_text(
            line_of(text.as_bytes(), at),
            "there is a NUL byte here (a binary file, or UTF-16 without a BOM)",
        ));
    }
    Ok(text)
}

fn line_of(bytes: &[u8], at: usize) -> u64 {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}

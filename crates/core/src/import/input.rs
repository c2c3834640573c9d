//! Reading a CSV file as a stream of records: what it is (binary files are
//! refused by their signature), its encoding (BOM, then valid UTF-8, else a
//! chardetng guess among GB18030, Big5, Shift_JIS and windows-1252; a label
//! overrides), its delimiter, and checks that run while it streams: bytes that
//! are not the encoding, NUL bytes, a quote left open at the end of the file.
//! The raw bytes are hashed (SHA-256) as they are read, and the file's size
//! and modification time are compared at the end, so a file that changed or
//! vanished meanwhile is refused rather than imported half old, half new.
//!
//! Memory and time stay proportional to what is kept, whatever the file holds:
//! at most [`MAX_COLUMNS`] columns, [`MAX_CELL_BYTES`] per cell and
//! [`MAX_ROW_BYTES`] per row are kept (csv-core parses the rest without
//! storing it), a record over a cap becomes a row problem ([`Record::too_big`]),
//! and the cancel flag is looked at for every chunk read, so even a file that
//! is one endless cell stops when asked.
//!
//! This file holds [`CsvInput`] and the capped record reader; `sniff.rs`
//! works out the file's kind, encoding and delimiter, `decode.rs` streams it
//! as checked UTF-8.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::SystemTime;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use sha2::{Digest, Sha256};

use super::decode::{DecodingReader, HashingReader, Stop};
use super::row_filter::RowFilter;
use super::sniff::{binary_kind, decode_sample, detect_delimiter, detect_encoding, SNIFF_BYTES};
use super::{Delimiter, ImportOptions, ImportProblem, ImportReport, ImportTarget};
use crate::error::{Error, Result};
use crate::text::grouped;

/// The most columns a file may have. Zotero's export has 87; a thousand is
/// far beyond any export analysts use, and keeps a file read with the wrong
/// delimiter, or a runaway sheet, from filling the memory.
pub const MAX_COLUMNS: usize = 1_000;
/// The longest cell an import reads, in bytes of UTF-8 text (a field holds
/// at most 200,000 characters, see `validate::MAX_TEXT_CHARS`). A longer cell
/// rejects its row; the rest of it is read past, not kept.
pub const MAX_CELL_BYTES: usize = 1 << 20;
/// The most bytes a row's cells hold together; a longer row is rejected.
pub const MAX_ROW_BYTES: usize = 16 << 20;
/// Header names are cut to this many characters: a file without a header row
/// has data there, and a header is repeated in every row's original_row.
pub const MAX_HEADER_CHARS: usize = 100;
/// Where the part of a cell past its cap goes while csv-core reads past it.
const SKIPPED_BYTES: usize = 64 * 1024;
/// A record's buffer to start with; it doubles as needed, up to the row cap.
const FIRST_RECORD_BYTES: usize = 8 * 1024;
const _: () = assert!(FIRST_RECORD_BYTES <= MAX_ROW_BYTES);

/// One record of the file as kept: at most [`MAX_COLUMNS`] cells of at most
/// [`MAX_CELL_BYTES`] each, the line it starts on, and what was too big.
#[derive(Debug, Default)]
pub(crate) struct Record {
    text: String,
    /// Where each kept cell ends in `text`.
    ends: Vec<usize>,
    line: u64,
    /// Cells in the file's record, those past [`MAX_COLUMNS`] too.
    cells: usize,
    /// The first cell longer than [`MAX_CELL_BYTES`]: its column and full size.
    long_cell: Option<(usize, u64)>,
    /// Bytes of all the record's cells, kept or not.
    bytes: u64,
}

impl Record {
    /// Cells kept (at most [`MAX_COLUMNS`]).
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// Bytes of text kept, all cells together.
    pub fn kept_bytes(&self) -> usize {
        self.text.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|index| self.get(index).unwrap_or_default())
    }

    /// The row problem of a record too big to import, if it is: too many
    /// cells, a cell over [`MAX_CELL_BYTES`] or a row over [`MAX_ROW_BYTES`].
    pub fn too_big(&self, row: u64, headers: &[String]) -> Option<ImportProblem> {
        let problem = |column: Option<usize>, message: String| {
            let value = column.and_then(|c| self.get(c)).map(|v| {
                let mut shown: String = v.chars().take(200).collect();
                shown.push('…');
                shown
            });
            ImportProblem {
                row,
                column: column.map(|c| match headers.get(c) {
                    Some(header) => header.clone(),
                    None => format!("Column {}", c + 1),
                }),
                value,
                message,
            }
        };
        if self.cells > MAX_COLUMNS {
            return Some(problem(
                None,
                format!(
                    "This row has {} cells; Chipwatch reads at most {} columns. A delimiter inside a value must be in quotes; fix the row or remove the extra cells.",
                    grouped(self.cells as u64),
                    grouped(MAX_COLUMNS as u64)
                ),
            ));
        }
        if let Some((column, bytes)) = self.long_cell {
            return Some(problem(
                Some(column),
                format!(
                    "This cell is {} bytes long; Chipwatch reads cells of up to {} bytes (1 MiB). Shorten it (a long text belongs in a note), or delete the column if it is not needed, then import again.",
                    grouped(bytes),
                    grouped(MAX_CELL_BYTES as u64)
                ),
            ));
        }
        if self.bytes > MAX_ROW_BYTES as u64 {
            return Some(problem(
                None,
                format!(
                    "This row is {} bytes long; Chipwatch reads rows of up to {} bytes (16 MiB). Shorten its longest cells or delete columns that are not needed, then import again.",
                    grouped(self.bytes),
                    grouped(MAX_ROW_BYTES as u64)
                ),
            ));
        }
        None
    }
}

pub(crate) struct CsvInput<'a> {
    pub file_name: String,
    pub path: PathBuf,
    pub total_bytes: u64,
    pub encoding: &'static Encoding,
    pub encoding_guessed: bool,
    pub delimiter: Delimiter,
    /// Header cells, trimmed; blank ones named "Column N", repeats " (2)".
    pub headers: Vec<String>,
    pub warnings: Vec<String>,
    /// Data rows [`CsvInput::next_row`] left out by the options' `only_rows_where`.
    pub left_out: u64,
    filter: RowFilter,
    source: DecodingReader<'a, HashingReader>,
    parser: csv_core::Reader,
    /// Receives what csv-core reads past a cap.
    skipped: Vec<u8>,
    modified: Option<SystemTime>,
}

impl<'a> CsvInput<'a> {
    /// Opens `path`, works out how to read it and reads the header row.
    /// Setting `cancel` stops the reading at the next chunk of the file.
    pub fn open(
        path: &Path,
        options: &ImportOptions,
        cancel: &'a AtomicBool,
    ) -> Result<CsvInput<'a>> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let name = file_name.clone();
        let structural = |line: Option<u64>, message: String| Error::ImportFile {
            file: name.clone(),
            line,
            message,
        };
        let io_error = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = File::open(path).map_err(io_error)?;
        let metadata = file.metadata().map_err(io_error)?;
        if metadata.is_dir() {
            return Err(structural(None, "is a folder, not a CSV file.".into()));
        }
        let total_bytes = metadata.len();
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut file)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(io_error)?;
        let complete = (head.len() as u64) >= total_bytes;
        if head.is_empty() {
            return Err(structural(
                None,
                "is empty: there is no header row and no data. Export the file again.".into(),
            ));
        }
        if let Some(kind) = binary_kind(&head) {
            return Err(structural(
                None,
                format!("is {kind}, not a CSV file (it was probably renamed). Open it in its program and save or export it as CSV."),
            ));
        }

        let mut warnings = Vec::new();
        let (encoding, bom_len, guessed) = match options.encoding.as_deref().map(str::trim) {
            Some(label) if !label.is_empty() && !label.eq_ignore_ascii_case("auto") => {
                let encoding = Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                    Error::invalid(
                        "encoding",
                        format!("'{label}' is not an encoding Chipwatch knows; try utf-8, gb18030, big5, shift_jis, windows-1252 or utf-16le"),
                    )
                })?;
                // A BOM of the named encoding is still not part of the text.
                let bom_len = match Encoding::for_bom(&head) {
                    Some((bom_encoding, len)) if bom_encoding == encoding => len,
                    _ => 0,
                };
                (encoding, bom_len, false)
            }
            _ => detect_encoding(&head, complete),
        };
        if guessed {
            warnings.push(format!(
                "The file has no BOM and is not UTF-8; its encoding was guessed as {}. If the preview shows garbled text, choose the encoding.",
                encoding.name()
            ));
        }
        // NUL bytes are never text (UTF-16 has them by design, so it is decoded first).
        if encoding != UTF_16LE && encoding != UTF_16BE {
            if let Some(at) = head.iter().position(|&b| b == 0) {
                let line = 1 + head[..at].iter().filter(|&&b| b == b'\n').count() as u64;
                return Err(structural(
                    Some(line),
                    "contains NUL bytes, so it is a binary file or UTF-16 text without a BOM. Save it as CSV (UTF-8), or choose the encoding UTF-16LE/UTF-16BE.".into(),
                ));
            }
        }
        let sample = decode_sample(encoding, &head[bom_len..], complete);
        let delimiter = match options.delimiter {
            Some(d) => d,
            None => detect_delimiter(&sample, complete),
        };

        // Stream from the start again; the sniffed bytes were only a look.
        let file = File::open(path).map_err(io_error)?;
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let skip_bom = bom_len;
        let hashing = HashingReader {
            inner: file,
            hasher: Sha256::new(),
            bytes_read: 0,
        };
        if skip_bom == 0 && encoding == UTF_8 {
            decoder = encoding.new_decoder_with_bom_removal();
        }
        let source = DecodingReader::new(
            hashing,
            decoder,
            skip_bom,
            delimiter.byte(),
            encoding,
            cancel,
        );
        let parser = csv_core::ReaderBuilder::new()
            .delimiter(delimiter.byte())
            .build();

        let mut input = CsvInput {
            file_name,
            path: path.to_path_buf(),
            total_bytes,
            encoding,
            encoding_guessed: guessed,
            delimiter,
            headers: Vec::new(),
            warnings,
            left_out: 0,
            filter: RowFilter::default(),
            source,
            parser,
            skipped: vec![0; SKIPPED_BYTES],
            modified: metadata.modified().ok(),
        };
        let mut header = Record::default();
        if input.next_record(&mut header)?.is_none() {
            return Err(structural(
                None,
                "holds no header row (only a byte order mark or blank). Export the file again."
                    .into(),
            ));
        }
        if header.cells > MAX_COLUMNS {
            return Err(structural(
                None,
                format!(
                    "has {} columns; Chipwatch reads at most {}. Remove the columns you do not need and import again.",
                    grouped(header.cells as u64),
                    grouped(MAX_COLUMNS as u64)
                ),
            ));
        }
        input.headers = input.name_headers(&header);
        input.filter = RowFilter::new(&options.only_rows_where, &input.headers)?;
        if input.headers.len() == 1 && options.delimiter.is_none() {
            input.warnings.push(
                "Only one column was found; if the file uses another delimiter, choose it.".into(),
            );
        }
        Ok(input)
    }

    /// Blank headers become "Column N"; a repeated header (ignoring case) gets
    /// " (2)", " (3)", skipping any name a header of the file already has, so
    /// every column has a name of its own and no header is renamed to make
    /// room for a made-up one. One pass over hash sets: a header row of a
    /// thousand repeats is a thousand steps, not a rescan per repeat.
    fn name_headers(&mut self, header: &Record) -> Vec<String> {
        let mut long: Vec<(usize, usize)> = Vec::new();
        let bases: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(index, cell)| {
                let cell = cell.trim_start_matches('\u{feff}').trim();
                if cell.is_empty() {
                    return format!("Column {}", index + 1);
                }
                match cell.char_indices().nth(MAX_HEADER_CHARS) {
                    Some((cut, _)) => {
                        long.push((index, cell.chars().count()));
                        format!("{}…", &cell[..cut])
                    }
                    None => cell.to_owned(),
                }
            })
            .collect();
        self.warnings.extend(long_header_warning(&long));
        let written: HashSet<String> = bases.iter().map(|b| b.to_lowercase()).collect();
        let mut taken: HashSet<String> = HashSet::with_capacity(bases.len());
        // Per header (lower case), the number its next repeat tries.
        let mut next_number: HashMap<String, u64> = HashMap::new();
        let mut names = Vec::with_capacity(bases.len());
        let mut renamed: Vec<(usize, String)> = Vec::new();
        for (index, base) in bases.iter().enumerate() {
            let key = base.to_lowercase();
            if !taken.contains(&key) {
                taken.insert(key);
                names.push(base.clone());
                continue;
            }
            let number = next_number.entry(key).or_insert(2);
            let name = loop {
                let candidate = format!("{base} ({number})");
                *number += 1;
                let key = candidate.to_lowercase();
                if !written.contains(&key) && taken.insert(key) {
                    break candidate;
                }
            };
            renamed.push((index, name.clone()));
            names.push(name);
        }
        self.warnings.extend(repeat_warnings(&bases, &renamed));
        names
    }

    /// The next record and the line it starts on, or None at the end.
    pub fn next_record(&mut self, record: &mut Record) -> Result<Option<u64>> {
        loop {
            if !self.read_record(record)? {
                return Ok(None);
            }
            // A blank line is no row (csv-core already skips empty ones); a
            // cell too long to keep is never called blank.
            if record.cells == 1
                && record.long_cell.is_none()
                && record.get(0).is_some_and(|c| c.trim().is_empty())
            {
                continue;
            }
            return Ok(Some(record.line));
        }
    }

    /// The next record that meets the options' `only_rows_where`, counting
    /// those that do not in `left_out`.
    pub fn next_row(&mut self, record: &mut Record) -> Result<Option<u64>> {
        while let Some(row) = self.next_record(record)? {
            if self.keeps(record) {
                return Ok(Some(row));
            }
            self.left_out += 1;
        }
        Ok(None)
    }

    /// Whether `record` meets the options' `only_rows_where`.
    pub fn keeps(&self, record: &Record) -> bool {
        self.filter.is_empty() || self.filter.keeps(record)
    }

    /// Reads one record, keeping what the caps allow; false at the end.
    ///
    /// csv-core is asked for one cell at a time (room for one end), written
    /// into the record's buffer up to one byte past the cell's cap; a cell
    /// that reaches it is cut there (at a character) and the rest of it goes
    /// to `skipped`, as do cells past [`MAX_COLUMNS`] and past a full row.
    fn read_record(&mut self, record: &mut Record) -> Result<bool> {
        let mut kept = std::mem::take(&mut record.text).into_bytes();
        let mut end = [0usize; 1];
        // In a CRLF file the record before ended at '\r' and its '\n' is still
        // unread; the parser counts the line only when it reads it. Read it
        // now, so this record's line is its own and not the one above.
        let leftover_newline = match self.source.fill_buf() {
            Ok(input) => input.first() == Some(&b'\n'),
            Err(stop) => return Err(self.stopped(stop)),
        };
        if leftover_newline {
            let mut scratch = [0u8; 1];
            let (_, read, _, _) = self.parser.read_record(b"\n", &mut scratch, &mut end);
            self.source.consume(read);
        }
        record.ends.clear();
        record.line = self.parser.line();
        record.cells = 0;
        record.long_cell = None;
        record.bytes = 0;
        let mut len = 0;
        let mut cell_start = 0;
        let mut cell_bytes: u64 = 0;
        let mut keeping = true;
        let mut row_full = false;
        let found = loop {
            if keeping {
                let limit = (cell_start + MAX_CELL_BYTES).min(MAX_ROW_BYTES);
                if len > limit {
                    len = char_start_at_or_before(&kept, limit, cell_start);
                    // The row's cap, not the cell's, was the nearer one.
                    row_full = MAX_ROW_BYTES <= cell_start + MAX_CELL_BYTES;
                    keeping = false;
                } else if len == kept.len() {
                    let grown = (kept.len() * 2).clamp(FIRST_RECORD_BYTES, MAX_ROW_BYTES + 1);
                    kept.resize(grown, 0);
                }
            }
            let input = match self.source.fill_buf() {
                Ok(input) => input,
                Err(stop) => return Err(self.stopped(stop)),
            };
            let output: &mut [u8] = if keeping {
                let stop = kept
                    .len()
                    .min((cell_start + MAX_CELL_BYTES).min(MAX_ROW_BYTES) + 1);
                &mut kept[len..stop]
            } else {
                &mut self.skipped
            };
            let (result, read, written, ended) = self.parser.read_record(input, output, &mut end);
            self.source.consume(read);
            cell_bytes += written as u64;
            if keeping {
                len += written;
            }
            if ended == 1 {
                let column = record.cells;
                record.cells += 1;
                record.bytes += cell_bytes;
                if cell_bytes > MAX_CELL_BYTES as u64 && record.long_cell.is_none() {
                    record.long_cell = Some((column, cell_bytes));
                }
                if column < MAX_COLUMNS {
                    record.ends.push(len);
                }
                cell_start = len;
                cell_bytes = 0;
                keeping = record.cells < MAX_COLUMNS && !row_full;
            }
            match result {
                csv_core::ReadRecordResult::Record => break true,
                csv_core::ReadRecordResult::End => break false,
                _ => {}
            }
        };
        kept.truncate(len);
        record.text = String::from_utf8(kept).map_err(|_| Error::ImportFile {
            file: self.file_name.clone(),
            line: Some(record.line),
            message: format!(
                "is not valid {}; choose the file's encoding.",
                self.encoding.name()
            ),
        })?;
        Ok(found)
    }

    fn stopped(&self, stop: Stop) -> Error {
        match stop {
            Stop::Cancelled => Error::ImportCancelled,
            Stop::Broken { line, message } => Error::ImportFile {
                file: self.file_name.clone(),
                line: Some(line),
                message,
            },
            Stop::Io(source) => Error::Io {
                path: self.path.clone(),
                source,
            },
        }
    }

    /// The report of an import of this file, before any row is read.
    pub fn report(&self, target: ImportTarget, options: &ImportOptions) -> ImportReport {
        ImportReport {
            target: Some(target),
            file_name: self.file_name.clone(),
            encoding: self.encoding.name().to_owned(),
            delimiter: Some(self.delimiter),
            dry_run: options.dry_run,
            warnings: self.warnings.clone(),
            ..ImportReport::default()
        }
    }

    /// Raw bytes read from the file so far.
    pub fn bytes_read(&self) -> u64 {
        self.source.inner.bytes_read
    }

    /// After the last record: the SHA-256 of what was read, or an error when
    /// the file changed, shrank, grew or vanished while it was being read.
    pub fn finish(&self) -> Result<String> {
        let hashing = &self.source.inner;
        let changed = |what: &str| {
            Error::ImportFile {
            file: self.file_name.clone(),
            line: None,
            message: format!("{what} while it was being imported. Wait until the program writing it has finished, then import it again."),
        }
        };
        let now = match std::fs::metadata(&self.path) {
            Ok(m) => m,
            Err(_) => return Err(changed("disappeared")),
        };
        if hashing.bytes_read != self.total_bytes
            || now.len() != self.total_bytes
            || now.modified().ok() != self.modified
        {
            return Err(changed("changed"));
        }
        Ok(format!("{:x}", hashing.hasher.clone().finalize()))
    }
}

impl super::ImportedFile for CsvInput<'_> {
    fn file_name(&self) -> &str {
        &self.file_name
    }

    fn encoding_name(&self) -> &str {
        self.encoding.name()
    }

    fn delimiter(&self) -> Option<Delimiter> {
        Some(self.delimiter)
    }

    fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    fn bytes_read(&self) -> u64 {
        CsvInput::bytes_read(self)
    }

    fn finish(&self) -> Result<String> {
        CsvInput::finish(self)
    }

    fn left_out(&self) -> u64 {
        self.left_out
    }
}

/// Repeats listed one by one; more become one warning with the count.
const LISTED_REPEATS: usize = 3;

/// The warnings about repeated headers: one per column for a few, else one
/// that names the first few and counts the rest.
fn repeat_warnings(bases: &[String], renamed: &[(usize, String)]) -> Vec<String> {
    let base_of = |index: usize| bases.get(index).map_or("", String::as_str);
    if renamed.len() <= LISTED_REPEATS {
        return renamed
            .iter()
            .map(|(index, name)| {
                format!(
                    "Column {} repeats the header '{}'; it is read as '{name}' and is not mapped automatically.",
                    index + 1,
                    base_of(*index)
                )
            })
            .collect();
    }
    let listed: Vec<String> = renamed
        .iter()
        .take(LISTED_REPEATS)
        .map(|(index, name)| format!("column {} as '{name}'", index + 1))
        .collect();
    vec![format!(
        "{} columns repeat an earlier header; they are read with a number added ({} and {} more) and are not mapped automatically.",
        grouped(renamed.len() as u64),
        listed.join(", "),
        grouped((renamed.len() - LISTED_REPEATS) as u64)
    )]
}

/// The warning about headers cut to [`MAX_HEADER_CHARS`]: (column, length).
fn long_header_warning(long: &[(usize, usize)]) -> Option<String> {
    let (column, chars) = *long.first()?;
    Some(if long.len() == 1 {
        format!(
            "The header of column {} is {} characters long; it is read as its first {MAX_HEADER_CHARS}. If the file has no header row, add one.",
            column + 1,
            grouped(chars as u64)
        )
    } else {
        format!(
            "{} headers are longer than {MAX_HEADER_CHARS} characters (the first in column {}); each is read as its first {MAX_HEADER_CHARS}. If the file has no header row, add one.",
            grouped(long.len() as u64),
            column + 1
        )
    })
}

/// The start of the character at or before `at` in `text`, not before `floor`
/// (a cell starts at a delimiter or line break, so always at a character).
fn char_start_at_or_before(text: &[u8], at: usize, floor: usize) -> usize {
    let mut cut = at.min(text.len());
    // UTF-8 continuation bytes are 0b10xxxxxx; a character has at most 3.
    while cut > floor && text.get(cut).is_some_and(|b| b & 0xC0 == 0x80) {
        cut -= 1;
    }
    cut
}

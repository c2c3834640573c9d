//! Streaming a file to import: the raw bytes counted and hashed as they are
//! read ([`HashingReader`]), then decoded to UTF-8 and checked on the way
//! ([`DecodingReader`]: bytes that are not the encoding, NUL bytes, a quote
//! never closed; the cancel flag at every chunk).

use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};

use encoding_rs::Encoding;
use sha2::{Digest, Sha256};

/// Raw bytes read from the file at a time.
const CHUNK_BYTES: usize = 256 * 1024;

/// Counts and hashes the raw bytes as they are read.
pub(super) struct HashingReader {
    pub inner: File,
    pub hasher: Sha256,
    pub bytes_read: u64,
}

impl Read for HashingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes_read += n as u64;
        Ok(n)
    }
}

/// Why reading stopped before the end of the file.
#[derive(Debug)]
pub(super) enum Stop {
    Io(io::Error),
    /// A structural problem found while streaming (a NUL byte, bytes that are
    /// not the encoding, a quote never closed).
    Broken {
        line: u64,
        message: String,
    },
    Cancelled,
}

/// Where a CSV field is, tracked byte by byte as csv-core reads it, so that a
/// quote still open at the end of the file is reported at the line it opened
/// (csv-core would silently end the field there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Start,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of it, or the first of "".
    QuoteInQuoted,
}

/// Decodes the raw bytes to UTF-8 as csv-core reads them, checking them on
/// the way; its buffer is what csv-core reads from (`fill_buf`, `consume`).
pub(super) struct DecodingReader<'a, R> {
    pub inner: R,
    cancel: &'a AtomicBool,
    decoder: encoding_rs::Decoder,
    encoding: &'static Encoding,
    raw: Vec<u8>,
    raw_start: usize,
    raw_end: usize,
    eof: bool,
    skip: usize,
    out: Vec<u8>,
    out_pos: usize,
    finished: bool,
    /// Lines started so far in the decoded text.
    line: u64,
    delimiter: u8,
    field: Field,
    quote_line: u64,
}

impl<'a, R: Read> DecodingReader<'a, R> {
    pub fn new(
        inner: R,
        decoder: encoding_rs::Decoder,
        skip: usize,
        delimiter: u8,
        encoding: &'static Encoding,
        cancel: &'a AtomicBool,
    ) -> Self {
        DecodingReader {
            inner,
            cancel,
            decoder,
            encoding,
            raw: vec![0; CHUNK_BYTES],
            raw_start: 0,
            raw_end: 0,
            eof: false,
            skip,
            out: Vec::with_capacity(CHUNK_BYTES * 3 + 16),
            out_pos: 0,
            finished: false,
            line: 1,
            delimiter,
            field: Field::Start,
            quote_line: 0,
        }
    }

    /// Counts lines, refuses NUL bytes and follows the quoting of `bytes`.
    fn scan(&mut self, start: usize) -> Result<(), Stop> {
        let delimiter = self.delimiter;
        let mut field = self.field;
        let mut line = self.line;
        let mut quote_line = self.quote_line;
        for &b in &self.out[start..] {
            if b == b'\n' {
                line += 1;
            } else if b == 0 {
                return Err(Stop::Broken {
                    line,
                    message: "contains a NUL byte, which text never holds: the file is binary or damaged. Save it again as CSV (UTF-8).".into(),
                });
            }
            field = match field {
                Field::Start | Field::Unquoted => {
                    if b == delimiter || b == b'\n' || b == b'\r' {
                        Field::Start
                    } else if b == b'"' && field == Field::Start {
                        quote_line = line;
                        Field::Quoted
                    } else {
                        Field::Unquoted
                    }
                }
                Field::Quoted => {
                    if b == b'"' {
                        Field::QuoteInQuoted
                    } else {
                        Field::Quoted
                    }
                }
                Field::QuoteInQuoted => {
                    if b == b'"' {
                        Field::Quoted
                    } else if b == delimiter || b == b'\n' || b == b'\r' {
                        Field::Start
                    } else {
                        Field::Unquoted
                    }
                }
            };
        }
        self.field = field;
        self.line = line;
        self.quote_line = quote_line;
        Ok(())
    }

    /// Decodes the next piece into `out`; false at the end of the file.
    fn fill(&mut self) -> Result<bool, Stop> {
        loop {
            if self.finished {
                return Ok(false);
            }
            if self.raw_start == self.raw_end && !self.eof {
                // Every chunk is a moment to stop: one endless cell is read in chunks too.
                if self.cancel.load(Ordering::Relaxed) {
                    return Err(Stop::Cancelled);
                }
                let n = self.inner.read(&mut self.raw).map_err(Stop::Io)?;
                self.raw_start = 0;
                self.raw_end = n;
                self.eof = n == 0;
                if self.skip > 0 {
                    let skipped = self.skip.min(n);
                    self.raw_start = skipped;
                    self.skip -= skipped;
                }
            }
            self.out.clear();
            self.out_pos = 0;
            let capacity = self.out.capacity();
            self.out.resize(capacity, 0);
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.raw[self.raw_start..self.raw_end],
                &mut self.out,
                self.eof,
            );
            self.raw_start += read;
            self.out.truncate(written);
            self.scan(0)?;
            match result {
                encoding_rs::DecoderResult::Malformed(_, _) => {
                    return Err(Stop::Broken {
                        line: self.line,
                        message: format!(
                            "holds bytes that are not {} text. Choose the file's encoding (e.g. GB18030, Big5, Shift_JIS, windows-1252), or save it as UTF-8.",
                            self.encoding.name()
                        ),
                    });
                }
                encoding_rs::DecoderResult::InputEmpty if self.eof => {
                    self.finished = true;
                    if matches!(self.field, Field::Quoted) {
                        return Err(Stop::Broken {
                            line: self.quote_line,
                            message: "opens a quoted value (\") that is never closed, so the rest of the file would be one cell. Close the quote, or double a quote meant as text (\"\").".into(),
                        });
                    }
                }
                _ => {}
            }
            if !self.out.is_empty() {
                return Ok(true);
            }
        }
    }

    /// The decoded text not yet consumed, decoding more when it is all
    /// consumed; empty at the end of the file.
    pub fn fill_buf(&mut self) -> Result<&[u8], Stop> {
        if self.out_pos >= self.out.len() && !self.fill()? {
            return Ok(&[]);
        }
        Ok(self.out.get(self.out_pos..).unwrap_or_default())
    }

    pub fn consume(&mut self, bytes: usize) {
        self.out_pos = (self.out_pos + bytes).min(self.out.len());
    }
}

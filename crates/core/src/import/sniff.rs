//! What a file to import is, before it is read: binary formats by their
//! signature, the encoding (BOM, UTF-16 by its zeros, valid UTF-8, else a
//! chardetng guess) and the delimiter, all from its first [`SNIFF_BYTES`].

use encoding_rs::{
    Encoding, BIG5, GB18030, GBK, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252,
};

use super::Delimiter;

/// How much of the file the encoding and delimiter are guessed from.
pub(super) const SNIFF_BYTES: usize = 64 * 1024;

/// What kind of non-text file `head` starts like, by its signature.
pub(super) fn binary_kind(head: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 9] = [
        (b"PK\x03\x04", "an XLSX workbook or another ZIP archive"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Excel (XLS) or Office file",
        ),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"SQLite format 3\0", "an SQLite database"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// BOM, then UTF-16 by its zero bytes, then valid UTF-8, else chardetng's
/// guess among the encodings analysts' files come in. Returns the encoding,
/// the BOM's length and whether it was a guess.
pub(super) fn detect_encoding(head: &[u8], complete: bool) -> (&'static Encoding, usize, bool) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(head) {
        return (encoding, bom_len, false);
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return (encoding, 0, true);
    }
    match std::str::from_utf8(head) {
        Ok(_) => return (UTF_8, 0, false),
        // Cut in the middle of a character at the end of the sample: still UTF-8.
        Err(e) if !complete && e.error_len().is_none() => return (UTF_8, 0, false),
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(head, complete);
    let guess = detector.guess(None, false);
    let encoding = if guess == GBK || guess == GB18030 {
        GB18030
    } else if guess == BIG5 || guess == SHIFT_JIS {
        guess
    } else {
        WINDOWS_1252
    };
    (encoding, 0, true)
}

/// UTF-16 text of mostly ASCII characters has a zero in every other byte.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len().min(4096) / 2;
    if pairs < 4 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in head[..pairs * 2].chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    if odd * 10 >= pairs * 4 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 4 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The sniffed bytes as text (a character cut at the end is dropped).
pub(super) fn decode_sample(encoding: &'static Encoding, bytes: &[u8], complete: bool) -> String {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let _ = decoder.decode_to_string(bytes, &mut text, complete);
    text
}

/// The delimiter that splits the first rows into the same number (> 1) of
/// cells; else the one that gives the header the most cells; else comma.
pub(super) fn detect_delimiter(sample: &str, complete: bool) -> Delimiter {
    let mut best: Option<(bool, usize, Delimiter)> = None;
    for delimiter in Delimiter::ALL {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter.byte())
            .from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = reader
            .records()
            .take(50)
            .filter_map(|r| r.ok())
            .map(|r| r.len())
            .collect();
        // The last record of a cut sample may be cut too.
        if !complete && counts.len() > 1 {
            counts.pop();
        }
        let Some(&header) = counts.first() else {
            continue;
        };
        let consistent = header > 1 && counts.iter().all(|&c| c == header);
        let score = (consistent, header, delimiter);
        let better = match best {
            None => true,
            Some((c, h, _)) => (consistent, header) > (c, h),
        };
        if better {
            best = Some(score);
        }
    }
    match best {
        Some((_, cells, delimiter)) if cells > 1 => delimiter,
        _ => Delimiter::Comma,
    }
}

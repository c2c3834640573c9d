//! CSV import of sources (src/import/): fixtures of every bad input in
//! tests/fixtures/import/, on real workspace files. Where nothing may be
//! written, the workspace is checked unchanged: its counts and `check`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chipwatch_core::import::{
    self, presets, ColumnMapping, Delimiter, DuplicateKey, DuplicatePolicy, ImportField,
    ImportOptions, ImportReport, ImportTarget, Mapping,
};
use chipwatch_core::model::Stats;
use chipwatch_core::{sources, workspace, Error, ErrorKind, Store};
use common::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// A seeded workspace file and its store.
fn workspace_file() -> (tempfile::TempDir, PathBuf, Store) {
    let (dir, path) = temp_workspace();
    seeded_file(&path);
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

fn import_with(
    store: &mut Store,
    file: &Path,
    options: &ImportOptions,
) -> chipwatch_core::Result<ImportReport> {
    import::import_sources(store, file, options, &mut |_| {}, &AtomicBool::new(false))
}

fn import_file(store: &mut Store, file: &Path) -> chipwatch_core::Result<ImportReport> {
    import_with(store, file, &ImportOptions::default())
}

fn stats(store: &Store) -> Stats {
    workspace::stats(store).unwrap()
}

/// Nothing was written: the same counts, no batch, and a healthy file.
fn assert_unchanged(store: &Store, path: &Path, before: &Stats) {
    assert_eq!(&stats(store), before, "the workspace must be unchanged");
    let report = workspace::check(path).unwrap();
    assert!(report.is_healthy(), "{report:?}");
}

fn structural(error: &Error) -> (Option<u64>, String) {
    match error {
        Error::ImportFile { line, message, .. } => (*line, message.clone()),
        other => panic!("expected a structural error, got {other:?}"),
    }
}

fn titles(store: &Store) -> Vec<String> {
    sources::list(store, None)
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect()
}

fn preview_of(store: &Store, file: &Path) -> import::ImportPreview {
    import::preview(
        store,
        file,
        ImportTarget::Sources,
        &ImportOptions::default(),
        5,
        &AtomicBool::new(false),
    )
    .unwrap()
}

#[test]
fn an_unterminated_quote_names_its_line_and_writes_nothing() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let error = import_file(&mut store, &fixture("unterminated_quote.csv")).unwrap_err();
    let (line, message) = structural(&error);
    assert_eq!(line, Some(3));
    assert!(message.contains("never closed"), "{message}");
    assert!(
        error.to_string().contains("Nothing was imported"),
        "{error}"
    );
    assert_unchanged(&store, &path, &before);
}

#[test]
fn ragged_rows_are_rejected_one_by_one() {
    let (_dir, _path, mut store) = workspace_file();
    let report = import_file(&mut store, &fixture("ragged_rows.csv")).unwrap();
    assert_eq!((report.read, report.added, report.rejected), (5, 3, 2));
    let rows: Vec<u64> = report.problems.iter().map(|p| p.row).collect();
    assert_eq!(rows, [3, 4]);
    assert!(
        report.problems[0]
            .message
            .contains("3 cells but the header has 7"),
        "{:?}",
        report.problems
    );
    assert!(
        report.problems[1].message.contains("8 cells"),
        "{:?}",
        report.problems
    );
    assert!(titles(&store).contains(&"Trailing empty cells are fine".to_owned()));
}

#[test]
fn an_empty_file_is_refused() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let error = import_file(&mut store, &fixture("empty.csv")).unwrap_err();
    assert!(structural(&error).1.contains("is empty"), "{error}");
    assert_eq!(
        chipwatch_core::AppError::from(&error).kind,
        ErrorKind::InvalidInput
    );
    assert_unchanged(&store, &path, &before);
}

#[test]
fn a_header_without_rows_imports_nothing_and_leaves_no_batch() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let report = import_file(&mut store, &fixture("header_only.csv")).unwrap();
    assert_eq!((report.read, report.added, report.batch), (0, 0, None));
    assert_unchanged(&store, &path, &before);
}

#[test]
fn repeated_headers_are_told_apart_and_kept() {
    let (_dir, path, mut store) = workspace_file();
    let report = import_file(&mut store, &fixture("duplicate_headers.csv")).unwrap();
    assert_eq!(report.added, 1);
    assert!(
        report.warnings[0].contains("'Title (2)'"),
        "{:?}",
        report.warnings
    );
    let conn = raw_connection(&path);
    let (title, original): (String, String) = conn
        .query_row(
            "SELECT title, original_row FROM sources WHERE import_batch_id = ?1",
            [report.batch.unwrap()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(title, "First title");
    let original: serde_json::Value = serde_json::from_str(&original).unwrap();
    assert_eq!(original["Title (2)"], "Second title");
}

#[test]
fn a_thousand_repeated_headers_get_names_of_their_own_and_one_warning() {
    let (dir, _path, store) = workspace_file();
    let file = dir.path().join("repeats.csv");
    // 998 "Notes" columns, then a real "Notes (2)" that a made-up name must not take.
    let mut headers = vec!["Title".to_owned()];
    headers.extend(std::iter::repeat_n("Notes".to_owned(), 998));
    headers.push("Notes (2)".into());
    let row = std::iter::once("A title".to_owned())
        .chain((1..headers.len()).map(|n| n.to_string()))
        .collect::<Vec<_>>();
    std::fs::write(&file, format!("{}\n{}\n", headers.join(","), row.join(","))).unwrap();
    let preview = preview_of(&store, &file);
    let names: std::collections::HashSet<String> =
        preview.headers.iter().map(|h| h.to_lowercase()).collect();
    assert_eq!(names.len(), 1_000, "every column has a name of its own");
    assert_eq!(
        (preview.headers[1].as_str(), preview.headers[2].as_str()),
        ("Notes", "Notes (3)")
    );
    assert_eq!(
        preview.headers[999], "Notes (2)",
        "a real header keeps its name"
    );
    assert_eq!(preview.warnings.len(), 1, "{:?}", &preview.warnings[..3]);
    let warning = &preview.warnings[0];
    assert!(
        warning.contains("997 columns repeat an earlier header")
            && warning.contains("column 3 as 'Notes (3)'")
            && warning.contains("and 994 more"),
        "{warning}"
    );
}

#[test]
fn a_file_with_no_title_column_names_its_first_columns_and_counts_the_rest() {
    let (dir, _path, store) = workspace_file();
    let file = dir.path().join("no_title.csv");
    let headers: Vec<String> = (1..=50).map(|n| format!("Field {n}")).collect();
    std::fs::write(&file, format!("{}\n", headers.join(","))).unwrap();
    let error = import::preview(
        &store,
        &file,
        ImportTarget::Sources,
        &ImportOptions::default(),
        5,
        &AtomicBool::new(false),
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("(Field 1, Field 2,")
            && message.contains("Field 10 and 40 more) to Title")
            && !message.contains("Field 11"),
        "{message}"
    );
}

#[test]
fn utf8_with_a_bom_and_chinese_headers() {
    let (_dir, _path, mut store) = workspace_file();
    let report = import_file(&mut store, &fixture("bom_utf8.csv")).unwrap();
    assert_eq!((report.encoding.as_str(), report.added), ("UTF-8", 1));
    let source = sources::list(&store, None)
        .unwrap()
        .into_iter()
        .find(|s| s.title == "华为发布昇腾910B芯片")
        .expect("the BOM is not part of the first header");
    assert_eq!(source.published_on.as_deref(), Some("2023-10-17"));
    assert_eq!(source.authors.as_deref(), Some("张伟"));
    assert_eq!(source.publisher.as_deref(), Some("财新"));
    assert_eq!(report.linked, 1, "华为 links the source to Huawei");
}

#[test]
fn utf16_little_and_big_endian_tab_separated() {
    for (name, encoding) in [("utf16le.csv", "UTF-16LE"), ("utf16be.csv", "UTF-16BE")] {
        let (_dir, _path, mut store) = workspace_file();
        let report = import_file(&mut store, &fixture(name)).unwrap();
        assert_eq!(report.encoding, encoding);
        assert_eq!(report.delimiter, Some(Delimiter::Tab));
        assert_eq!(
            (report.added, report.rejected),
            (2, 0),
            "{:?}",
            report.problems
        );
        let all = sources::list(&store, None).unwrap();
        let first = all
            .iter()
            .find(|s| s.title == "华为 Ascend 910B in \"Unicode text\"")
            .unwrap();
        assert_eq!(first.published_on.as_deref(), Some("2023-10-17"));
        assert!(all.iter().any(|s| s.title == "Second row, with a comma"
            && s.published_on.as_deref() == Some("2023-10")));
    }
}

#[test]
fn gb18030_is_guessed_and_chinese_headers_map() {
    let (_dir, _path, mut store) = workspace_file();
    let report = import_file(&mut store, &fixture("gb18030_chinese_headers.csv")).unwrap();
    assert_eq!(report.encoding, "gb18030");
    assert!(
        report.warnings.iter().any(|w| w.contains("guessed")),
        "{:?}",
        report.warnings
    );
    assert_eq!(report.added, 2, "{:?}", report.problems);
    let smic = sources::list(&store, None)
        .unwrap()
        .into_iter()
        .find(|s| s.title == "中芯国际扩大7纳米产能")
        .unwrap();
    assert_eq!(smic.published_on.as_deref(), Some("2023-10"));
    assert_eq!(smic.publisher.as_deref(), Some("第一财经"));
    let draft = sources::load_draft(&store, smic.id).unwrap().draft;
    assert_eq!(draft.tags, ["出口管制", "芯片"]);
    let smic_mentions = import::mentions_of_firm(&store, firm_id(&store, "SMIC"), 10).unwrap();
    assert_eq!(
        (smic_mentions.total, smic_mentions.sources[0].id),
        (1, smic.id)
    );
}

#[test]
fn windows_1252_is_guessed_and_overridable() {
    let (_dir, _path, mut store) = workspace_file();
    let report = import_file(&mut store, &fixture("windows1252.csv")).unwrap();
    assert_eq!(report.encoding, "windows-1252");
    assert!(titles(&store).contains(&"Café société: Müller’s “chip” résumé — 2023".to_owned()));
    // Named as UTF-8, the same bytes are refused with the line.
    let (_dir2, path2, mut other) = workspace_file();
    let before = stats(&other);
    let options = ImportOptions {
        encoding: Some("utf-8".into()),
        ..ImportOptions::default()
    };
    let error = import_with(&mut other, &fixture("windows1252.csv"), &options).unwrap_err();
    let (line, message) = structural(&error);
    assert_eq!(line, Some(2));
    assert!(message.contains("not UTF-8"), "{message}");
    assert_unchanged(&other, &path2, &before);
}

#[test]
fn mixed_line_endings_read_every_row() {
    let (_dir, _path, mut store) = workspace_file();
    let report = import_file(&mut store, &fixture("mixed_line_endings.csv")).unwrap();
    assert_eq!((report.read, report.added), (4, 4), "{:?}", report.problems);
    let all = titles(&store);
    for title in [
        "CRLF row",
        "LF row",
        "Quoted\r\nwith CRLF inside",
        "Last row without newline",
    ] {
        assert!(all.contains(&title.to_owned()), "{title} in {all:?}");
    }
}

#[test]
fn nul_bytes_stop_the_import_at_their_line() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let error = import_file(&mut store, &fixture("nul_bytes.csv")).unwrap_err();
    let (line, message) = structural(&error);
    assert_eq!(line, Some(3));
    assert!(message.contains("NUL"), "{message}");
    assert_unchanged(&store, &path, &before);
}

#[test]
fn a_nul_byte_past_the_sniffed_start_is_found_while_streaming() {
    let (dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let file = dir.path().join("late_nul.csv");
    let mut text = String::from("Title,URL\n");
    for n in 0..5_000 {
        text.push_str(&format!("Row {n},https://example.org/{n}\n"));
    }
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"Bad\x00row,https://example.org/x\n");
    std::fs::write(&file, bytes).unwrap();
    let (line, _) = structural(&import_file(&mut store, &file).unwrap_err());
    assert_eq!(line, Some(5_002));
    assert_unchanged(&store, &path, &before);
}

#[test]
fn a_one_megabyte_field_rejects_its_row_only() {
    let (dir, _path, mut store) = workspace_file();
    let file = dir.path().join("big_field.csv");
    // 0.9 MB of UTF-8: under the cell cap, over the 200,000 characters a field holds.
    let big = "长".repeat(300_000);
    std::fs::write(
        &file,
        format!("Title,Abstract\nSmall row,fine\nBig row,\"{big}\"\nAfter the big row,fine\n"),
    )
    .unwrap();
    let report = import_file(&mut store, &file).unwrap();
    assert_eq!((report.added, report.rejected), (2, 1));
    let problem = &report.problems[0];
    assert_eq!(
        (problem.row, problem.column.as_deref()),
        (3, Some("Abstract"))
    );
    assert!(
        problem.message.contains("300000 characters long"),
        "{}",
        problem.message
    );
    assert!(
        problem.value.as_ref().unwrap().chars().count() < 300,
        "the value is cut for the report"
    );
}

#[test]
fn a_cell_of_thousands_of_tags_rejects_its_row_only() {
    let (dir, _path, mut store) = workspace_file();
    let file = dir.path().join("tags.csv");
    let tags: Vec<String> = (0..5_000).map(|n| format!("tag {n}")).collect();
    std::fs::write(
        &file,
        format!(
            "Title,Tags\nMany tags,\"{}\"\nA few tags,a; b\n",
            tags.join("; ")
        ),
    )
    .unwrap();
    let report = import_file(&mut store, &file).unwrap();
    assert_eq!((report.added, report.rejected), (1, 1));
    let problem = &report.problems[0];
    assert_eq!((problem.row, problem.column.as_deref()), (2, Some("Tags")));
    assert_eq!(
        problem.message,
        "Lists 5,000 different names; the limit is 1,000. Keep the ones that matter and leave the rest out."
    );
}

#[test]
fn a_file_of_four_thousand_columns_is_refused_with_the_column_cap() {
    let (dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let file = dir.path().join("wide.csv");
    let headers: Vec<String> = std::iter::once("Title".to_owned())
        .chain((2..=4_000).map(|n| format!("C{n}")))
        .collect();
    std::fs::write(&file, format!("{}\nA title\n", headers.join(","))).unwrap();
    let expected = "has 4,000 columns; Chipwatch reads at most 1,000. Remove the columns you do not need and import again.";
    let error = import::preview(
        &store,
        &file,
        ImportTarget::Sources,
        &ImportOptions::default(),
        5,
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(structural(&error), (None, expected.to_owned()));
    let error = import_file(&mut store, &file).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("wide.csv: {expected} Nothing was imported.")
    );
    assert_unchanged(&store, &path, &before);
}

#[test]
fn a_cell_over_the_cap_rejects_its_row_only_and_strict_stops_there() {
    let (dir, path, mut store) = workspace_file();
    let file = dir.path().join("long_cell.csv");
    // 1.2 MB of three-byte characters: cut at a character, never inside one.
    let long = "长".repeat(400_000);
    std::fs::write(
        &file,
        format!(
            "Title,Abstract,Notes\nSmall,fine,x\nBig,\"{long}\",after\nAfter the big row,fine,y\n"
        ),
    )
    .unwrap();
    let before = stats(&store);
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    match import_with(&mut store, &file, &strict).unwrap_err() {
        Error::ImportRowRejected {
            row,
            column,
            message,
        } => {
            assert_eq!((row, column.as_deref()), (3, Some("Abstract")));
            assert!(message.contains("1,200,000 bytes long"), "{message}");
        }
        other => panic!("expected a rejected row, got {other:?}"),
    }
    assert_unchanged(&store, &path, &before);

    let report = import_file(&mut store, &file).unwrap();
    assert_eq!((report.read, report.added, report.rejected), (3, 2, 1));
    let problem = &report.problems[0];
    assert_eq!(
        (problem.row, problem.column.as_deref()),
        (3, Some("Abstract"))
    );
    assert_eq!(
        problem.message,
        "This cell is 1,200,000 bytes long; Chipwatch reads cells of up to 1,048,576 bytes (1 MiB). Shorten it (a long text belongs in a note), or delete the column if it is not needed, then import again."
    );
    let value = problem.value.as_deref().unwrap();
    assert_eq!(value, format!("{}…", "长".repeat(200)));
    assert!(titles(&store).contains(&"After the big row".to_owned()));
}

#[test]
fn a_row_over_the_cell_or_size_cap_is_a_row_problem() {
    let (dir, _path, mut store) = workspace_file();
    let file = dir.path().join("big_rows.csv");
    let headers: Vec<String> = std::iter::once("Title".to_owned())
        .chain((1..20).map(|n| format!("Extra {n}")))
        .collect();
    let many_cells = vec!["x"; 1_500].join(",");
    // 17 cells of a million bytes: each under the cell cap, together over 16 MiB.
    let wide_row = vec!["y".repeat(1_000_000); 17].join(",");
    std::fs::write(
        &file,
        format!(
            "{}\nToo many cells,{many_cells}\nToo long,{wide_row}\nFine{}\n",
            headers.join(","),
            ",".repeat(19)
        ),
    )
    .unwrap();
    let report = import_file(&mut store, &file).unwrap();
    assert_eq!(
        (report.added, report.rejected),
        (1, 2),
        "{:?}",
        report.problems
    );
    let messages: Vec<(u64, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (2, "This row has 1,501 cells; Chipwatch reads at most 1,000 columns. A delimiter inside a value must be in quotes; fix the row or remove the extra cells."),
            (3, "This row is 17,000,008 bytes long; Chipwatch reads rows of up to 16,777,216 bytes (16 MiB). Shorten its longest cells or delete columns that are not needed, then import again."),
        ]
    );
}

#[test]
fn a_preview_cuts_long_cells_says_so_and_stays_small() {
    let (dir, _path, store) = workspace_file();
    let file = dir.path().join("fifty_megabytes.csv");
    let long_title = "T".repeat(600);
    let mut text = format!("Title,Abstract\n{long_title},fine\nBig row,\"");
    text.push_str(&"a".repeat(50 << 20));
    text.push_str("\"\nAfter,fine\n");
    std::fs::write(&file, text).unwrap();
    let preview = preview_of(&store, &file);
    let json = serde_json::to_string(&preview).unwrap();
    assert!(json.len() < 200_000, "{} bytes of JSON", json.len());

    assert_eq!(preview.rows.len(), 3);
    let (first, big) = (&preview.rows[0], &preview.rows[1]);
    assert_eq!(first.cut, [0]);
    assert_eq!(first.cells[0], "T".repeat(import::PREVIEW_CELL_CHARS));
    let draft = first.source.as_ref().unwrap();
    assert_eq!(draft.title, format!("{}…", "T".repeat(500)));
    assert_eq!(big.cut, [1]);
    assert_eq!(big.cells[1].chars().count(), 500);
    assert!(big.source.is_none());
    assert!(
        big.problems[0].message.contains("52,428,800 bytes long"),
        "{:?}",
        big.problems
    );
    assert_eq!(preview.cut_cells, 2);
    assert!(
        preview.warnings.contains(
            &"2 cells longer than 500 characters are shortened in this preview; the import reads them whole."
                .to_owned()
        ),
        "{:?}",
        preview.warnings
    );
}

#[test]
fn a_cancelled_preview_stops_without_the_workspace() {
    let (dir, _path, _store) = workspace_file();
    // One quote never closed: without a cancel, the whole file is read.
    let file = dir.path().join("endless.csv");
    let mut text = String::from("Title,Abstract\nA,\"");
    text.push_str(&"x".repeat(4 << 20));
    std::fs::write(&file, text).unwrap();
    let read = |cancel: bool| {
        import::preview_file(
            &file,
            ImportTarget::Sources,
            &ImportOptions::default(),
            5,
            &AtomicBool::new(cancel),
            |headers| {
                Ok::<_, Error>(import::mapping::auto_mapping(
                    ImportTarget::Sources,
                    headers,
                ))
            },
        )
    };
    let error = read(true).unwrap_err();
    assert!(matches!(error, Error::ImportCancelled), "{error}");
    assert_eq!(
        chipwatch_core::AppError::from(&error).kind,
        ErrorKind::Cancelled
    );
    assert!(structural(&read(false).unwrap_err())
        .1
        .contains("never closed"));
}

#[test]
fn a_problem_quoting_a_long_value_keeps_its_start_and_its_advice() {
    let (dir, _path, mut store) = workspace_file();
    let file = dir.path().join("long_url.csv");
    let url = format!("www.{}.example", "x".repeat(100_000));
    std::fs::write(&file, format!("Title,URL\nLong address,{url}\n")).unwrap();
    let report = import_file(&mut store, &file).unwrap();
    let message = &report.problems[0].message;
    assert!(
        message.chars().count() < 1_000,
        "{} characters",
        message.len()
    );
    assert!(message.starts_with("'www.xxx"), "{message}");
    assert!(
        message.ends_with("is not a web address; write it as https://example.org/page."),
        "{message}"
    );
}

#[test]
fn formula_looking_values_are_stored_as_plain_text() {
    let (_dir, path, mut store) = workspace_file();
    let report = import_file(&mut store, &fixture("formulas.csv")).unwrap();
    assert_eq!(report.added, 2, "{:?}", report.problems);
    let conn = raw_connection(&path);
    let row: (String, String, String) = conn
        .query_row(
            "SELECT title, abstract, publisher FROM sources WHERE url = 'https://example.org/f1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        ("=cmd|' /C calc'!A0".into(), "+SUM(A1)".into(), "@x".into())
    );
    let second: (String, String) = conn
        .query_row(
            "SELECT title, abstract FROM sources WHERE url = 'https://example.org/f2'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        second,
        ("-2+3".into(), "=HYPERLINK(\"http://evil\")".into())
    );
}

#[test]
fn renamed_xlsx_and_png_files_are_refused_by_their_signature() {
    for (name, kind) in [("xlsx_renamed.csv", "XLSX"), ("png_renamed.csv", "PNG")] {
        let (_dir, path, mut store) = workspace_file();
        let before = stats(&store);
        let error = import_file(&mut store, &fixture(name)).unwrap_err();
        assert!(structural(&error).1.contains(kind), "{error}");
        assert_unchanged(&store, &path, &before);
        assert!(import::preview(
            &store,
            &fixture(name),
            ImportTarget::Sources,
            &ImportOptions::default(),
            5,
            &AtomicBool::new(false),
        )
        .is_err());
    }
}

#[test]
fn dates_as_analysts_write_them_and_ambiguous_ones_refused() {
    let (_dir, _path, mut store) = workspace_file();
    let report = import_file(&mut store, &fixture("dates.csv")).unwrap();
    assert_eq!(
        (report.added, report.rejected),
        (9, 3),
        "{:?}",
        report.problems
    );
    let ambiguous = report.problems.iter().find(|p| p.row == 11).unwrap();
    assert_eq!(ambiguous.column.as_deref(), Some("Date"));
    assert_eq!(ambiguous.value.as_deref(), Some("03/04/2023"));
    assert!(
        ambiguous.message.contains("4 Mar 2023") && ambiguous.message.contains("3 Apr 2023"),
        "{}",
        ambiguous.message
    );
    let dated: Vec<(String, Option<String>)> = sources::list(&store, None)
        .unwrap()
        .into_iter()
        .filter(|s| s.title.starts_with("Row "))
        .map(|s| (s.title, s.published_on))
        .collect();
    for (title, date) in [
        ("Row 1", "2023-10-17"),
        ("Row 4", "2023-10-17"),
        ("Row 5", "2023-10"),
        ("Row 8", "2023-10"),
        ("Row 9", "2023"),
    ] {
        assert!(
            dated.contains(&(title.to_owned(), Some(date.to_owned()))),
            "{title}: {dated:?}"
        );
    }
}

#[test]
fn a_zotero_export_maps_itself_and_finds_duplicates() {
    let (_dir, path, mut store) = workspace_file();
    let preview = import::preview(
        &store,
        &fixture("zotero_export.csv"),
        ImportTarget::Sources,
        &ImportOptions::default(),
        3,
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(preview.headers.len(), 87);
    assert_eq!(
        preview.headers[0], "Key",
        "the BOM is not part of the header"
    );
    let mapped = |header: &str| {
        preview
            .mapping
            .columns
            .iter()
            .find(|c| c.header == header)
            .unwrap()
            .field
    };
    assert_eq!(mapped("Title"), Some(ImportField::Title));
    assert_eq!(mapped("Abstract Note"), Some(ImportField::Abstract));
    assert_eq!(mapped("Automatic Tags"), Some(ImportField::Tags));
    assert_eq!(mapped("Date Added"), None);
    assert_eq!(preview.rows.len(), 3);
    let first = preview.rows[0].source.as_ref().unwrap();
    assert_eq!(
        first.authors.as_deref(),
        Some("Liu, Qianer; Olcott, Eleanor")
    );
    assert_eq!(
        first.tags,
        ["export controls", "AI chips", "Huawei", "semiconductors"]
    );
    assert_eq!(first.accessed_on.as_deref(), Some("2023-10-20"));

    let report = import_file(&mut store, &fixture("zotero_export.csv")).unwrap();
    assert_eq!(
        (
            report.read,
            report.added,
            report.duplicates,
            report.rejected
        ),
        (7, 4, 2, 1)
    );
    let url_dup = &report.duplicate_rows[0];
    assert_eq!(
        (url_dup.row, url_dup.key, url_dup.earlier_row),
        (7, DuplicateKey::Url, Some(2))
    );
    assert_eq!(url_dup.value, "https://www.ft.com/content/huawei-ascend");
    let doi_dup = &report.duplicate_rows[1];
    assert_eq!(
        (doi_dup.key, doi_dup.earlier_row),
        (DuplicateKey::Doi, Some(4))
    );
    assert_eq!(report.problems[0].column.as_deref(), Some("Url"));

    let conn = raw_connection(&path);
    let (title, original): (String, String) = conn
        .query_row("SELECT title, original_row FROM sources WHERE doi IS NOT NULL AND import_batch_id IS NOT NULL", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(title, "中美科技竞争下的国产AI芯片：华为与寒武纪的路线");
    let original: serde_json::Value = serde_json::from_str(&original).unwrap();
    assert_eq!(original["Key"], "EFGH5678");
    assert_eq!(original["Date"], "2024年1月");
    // Mentions: Huawei (title, 华为 in the Chinese one), SMIC and NVIDIA; "harm" is not Arm.
    let huawei = firm_id(&store, "Huawei");
    assert_eq!(
        import::mentions_of_firm(&store, huawei, 10).unwrap().total,
        2
    );
    assert_eq!(
        import::mentions_of_firm(&store, firm_id(&store, "NVIDIA"), 10)
            .unwrap()
            .total,
        1
    );

    // Again: everything is now a duplicate of the workspace.
    let again = import_file(&mut store, &fixture("zotero_export.csv")).unwrap();
    assert_eq!((again.added, again.duplicates), (0, 6));
    assert!(again.duplicate_rows.iter().all(|d| d.existing.is_some()));
    let batches = import::list_batches(&store).unwrap();
    assert_eq!(batches.len(), 2);
    assert_eq!(batches[1].sha256, report.sha256);
    assert_eq!(report.sha256.len(), 64);
}

#[test]
fn a_short_ascii_firm_name_matches_whole_words_only() {
    let (dir, _path, mut store) = workspace_file();
    let firms = import::import_firms(
        &mut store,
        &fixture("firms.csv"),
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert!(firms.added >= 2);
    let file = dir.path().join("arm.csv");
    std::fs::write(
        &file,
        "Title\nNo harm in the pharmacy\nARM licenses cores to Chinese firms\n",
    )
    .unwrap();
    import_file(&mut store, &file).unwrap();
    let arm = firm_id(&store, "Arm");
    let mentions = import::mentions_of_firm(&store, arm, 10).unwrap();
    assert_eq!(mentions.total, 1);
    assert_eq!(
        mentions.sources[0].title,
        "ARM licenses cores to Chinese firms"
    );

    // A wrong mention can be removed; the source stays.
    let source = mentions.sources[0].id;
    import::remove_mention(&mut store, source, arm).unwrap();
    assert_eq!(import::mentions_of_firm(&store, arm, 10).unwrap().total, 0);
    assert!(sources::load_draft(&store, source).is_ok());
    assert!(
        import::remove_mention(&mut store, source, arm).is_err(),
        "removing it twice says it is gone"
    );
}

#[test]
fn strict_aborts_on_the_first_row_problem() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let options = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let error = import_with(&mut store, &fixture("dates.csv"), &options).unwrap_err();
    match &error {
        Error::ImportRowRejected { row, column, .. } => {
            assert_eq!((*row, column.as_deref()), (11, Some("Date")))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        chipwatch_core::AppError::from(&error).field.as_deref(),
        Some("Date")
    );
    assert_unchanged(&store, &path, &before);
}

#[test]
fn a_dry_run_reports_the_import_and_writes_nothing() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let options = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let dry = import_with(&mut store, &fixture("zotero_export.csv"), &options).unwrap();
    assert_unchanged(&store, &path, &before);
    let real = import_file(&mut store, &fixture("zotero_export.csv")).unwrap();
    assert_eq!(
        (
            dry.read,
            dry.added,
            dry.duplicates,
            dry.rejected,
            dry.linked
        ),
        (
            real.read,
            real.added,
            real.duplicates,
            real.rejected,
            real.linked
        )
    );
    assert_eq!((dry.batch, dry.dry_run), (None, true));
}

fn zotero_rows(dir: &Path, rows: usize) -> PathBuf {
    let file = dir.join(format!("zotero-{rows}.csv"));
    let out = std::fs::File::create(&file).unwrap();
    import::sample::write_zotero_csv(std::io::BufWriter::new(out), rows, 7).unwrap();
    file
}

/// Every index of the workspace, by name, with the SQL that made it.
/// A file bigger than the workspace has its sources' order indexes and the
/// link tables' indexes built after its rows (sources.rs,
/// BUILT_AFTER_A_BIG_IMPORT): they are back, the same, and hold every row,
/// whether the import commits or is cancelled.
#[test]
fn a_big_import_leaves_the_indexes_as_they_were_and_filled() {
    let (dir, path, mut store) = workspace_file();
    let before = schema(&path);
    assert!(before.iter().any(|(name, _)| name == "sources_title"));
    let file = zotero_rows(dir.path(), 3_000);

    let cancel = AtomicBool::new(false);
    let cancelled = import::import_sources(
        &mut store,
        &file,
        &ImportOptions::default(),
        &mut |p| cancel.store(p.rows_read > 2_000, Ordering::Relaxed),
        &cancel,
    );
    assert!(matches!(cancelled, Err(Error::ImportCancelled)));
    assert_eq!(
        schema(&path),
        before,
        "a cancelled import leaves the indexes"
    );

    let report = import_file(&mut store, &file).unwrap();
    assert!(report.added > 2_900, "{report:?}");
    assert_eq!(schema(&path), before);
    assert!(workspace::check(&path).unwrap().is_healthy());
    // Each rebuilt index holds every source (what the Sources list pages through).
    let conn = raw_connection(&path);
    let sources: i64 = conn
        .query_row("SELECT count(*) FROM sources", [], |r| r.get(0))
        .unwrap();
    for (index, column) in [
        ("sources_title", "title"),
        ("sources_published", "published_on"),
        ("sources_kind", "kind"),
    ] {
        let held: i64 = conn
            .query_row(&format!("SELECT count(*) FROM sources INDEXED BY {index} WHERE {column} IS NOT NULL OR {column} IS NULL"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(held, sources, "{index}");
    }
    for (index, table, column) in [
        ("source_tags_tag", "source_tags", "tag_id"),
        ("source_firms_firm", "source_firms", "firm_id"),
    ] {
        let (held, rows): (i64, i64) = conn
            .query_row(
                &format!("SELECT (SELECT count(*) FROM {table} INDEXED BY {index} WHERE {column} > 0), (SELECT count(*) FROM {table})"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(rows > 0, "{table} has rows to index");
        assert_eq!(held, rows, "{index}");
    }
}

#[test]
fn cancelling_leaves_no_trace_and_progress_is_reported() {
    let (dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let file = zotero_rows(dir.path(), 20_000);
    let cancel = AtomicBool::new(false);
    let mut updates = Vec::new();
    let result = import::import_sources(
        &mut store,
        &file,
        &ImportOptions::default(),
        &mut |p| {
            updates.push(*p);
            if p.rows_read > 2_000 {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    let error = result.unwrap_err();
    assert!(matches!(error, Error::ImportCancelled), "{error}");
    assert_eq!(
        chipwatch_core::AppError::from(&error).kind,
        ErrorKind::Cancelled
    );
    assert!(!updates.is_empty());
    let last = updates.last().unwrap();
    assert!(last.bytes_read > 0 && last.bytes_read <= last.total_bytes);
    assert_unchanged(&store, &path, &before);
}

#[test]
fn a_file_that_changes_or_vanishes_during_import_is_refused() {
    // The file is read through one open handle; at the end its size and
    // modification time are compared with those at the start.
    for vanish in [false, true] {
        let (dir, path, mut store) = workspace_file();
        let before = stats(&store);
        let file = zotero_rows(dir.path(), 20_000);
        let mut touched = false;
        let error = import::import_sources(
            &mut store,
            &file,
            &ImportOptions::default(),
            &mut |_| {
                if !touched {
                    touched = true;
                    if vanish {
                        std::fs::remove_file(&file).unwrap();
                    } else {
                        let mut f = std::fs::OpenOptions::new()
                            .append(true)
                            .open(&file)
                            .unwrap();
                        f.write_all(b"\"added\",\"meanwhile\"\n").unwrap();
                    }
                }
            },
            &AtomicBool::new(false),
        )
        .unwrap_err();
        let (_, message) = structural(&error);
        let expected = if vanish { "disappeared" } else { "changed" };
        assert!(message.contains(expected), "{message}");
        assert_unchanged(&store, &path, &before);
    }
}

#[test]
fn a_busy_workspace_is_refused_and_nothing_is_written() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    // Another connection holds the write lock (as another process would).
    let other = raw_connection(&path);
    other
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO strategies (name) VALUES ('held');")
        .unwrap();
    let error = import_file(&mut store, &fixture("zotero_export.csv")).unwrap_err();
    assert!(matches!(error, Error::WorkspaceBusy { .. }), "{error}");
    assert!(error.to_string().contains("in use"), "{error}");
    other.execute_batch("ROLLBACK").unwrap();
    assert_unchanged(&store, &path, &before);
}

#[test]
fn undo_removes_exactly_the_batch_and_refuses_edited_rows_unless_forced() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let report = import_file(&mut store, &fixture("zotero_export.csv")).unwrap();
    let batch = report.batch.unwrap();
    // Edit one imported source through its form.
    let imported = sources::list(&store, None)
        .unwrap()
        .into_iter()
        .find(|s| s.title == "Choking Off China's AI Access to U.S. Technology")
        .unwrap();
    let mut editing = sources::load_draft(&store, imported.id).unwrap();
    editing.draft.abstract_text_for_test();
    sources::save(
        &mut store,
        Some(imported.id),
        Some(editing.revision),
        &editing.draft,
    )
    .unwrap();
    let refused = import::undo(&mut store, batch, false).unwrap_err();
    assert!(matches!(refused, Error::UndoRefused { .. }), "{refused}");
    assert!(
        refused.to_string().contains("1 of the records"),
        "{refused}"
    );
    let undone = import::undo(&mut store, batch, true).unwrap();
    assert_eq!((undone.removed_sources, undone.edited_removed), (4, 1));
    let mut after = stats(&store);
    after.import_batches -= 1; // the batch stays in the history, marked undone
    after.tags = before.tags; // tags the import created stay (they are only names)
    assert_eq!(after, before);
    assert!(workspace::check(&path).unwrap().is_healthy());
    assert!(import::list_batches(&store).unwrap()[0].undone_at.is_some());
    assert!(matches!(
        import::undo(&mut store, batch, false).unwrap_err(),
        Error::UndoRefused { .. }
    ));
}

/// A helper trait so the edit above reads as what it is.
trait EditForTest {
    fn abstract_text_for_test(&mut self);
}

impl EditForTest for chipwatch_core::model::SourceDraft {
    fn abstract_text_for_test(&mut self) {
        self.r#abstract = Some("Edited by hand after the import.".into());
    }
}

#[test]
fn fill_completes_existing_sources_and_undo_empties_the_fields_again() {
    let (dir, path, mut store) = workspace_file();
    let first = dir.path().join("first.csv");
    std::fs::write(
        &first,
        "Title,URL\n\"Huawei, SMIC and the 7nm question\",https://example.org/7nm?utm_campaign=x\n",
    )
    .unwrap();
    import_file(&mut store, &first).unwrap();
    let second = dir.path().join("second.csv");
    std::fs::write(
        &second,
        "Title,URL,Date,Publisher,Abstract\nHuawei SMIC 7nm (repost),https://EXAMPLE.org/7nm/#top,2023-09,Bloomberg,\"Teardown of the Mate 60 Pro, \"\"Kirin 9000S\"\"\"\n",
    )
    .unwrap();
    let options = ImportOptions {
        on_duplicate: DuplicatePolicy::Fill,
        ..ImportOptions::default()
    };
    let report = import_with(&mut store, &second, &options).unwrap();
    assert_eq!((report.added, report.updated, report.duplicates), (0, 1, 1));
    let conn = raw_connection(&path);
    let filled: (String, String, String, i64) = conn
        .query_row("SELECT published_on, publisher, abstract, revision FROM sources WHERE url LIKE 'https://example.org/7nm%'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    assert_eq!(
        filled,
        (
            "2023-09".into(),
            "Bloomberg".into(),
            "Teardown of the Mate 60 Pro, \"Kirin 9000S\"".into(),
            2
        )
    );
    let undone = import::undo(&mut store, report.batch.unwrap(), false).unwrap();
    assert_eq!(undone.reverted_fills, 3);
    let reverted: (Option<String>, Option<String>, String) = conn
        .query_row("SELECT published_on, publisher, title FROM sources WHERE url LIKE 'https://example.org/7nm%'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(
        reverted,
        (None, None, "Huawei, SMIC and the 7nm question".into())
    );
}

#[test]
fn keep_imports_duplicates_anyway() {
    let (_dir, _path, mut store) = workspace_file();
    let options = ImportOptions {
        on_duplicate: DuplicatePolicy::Keep,
        ..ImportOptions::default()
    };
    let report = import_with(&mut store, &fixture("zotero_export.csv"), &options).unwrap();
    assert_eq!((report.added, report.duplicates), (6, 2));
    assert!(report
        .duplicate_rows
        .iter()
        .all(|d| d.action == DuplicatePolicy::Keep));
}

#[test]
fn a_saved_preset_maps_a_file_with_other_headers() {
    let (dir, _path, mut store) = workspace_file();
    let file = dir.path().join("custom.csv");
    std::fs::write(&file, "Headline;Web;When;Notes\n\"Cambricon ships MLU370; \"\"big\"\" deal\";https://example.org/mlu;2022;kept\n").unwrap();
    let preview = import::preview(
        &store,
        &file,
        ImportTarget::Sources,
        &ImportOptions::default(),
        5,
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(preview.delimiter, Some(Delimiter::Semicolon));
    let mapping = Mapping {
        columns: vec![
            ColumnMapping {
                index: 0,
                header: "Headline".into(),
                field: Some(ImportField::Title),
            },
            ColumnMapping {
                index: 1,
                header: "Web".into(),
                field: Some(ImportField::Url),
            },
            ColumnMapping {
                index: 2,
                header: "When".into(),
                field: Some(ImportField::PublishedOn),
            },
            ColumnMapping {
                index: 3,
                header: "Notes".into(),
                field: None,
            },
        ],
    };
    presets::save(
        &mut store,
        "Newsletter 新闻",
        ImportTarget::Sources,
        &mapping,
    )
    .unwrap();
    assert!(presets::save(&mut store, "zotero", ImportTarget::Sources, &mapping).is_err());
    assert_eq!(
        presets::list(&store, Some(ImportTarget::Sources)).unwrap()[0].mapping,
        mapping
    );
    let options = ImportOptions {
        preset: Some("newsletter 新闻".into()),
        ..ImportOptions::default()
    };
    let report = import_with(&mut store, &file, &options).unwrap();
    assert_eq!(report.added, 1, "{:?}", report.problems);
    assert!(titles(&store).contains(&"Cambricon ships MLU370; \"big\" deal".to_owned()));
    let unknown = ImportOptions {
        preset: Some("nope".into()),
        ..ImportOptions::default()
    };
    assert!(matches!(
        import_with(&mut store, &file, &unknown),
        Err(Error::InvalidInput { .. })
    ));
    presets::delete(&mut store, "Newsletter 新闻").unwrap();
}

/// 100 MB streams through in one transaction. The rows are fat (an 8 KB
/// unmapped "Extra" cell, kept in `original_row`) so that the test stays
/// quick in a debug build; row throughput is the bench's job (benches/import.rs).
#[test]
fn a_hundred_megabyte_file_imports_in_one_transaction() {
    let (dir, path, mut store) = workspace_file();
    let file = dir.path().join("hundred.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        out.write_all("\u{feff}\"Title\",\"Url\",\"Date\",\"Extra\"\n".as_bytes())
            .unwrap();
        let extra = "Kirin 9000S teardown, \"\"7nm\"\" by SMIC; 麒麟芯片。\n".repeat(150);
        for n in 0..12_500 {
            // Every 50th row repeats an earlier address with tracking parameters.
            let url = if n % 50 == 49 {
                format!("https://example.org/{}/?utm_source=x", n - 10)
            } else {
                format!("https://example.org/{n}")
            };
            writeln!(
                out,
                "\"Row {n}: Huawei 华为 chip news\",\"{url}\",\"2023-10-{:02}\",\"{extra}\"",
                1 + n % 28
            )
            .unwrap();
        }
    }
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(size > 100_000_000, "{size} bytes");
    let started = std::time::Instant::now();
    let report = import_file(&mut store, &file).unwrap();
    eprintln!(
        "100 MB: {} rows in {:.1} s",
        report.read,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        (report.read, report.duplicates, report.rejected),
        (12_500, 250, 0)
    );
    assert_eq!(report.added, 12_250);
    assert_eq!(
        report.linked, 12_250,
        "Huawei in every title; SMIC only in the unmapped Extra"
    );
    assert!(workspace::check(&path).unwrap().is_healthy());
    // Every new row is in the search index, none left queued.
    let conn = raw_connection(&path);
    let queued: i64 = conn
        .query_row("SELECT count(*) FROM search_dirty", [], |r| r.get(0))
        .unwrap();
    assert_eq!(queued, 0);
    let hits = chipwatch_core::search::search(
        &store,
        &chipwatch_core::search::SearchQuery {
            text: "华为 chip news".into(),
            limit: Some(200),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(hits.len() >= 100, "{}", hits.len());
}

#[test]
fn an_import_leaves_the_search_index_merging_as_usual_and_its_rows_findable() {
    let (_dir, path, mut store) = workspace_file();
    let automerge = |path: &Path| -> Option<i64> {
        raw_connection(path)
            .query_row(
                "SELECT v FROM search_index_config WHERE k = 'automerge'",
                [],
                |r| r.get(0),
            )
            .ok()
    };
    let before = automerge(&path);
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    import_with(&mut store, &fixture("zotero_export.csv"), &dry).unwrap();
    assert_eq!(
        automerge(&path),
        before,
        "a dry run leaves the index settings alone"
    );

    import_file(&mut store, &fixture("zotero_export.csv")).unwrap();
    assert!(
        matches!(automerge(&path), None | Some(4)),
        "back to FTS5's default after the import"
    );
    let hits = chipwatch_core::search::search(
        &store,
        &chipwatch_core::search::SearchQuery {
            text: "made by SMIC".into(),
            kinds: vec![chipwatch_core::search::SearchKind::Source],
            tag: None,
            from: None,
            to: None,
            limit: None,
        },
    )
    .unwrap();
    assert!(
        hits.iter().any(|h| h.title.contains("chips, made by SMIC")),
        "imported rows are searchable: {hits:?}"
    );
}

/// A token in the search index: term, row, column and offset.
type IndexedToken = (String, i64, String, i64);

/// Every token in the search index and the known terms: the index's whole
/// content, however its segments lie.
fn index_contents(path: &Path) -> (Vec<IndexedToken>, Vec<String>) {
    let conn = raw_connection(path);
    conn.execute_batch(
        "CREATE VIRTUAL TABLE temp.index_words USING fts5vocab(main, search_index, instance)",
    )
    .unwrap();
    let words = conn
        .prepare("SELECT term, doc, col, offset FROM temp.index_words ORDER BY 1, 2, 3, 4")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let terms = conn
        .prepare("SELECT term FROM search_terms ORDER BY term")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (words, terms)
}

#[test]
fn an_import_indexes_its_rows_as_rebuilding_the_index_would() {
    let (dir, path, mut store) = workspace_file();
    import_file(&mut store, &zotero_rows(dir.path(), 400)).unwrap();
    import_file(&mut store, &fixture("bom_utf8.csv")).unwrap();
    // Filled from a later row: one source of an earlier import, one of this one.
    let fills = dir.path().join("fills.csv");
    std::fs::write(
        &fills,
        "Title,URL,Date,Author,Abstract,Tags\n\
         华为发布昇腾910B芯片,,2023,张伟,\"Kirin 9000S, made on SMIC N+2\",\n\
         \"Mate 60 Pro teardown\",https://example.org/mate60,,,,phones\n\
         \"Mate 60 Pro teardown (repost)\",https://example.org/mate60?utm_source=x,,,\"国产 7nm \"\"Kirin\"\" 芯片\",phones; 芯片\n",
    )
    .unwrap();
    let fill = ImportOptions {
        on_duplicate: DuplicatePolicy::Fill,
        ..ImportOptions::default()
    };
    let report = import_with(&mut store, &fills, &fill).unwrap();
    assert_eq!((report.added, report.duplicates), (1, 2));

    let (imported_words, imported_terms) = index_contents(&path);
    assert!(
        imported_words.len() > 10_000,
        "{} tokens",
        imported_words.len()
    );
    chipwatch_core::search::rebuild(&mut store).unwrap();
    let (rebuilt_words, rebuilt_terms) = index_contents(&path);
    assert!(
        imported_words == rebuilt_words,
        "the import's index differs from a rebuild: {} vs {} tokens",
        imported_words.len(),
        rebuilt_words.len()
    );
    // Prefix search looks terms up; duplicates left out may add a few more.
    let missing: Vec<&String> = rebuilt_terms
        .iter()
        .filter(|t| imported_terms.binary_search(t).is_err())
        .collect();
    assert!(missing.is_empty(), "terms the import missed: {missing:?}");
}

fn schema(path: &Path) -> Vec<(String, String)> {
    raw_connection(path)
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_triggers_an_import_drops_for_speed_are_back_whatever_its_outcome() {
    let (dir, path, mut store) = workspace_file();
    let before = schema(&path);
    assert!(before
        .iter()
        .any(|(name, _)| name == "sources_published_on_valid_on_insert"));
    let file = fixture("zotero_export.csv");

    import_file(&mut store, &file).unwrap();
    assert_eq!(schema(&path), before, "after an import");
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    import_with(&mut store, &fixture("dates.csv"), &dry).unwrap();
    assert_eq!(schema(&path), before, "after a dry run");
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    import_with(&mut store, &fixture("dates.csv"), &strict).unwrap_err();
    assert_eq!(schema(&path), before, "after a rejected row under strict");
    import_file(&mut store, &fixture("unterminated_quote.csv")).unwrap_err();
    assert_eq!(schema(&path), before, "after a structural error");
    let cancelled = import::import_sources(
        &mut store,
        &zotero_rows(dir.path(), 2_000),
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(true),
    );
    assert!(matches!(cancelled, Err(Error::ImportCancelled)));
    assert_eq!(schema(&path), before, "after a cancelled import");

    // And they fire again for other tools.
    let conn = raw_connection(&path);
    let bad_date = conn
        .execute(
            "INSERT INTO sources (kind, title, published_on, created_at, updated_at)
             VALUES ('web', 'x', '2023-13-45', '2024-01-01', '2024-01-01')",
            [],
        )
        .unwrap_err();
    assert!(
        bad_date
            .to_string()
            .contains("published_on: must be a date"),
        "{bad_date}"
    );
    conn.execute(
        "INSERT INTO sources (kind, title, created_at, updated_at)
         VALUES ('web', 'Queued for the index', '2024-01-01', '2024-01-01')",
        [],
    )
    .unwrap();
    let queued: i64 = conn
        .query_row("SELECT count(*) FROM search_dirty", [], |r| r.get(0))
        .unwrap();
    assert_eq!(queued, 1);
}

#[test]
fn problems_are_saved_as_a_spreadsheet_with_formulas_defused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("problems 问题.csv");
    let problems = [chipwatch_core::import::ImportProblem {
        row: 7,
        column: Some("发布日期".into()),
        value: Some("=cmd|' /C calc'!A0".into()),
        message: "Not a date: write \"2023-10-17\", 2023-10 or 2023".into(),
    }];
    let warnings = [chipwatch_core::import::ImportProblem {
        row: 3,
        column: Some("kind".into()),
        value: Some("organization".into()),
        message: "Kept the firm".into(),
    }];
    import::save_problems(&out, &problems, &warnings, None).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM so Excel reads Chinese");
    // Problems and warnings in the order of the file's rows.
    assert_eq!(
        text.trim_start_matches('\u{feff}'),
        "\"row\",\"column\",\"value\",\"message\",\"row was\"\r\n\"3\",\"kind\",\"organization\",\"Kept the firm\",\"imported\"\r\n\"7\",\"发布日期\",\"'=cmd|' /C calc'!A0\",\"Not a date: write \"\"2023-10-17\"\", 2023-10 or 2023\",\"left out\"\r\n"
    );
}

#[test]
fn a_mapping_written_as_column_field_pairs_names_what_it_does_not_know() {
    let headers: Vec<String> = ["Title", "Web page", "发布日期", "Tags, manual", "Tags (2)"]
        .map(String::from)
        .to_vec();
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(c, f)| (c.to_string(), f.to_string()))
            .collect()
    };
    let mapping = import::mapping::from_names(
        ImportTarget::Sources,
        &headers,
        &pairs(&[
            ("Title", "title"),
            ("web PAGE", "URL"),
            ("发布日期", "published_on"),
            ("Tags, manual", "tags"),
            ("Tags (2)", "Tags"),
        ]),
    )
    .unwrap();
    let fields: Vec<Option<ImportField>> = mapping.columns.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        [
            Some(ImportField::Title),
            Some(ImportField::Url),
            Some(ImportField::PublishedOn),
            Some(ImportField::Tags),
            Some(ImportField::Tags),
        ]
    );
    // Only the columns named are mapped.
    let only_title = import::mapping::from_names(
        ImportTarget::Sources,
        &headers,
        &pairs(&[("Title", "title")]),
    )
    .unwrap();
    assert_eq!(only_title.columns_of(ImportField::Url), Vec::<usize>::new());

    let refused = |list: &[(&str, &str)], target: ImportTarget| match import::mapping::from_names(
        target,
        &headers,
        &pairs(list),
    )
    .unwrap_err()
    {
        Error::InvalidInput { field, message } => {
            assert_eq!(field, "map");
            message
        }
        other => panic!("expected invalid input, got {other}"),
    };
    let message = refused(&[("Title", "headline")], ImportTarget::Sources);
    assert!(
        message.contains("'headline'") && message.contains("publishedOn"),
        "{message}"
    );
    let message = refused(&[("Titel", "title")], ImportTarget::Sources);
    assert!(
        message.contains("'Titel'") && message.contains("'Web page'"),
        "{message}"
    );
    let message = refused(
        &[("Title", "title"), ("Web page", "title")],
        ImportTarget::Sources,
    );
    assert!(message.contains("takes one column"), "{message}");
    let message = refused(
        &[("Title", "title"), ("Title", "url")],
        ImportTarget::Sources,
    );
    assert!(message.contains("mapped twice"), "{message}");
    assert!(refused(&[], ImportTarget::Sources).contains("no column=field"));
    assert!(refused(&[("Title", "name")], ImportTarget::Chips).contains("nothing to map"));
    // Firms say kind and parent for firmKind and parentFirm.
    let firms = import::mapping::from_names(
        ImportTarget::Firms,
        &headers,
        &pairs(&[
            ("Title", "name"),
            ("Web page", "kind"),
            ("发布日期", "parent"),
        ]),
    )
    .unwrap();
    assert_eq!(firms.columns[1].field, Some(ImportField::FirmKind));
    assert_eq!(firms.columns[2].field, Some(ImportField::ParentFirm));
}

#[test]
fn headers_reads_only_the_header_row_without_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("h.csv");
    std::fs::write(
        &file,
        "\"Title, main\";Web page;网址\nA;https://a.example;x\n",
    )
    .unwrap();
    let headers = import::headers(&file, &ImportOptions::default()).unwrap();
    assert_eq!(headers, ["Title, main", "Web page", "网址"]);
}

fn where_options(conditions: &[&str]) -> ImportOptions {
    ImportOptions {
        dry_run: true,
        only_rows_where: conditions
            .iter()
            .map(|c| import::RowCondition::parse(c).unwrap())
            .collect(),
        ..ImportOptions::default()
    }
}

#[test]
fn sources_and_chips_take_only_rows_where_too() {
    let (_dir, _path, mut store) = workspace_file();
    // Zotero's export: 7 rows, two of them journal articles.
    let papers = import_with(
        &mut store,
        &fixture("zotero_export.csv"),
        &where_options(&["Item Type=journalarticle"]),
    )
    .unwrap();
    assert_eq!((papers.read, papers.left_out), (7, 5));
    assert_eq!(papers.added + papers.duplicates + papers.rejected, 2);
    let others = import_with(
        &mut store,
        &fixture("zotero_export.csv"),
        &where_options(&["Item Type!=journalArticle"]),
    )
    .unwrap();
    assert_eq!((others.read, others.left_out), (7, 2));

    // Epoch's hardware file: only one manufacturer's chips.
    let epoch =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/data/epoch-ml-hardware.csv");
    let all = import::import_chips(
        &mut store,
        &epoch,
        &where_options(&[]),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let nvidia = import::import_chips(
        &mut store,
        &epoch,
        &where_options(&["Manufacturer=nvidia"]),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(nvidia.read, all.read);
    // 89 of the file's rows name NVIDIA as the manufacturer.
    assert_eq!(nvidia.left_out, all.read - 89);
    assert_eq!(
        nvidia.added + nvidia.duplicates + nvidia.rejected,
        all.read - nvidia.left_out
    );
}

/// A row filled from a later duplicate row of the same file is still one new
/// source: its history says "created" once, not "changed" (which a team
/// workspace would send as a change to a record the server never had).
#[test]
fn a_new_source_filled_from_a_later_row_of_the_file_is_recorded_as_created() {
    let (dir, path, mut store) = workspace_file();
    let file = dir.path().join("twice.csv");
    std::fs::write(
        &file,
        "Title,URL,Publisher\nSMIC's N+2 node,https://example.org/n2,\nSMIC N+2 (repost),https://example.org/n2,财新 Caixin\n",
    )
    .unwrap();
    let options = ImportOptions {
        on_duplicate: DuplicatePolicy::Fill,
        ..ImportOptions::default()
    };
    let report = import_with(&mut store, &file, &options).unwrap();
    assert_eq!((report.added, report.duplicates), (1, 1));
    let conn = raw_connection(&path);
    let history: Vec<(String, String)> = conn
        .prepare(
            "SELECT h.op, s.publisher FROM history h JOIN sources s ON s.uid = h.uid
             WHERE s.url = 'https://example.org/n2' ORDER BY h.id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        history,
        [("created".to_string(), "财新 Caixin".to_string())]
    );
    let queued: i64 = conn
        .query_row("SELECT count(*) FROM record_changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(queued, 0);
}

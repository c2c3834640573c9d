//! Citation files as sources (src/import/, issue 17): RIS, BibTeX and
//! CSL-JSON written by this project in tests/fixtures/citations/ — each holds
//! the same four references: a Chinese title with Chinese and English
//! authors, an organisation's report whose title has an emoji, quotes and
//! commas, a page the default dataset already holds (same address with a
//! tracking parameter), and a record without a title. They go through the
//! sources import on real workspace files; where nothing may be written, the
//! workspace is checked unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chipwatch_core::import::{
    self, Delimiter, DuplicateKey, FileFormat, ImportOptions, ImportReport, ImportTarget,
};
use chipwatch_core::model::{SourceDraft, SourceKind, Stats};
use chipwatch_core::{sources, workspace, Error, Store};
use common::*;

const FORMATS: [(&str, FileFormat); 3] = [
    ("refs.ris", FileFormat::Ris),
    ("refs.bib", FileFormat::Bibtex),
    ("refs.json", FileFormat::CslJson),
];

const HUAWEI_TITLE: &str = "华为昇腾910B的性能分析";
const CSET_TITLE: &str = "AI chips 🚀: \"Export controls\", commas, and 'quotes'";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/citations")
        .join(name)
}

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

fn assert_unchanged(store: &Store, path: &Path, before: &Stats) {
    assert_eq!(&stats(store), before, "the workspace must be unchanged");
    assert!(workspace::check(path).unwrap().is_healthy());
}

/// The source of the batch with this title, as its form would load it.
fn imported(store: &Store, path: &Path, batch: i64, title: &str) -> (i64, SourceDraft) {
    let id: i64 = raw_connection(path)
        .query_row(
            "SELECT id FROM sources WHERE import_batch_id = ?1 AND title = ?2",
            rusqlite::params![batch, title],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("no source '{title}' in batch {batch}: {e}"));
    (id, sources::load_draft(store, id).unwrap().draft)
}

#[test]
fn each_format_imports_chinese_titles_and_authors_intact() {
    for (file, format) in FORMATS {
        let (_dir, path, mut store) = workspace_file();
        let report = import_file(&mut store, &fixture(file)).unwrap();
        assert_eq!(report.format, format, "{file}");
        assert_eq!(report.delimiter, None, "{file}");
        assert_eq!(
            (
                report.read,
                report.added,
                report.duplicates,
                report.rejected
            ),
            (4, 2, 1, 1),
            "{file}: {report:?}"
        );
        let batch = report.batch.unwrap();

        let (huawei, draft) = imported(&store, &path, batch, HUAWEI_TITLE);
        assert_eq!(draft.kind, SourceKind::Article, "{file}");
        assert_eq!(
            draft.authors.as_deref(),
            Some("张三; 李四; Allen, Gregory C."),
            "{file}"
        );
        assert_eq!(draft.publisher.as_deref(), Some("半导体学报"), "{file}");
        assert_eq!(draft.published_on.as_deref(), Some("2023-10-17"), "{file}");
        assert_eq!(draft.accessed_on.as_deref(), Some("2024-01-05"), "{file}");
        assert_eq!(draft.doi.as_deref(), Some("10.1234/hw.2023.910b"), "{file}");
        assert_eq!(
            draft.url.as_deref(),
            Some("https://example.org/papers/ascend-910b"),
            "{file}"
        );
        assert_eq!(draft.language.as_deref(), Some("zh"), "{file}");
        assert!(
            draft
                .r#abstract
                .as_deref()
                .unwrap()
                .starts_with("华为昇腾910B与英伟达A100的对比。"),
            "{file}: {:?}",
            draft.r#abstract
        );
        assert_eq!(draft.tags, ["AI chips", "华为"], "{file}");
        // Fields Chipwatch has no column for are kept with the source.
        let original: String = raw_connection(&path)
            .query_row(
                "SELECT original_row FROM sources WHERE id = ?1",
                [huawei],
                |r| r.get(0),
            )
            .unwrap();
        let original: serde_json::Value = serde_json::from_str(&original).unwrap();
        let volume = ["VL", "volume"]
            .iter()
            .find_map(|name| original.get(*name))
            .and_then(serde_json::Value::as_str);
        assert_eq!(volume, Some("44"), "{file}: {original}");
        assert!(
            original.get("title").is_none() && original.get("TI").is_none(),
            "a value stored in its column is not repeated: {original}"
        );

        let (_, cset) = imported(&store, &path, batch, CSET_TITLE);
        assert_eq!(cset.kind, SourceKind::Report, "{file}");
        assert_eq!(
            cset.authors.as_deref(),
            Some("Center for Security and Emerging Technology"),
            "{file}"
        );
        assert_eq!(cset.publisher.as_deref(), Some("CSET"), "{file}");
        let published = if format == FileFormat::Ris {
            "2024"
        } else {
            "2024-03"
        };
        assert_eq!(cset.published_on.as_deref(), Some(published), "{file}");

        // The record without a title is a row problem at its line, named.
        let problem = &report.problems[0];
        let (line, name) = match format {
            FileFormat::Ris => (34, "The record (TY  - JOUR)"),
            FileFormat::Bibtex => (36, "The entry @article{mueller2022}"),
            _ => (37, "The item with id \"untitled\""),
        };
        assert_eq!(problem.row, line, "{file}: {problem:?}");
        assert!(
            problem.message.starts_with(&format!("{name} has no title")),
            "{file}: {problem:?}"
        );
        assert!(workspace::check(&path).unwrap().is_healthy());
    }
}

#[test]
fn a_page_the_workspace_holds_is_a_duplicate_by_its_address() {
    for (file, _) in FORMATS {
        let (_dir, _path, mut store) = workspace_file();
        let report = import_file(&mut store, &fixture(file)).unwrap();
        let duplicate = &report.duplicate_rows[0];
        assert_eq!(duplicate.key, DuplicateKey::Url, "{file}");
        assert_eq!(
            duplicate.existing.as_ref().map(|m| m.title.as_str()),
            Some("Data on Machine Learning Hardware"),
            "{file}: {duplicate:?}"
        );
    }
}

#[test]
fn the_same_references_in_another_format_are_duplicates_by_doi_and_address() {
    let (_dir, _path, mut store) = workspace_file();
    let first = import_file(&mut store, &fixture("refs.bib")).unwrap();
    assert_eq!(first.added, 2);
    let again = import_file(&mut store, &fixture("refs.json")).unwrap();
    assert_eq!((again.added, again.duplicates), (0, 3), "{again:?}");
    let huawei = again
        .duplicate_rows
        .iter()
        .find(|d| d.existing.as_ref().is_some_and(|m| m.title == HUAWEI_TITLE))
        .unwrap();
    assert_eq!(huawei.key, DuplicateKey::Doi);
    assert_eq!(huawei.value, "10.1234/hw.2023.910b");
}

#[test]
fn a_firm_named_in_a_title_is_linked_and_undo_removes_the_batch() {
    for (file, _) in FORMATS {
        let (_dir, path, mut store) = workspace_file();
        let before = stats(&store);
        let report = import_file(&mut store, &fixture(file)).unwrap();
        let batch = report.batch.unwrap();
        let (huawei, _) = imported(&store, &path, batch, HUAWEI_TITLE);
        let linked: Vec<String> = raw_connection(&path)
            .prepare(
                "SELECT f.name FROM source_firms m JOIN firms f ON f.id = m.firm_id
                 WHERE m.source_id = ?1 ORDER BY f.name",
            )
            .unwrap()
            .query_map([huawei], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            linked,
            ["Huawei", "NVIDIA"],
            "{file}: 华为 in the title, 英伟达 in the abstract"
        );
        assert!(report.linked >= 1);
        // The imported title is searchable, Chinese and all.
        let hits = chipwatch_core::search::search(
            &store,
            &chipwatch_core::search::SearchQuery {
                text: "昇腾910B".into(),
                kinds: vec![chipwatch_core::search::SearchKind::Source],
                ..Default::default()
            },
        )
        .unwrap();
        assert!(
            hits.iter().any(|h| h.title == HUAWEI_TITLE),
            "{file}: {hits:?}"
        );

        let undone = import::undo(&mut store, batch, false).unwrap();
        assert_eq!(undone.removed_sources, 2, "{file}");
        assert_eq!(
            stats(&store).sources,
            before.sources,
            "{file}: undo leaves the sources that were there"
        );
        let mentions: i64 = raw_connection(&path)
            .query_row(
                "SELECT count(*) FROM source_firms WHERE import_batch_id = ?1",
                [batch],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(mentions, 0, "{file}: its firm links go with it");
        let batches = import::list_batches(&store).unwrap();
        assert!(batches[0].undone_at.is_some());
        assert_eq!(batches[0].delimiter, None);
        assert!(workspace::check(&path).unwrap().is_healthy());
    }
}

#[test]
fn malformed_files_are_refused_with_their_line_and_nothing_is_written() {
    let cases = [
        (
            "unterminated_brace.bib",
            12,
            "the entry @article{smic2023, opened here, never closes — a `}` is missing",
        ),
        (
            "missing_er.ris",
            6,
            "the record that starts here (TY  - RPRT) has no `ER  - ` line",
        ),
        (
            "invalid.json",
            4,
            "this is not valid JSON at column 3 (expected `,` or `]`)",
        ),
    ];
    for (file, expected_line, expected) in cases {
        let (_dir, path, mut store) = workspace_file();
        let before = stats(&store);
        let backups = path.with_extension("db.backups");
        let error = import_file(&mut store, &fixture(file)).unwrap_err();
        let Error::ImportFile { line, message, .. } = &error else {
            panic!("{file}: expected a refusal of the file, got {error:?}");
        };
        assert_eq!(*line, Some(expected_line), "{file}: {message}");
        assert!(message.contains(expected), "{file}: {message}");
        assert!(
            error.to_string().ends_with("Nothing was imported."),
            "{error}"
        );
        assert_unchanged(&store, &path, &before);
        assert!(
            !backups.exists() || std::fs::read_dir(&backups).unwrap().next().is_none(),
            "{file}: refused before the backup an import takes"
        );
        // The preview refuses it the same way.
        let preview = import::preview(
            &store,
            &fixture(file),
            ImportTarget::Sources,
            &ImportOptions::default(),
            5,
            &AtomicBool::new(false),
        )
        .unwrap_err();
        assert!(matches!(preview, Error::ImportFile { line: Some(l), .. } if l == expected_line));
    }
}

#[test]
fn a_strict_or_dry_run_import_of_a_citation_file_writes_nothing() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let report = import_with(&mut store, &fixture("refs.json"), &dry).unwrap();
    assert_eq!((report.added, report.rejected, report.batch), (2, 1, None));
    assert_unchanged(&store, &path, &before);

    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let error = import_with(&mut store, &fixture("refs.ris"), &strict).unwrap_err();
    assert!(
        matches!(&error, Error::ImportRowRejected { row: 34, .. }),
        "{error:?}"
    );
    assert_unchanged(&store, &path, &before);
}

#[test]
fn the_preview_shows_the_format_the_record_count_and_the_first_records() {
    let store = seeded_store();
    for (file, format) in FORMATS {
        let preview = import::preview(
            &store,
            &fixture(file),
            ImportTarget::Sources,
            &ImportOptions::default(),
            2,
            &AtomicBool::new(false),
        )
        .unwrap();
        assert_eq!(preview.format, format, "{file}");
        assert_eq!(preview.records, Some(4), "{file}");
        assert_eq!(preview.delimiter, None);
        assert!(preview.headers.is_empty() && preview.mapping.columns.is_empty());
        assert_eq!(preview.rows.len(), 2, "{file}");
        let first = &preview.rows[0];
        assert_eq!(first.source.as_ref().unwrap().title, HUAWEI_TITLE);
        let name = first.record.as_deref().unwrap();
        assert!(
            ["TY  - JOUR", "@article{huawei2023}", "id huawei2023"].contains(&name),
            "{file}: {name}"
        );
        assert_eq!(
            preview.rows[1].source.as_ref().unwrap().title,
            CSET_TITLE,
            "{file}"
        );
        assert_eq!(preview.recognized, None);
        // Chosen as firms, it is previewed as sources and says so.
        let as_firms = import::preview(
            &store,
            &fixture(file),
            ImportTarget::Firms,
            &ImportOptions::default(),
            2,
            &AtomicBool::new(false),
        )
        .unwrap();
        assert_eq!(as_firms.recognized, Some(ImportTarget::Sources), "{file}");
        assert_eq!(as_firms.rows, preview.rows);
    }
}

#[test]
fn csv_options_and_other_targets_are_refused_for_a_citation_file() {
    let (_dir, path, mut store) = workspace_file();
    let before = stats(&store);
    let refusals = [
        ImportOptions {
            delimiter: Some(Delimiter::Semicolon),
            ..ImportOptions::default()
        },
        ImportOptions {
            encoding: Some("gb18030".into()),
            ..ImportOptions::default()
        },
        ImportOptions {
            preset: Some("zotero".into()),
            ..ImportOptions::default()
        },
    ];
    for (options, word) in refusals
        .iter()
        .zip(["delimiter", "encoding", "saved mapping"])
    {
        let error = import_with(&mut store, &fixture("refs.bib"), options).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("is a BibTeX file") && message.contains(&format!("takes no {word}")),
            "{message}"
        );
    }
    // What the CLI and the app send when nothing is chosen is fine.
    let automatic = ImportOptions {
        encoding: Some("auto".into()),
        preset: Some("auto".into()),
        dry_run: true,
        ..ImportOptions::default()
    };
    assert_eq!(
        import_with(&mut store, &fixture("refs.bib"), &automatic)
            .unwrap()
            .added,
        2
    );
    let as_firms = import::import_firms(
        &mut store,
        &fixture("refs.ris"),
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert!(
        as_firms
            .to_string()
            .contains("is a RIS file: its records are sources, not firms"),
        "{as_firms}"
    );
    assert_unchanged(&store, &path, &before);
}

#[test]
fn the_format_is_told_by_the_content_whatever_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("export.txt");
    std::fs::copy(fixture("refs.bib"), &renamed).unwrap();
    assert_eq!(import::file_format(&renamed).unwrap(), FileFormat::Bibtex);
    let (_dir, _path, mut store) = workspace_file();
    let report = import_file(&mut store, &renamed).unwrap();
    assert_eq!((report.format, report.added), (FileFormat::Bibtex, 2));
    // A CSV stays CSV, even one whose first cell starts like JSON.
    let csv = dir.path().join("list.csv");
    std::fs::write(&csv, "[Title],URL\n华为,https://example.org/a\n").unwrap();
    assert_eq!(import::file_format(&csv).unwrap(), FileFormat::Csv);
}

#[test]
fn a_file_too_big_to_read_whole_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store();
    for (name, start, cap, said) in [
        (
            "huge.ris",
            &b"TY  - JOUR\n"[..],
            import::MAX_CITATION_FILE_BYTES,
            "reads RIS files of up to 268,435,456 bytes (256 MiB)",
        ),
        (
            "huge.bib",
            &b"@article{a, title = {A}}\n"[..],
            import::MAX_BIBTEX_FILE_BYTES,
            "reads BibTeX files of up to 67,108,864 bytes (64 MiB)",
        ),
    ] {
        let big = dir.path().join(name);
        let file = std::fs::File::create(&big).unwrap();
        std::io::Write::write_all(&mut &file, start).unwrap();
        // Sparse: nothing of it is read.
        file.set_len(cap + 1).unwrap();
        let error = import::preview(
            &store,
            &big,
            ImportTarget::Sources,
            &ImportOptions::default(),
            5,
            &AtomicBool::new(false),
        )
        .unwrap_err();
        assert!(error.to_string().contains(said), "{error}");
    }
}

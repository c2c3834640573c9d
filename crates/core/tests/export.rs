//! Comparison sheets (compare/export): injection, Unicode round trips of CSV
//! and XLSX, hyperlinked citations, the changes report, and destinations that
//! cannot be written.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
mod compare_data;

use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use chipwatch_core::compare::export::{
    self, neutralise, ChangeKind, ExportFormat, ExportRequest, ExportSummary,
};
use chipwatch_core::compare::sample::{generate_firms, FirmSampleSpec};
use chipwatch_core::compare::saved::{self, ComparisonDraft};
use chipwatch_core::compare::{self, ComparisonFilters, ComparisonSelection};
use chipwatch_core::model::{Id, Stance};
use chipwatch_core::sample::{self, SampleSpec};
use chipwatch_core::vocabulary::NOT_RECORDED;
use chipwatch_core::{AppError, Error, ErrorKind, Store};
use common::*;
use compare_data::*;

/// Names and values a spreadsheet could run, with everything else a user types.
const DDE: &str = "=cmd|' /C calc'!A0";
const TRICKY_NAMES: [&str; 6] = [DDE, "+SUM(1,2)", "-2+3", "@SUM(A1)", "-3.5", TRICKY];
const URL: &str = "https://example.org/报告?id=1&q=\"x\"";

struct Fixture {
    _dir: tempfile::TempDir,
    out: PathBuf,
    store: Store,
    firms: Vec<Id>,
    strategy: Id,
    stance: String,
}

/// A file workspace with firms named like formulas, one led by a tab (written
/// raw: the form trims it), a strategy named like a formula, cited sources.
fn fixture() -> Fixture {
    let (dir, path) = temp_workspace();
    let (mut store, _) =
        chipwatch_core::workspace::open_or_init(&path, chipwatch_core::workspace::Seed::Empty)
            .unwrap();
    let strategy_id = strategy(&mut store, "=strategy()");
    let cited = source(
        &mut store,
        "=HYPERLINK(\"x\") 华为报告 🚀",
        Some("2023-06"),
        Some(URL),
    );
    let other = source(
        &mut store,
        "Plain, \"quoted\"\nsource",
        Some("2024-02-01"),
        None,
    );
    let mut firms = Vec::new();
    for (i, name) in TRICKY_NAMES.iter().enumerate() {
        let listings = [("=LIST()", Some("2020-01"), Some(cited))];
        let id = firm_with(
            &mut store,
            name,
            (i == 5).then_some("华为"),
            Some("CN"),
            None,
            &[],
            if i == 0 { &listings } else { &[] },
        );
        assess(
            &mut store,
            id,
            strategy_id,
            [Stance::Active, Stance::Leading, Stance::None][i % 3],
            Some("2023-10"),
            &[(cited, Some("p. 4")), (other, None)],
        );
        firms.push(id);
    }
    let tab = firm(&mut store, "tab placeholder", None, None);
    drop(store);
    raw_connection(&path)
        .execute(
            "UPDATE firms SET name = char(9) || '=tab' || char(13) WHERE id = ?1",
            [tab],
        )
        .unwrap();
    firms.push(tab);
    let store = Store::open(&path).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    Fixture {
        _dir: dir,
        out,
        store,
        firms,
        strategy: strategy_id,
        stance: format!("strategy:{strategy_id}:stance"),
    }
}

fn request(firms: &[Id], dimensions: &[&str], format: ExportFormat, path: &Path) -> ExportRequest {
    ExportRequest {
        selection: ComparisonSelection {
            firm_ids: firms.to_vec(),
            dimensions: dimensions.iter().map(|d| d.to_string()).collect(),
            filters: ComparisonFilters::default(),
        },
        saved_id: None,
        format,
        path: path.display().to_string(),
        include_changes: false,
    }
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with a BOM, for Excel"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Every file in `dir`, so a test can see that nothing partial was left.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn zip_entry(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn neutralise_follows_owasp_but_keeps_plain_numbers() {
    for risky in ["=1+1", "+1+1", "-1+1", "@A1", "\t=1", "\r=1", "-", "=", DDE] {
        assert_eq!(neutralise(risky), format!("'{risky}"));
    }
    for safe in [
        "-3.5", "+2", "1e9", "-0.25", "Huawei", "华为", "'already", " =spaced", "",
    ] {
        assert_eq!(neutralise(safe), safe);
    }
}

#[test]
fn csv_wide_and_long_neutralise_formulas_and_round_trip_unicode() {
    let mut f = fixture();
    let wide = f.out.join("比较 wide.csv");
    let dims = [
        f.stance.as_str(),
        "profile:listings",
        "activity:sources",
        "chips:bestTpp",
    ];
    export::export(
        &mut f.store,
        &request(&f.firms, &dims, ExportFormat::Csv, &wide),
    )
    .unwrap();
    let rows = read_csv(&wide);
    assert_eq!(
        rows[0],
        [
            "Firm",
            "'=strategy(): stance",
            "'=strategy(): stance: sources",
            "Export-control listings",
            "Export-control listings: sources",
            "Sources cited",
            "Best TPP"
        ]
    );
    let firms: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        firms,
        [
            "'=cmd|' /C calc'!A0",
            "'+SUM(1,2)",
            "'-2+3",
            "'@SUM(A1)",
            "-3.5",
            &format!("{TRICKY} (华为)"),
            "'\t=tab\r",
        ]
    );
    assert_eq!(
        rows[1][3], "'=LIST() (2020-01)",
        "values are neutralised too"
    );
    assert_eq!(rows[1][5], "2", "numbers stay numbers");
    assert_eq!(
        rows[1][2], "'=HYPERLINK(\"x\") 华为报告 🚀; Plain, \"quoted\"\nsource",
        "the sources' titles in their own column, neutralised"
    );
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));

    let long = f.out.join("long.csv");
    export::export(
        &mut f.store,
        &request(&f.firms, &dims, ExportFormat::CsvLong, &long),
    )
    .unwrap();
    let rows = read_csv(&long);
    assert_eq!(
        rows[0],
        [
            "firm",
            "dimension",
            "value",
            "number",
            "based_on",
            "as_of",
            "sources"
        ]
    );
    assert_eq!(rows.len(), 1 + f.firms.len() * dims.len());
    let tricky_stance = rows
        .iter()
        .find(|r| r[0].starts_with(TRICKY) && r[1].ends_with(": stance"))
        .unwrap();
    assert_eq!(tricky_stance[2], "None");
    assert_eq!(tricky_stance[5], "2023-10");
    assert_eq!(
        tricky_stance[6].split("; ").count(),
        2,
        "two sources, by title"
    );
    assert_eq!(files_in(&f.out), ["long.csv", "比较 wide.csv"]);
}

#[test]
fn xlsx_reads_back_with_its_sheets_text_values_and_hyperlinked_citations() {
    let mut f = fixture();
    let path = f.out.join("comparison 华为.xlsx");
    let dims = [
        f.stance.as_str(),
        "profile:listings",
        "activity:sources",
        "chips:bestTpp",
    ];
    let summary = export::export(
        &mut f.store,
        &request(&f.firms, &dims, ExportFormat::Xlsx, &path),
    )
    .unwrap();
    assert_eq!(
        (summary.firms, summary.dimensions, summary.sources),
        (7, 4, 2)
    );

    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Comparison", "Evidence", "Sources", "About"]
    );
    let sheet = book.worksheet_range("Comparison").unwrap();
    let text = |r: usize, c: usize| match sheet.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({r},{c}) is not text: {other:?}"),
    };
    assert_eq!(text(0, 0), "Firm");
    assert_eq!(text(0, 1), "=strategy(): stance");
    // Formulas land as text, exactly as typed; no `'` in a real spreadsheet.
    assert_eq!(text(1, 0), DDE);
    assert_eq!(text(2, 0), "+SUM(1,2)");
    assert_eq!(text(6, 0), format!("{TRICKY} (华为)"));
    assert_eq!(text(7, 0), "\t=tab\r");
    // A stance with its reference marks, one pair of brackets each; the numbers
    // are the Sources sheet's rows.
    assert_eq!(text(1, 1), "Active [1] [2]");
    assert_eq!(text(1, 2), "=LIST() (2020-01) [1]");
    assert_eq!(
        sheet.get((1, 3)),
        Some(&Data::Float(2.0)),
        "counts are numbers"
    );
    assert_eq!(text(1, 4), "n/a");

    let evidence = book.worksheet_range("Evidence").unwrap();
    let header: Vec<String> = (0..10)
        .map(|c| evidence.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "Firm",
            "Dimension",
            "Value",
            "Reference",
            "Source",
            "URL",
            "Reliability",
            "Credibility",
            "Published",
            "As of"
        ]
    );
    let cited = (1..evidence.height())
        .find(|&r| evidence.get((r, 5)) == Some(&Data::String(URL.into())))
        .expect("the cited URL is on the Evidence sheet");
    assert_eq!(evidence.get((cited, 6)), Some(&Data::String("B".into())));
    assert_eq!(evidence.get((cited, 7)), Some(&Data::String("2".into())));

    let sources = book.worksheet_range("Sources").unwrap();
    assert_eq!(
        sources.get((1, 1)),
        Some(&Data::String("=HYPERLINK(\"x\") 华为报告 🚀".into()))
    );
    assert_eq!(
        sources.get((2, 1)),
        Some(&Data::String("Plain, \"quoted\"\nsource".into()))
    );
    let about = book.worksheet_range("About").unwrap();
    let about_text: Vec<String> = about
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("=")
        })
        .collect();
    assert!(
        about_text
            .iter()
            .any(|l| l.starts_with("Chipwatch version=")),
        "{about_text:?}"
    );
    assert!(about_text
        .iter()
        .any(|l| l.starts_with("Workspace=") && l.contains("workspace.db")));

    // The raw sheets: the URL is a real hyperlink, and no cell is a formula.
    let sheet3 = zip_entry(&path, "xl/worksheets/sheet3.xml");
    assert!(
        sheet3.contains("<hyperlink ref=\"G2\""),
        "Sources!G2 is a hyperlink"
    );
    let rels = zip_entry(&path, "xl/worksheets/_rels/sheet3.xml.rels");
    assert!(rels.contains("TargetMode=\"External\""), "{rels}");
    assert!(rels.contains("example.org"), "{rels}");
    for n in 1..=4 {
        let xml = zip_entry(&path, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "sheet{n} holds a formula"
        );
    }
    let sheet1 = zip_entry(&path, "xl/worksheets/sheet1.xml");
    assert!(
        sheet1.contains("<pane xSplit=\"1\" ySplit=\"1\""),
        "header row and first column frozen"
    );
    // Spreadsheets do not grow rows for wrapped text: the two-line title's
    // rows are given two lines' height, or LibreOffice draws it over the next row.
    let sheet2 = zip_entry(&path, "xl/worksheets/sheet2.xml");
    let two_lines = |xml: &str, row: usize| {
        xml.contains(&format!(
            "<row r=\"{row}\" spans=\"1:10\" ht=\"32.25\" customHeight=\"1\">"
        )) || xml.contains(&format!(
            "<row r=\"{row}\" spans=\"1:11\" ht=\"32.25\" customHeight=\"1\">"
        ))
    };
    assert!(
        two_lines(&sheet3, 3),
        "Sources row 3 holds the two-line title"
    );
    let evidence_rows = (2..=evidence.height() as usize + 1)
        .filter(|&r| two_lines(&sheet2, r))
        .count();
    // The rows citing the two-line title, and those of the firm whose name holds a line break.
    let with_line_breaks = (1..evidence.height())
        .filter(|&r| {
            (0..10)
                .any(|c| matches!(evidence.get((r, c)), Some(Data::String(t)) if t.contains('\n')))
        })
        .count();
    assert!(with_line_breaks > 0);
    assert_eq!(
        evidence_rows, with_line_breaks,
        "each Evidence row with a line break is two lines high"
    );
}

#[test]
fn markdown_escapes_pipes_and_newlines_and_numbers_its_sources() {
    let mut f = fixture();
    let piped = firm(&mut f.store, "A|B", None, None);
    assess(
        &mut f.store,
        piped,
        f.strategy,
        Stance::Exploring,
        None,
        &[],
    );
    let mut firms = f.firms.clone();
    firms.push(piped);
    let path = f.out.join("report.md");
    let dims = [f.stance.as_str(), "profile:country"];
    export::export(
        &mut f.store,
        &request(&firms, &dims, ExportFormat::Markdown, &path),
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let table: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(
        table.len(),
        2 + firms.len(),
        "one line per row: newlines cannot split a row"
    );
    for line in &table {
        let separators = line.replace("\\|", "").matches('|').count();
        assert_eq!(separators, 4, "3 columns in {line}");
    }
    assert!(text.contains("| A\\|B |"), "{text}");
    assert!(text.contains("line<br>break 🚀 (华为)"), "{text}");
    assert!(text.contains("Active \\[1\\] \\[2\\]"), "{text}");
    assert!(text.contains("## Sources"));
    assert!(
        text.contains(&format!(
            "1. =HYPERLINK(\"x\") 华为报告 🚀, Analyst, A., Example Press, 2023-06. <{URL}>"
        )),
        "{text}"
    );
    assert!(text.contains("2. Plain, \"quoted\"<br>source"), "{text}");
}

#[test]
fn markdown_links_only_web_addresses_whatever_the_workspace_holds() {
    let mut f = fixture();
    let linked = firm(&mut f.store, "Linked 华为", None, None);
    let titles = ["web 大写", "data", "file", "broken, \"table\" 🚀"];
    let cited: Vec<Id> = titles
        .iter()
        .map(|t| source(&mut f.store, t, Some("2024"), None))
        .collect();
    let evidence: Vec<(Id, Option<&str>)> = cited.iter().map(|&id| (id, None)).collect();
    assess(
        &mut f.store,
        linked,
        f.strategy,
        Stance::Active,
        None,
        &evidence,
    );
    // Only a tampered file holds these: the forms and imports refuse them.
    let conn = raw_connection(&f._dir.path().join("workspace.db"));
    let set_url = |title: &str, url: &str| {
        let changed = conn
            .execute("UPDATE sources SET url = ?2 WHERE title = ?1", [title, url])
            .unwrap();
        assert_eq!(changed, 1, "{title}");
    };
    set_url("=HYPERLINK(\"x\") 华为报告 🚀", "javascript:alert(1)");
    set_url("web 大写", "HTTPS://Example.org/大写?q=1");
    set_url("data", "DATA:text/html,<script>alert(1)</script>");
    set_url("file", " file:///etc/passwd");
    set_url(titles[3], "JaVaScRiPt:alert('华为')|x\n| [y](z) <b>");
    drop(conn);

    let path = f.out.join("links.md");
    let mut firms = f.firms.clone();
    firms.push(linked);
    export::export(
        &mut f.store,
        &request(&firms, &[f.stance.as_str()], ExportFormat::Markdown, &path),
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let sources: Vec<&str> = text
        .split("## Sources\n\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(sources.len(), 6, "one line per source: {text}");
    let lower = text.to_lowercase();
    for scheme in ["javascript:", "data:", "file:"] {
        assert!(
            !lower.contains(&format!("<{scheme}")) && !lower.contains(&format!("]({scheme}")),
            "{scheme} became a link: {text}"
        );
    }
    assert!(
        text.contains("<HTTPS://Example.org/大写?q=1>"),
        "a web address still is a link: {text}"
    );
    // The others are plain text, escaped like any other text of the report.
    assert!(
        text.contains("Example Press, 2023-06. javascript:alert(1) Reliability"),
        "{text}"
    );
    assert!(
        text.contains("2024. file:///etc/passwd Reliability"),
        "{text}"
    );
    assert!(
        text.contains("DATA:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{text}"
    );
    assert!(
        text.contains("JaVaScRiPt:alert('华为')\\|x<br>\\| \\[y\\](z) &lt;b&gt;"),
        "{text}"
    );
}

/// A change as compared: kind, firm, dimension, before, now.
type Seen<'a> = (
    ChangeKind,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
);

#[test]
fn the_changes_report_lists_cells_added_changed_and_removed() {
    let mut store = Store::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = strategy(&mut store, "In-house chips");
    let cited = source(&mut store, "Report", Some("2024"), None);
    let a = firm(&mut store, "Alpha", None, Some("CN"));
    let b = firm(&mut store, "Beta", None, Some("US"));
    let c = firm(&mut store, "Gamma 伽马", None, Some("TW"));
    let assessment = assess(&mut store, a, s, Stance::Active, None, &[(cited, None)]);
    let stance = format!("strategy:{s}:stance");
    let draft = ComparisonDraft {
        name: "Watch list".into(),
        selection: ComparisonSelection {
            firm_ids: vec![a, b],
            dimensions: vec![stance.clone(), "profile:country".into()],
            filters: ComparisonFilters::default(),
        },
    };
    let comparison = saved::save(&mut store, None, None, &draft).unwrap();
    let export_as = |store: &mut Store, selection: &ComparisonSelection, format, name: &str| {
        export::export(
            store,
            &ExportRequest {
                selection: selection.clone(),
                saved_id: Some(comparison.id),
                format,
                path: dir.path().join(name).display().to_string(),
                include_changes: true,
            },
        )
        .unwrap()
    };

    let first = export_as(
        &mut store,
        &draft.selection,
        ExportFormat::Xlsx,
        "first.xlsx",
    );
    assert_eq!(
        first.changes, None,
        "nothing to compare the first export with"
    );
    let mut book: Xlsx<_> = open_workbook(dir.path().join("first.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Comparison", "Evidence", "Sources", "Changes", "About"]
    );
    let changes = book.worksheet_range("Changes").unwrap();
    assert!(changes
        .get((0, 0))
        .unwrap()
        .to_string()
        .starts_with("First export"));
    let stored = saved::load(&store, comparison.id).unwrap();
    assert_eq!(
        stored.last_exported_at.as_deref(),
        Some(first.exported_at.as_str())
    );

    // Alpha moves to leading; Beta leaves; Gamma joins.
    restance(&mut store, assessment, Stance::Leading);
    let mut next = draft.selection.clone();
    next.firm_ids = vec![a, c];
    let preview = export::changes(&store, comparison.id, &next)
        .unwrap()
        .unwrap();
    let second = export_as(&mut store, &next, ExportFormat::Markdown, "second.md");
    let report = second.changes.unwrap();
    assert_eq!(report, preview, "the preview is what the export reports");
    assert_eq!(report.since, first.exported_at);
    let seen: Vec<Seen> = report
        .changes
        .iter()
        .map(|c| {
            (
                c.kind,
                c.firm.as_str(),
                c.dimension.as_str(),
                c.old_value.as_deref(),
                c.new_value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                ChangeKind::Changed,
                "Alpha",
                "In-house chips: stance",
                Some("Active"),
                Some("Leading")
            ),
            (
                ChangeKind::Added,
                "Gamma 伽马",
                "In-house chips: stance",
                None,
                Some(NOT_RECORDED)
            ),
            (ChangeKind::Added, "Gamma 伽马", "Country", None, Some("TW")),
            (
                ChangeKind::Removed,
                "Beta",
                "In-house chips: stance",
                Some(NOT_RECORDED),
                None
            ),
            (ChangeKind::Removed, "Beta", "Country", Some("US"), None),
        ]
    );
    let text = std::fs::read_to_string(dir.path().join("second.md")).unwrap();
    assert!(text.contains("## Changes since"), "{text}");
    assert!(
        text.contains("| Alpha | In-house chips: stance | changed | Active | Leading |"),
        "{text}"
    );

    // Exported again unchanged: nothing changed since the second export.
    let third = export_as(&mut store, &next, ExportFormat::Xlsx, "third.xlsx");
    let report = third.changes.unwrap();
    assert_eq!(report.since, second.exported_at);
    assert!(report.changes.is_empty());
}

#[test]
fn the_snapshot_is_stored_only_when_the_export_succeeds() {
    let mut store = Store::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = firm(&mut store, "Alpha", None, Some("CN"));
    let comparison = saved::save(
        &mut store,
        None,
        None,
        &ComparisonDraft {
            name: "One".into(),
            selection: ComparisonSelection {
                firm_ids: vec![a],
                ..ComparisonSelection::default()
            },
        },
    )
    .unwrap();
    let blocker = dir.path().join("a file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let mut request = request(&[a], &[], ExportFormat::Xlsx, &blocker.join("out.xlsx"));
    request.saved_id = Some(comparison.id);
    assert!(export::export(&mut store, &request).is_err());
    assert_eq!(
        saved::load(&store, comparison.id).unwrap().last_exported_at,
        None
    );
    request.path = dir.path().join("out.xlsx").display().to_string();
    export::export(&mut store, &request).unwrap();
    assert!(saved::load(&store, comparison.id)
        .unwrap()
        .last_exported_at
        .is_some());
}

#[test]
fn an_empty_selection_writes_nothing() {
    let mut f = fixture();
    let path = f.out.join("empty.xlsx");
    let error =
        export::export(&mut f.store, &request(&[], &[], ExportFormat::Xlsx, &path)).unwrap_err();
    let shown = AppError::from(&error);
    assert_eq!(shown.kind, ErrorKind::InvalidInput);
    assert!(
        shown.message.contains("Nothing to export"),
        "{}",
        shown.message
    );
    // Firms that were all deleted meanwhile: the same.
    let error = export::export(
        &mut f.store,
        &request(&[987_654], &[], ExportFormat::Csv, &path),
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("none of the chosen firms exists"),
        "{error}"
    );
    assert!(files_in(&f.out).is_empty());
}

fn unwritable(error: Error) -> (PathBuf, String) {
    match error {
        Error::ExportUnwritable { path, reason } => (path, reason),
        other => panic!("not an unwritable destination: {other:?}"),
    }
}

#[test]
fn unwritable_destinations_name_the_path_and_leave_nothing() {
    let mut f = fixture();
    // Under a file, not a folder: fails for root too.
    let blocker = f.out.join("notes.txt");
    std::fs::write(&blocker, "x").unwrap();
    let path = blocker.join("out.xlsx");
    let error = export::export(
        &mut f.store,
        &request(&f.firms, &[], ExportFormat::Xlsx, &path),
    )
    .unwrap_err();
    let message = error.to_string();
    let (at, reason) = unwritable(error);
    assert_eq!(at, path);
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(reason.contains("is a file, not a folder"), "{reason}");

    // A folder that does not exist.
    let missing = f.out.join("no such folder").join("out.csv");
    let (_, reason) = unwritable(
        export::export(
            &mut f.store,
            &request(&f.firms, &[], ExportFormat::Csv, &missing),
        )
        .unwrap_err(),
    );
    assert!(reason.contains("does not exist"), "{reason}");

    // A folder as the destination.
    let (_, reason) = unwritable(
        export::export(
            &mut f.store,
            &request(&f.firms, &[], ExportFormat::Csv, &f.out),
        )
        .unwrap_err(),
    );
    assert!(reason.contains("it is a folder"), "{reason}");
    assert_eq!(files_in(&f.out), ["notes.txt"]);

    // A read-only folder; root writes there anyway, so that case is skipped.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = f.out.join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        if tempfile::tempfile_in(&locked).is_ok() {
            println!("note: running as root, a read-only folder does not stop writes; that case is skipped");
        } else {
            let path = locked.join("out.md");
            let (_, reason) = unwritable(
                export::export(
                    &mut f.store,
                    &request(&f.firms, &[], ExportFormat::Markdown, &path),
                )
                .unwrap_err(),
            );
            assert!(reason.contains("you may not write"), "{reason}");
            assert!(files_in(&locked).is_empty());
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn an_existing_file_is_replaced_whole() {
    let mut f = fixture();
    let path = f.out.join("same.csv");
    std::fs::write(
        &path,
        "an older export that is much longer than the new one ".repeat(10_000),
    )
    .unwrap();
    export::export(
        &mut f.store,
        &request(
            &f.firms[..1],
            &["profile:country"],
            ExportFormat::Csv,
            &path,
        ),
    )
    .unwrap();
    assert_eq!(read_csv(&path).len(), 2);
    assert_eq!(files_in(&f.out), ["same.csv"], "no temporary file is left");
}

#[test]
fn two_hundred_firms_by_sixty_dimensions_export_in_every_format() {
    let mut store = Store::open_in_memory().unwrap();
    sample::generate(
        &mut store,
        &SampleSpec {
            sources: 2_000,
            notes: 100,
            seed: 3,
        },
    )
    .unwrap();
    let (firms, _) = generate_firms(
        &mut store,
        &FirmSampleSpec {
            firms: 200,
            strategies: 17,
            seed: 5,
        },
    )
    .unwrap();
    let dimensions: Vec<String> = compare::dimensions(&store)
        .unwrap()
        .into_iter()
        .take(60)
        .map(|d| d.id)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let selection = ComparisonSelection {
        firm_ids: firms,
        dimensions,
        filters: ComparisonFilters {
            stale_before: Some("2023-10-17".into()),
            ..ComparisonFilters::default()
        },
    };
    let mut done: Vec<ExportSummary> = Vec::new();
    for (format, name) in [
        (ExportFormat::Xlsx, "big.xlsx"),
        (ExportFormat::Csv, "big.csv"),
        (ExportFormat::CsvLong, "big-long.csv"),
        (ExportFormat::Markdown, "big.md"),
    ] {
        let request = ExportRequest {
            selection: selection.clone(),
            saved_id: None,
            format,
            path: dir.path().join(name).display().to_string(),
            include_changes: false,
        };
        done.push(export::export(&mut store, &request).unwrap());
    }
    assert!(done.iter().all(|s| s.firms == 200 && s.dimensions == 60));
    let mut book: Xlsx<_> = open_workbook(dir.path().join("big.xlsx")).unwrap();
    let sheet = book.worksheet_range("Comparison").unwrap();
    assert_eq!(sheet.get_size(), (201, 61));
    assert_eq!(read_csv(&dir.path().join("big.csv")).len(), 201);
    assert_eq!(
        read_csv(&dir.path().join("big-long.csv")).len(),
        1 + 200 * 60
    );
}

/// Unmounts the small disk when the test ends, whatever happens.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// A real full disk: a 64 KiB tmpfs, filled up, then exported to. Needs root
/// (mount); elsewhere the test says so and stops (the module's own unit test
/// fails a write halfway instead).
#[test]
fn a_full_disk_gives_a_clear_error_and_leaves_nothing() {
    let mut f = fixture();
    let disk = f.out.join("tiny disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&disk)
        .output();
    if !mounted.is_ok_and(|o| o.status.success()) {
        println!("note: cannot mount a small disk here (needs root); the full-disk case is covered by compare::export's unit test only");
        return;
    }
    let _unmount = Mounted(disk.clone());
    let filler = disk.join("filler");
    let mut file = std::fs::File::create(&filler).unwrap();
    let block = vec![b'x'; 4096];
    while std::io::Write::write_all(&mut file, &block).is_ok() {}
    drop(file);
    let before = files_in(&disk);

    let path = disk.join("comparison.xlsx");
    let error = export::export(
        &mut f.store,
        &request(&f.firms, &[], ExportFormat::Xlsx, &path),
    )
    .unwrap_err();
    let message = error.to_string();
    let (at, reason) = unwritable(error);
    assert_eq!(at, path);
    assert!(reason.contains("disk is full"), "{message}");
    assert_eq!(files_in(&disk), before, "no partial file");
}

//! One word per meaning (vocabulary.rs): every export writes the vocabulary's
//! words for "not recorded" and "n/a", "[n]" is only ever a reference number,
//! and no screen of the UI types an old word (or its own copy of a new one).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
mod compare_data;

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use chipwatch_core::compare::export::{self, ExportFormat, ExportRequest};
use chipwatch_core::compare::saved::{self, ComparisonDraft};
use chipwatch_core::compare::{ComparisonFilters, ComparisonSelection};
use chipwatch_core::metrics;
use chipwatch_core::model::{Id, Stance};
use chipwatch_core::vocabulary::{
    self, reference_marks, source_count, NONE_MET_3A090, NOT_APPLICABLE, NOT_RECORDED,
};
use chipwatch_core::Store;
use common::*;
use compare_data::*;

/// Words these meanings had before there was one vocabulary.
const OLD_WORDS: [&str; 4] = ["unknown", "none recorded", "Not known", "nothing recorded"];

struct Exported {
    xlsx: Vec<Vec<String>>,
    wide: Vec<Vec<String>>,
    long: Vec<Vec<String>>,
    markdown: String,
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// The comparison of `firms` on `dimensions` in every format, read back.
fn export_everywhere(store: &mut Store, dir: &Path, firms: &[Id], dimensions: &[&str]) -> Exported {
    let mut write = |format: ExportFormat, name: &str| {
        let path = dir.join(name);
        export::export(
            store,
            &ExportRequest {
                selection: ComparisonSelection {
                    firm_ids: firms.to_vec(),
                    dimensions: dimensions.iter().map(|d| d.to_string()).collect(),
                    filters: ComparisonFilters::default(),
                },
                saved_id: None,
                format,
                path: path.display().to_string(),
                include_changes: false,
            },
        )
        .unwrap();
        path
    };
    let xlsx_path = write(ExportFormat::Xlsx, "sheet.xlsx");
    let wide = read_csv(&write(ExportFormat::Csv, "wide.csv"));
    let long = read_csv(&write(ExportFormat::CsvLong, "long.csv"));
    let markdown = std::fs::read_to_string(write(ExportFormat::Markdown, "report.md")).unwrap();
    let mut book: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    let sheet = book.worksheet_range("Comparison").unwrap();
    let xlsx = sheet
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    Exported {
        xlsx,
        wide,
        long,
        markdown,
    }
}

/// The Markdown table's cell for `firm` in column `column` (1 = first dimension).
fn markdown_cell(markdown: &str, firm: &str, column: usize) -> String {
    let line = markdown
        .lines()
        .find(|l| l.starts_with(&format!("| {firm} |")))
        .unwrap_or_else(|| panic!("no row for {firm} in\n{markdown}"));
    line.split(" | ")
        .nth(column)
        .unwrap()
        .trim_end_matches(" |")
        .to_owned()
}

#[test]
fn a_firm_without_listings_reads_not_recorded_in_every_export() {
    let (dir, path) = temp_workspace();
    let (mut store, _) =
        chipwatch_core::workspace::open_or_init(&path, chipwatch_core::workspace::Seed::Empty)
            .unwrap();
    let cited = source(
        &mut store,
        "BIS rule 华为, \"Entity List\"",
        Some("2019-05"),
        None,
    );
    let listed = firm_with(
        &mut store,
        "Listed 华为",
        None,
        Some("CN"),
        None,
        &[],
        &[("Entity List", Some("2019-05-16"), Some(cited))],
    );
    let unlisted = firm(&mut store, "Unlisted, \"quoted\" 🚀", None, None);
    let dims = ["profile:listings", "profile:parent", "profile:country"];
    let out = export_everywhere(&mut store, dir.path(), &[listed, unlisted], &dims);

    // XLSX: the Comparison sheet, row 2 is the unlisted firm.
    assert_eq!(out.xlsx[0][1], "Export-control listings");
    assert_eq!(out.xlsx[2][1], NOT_RECORDED, "{:?}", out.xlsx);
    assert_eq!(out.xlsx[2][2], NOT_APPLICABLE, "no parent firm");
    assert_eq!(out.xlsx[2][3], NOT_RECORDED, "no country");
    // The listed firm's cell cites its source by reference number.
    assert_eq!(out.xlsx[1][1], "Entity List (2019-05-16) [1]");

    // Wide CSV: firm, then per dimension its value (and its sources' titles).
    let header = &out.wide[0];
    let column = |label: &str| header.iter().position(|h| h == label).unwrap();
    assert_eq!(out.wide[2][column("Export-control listings")], NOT_RECORDED);
    assert_eq!(out.wide[2][column("Parent firm")], NOT_APPLICABLE);
    assert_eq!(out.wide[2][column("Country")], NOT_RECORDED);

    // Long CSV: one row per cell.
    let long_value = |firm: &str, dimension: &str| {
        out.long
            .iter()
            .find(|row| row[0] == firm && row[1] == dimension)
            .unwrap_or_else(|| panic!("no {firm} / {dimension} in {:?}", out.long))[2]
            .clone()
    };
    let unlisted_name = "Unlisted, \"quoted\" 🚀";
    assert_eq!(
        long_value(unlisted_name, "Export-control listings"),
        NOT_RECORDED
    );
    assert_eq!(long_value(unlisted_name, "Parent firm"), NOT_APPLICABLE);
    // Its sources are named by title, never by a bare [id].
    let listed_row = out
        .long
        .iter()
        .find(|row| row[0] == "Listed 华为" && row[1] == "Export-control listings")
        .unwrap();
    assert_eq!(listed_row[6], "BIS rule 华为, \"Entity List\"");

    // Markdown: the word in italics, and the legend that says what it means.
    assert_eq!(
        markdown_cell(&out.markdown, "Unlisted, \"quoted\" 🚀", 1),
        format!("*{NOT_RECORDED}*")
    );
    assert_eq!(
        markdown_cell(&out.markdown, "Unlisted, \"quoted\" 🚀", 2),
        format!("*{NOT_APPLICABLE}*")
    );
    assert!(out
        .markdown
        .contains(&format!("*{NOT_RECORDED}*: the workspace holds no value")));
    assert!(
        markdown_cell(&out.markdown, "Listed 华为", 1).ends_with("\\[1\\]"),
        "{}",
        out.markdown
    );
    assert!(
        out.markdown.contains("\n1. BIS rule 华为"),
        "{}",
        out.markdown
    );

    // No export writes an old word for these meanings.
    let texts = [
        format!("{:?}", out.xlsx),
        format!("{:?}", out.wide),
        format!("{:?}", out.long),
        out.markdown.clone(),
    ];
    for text in &texts {
        for old in OLD_WORDS {
            assert!(!text.contains(old), "{old:?} in {text}");
        }
    }
}

#[test]
fn chip_and_assessment_cells_use_the_same_words_in_every_export() {
    let (dir, path) = temp_workspace();
    let (mut store, _) =
        chipwatch_core::workspace::open_or_init(&path, chipwatch_core::workspace::Seed::Empty)
            .unwrap();
    let s = strategy(&mut store, "In-house chips");
    let weak = firm(&mut store, "Weak chips", None, Some("CN"));
    let bare = firm(&mut store, "No chips", None, Some("CN"));
    // 100 TOPS at 8 bits on 800 mm²: TPP 800, below every threshold.
    chip(
        &mut store,
        weak,
        "W1",
        Some((100.0, 8)),
        Some(800.0),
        None,
        None,
        None,
        &[],
    );
    assess(&mut store, weak, s, Stance::None, Some("2024"), &[]);
    let stance = format!("strategy:{s}:stance");
    let evidence = format!("strategy:{s}:evidence");
    let dims = ["chips:rules3a090", stance.as_str(), evidence.as_str()];
    let out = export_everywhere(&mut store, dir.path(), &[weak, bare], &dims);

    // A chip below every threshold: "none met", a known result.
    assert_eq!(out.xlsx[1][1], NONE_MET_3A090);
    assert_eq!(out.wide[1][1], NONE_MET_3A090);
    // A recorded stance of none is "None"; a firm never assessed is not recorded.
    assert_eq!(out.xlsx[1][2], vocabulary::stance_label(Stance::None));
    assert_eq!(out.xlsx[2][2], NOT_RECORDED);
    assert_eq!(
        out.xlsx[2][1], NOT_APPLICABLE,
        "no chips: the figures do not arise"
    );
    assert_eq!(
        out.wide[2][3], NOT_APPLICABLE,
        "no assessment: no evidence to count"
    );
    assert!(out.markdown.contains(&format!("*{NOT_RECORDED}*")));
    for text in [
        format!("{:?}{:?}{:?}", out.xlsx, out.wide, out.long),
        out.markdown,
    ] {
        for old in OLD_WORDS {
            assert!(!text.contains(old), "{old:?} in {text}");
        }
    }
}

#[test]
fn the_3a090_words_come_from_the_vocabulary() {
    let below = metrics::chip_metrics(Some(100.0), Some(8), Some(800.0));
    assert_eq!(below.rules_summary, NONE_MET_3A090);
    let no_area = metrics::chip_metrics(Some(300.0), Some(8), None);
    assert_eq!(
        no_area.rules_summary,
        format!(
            "{NONE_MET_3A090}; a.2, b.1, b.2 {}: {}",
            vocabulary::UNDETERMINED_3A090,
            vocabulary::UNDETERMINED_WHY
        )
    );
}

#[test]
fn brackets_are_reference_numbers_and_counts_are_words() {
    assert_eq!(reference_marks(&[1, 3], 8), "[1] [3]");
    assert_eq!(reference_marks(&[], 8), "");
    assert_eq!(
        reference_marks(&(1..=11).collect::<Vec<_>>(), 8),
        "[1] [2] [3] [4] [5] [6] [7] [8] and 3 more"
    );
    assert_eq!(source_count(1), "1 source");
    assert_eq!(source_count(3), "3 sources");
    assert_eq!(source_count(0), "0 sources");
}

#[test]
fn a_snapshot_exported_with_the_old_words_reports_no_change() {
    let (dir, path) = temp_workspace();
    let (mut store, _) =
        chipwatch_core::workspace::open_or_init(&path, chipwatch_core::workspace::Seed::Empty)
            .unwrap();
    let s = strategy(&mut store, "In-house chips");
    let unlisted = firm(&mut store, "Unlisted", None, None);
    let selection = ComparisonSelection {
        firm_ids: vec![unlisted],
        dimensions: vec![format!("strategy:{s}:stance"), "profile:listings".into()],
        filters: ComparisonFilters::default(),
    };
    let comparison = saved::save(
        &mut store,
        None,
        None,
        &ComparisonDraft {
            name: "Watch list".into(),
            selection: selection.clone(),
        },
    )
    .unwrap();
    export::export(
        &mut store,
        &ExportRequest {
            selection: selection.clone(),
            saved_id: Some(comparison.id),
            format: ExportFormat::Markdown,
            path: dir.path().join("first.md").display().to_string(),
            include_changes: true,
        },
    )
    .unwrap();
    // As an export before the one vocabulary stored it.
    drop(store);
    let changed = raw_connection(&path)
        .execute(
            "UPDATE comparison_snapshots SET snapshot_json = replace(snapshot_json,
               '[\"not recorded\",\"not recorded\"]', '[\"unknown\",\"none recorded\"]')",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let stored: String = raw_connection(&path)
        .query_row("SELECT snapshot_json FROM comparison_snapshots", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(stored.contains("none recorded"), "{stored}");
    let store = Store::open(&path).unwrap();
    let report = export::changes(&store, comparison.id, &selection)
        .unwrap()
        .unwrap();
    assert_eq!(report.changes, Vec::new(), "the old words mean the new one");
}

/// `text` with its comments (`<!-- -->`, `/* */`, `// …`) blanked, line
/// breaks kept: a comment may name a word, a screen may not type it.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let opener = ["<!--", "/*", "//"]
            .iter()
            .filter_map(|o| rest.find(o).map(|at| (at, *o)))
            .min();
        let Some((at, opener)) = opener else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..at]);
        let body = &rest[at..];
        // A line comment ends before its line break, the others after their closer.
        let end = match opener {
            "<!--" => body.find("-->").map_or(body.len(), |e| e + 3),
            "/*" => body.find("*/").map_or(body.len(), |e| e + 2),
            _ => body.find('\n').unwrap_or(body.len()),
        };
        out.extend(
            body[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &body[end..];
    }
    out
}

/// Every .svelte and .ts file of the UI, but the generated ones.
fn ui_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src");
    let mut found = Vec::new();
    let mut pending = vec![root];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let generated =
                ["bindings.ts", "commands.ts", "vocabulary.ts"].contains(&name.as_str());
            let source = name.ends_with(".svelte") || name.ends_with(".ts");
            if source && !generated && !name.ends_with(".test.ts") {
                found.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    found
}

#[test]
fn no_screen_types_its_own_word_for_these_meanings() {
    // What a screen would show if it typed a word instead of importing it
    // from ui/src/lib/vocabulary.ts (generated from vocabulary.rs).
    let typed = [
        ">unknown<",
        "none recorded",
        "Not known",
        "\"not recorded\"",
        ">not recorded<",
        "\"n/a\"",
        ">n/a<",
        "\"none met\"",
        ">None<",
        "noneLabel=\"None\"",
        "\"None\"",
        "\"—\"",
        "No export-control listings recorded",
        "Not stated",
        "\"(empty)\"",
        // A count of sources in brackets.
        "[{cell.sources.length}]",
    ];
    assert_eq!(
        without_comments("a // >None<\n<!-- \"n/a\"\n -->b /* x */>n/a<"),
        "a          \n          \n    b        >n/a<"
    );
    let sources = ui_sources();
    assert!(sources.len() > 50, "the UI's sources are found");
    let mut offending = Vec::new();
    for (path, text) in &sources {
        for (number, line) in without_comments(text).lines().enumerate() {
            for word in typed {
                if line.contains(word) {
                    offending.push(format!("{path}:{}: {word} in {}", number + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offending.is_empty(),
        "use the words of ui/src/lib/vocabulary.ts:\n{}",
        offending.join("\n")
    );
}

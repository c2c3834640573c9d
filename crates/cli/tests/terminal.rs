//! Stored text reaching a terminal (src/terminal.rs): control characters from a
//! workspace or a file are shown escaped in human output, never sent raw, while
//! `--json` keeps the text exact.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use std::path::Path;
use std::process::Output;

/// OSC 52: some terminals write its payload to the clipboard.
const OSC52: &str = "\x1b]52;c;SGVsbG8=\x07";
/// A title with a clipboard write, a colour, a right-to-left override, a C1 CSI,
/// and everything else a user types (Chinese, quotes, a comma, emoji).
const HOSTILE: &str =
    "华为 \"Ascend\", 'q' \x1b]52;c;SGVsbG8=\x07\x1b[31m红\u{202e}txt.exe\u{9b}2J 🚀";
/// What the title looks like on the terminal.
const SHOWN: &str =
    "华为 \"Ascend\", 'q' \\u{1b}]52;c;SGVsbG8=\\u{7}\\u{1b}[31m红\\u{202e}txt.exe\\u{9b}2J 🚀";

/// Fails unless `text` holds no character a terminal would act on (a line
/// break and a tab, which a note body keeps, are harmless).
fn assert_inert(what: &str, text: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect();
    assert!(raw.is_empty(), "{what} prints {raw:?} raw:\n{text}");
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    stdout(out)
}

/// A CSV of three sources: the hostile title, one with a line break, and a
/// row whose bad address (holding ESC) is a problem.
fn import_hostile(dir: &Path, path: &Path) -> String {
    let csv = dir.join("sources.csv");
    let quoted = HOSTILE.replace('"', "\"\"");
    std::fs::write(
        &csv,
        format!(
            "Title,Url,Date\n\"{quoted}\",https://example.org/a,2023-10-17\n\
             \"Second, with\nline break\",https://example.org/b,2024\n\
             Rejected,\"javascript:\x1b[2Jalert(1)\",2024\n"
        ),
    )
    .unwrap();
    ok(&chipwatch(
        path,
        &["import", "sources", csv.to_str().unwrap()],
    ))
}

#[test]
fn control_characters_in_stored_text_print_escaped() {
    let (dir, path) = initialised();
    let report = import_hostile(dir.path(), &path);
    assert_inert("import", &report);
    assert!(
        report.contains("[javascript:\\u{1b}[2Jalert(1)]"),
        "the problem shows the value escaped: {report}"
    );

    let listed = ok(&chipwatch(&path, &["list", "sources"]));
    assert_inert("list sources", &listed);
    assert!(listed.contains(SHOWN), "{listed}");

    let found = ok(&chipwatch(&path, &["search", "txt", "--kind", "source"]));
    assert_inert("search", &found);
    assert!(found.contains(SHOWN), "{found}");

    // Scripts get the text exactly as stored.
    let rows = json(&chipwatch(&path, &["list", "sources", "--json"]));
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|s| s["title"] == HOSTILE),
        "{rows}"
    );
    let hits = json(&chipwatch(
        &path,
        &["search", "txt", "--kind", "source", "--json"],
    ));
    assert_eq!(hits[0]["title"], HOSTILE, "{hits}");

    let note = ok(&chipwatch(
        &path,
        &[
            "note",
            "add",
            "--title",
            HOSTILE,
            "--body",
            &format!("First line {OSC52}\n\tindented \u{2067}line\u{2069}, 🚀"),
            "--tag",
            "\x1b[5m闪\x7f",
        ],
    ));
    assert_inert("note add", &note);
    let id = note
        .split_whitespace()
        .nth(2)
        .unwrap()
        .trim_end_matches(':');
    let shown = ok(&chipwatch(&path, &["note", "show", id]));
    assert_inert("note show", &shown);
    assert!(shown.starts_with(&format!("{SHOWN}\n")), "{shown}");
    assert!(shown.contains("tags: \\u{1b}[5m闪\\u{7f}"), "{shown}");
    assert!(
        shown.ends_with(
            "First line \\u{1b}]52;c;SGVsbG8=\\u{7}\n\tindented \\u{2067}line\\u{2069}, 🚀\n"
        ),
        "a body keeps its line breaks and tabs: {shown}"
    );

    let notes = ok(&chipwatch(&path, &["list", "notes"]));
    assert_inert("list notes", &notes);

    let source_id = json(&chipwatch(&path, &["list", "sources", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == HOSTILE)
        .unwrap()["id"]
        .to_string();
    let would = chipwatch(&path, &["delete", "source", &source_id]);
    assert_inert("delete", &stdout(&would));
    assert!(stdout(&would).contains(SHOWN), "{}", stdout(&would));
    let deleted = ok(&chipwatch(
        &path,
        &["delete", "source", &source_id, "--yes"],
    ));
    assert_inert("delete --yes", &deleted);
    let trash = ok(&chipwatch(&path, &["trash", "list"]));
    assert_inert("trash list", &trash);
    assert!(trash.contains(SHOWN), "{trash}");
}

#[test]
fn a_row_of_a_listing_stays_one_line_whatever_the_title_holds() {
    let (dir, path) = initialised();
    import_hostile(dir.path(), &path);
    let listed = ok(&chipwatch(&path, &["list", "sources"]));
    let rows = json(&chipwatch(&path, &["list", "sources", "--json"]));
    assert_eq!(
        listed.lines().count(),
        rows.as_array().unwrap().len(),
        "{listed}"
    );
    assert!(listed.contains("Second, with\\nline break"), "{listed}");
}

#[test]
fn names_of_comparisons_files_and_errors_print_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("工作区 \x1b[8m\u{202e}.db");
    for command in [&["init"][..], &["backup"], &["backups"], &["check"]] {
        let out = ok(&chipwatch(&path, command));
        assert_inert(command[0], &out);
        assert!(out.contains("工作区 \\u{1b}[8m\\u{202e}.db"), "{out}");
    }

    let saved = ok(&chipwatch(
        &path,
        &["compare", "save", HOSTILE, "--firms", "Huawei"],
    ));
    assert_inert("compare save", &saved);
    let listed = ok(&chipwatch(&path, &["compare", "list"]));
    assert_inert("compare list", &listed);
    assert!(listed.contains(SHOWN), "{listed}");

    let refused = chipwatch(&path, &["compare", "delete", OSC52]);
    assert_eq!(refused.status.code(), Some(1));
    assert_inert("an error", &stderr(&refused));
    assert!(
        stderr(&refused).contains("'\\u{1b}]52;c;SGVsbG8=\\u{7}'"),
        "{}",
        stderr(&refused)
    );
}

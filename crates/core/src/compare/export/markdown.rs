//! A Markdown report: the table with note markers, numbered source notes, and
//! the changes since the last export when asked for.

use std::fmt::Write as _;

use super::{firm_label, ChangeKind, Document};
use crate::compare::CellState;
use crate::validate;
use crate::vocabulary::{NOT_APPLICABLE, NOT_RECORDED};

/// Text safe inside a table cell: a pipe, a backslash or a bracket cannot
/// break the table or start a link; line breaks become `<br>`; `<` cannot open HTML.
fn cell_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '|' | '[' | ']' | '*' | '_' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            _ => out.push(c),
        }
    }
    out
}

/// A web address (see `validate::is_web_address`) as an autolink: characters
/// that would end it are percent-encoded.
fn autolink(url: &str) -> String {
    let mut out = String::from("<");
    for c in url.chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            ' ' => out.push_str("%20"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('>');
    out
}

fn table_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        out.push_str(cell);
        out.push_str(" |");
    }
    out.push('\n');
}

pub(super) fn report(doc: &Document) -> String {
    let matrix = &doc.matrix;
    let mut out = String::new();
    let (window, stale) = doc.filters_text();
    let _ = writeln!(out, "# {}\n", cell_text(&doc.title));
    let _ = writeln!(
        out,
        "Exported {} from {} by Chipwatch {}. Counts of sources, notes and events: {}. Stale (marked *stale*): {}. \
         3A090 figures are estimates from the chip figures entered.\n",
        doc.exported_at,
        cell_text(&doc.workspace),
        env!("CARGO_PKG_VERSION"),
        cell_text(&window),
        cell_text(&stale),
    );
    // The words of the table, as vocabulary.rs defines them.
    let _ = writeln!(
        out,
        "*{NOT_RECORDED}*: the workspace holds no value for it. *{NOT_APPLICABLE}*: does not apply to the firm. \
         {}: source n under Sources below.\n",
        cell_text("[n]"),
    );

    let mut header = vec!["Firm".to_owned()];
    header.extend(matrix.dimensions.iter().map(|d| cell_text(&d.label)));
    table_row(&mut out, &header);
    table_row(&mut out, &vec!["---".to_owned(); header.len()]);
    for (firm, row) in matrix.firms.iter().zip(&matrix.rows) {
        let mut cells = vec![cell_text(&firm_label(firm))];
        for cell in row {
            let mut text = match cell.state {
                CellState::Known => cell_text(&cell.display()),
                CellState::NotRecorded | CellState::NotApplicable => {
                    format!("*{}*", cell_text(&cell.display()))
                }
            };
            let markers = doc.markers(&cell.sources);
            if !markers.is_empty() {
                // Escaped brackets: "[1] [3]" must not read as link references.
                let _ = write!(text, " {}", cell_text(&markers));
            }
            if cell.stale {
                text.push_str(" *stale*");
            }
            cells.push(text);
        }
        table_row(&mut out, &cells);
    }

    if !doc.sources.is_empty() {
        out.push_str("\n## Sources\n\n");
        for (index, source) in doc.sources.iter().enumerate() {
            let mut line = format!("{}. {}", index + 1, cell_text(source.title.trim()));
            for part in [&source.authors, &source.publisher, &source.published_on]
                .into_iter()
                .flatten()
            {
                let _ = write!(line, ", {}", cell_text(part));
            }
            line.push('.');
            if let Some(url) = source.url.as_deref().map(str::trim) {
                // Only a web address is a link: a tampered workspace may hold
                // javascript: or file: ones, shown as plain text.
                if validate::is_web_address(url) {
                    let _ = write!(line, " {}", autolink(url));
                } else {
                    let _ = write!(line, " {}", cell_text(url));
                }
            }
            if let Some(doi) = &source.doi {
                let _ = write!(line, " doi:{}", cell_text(doi));
            }
            let grades = match (&source.reliability, source.credibility) {
                (Some(r), Some(c)) => format!(" Reliability {r}, credibility {c}."),
                (Some(r), None) => format!(" Reliability {r}."),
                (None, Some(c)) => format!(" Credibility {c}."),
                (None, None) => String::new(),
            };
            line.push_str(&cell_text(&grades));
            out.push_str(&line);
            out.push('\n');
        }
    }

    if let Some(changes) = &doc.changes {
        match changes {
            None => out.push_str(
                "\n## Changes\n\nFirst export of this comparison: nothing to compare with yet.\n",
            ),
            Some(report) if report.changes.is_empty() => {
                let _ = write!(
                    out,
                    "\n## Changes since {}\n\nNothing changed since the last export.\n",
                    report.since
                );
            }
            Some(report) => {
                let _ = write!(out, "\n## Changes since {}\n\n", report.since);
                table_row(
                    &mut out,
                    &["Firm", "Dimension", "Change", "Before", "Now"].map(String::from),
                );
                table_row(&mut out, &vec!["---".to_owned(); 5]);
                for change in &report.changes {
                    let kind = match change.kind {
                        ChangeKind::Added => "added",
                        ChangeKind::Changed => "changed",
                        ChangeKind::Removed => "removed",
                    };
                    table_row(
                        &mut out,
                        &[
                            cell_text(&change.firm),
                            cell_text(&change.dimension),
                            kind.to_owned(),
                            cell_text(change.old_value.as_deref().unwrap_or("")),
                            cell_text(change.new_value.as_deref().unwrap_or("")),
                        ],
                    );
                }
            }
        }
    }
    out
}

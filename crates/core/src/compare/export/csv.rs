//! CSV for spreadsheets: UTF-8 with a BOM (so Excel reads Chinese), CRLF,
//! every field quoted, and formula injection neutralised.

use std::collections::HashMap;

use super::{firm_label, Document};
use crate::compare::ComparisonCell;
use crate::model::Id;

const BOM: &str = "\u{feff}";

/// A cell that a spreadsheet would run as a formula (it begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading `'`, as OWASP
/// recommends; a plain number such as "-3.5" or "+1e3" is left as it is.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// An optional sign, digits with at most one point, an optional exponent.
fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole)
        && fraction.is_none_or(digits)
        && (!whole.is_empty() || fraction.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

fn push_field(line: &mut String, text: &str) {
    if !line.is_empty() && !line.ends_with('\n') {
        line.push(',');
    }
    line.push('"');
    line.push_str(&neutralise(text).replace('"', "\"\""));
    line.push('"');
}

fn push_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    let mut line = String::new();
    for field in fields {
        push_field(&mut line, field);
    }
    out.push_str(&line);
    out.push_str("\r\n");
}

/// Any table as spreadsheet CSV, the same way as the comparison sheets:
/// BOM, CRLF, every field quoted and neutralised.
pub fn table(rows: &[Vec<String>]) -> String {
    let mut out = String::from(BOM);
    for row in rows {
        push_row(&mut out, row.iter().map(String::as_str));
    }
    out
}

/// A cell's number as a spreadsheet reads it ("6016", "7", "0.5"); the value
/// itself ("not recorded", "n/a") when it has none.
fn number_or_value(cell: &ComparisonCell) -> String {
    match cell.number {
        Some(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
        Some(n) if n.is_finite() => n.to_string(),
        _ => cell.value.clone(),
    }
}

/// The titles of the sources a cell cites, "; " between, in citation order.
fn source_titles(document: &Document, titles: &HashMap<Id, &str>, cell: &ComparisonCell) -> String {
    let mut cited: Vec<(usize, &str)> = cell
        .sources
        .iter()
        .filter_map(|id| Some((*document.numbers.get(id)?, *titles.get(id)?)))
        .collect();
    cited.sort_unstable();
    cited.dedup();
    cited
        .iter()
        .map(|(_, title)| *title)
        .collect::<Vec<_>>()
        .join("; ")
}

fn titles_of(document: &Document) -> HashMap<Id, &str> {
    document
        .sources
        .iter()
        .map(|s| (s.id, s.title.as_str()))
        .collect()
}

/// One row per firm and a column per dimension, as on screen, so that a
/// spreadsheet can sort and sum: a numeric dimension's column holds the
/// number alone, what it rests on (the chip) goes in a column beside it, and
/// the sources behind each dimension in a column of their own.
pub(super) fn wide(document: &Document) -> Vec<u8> {
    let matrix = &document.matrix;
    let titles = titles_of(document);
    let column = |d: usize, take: &dyn Fn(&ComparisonCell) -> bool| {
        matrix.rows.iter().any(|row| row.get(d).is_some_and(take))
    };
    // Per dimension: whether it gets a "based on" and a "sources" column.
    let extra: Vec<(bool, bool)> = (0..matrix.dimensions.len())
        .map(|d| {
            (
                column(d, &|c| c.detail.is_some()),
                column(d, &|c| !c.sources.is_empty()),
            )
        })
        .collect();
    let mut out = String::from(BOM);
    let mut header = vec!["Firm".to_owned()];
    for (dimension, (based_on, sourced)) in matrix.dimensions.iter().zip(&extra) {
        header.push(dimension.label.clone());
        if *based_on {
            header.push(format!("{}: based on", dimension.label));
        }
        if *sourced {
            header.push(format!("{}: sources", dimension.label));
        }
    }
    push_row(&mut out, header.iter().map(String::as_str));
    for (firm, row) in matrix.firms.iter().zip(&matrix.rows) {
        let mut fields = vec![firm_label(firm)];
        for ((dimension, cell), (based_on, sourced)) in
            matrix.dimensions.iter().zip(row).zip(&extra)
        {
            fields.push(if dimension.numeric {
                number_or_value(cell)
            } else {
                cell.value.clone()
            });
            if *based_on {
                fields.push(cell.detail.clone().unwrap_or_default());
            }
            if *sourced {
                fields.push(source_titles(document, &titles, cell));
            }
        }
        push_row(&mut out, fields.iter().map(String::as_str));
    }
    out.into_bytes()
}

/// One row per cell: firm, dimension, value, its number and what it rests on
/// (numeric dimensions), as_of, and the titles of its sources ("; " between).
pub(super) fn long(document: &Document) -> Vec<u8> {
    let matrix = &document.matrix;
    let titles = titles_of(document);
    let mut out = String::from(BOM);
    push_row(
        &mut out,
        [
            "firm",
            "dimension",
            "value",
            "number",
            "based_on",
            "as_of",
            "sources",
        ],
    );
    for (firm, row) in matrix.firms.iter().zip(&matrix.rows) {
        let label = firm_label(firm);
        for (dimension, cell) in matrix.dimensions.iter().zip(row) {
            let number = if dimension.numeric && cell.number.is_some() {
                number_or_value(cell)
            } else {
                String::new()
            };
            let sources = source_titles(document, &titles, cell);
            push_row(
                &mut out,
                [
                    label.as_str(),
                    dimension.label.as_str(),
                    cell.value.as_str(),
                    number.as_str(),
                    cell.detail.as_deref().unwrap_or_default(),
                    cell.as_of.as_deref().unwrap_or_default(),
                    sources.as_str(),
                ],
            );
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_and_formulas_are_neutralised() {
        for plain in [
            "-3.5", "+1", "42", "-0.5e-3", ".5", "-.5", "1.", "hello", "",
        ] {
            assert_eq!(neutralise(plain), plain, "{plain:?}");
        }
        for risky in [
            "=1+2", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\r=x", "-", "+", "-e5", "-1e", "--1",
            "-inf", "-NaN",
        ] {
            assert_eq!(neutralise(risky), format!("'{risky}"), "{risky:?}");
        }
    }
}

//! CSV for spreadsheets: UTF-8 with a BOM (so Excel reads Chinese), CRLF,
//! every field quoted, and formula injection neutralised.

use super::firm_label;
use crate::compare::ComparisonMatrix;

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

/// One row per firm, one column per dimension, as on screen.
pub(super) fn wide(matrix: &ComparisonMatrix) -> Vec<u8> {
    let mut out = String::from(BOM);
    let header: Vec<&str> = std::iter::once("Firm")
        .chain(matrix.dimensions.iter().map(|d| d.label.as_str()))
        .collect();
    push_row(&mut out, header);
    for (firm, row) in matrix.firms.iter().zip(&matrix.rows) {
        let label = firm_label(firm);
        let values: Vec<String> = row.iter().map(|c| c.display()).collect();
        push_row(
            &mut out,
            std::iter::once(label.as_str()).chain(values.iter().map(String::as_str)),
        );
    }
    out.into_bytes()
}

/// One row per cell: firm, dimension, value, as_of, sources (ids, "; " between).
pub(super) fn long(matrix: &ComparisonMatrix) -> Vec<u8> {
    let mut out = String::from(BOM);
    push_row(&mut out, ["firm", "dimension", "value", "as_of", "sources"]);
    for (firm, row) in matrix.firms.iter().zip(&matrix.rows) {
        let label = firm_label(firm);
        for (dimension, cell) in matrix.dimensions.iter().zip(row) {
            let value = cell.display();
            let sources = cell
                .sources
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            push_row(
                &mut out,
                [
                    label.as_str(),
                    dimension.label.as_str(),
                    value.as_str(),
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

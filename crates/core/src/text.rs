//! Small conversions between domain values and what SQLite stores or takes.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The stored text of a unit enum: its serde name (`Stance::Active` → "active").
pub fn enum_text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}

/// Reads a unit enum back from its stored text; the CHECK constraints keep it valid.
pub fn parse_enum<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

/// Now, as stored: UTC RFC 3339 to the second.
pub fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Reads column `index` of `row` as a unit enum stored by [`enum_text`].
pub fn column_enum<T: DeserializeOwned>(
    row: &rusqlite::Row<'_>,
    index: usize,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse_enum(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown value '{text}'").into(),
        )
    })
}

/// Splits a `group_concat(x, ',')` of ids back into ids.
pub fn id_list(text: Option<String>) -> Vec<i64> {
    text.map(|t| t.split(',').filter_map(|s| s.parse().ok()).collect())
        .unwrap_or_default()
}

/// SQLite's LIMIT: -1 means no limit.
pub(crate) fn sql_limit(limit: Option<usize>) -> i64 {
    limit
        .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
        .unwrap_or(-1)
}

/// A count as messages write it: 4000 → "4,000".
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

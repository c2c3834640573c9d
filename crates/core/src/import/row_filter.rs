//! Rows left out by a value (`--where provider_type=organization`, the
//! wizard's "Only rows where"): a file that mixes countries with firms imports
//! the firms. Conditions are ANDed; a cell matches after trimming, ignoring
//! case. Rows left out are counted in the report, never called problems.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::input::Record;
use crate::error::{Error, Result};

/// Whether a column's value must be, or must not be, the one given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowTest {
    #[default]
    Is,
    IsNot,
}

/// One condition a row must meet to be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RowCondition {
    /// The column's header as the file has it (case does not matter).
    pub column: String,
    pub test: RowTest,
    /// Compared with the cell after trimming both, ignoring case; blank
    /// matches an empty cell.
    pub value: String,
}

impl RowCondition {
    /// `COLUMN=VALUE` or `COLUMN!=VALUE`, as `--where` takes it.
    pub fn parse(text: &str) -> Result<RowCondition> {
        let Some(at) = text.find('=') else {
            return Err(Error::invalid(
                "where",
                format!("'{text}' is not COLUMN=VALUE or COLUMN!=VALUE; write e.g. provider_type=organization"),
            ));
        };
        let (column, test) = match text[..at].strip_suffix('!') {
            Some(column) => (column, RowTest::IsNot),
            None => (&text[..at], RowTest::Is),
        };
        let column = column.trim();
        if column.is_empty() {
            return Err(Error::invalid(
                "where",
                format!(
                    "'{text}' names no column; write COLUMN=VALUE, e.g. provider_type=organization"
                ),
            ));
        }
        Ok(RowCondition {
            column: column.to_owned(),
            test,
            value: text[at + 1..].trim().to_owned(),
        })
    }
}

/// The conditions resolved against a file's headers.
#[derive(Debug, Default)]
pub(crate) struct RowFilter {
    /// (column index, must equal, lower-cased value)
    conditions: Vec<(usize, bool, String)>,
}

impl RowFilter {
    /// A column the file does not have is an error naming the ones it has.
    pub fn new(conditions: &[RowCondition], headers: &[String]) -> Result<RowFilter> {
        let mut resolved = Vec::with_capacity(conditions.len());
        for condition in conditions {
            let wanted = condition.column.trim();
            let index = headers
                .iter()
                .position(|h| h == wanted)
                .or_else(|| {
                    let lower = wanted.to_lowercase();
                    headers.iter().position(|h| h.to_lowercase() == lower)
                })
                .ok_or_else(|| {
                    let listed: Vec<String> = headers
                        .iter()
                        .take(LISTED_HEADERS)
                        .map(|h| format!("'{h}'"))
                        .collect();
                    let more = headers.len().saturating_sub(LISTED_HEADERS);
                    let more = if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    };
                    Error::invalid(
                        "where",
                        format!(
                            "the file has no column '{wanted}'; its columns are {}{more}",
                            listed.join(", ")
                        ),
                    )
                })?;
            resolved.push((
                index,
                condition.test == RowTest::Is,
                condition.value.trim().to_lowercase(),
            ));
        }
        Ok(RowFilter {
            conditions: resolved,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// True when the row meets every condition (a missing cell is empty).
    pub fn keeps(&self, record: &Record) -> bool {
        self.conditions.iter().all(|(column, equal, value)| {
            let cell = record.get(*column).unwrap_or_default().trim();
            let same = if cell.is_ascii() {
                cell.eq_ignore_ascii_case(value)
            } else {
                cell.to_lowercase() == *value
            };
            same == *equal
        })
    }
}

/// Headers an error names before "and N more".
const LISTED_HEADERS: usize = 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_text_is_read_as_is_or_is_not() {
        let is =
            RowCondition::parse("provider_type = organization ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (is.column.as_str(), is.test, is.value.as_str()),
            ("provider_type", RowTest::Is, "organization")
        );
        let not = RowCondition::parse("kind!=country").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((not.column.as_str(), not.test), ("kind", RowTest::IsNot));
        let blank = RowCondition::parse("country=").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(blank.value, "");
        assert!(RowCondition::parse("no equals sign").is_err());
        assert!(RowCondition::parse("=value").is_err());
    }

    #[test]
    fn an_unknown_column_names_the_columns_the_file_has() {
        let headers = vec!["provider_name".to_owned(), "provider_type".to_owned()];
        let condition = RowCondition::parse("type=organization").unwrap_or_else(|e| panic!("{e}"));
        let message = RowFilter::new(&[condition], &headers)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("no column 'type'"), "{message}");
        assert!(
            message.contains("'provider_name', 'provider_type'"),
            "{message}"
        );
        let condition = RowCondition::parse("PROVIDER_TYPE=x").unwrap_or_else(|e| panic!("{e}"));
        assert!(RowFilter::new(&[condition], &headers).is_ok());
    }
}

//! Partial dates: an analyst often knows only "2023" or "October 2023".
//! Stored as ISO text ("2023", "2023-10", "2023-10-17") so that SQLite sorts and
//! compares them correctly; a less precise date sorts before a more precise one
//! in the same period.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartialDate {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
}

impl FromStr for PartialDate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let bad = || {
            format!("'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2023, 2023-10, 2023-10-17)")
        };
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y] if digits(y, 4) => y.parse().map(PartialDate::Year).map_err(|_| bad()),
            [y, m] if digits(y, 4) && digits(m, 2) => {
                let year = y.parse().map_err(|_| bad())?;
                let month: u32 = m.parse().map_err(|_| bad())?;
                if (1..=12).contains(&month) {
                    Ok(PartialDate::Month(year, month))
                } else {
                    Err(bad())
                }
            }
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map(PartialDate::Day)
                    .map_err(|_| bad())
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

/// Checks an optional partial date typed into `field`, returning its canonical text.
pub fn parse_optional(field: &str, text: Option<&str>) -> Result<Option<String>, Error> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t
            .parse::<PartialDate>()
            .map(|d| Some(d.to_string()))
            .map_err(|m| Error::invalid(field, m)),
    }
}

//! Partial dates: an analyst often knows only "2023" or "October 2023".
//! Stored as ISO text ("2023", "2023-10", "2023-10-17") so that SQLite sorts and
//! compares them correctly; a less precise date sorts before a more precise one
//! in the same period. Shown as "2023", "Oct 2023", "17 Oct 2023"
//! ([`PartialDate::shown`]; the UI's formatter is tested against it).

use std::fmt;
use std::str::FromStr;

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate};

use crate::error::Error;

/// Month names as the app shows them ("Oct 2023").
const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialDate {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
}

impl PartialDate {
    /// (year, month, day) with 0 for what is not known, so that a less precise
    /// date sorts first within its period: 2023 < 2023-10 < 2023-10-17 < 2024.
    fn calendar_key(&self) -> (i32, u32, u32) {
        match *self {
            PartialDate::Year(y) => (y, 0, 0),
            PartialDate::Month(y, m) => (y, m, 0),
            PartialDate::Day(d) => (d.year(), d.month(), d.day()),
        }
    }

    /// As the app shows it: "2023", "Oct 2023", "17 Oct 2023". The UI's
    /// `formatDate` is tested against it (bindings.rs).
    pub fn shown(&self) -> String {
        let month_name = |m: u32| SHORT_MONTHS[(m as usize).clamp(1, 12) - 1];
        match *self {
            PartialDate::Year(y) => format!("{y:04}"),
            PartialDate::Month(y, m) => format!("{} {y:04}", month_name(m)),
            PartialDate::Day(d) => {
                format!("{} {} {:04}", d.day(), month_name(d.month()), d.year())
            }
        }
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.calendar_key().cmp(&other.calendar_key())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
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

/// How precise a stored date column must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// YYYY, YYYY-MM or YYYY-MM-DD: what an analyst knows of when something happened.
    Partial,
    /// YYYY-MM-DD only: a day the analyst was there, such as when a page was accessed.
    Day,
}

/// Every date column of the schema with the precision it must hold. The same rule
/// is enforced by SQL triggers (migration 0003) and reported by `workspace::check`.
/// Texts on both sides of the date rule: the store's SQL triggers and the
/// UI's date reader (via bindings.ts) are tested against what [`PartialDate`]
/// makes of each, so the three cannot drift apart.
pub const RULE_SAMPLES: &[&str] = &[
    "2023",
    "2023-10",
    "2023-10-17",
    "2024-02-29",
    "0001-01-01",
    "2023-02-29",
    "2023-02-30",
    "2023-04-31",
    "2023-13",
    "2023-00",
    "2023-10-00",
    "2023-13-45",
    "9999-99-99",
    "yesterday",
    "2023-1-5",
    " 2023",
    "2023-10-17 ",
    "2023-10-17T00:00",
    "20231017",
    "2023/10/17",
    "二〇二三",
    "",
];

/// How precise a text is as a partial date ("year", "month", "day"), or
/// `None` when it is not one.
pub fn precision_of(text: &str) -> Option<&'static str> {
    text.parse::<PartialDate>().ok().map(|date| match date {
        PartialDate::Year(_) => "year",
        PartialDate::Month(..) => "month",
        PartialDate::Day(_) => "day",
    })
}

pub const DATE_COLUMNS: &[(&str, &str, Precision)] = &[
    ("sources", "published_on", Precision::Partial),
    ("sources", "accessed_on", Precision::Day),
    ("export_control_listings", "listed_on", Precision::Partial),
    ("assessments", "as_of", Precision::Partial),
    ("chips", "announced_on", Precision::Partial),
    ("events", "occurred_on", Precision::Partial),
];

impl Precision {
    /// Parses `text` at this precision; the error says what to write instead.
    pub fn parse(self, text: &str) -> Result<PartialDate, String> {
        let date = text.parse::<PartialDate>()?;
        match (self, date) {
            (Precision::Day, PartialDate::Year(_) | PartialDate::Month(..)) => Err(format!(
                "'{}' is not a full date; write YYYY-MM-DD (e.g. 2023-10-17)",
                text.trim()
            )),
            _ => Ok(date),
        }
    }

    /// The forms a date of this precision is written in.
    pub fn form(self) -> &'static str {
        match self {
            Precision::Partial => "YYYY, YYYY-MM or YYYY-MM-DD",
            Precision::Day => "YYYY-MM-DD",
        }
    }

    /// True when `stored` is exactly the canonical text of a date of this precision.
    pub fn accepts_stored(self, stored: &str) -> bool {
        self.parse(stored).is_ok_and(|d| d.to_string() == stored)
    }
}

/// Dates as stored and as shown, for the UI's formatter to be tested against
/// (bindings.rs: `DATE_DISPLAY_EXAMPLES`).
pub const DISPLAY_SAMPLES: &[&str] = &[
    "2023",
    "2023-01",
    "2023-10",
    "2023-12",
    "2019-05-16",
    "2023-10-07",
    "2024-02-29",
    "2026-12-31",
    "0001-01-01",
    "0999",
];

/// Checks an optional partial date typed into `field`, returning its canonical text.
pub fn parse_optional(field: &str, text: Option<&str>) -> Result<Option<String>, Error> {
    parse_optional_at(Precision::Partial, field, text)
}

/// Checks an optional date of the given precision typed into `field`.
pub fn parse_optional_at(
    precision: Precision,
    field: &str,
    text: Option<&str>,
) -> Result<Option<String>, Error> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => precision
            .parse(t)
            .map(|d| Some(d.to_string()))
            .map_err(|m| Error::invalid(field, m)),
    }
}

//! Partial dates: an analyst often knows only "2023" or "October 2023".
//! Stored as ISO text ("2023", "2023-10", "2023-10-17") so that SQLite sorts and
//! compares them correctly; a less precise date sorts before a more precise one
//! in the same period. Shown as "2023", "Oct 2023", "17 Oct 2023"
//! ([`PartialDate::shown`]; the UI's formatter is tested against it).
//!
//! Two rules: the stored one (`FromStr`, [`Precision::parse`], [`DATE_COLUMNS`],
//! the SQL triggers) accepts only the ISO text; the typed one ([`read`],
//! [`Precision::read`], [`DateField`]) accepts what people write, including
//! what the app shows, and every form, filter and import goes through it
//! before anything reaches the database.

use std::fmt;
use std::str::FromStr;

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate};

use crate::error::Error;

mod read;
pub use read::{read, NotADate};

/// Month names in full, as a citation writes them ("October 17").
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

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
    /// Whether this date says more than `other` (a day more than a month, a
    /// month more than a year): of several dates a record gives, the most
    /// precise one is kept.
    pub fn more_precise_than(&self, other: &PartialDate) -> bool {
        let rank = |date: &PartialDate| match date {
            PartialDate::Year(_) => 0,
            PartialDate::Month(..) => 1,
            PartialDate::Day(_) => 2,
        };
        rank(self) > rank(other)
    }

    /// (year, month, day) with 0 for what is not known, so that a less precise
    /// date sorts first within its period: 2023 < 2023-10 < 2023-10-17 < 2024.
    fn calendar_key(&self) -> (i32, u32, u32) {
        match *self {
            PartialDate::Year(y) => (y, 0, 0),
            PartialDate::Month(y, m) => (y, m, 0),
            PartialDate::Day(d) => (d.year(), d.month(), d.day()),
        }
    }

    /// As the app shows it: "2023", "Oct 2023", "17 Oct 2023". [`read`] reads
    /// it back, and the UI's `formatDate` is tested against it (bindings.rs).
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

/// How precise a date column or field must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// YYYY, YYYY-MM or YYYY-MM-DD: what an analyst knows of when something happened.
    Partial,
    /// YYYY-MM-DD only: a day the analyst was there, such as when a page was accessed.
    Day,
}

/// Texts on both sides of the stored date rule: the store's SQL triggers and the
/// UI's reader of stored dates (via bindings.ts) are tested against what
/// [`PartialDate`] makes of each, so the three cannot drift apart.
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

/// Every date column of the schema with the precision it must hold. The same rule
/// is enforced by SQL triggers (migration 0003) and reported by `workspace::check`.
pub const DATE_COLUMNS: &[(&str, &str, Precision)] = &[
    ("sources", "published_on", Precision::Partial),
    ("sources", "accessed_on", Precision::Day),
    ("export_control_listings", "listed_on", Precision::Partial),
    ("export_control_listings", "first_copy_on", Precision::Day),
    ("export_control_listings", "removed_on", Precision::Day),
    ("assessments", "as_of", Precision::Partial),
    ("chips", "announced_on", Precision::Partial),
    ("events", "occurred_on", Precision::Partial),
];

impl Precision {
    /// Parses `text`, in the stored form only, at this precision; the error
    /// says what to write instead. What people type goes through [`Self::read`].
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

    /// The forms a date of this precision is stored in.
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

    /// The forms to type a date of this precision in, as the app shows dates:
    /// what error messages and form hints suggest.
    pub fn typed_forms(self) -> &'static str {
        match self {
            Precision::Partial => "2023, Oct 2023 or 17 Oct 2023",
            Precision::Day => "17 Oct 2023",
        }
    }

    /// Reads a date as people type it (every form [`read`] knows, including
    /// what the app shows) at this precision. Blank is `Ok(None)`. The error
    /// quotes the text and says what to write, without naming a field:
    /// `"32 Oct 2023" is not a date (Oct 2023 has 31 days) — write 2023, Oct 2023 or 17 Oct 2023`.
    pub fn read(self, text: &str) -> Result<Option<PartialDate>, String> {
        let text = text.trim();
        let forms = self.typed_forms();
        let date = read(text).map_err(|why| match why {
            NotADate::Unreadable => format!("\"{text}\" is not a date — write {forms}"),
            NotADate::NoSuchDay { year, month } => format!(
                "\"{text}\" is not a date ({} has {} days) — write {forms}",
                PartialDate::Month(year, month).shown(),
                days_in(year, month)
            ),
            NotADate::Ambiguous(month_first, day_first) => format!(
                "\"{text}\" could be {} or {}: day and month cannot be told apart — write the one you mean as {} or {}",
                month_first.shown(),
                day_first.shown(),
                month_first.shown(),
                day_first.shown()
            ),
        })?;
        match (self, date) {
            (Precision::Day, Some(PartialDate::Year(_) | PartialDate::Month(..))) => Err(format!(
                "\"{text}\" is not a full date — write the day too, e.g. {forms}"
            )),
            _ => Ok(date),
        }
    }
}

/// How many days `month` of `year` has.
fn days_in(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&day| NaiveDate::from_ymd_opt(year, month, day).is_some())
        .unwrap_or(31)
}

/// A date field of a form or filter: its name (camelCase, as the drafts, the UI
/// and the CLI's errors name it), the label the form shows beside it, and the
/// precision it holds. Errors start with the label; bindings.rs hands the
/// labels and forms to the UI (`DATE_FIELDS`), so the form and its errors
/// cannot name the field differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateField {
    pub name: &'static str,
    pub label: &'static str,
    pub precision: Precision,
}

pub const PUBLISHED_ON: DateField = DateField {
    name: "publishedOn",
    label: "Published",
    precision: Precision::Partial,
};
pub const ACCESSED_ON: DateField = DateField {
    name: "accessedOn",
    label: "Accessed",
    precision: Precision::Day,
};
pub const LISTED_ON: DateField = DateField {
    name: "listedOn",
    label: "Listed on",
    precision: Precision::Partial,
};
pub const AS_OF: DateField = DateField {
    name: "asOf",
    label: "As of",
    precision: Precision::Partial,
};
pub const ANNOUNCED_ON: DateField = DateField {
    name: "announcedOn",
    label: "Announced",
    precision: Precision::Partial,
};
pub const OCCURRED_ON: DateField = DateField {
    name: "occurredOn",
    label: "Date",
    precision: Precision::Partial,
};
/// The start of a date window (search, comparisons).
pub const FROM: DateField = DateField {
    name: "from",
    label: "From",
    precision: Precision::Partial,
};
/// The end of a date window (search, comparisons).
pub const TO: DateField = DateField {
    name: "to",
    label: "To",
    precision: Precision::Partial,
};
/// The Sources list's window of publication dates.
pub const PUBLISHED_FROM: DateField = DateField {
    name: "publishedFrom",
    label: "Published from",
    precision: Precision::Partial,
};
pub const PUBLISHED_TO: DateField = DateField {
    name: "publishedTo",
    label: "Published to",
    precision: Precision::Partial,
};
/// A comparison's cutoff: evidence older than this is stale.
pub const STALE_BEFORE: DateField = DateField {
    name: "staleBefore",
    label: "Stale before",
    precision: Precision::Partial,
};

/// Every date field the app's forms and filters have.
pub const DATE_FIELDS: &[DateField] = &[
    PUBLISHED_ON,
    ACCESSED_ON,
    LISTED_ON,
    AS_OF,
    ANNOUNCED_ON,
    OCCURRED_ON,
    FROM,
    TO,
    PUBLISHED_FROM,
    PUBLISHED_TO,
    STALE_BEFORE,
];

impl DateField {
    /// What was typed into this field, as stored (canonical ISO text); blank is
    /// `None`. The error is invalid input for the field, its message starting
    /// with the label: `Listed on: "32 Oct 2023" is not a date (…) — write …`.
    pub fn read(&self, text: Option<&str>) -> Result<Option<String>, Error> {
        self.read_at(self.name, text)
    }

    /// [`Self::read`] for the field at `path` in a larger draft
    /// ("listings[2].listedOn", "selection.filters.from").
    pub fn read_at(&self, path: &str, text: Option<&str>) -> Result<Option<String>, Error> {
        self.precision
            .read(text.unwrap_or_default())
            .map(|date| date.map(|d| d.to_string()))
            .map_err(|message| Error::invalid(path, format!("{}: {message}", self.label)))
    }

    /// [`Self::read`] for a field that must be filled in.
    pub fn read_required(&self, text: &str) -> Result<String, Error> {
        self.read(Some(text))?.ok_or_else(|| {
            Error::invalid(
                self.name,
                format!(
                    "{} is required — write {}",
                    self.label,
                    self.precision.typed_forms()
                ),
            )
        })
    }
}

/// Reads `text` as typed into the date field named `name` (one of
/// [`DATE_FIELDS`]): the app checks a date as it is typed with this, before saving.
pub fn read_field(name: &str, text: &str) -> Result<Option<String>, Error> {
    let field = DATE_FIELDS
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| Error::invalid(name, "is not a date field"))?;
    field.read(Some(text))
}

/// Dates as stored and as shown, for the UI's formatter to be tested against
/// (bindings.rs: `DATE_DISPLAY_EXAMPLES`); [`read`] reads each shown text back.
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

/// Checks an optional partial date in the stored form (the default dataset),
/// returning its canonical text.
pub fn parse_optional(field: &str, text: Option<&str>) -> Result<Option<String>, Error> {
    parse_optional_at(Precision::Partial, field, text)
}

/// Checks an optional date of the given precision, in the stored form, given for `field`.
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

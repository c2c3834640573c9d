//! Dates as analysts write them in spreadsheets, read into the workspace's
//! partial dates (`date.rs`): 2023-10-17, 2023/10/17, 17.10.2023, 10/17/2023,
//! Oct 2023, October 17, 2023, 17 October 2023, 2023年10月17日, 2023年10月, 2023.
//! A day and month that could be either way round (03/04/2023) is refused with
//! both readings: guessing would silently misdate half of them.

use chrono::NaiveDate;

use crate::date::PartialDate;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Reads `text` as a (partial) date; the error says what to write instead.
/// Blank is `Ok(None)`.
pub fn parse(text: &str) -> Result<Option<PartialDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || {
        format!(
            "'{text}' is not a date Chipwatch can read; write it as 2023-10-17, 2023-10 or 2023"
        )
    };
    if let Some(date) = chinese(text) {
        return date.ok_or_else(bad).map(Some);
    }
    // Drop a time of day: "2023-10-17 08:12:33", "2023-10-17T08:12:33Z".
    let date_part = text
        .split(|c: char| c == 'T' || c.is_whitespace())
        .next()
        .unwrap_or(text);
    // What follows the date must be a time ("08:12:33"), not "October 2023".
    let rest = text[date_part.len()..].trim();
    if (rest.is_empty() || rest.contains(':'))
        && !date_part.is_empty()
        && date_part
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-/.".contains(&b))
    {
        return numeric(date_part, text).map(Some);
    }
    with_month_name(text).ok_or_else(bad).map(Some)
}

/// 2023, 2023-10, 2023-10-17, 2023/10/17, 17.10.2023, 10/17/2023 ...
fn numeric(date: &str, original: &str) -> Result<PartialDate, String> {
    let bad = || {
        format!("'{original}' is not a date Chipwatch can read; write it as 2023-10-17, 2023-10 or 2023")
    };
    let separator = date.bytes().find(|b| b"-/.".contains(b));
    let parts: Vec<&str> = match separator {
        Some(sep) => date.split(char::from(sep)).collect(),
        None => vec![date],
    };
    // Mixed separators (2023-10/17) are not a date.
    if let Some(sep) = separator {
        if parts
            .iter()
            .any(|p| p.bytes().any(|b| b"-/.".contains(&b) && b != sep))
        {
            return Err(bad());
        }
    }
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let year_of = |s: &str| -> Option<i32> {
        (s.len() == 4)
            .then(|| number(s))
            .flatten()
            .map(|y| y as i32)
    };
    match parts.as_slice() {
        [y] => year_of(y).map(PartialDate::Year).ok_or_else(bad),
        [y, m] if y.len() == 4 => {
            let (y, m) = (year_of(y).ok_or_else(bad)?, number(m).ok_or_else(bad)?);
            month(y, m).ok_or_else(bad)
        }
        // 10/2023
        [m, y] if y.len() == 4 => {
            let (y, m) = (year_of(y).ok_or_else(bad)?, number(m).ok_or_else(bad)?);
            month(y, m).ok_or_else(bad)
        }
        [y, m, d] if y.len() == 4 => {
            let y = year_of(y).ok_or_else(bad)?;
            day(y, number(m).ok_or_else(bad)?, number(d).ok_or_else(bad)?).ok_or_else(bad)
        }
        [a, b, y] if y.len() == 4 => {
            let y = year_of(y).ok_or_else(bad)?;
            let (a, b) = (number(a).ok_or_else(bad)?, number(b).ok_or_else(bad)?);
            // Dots are the European day.month.year.
            if separator == Some(b'.') {
                return day(y, b, a).ok_or_else(bad);
            }
            match (a > 12, b > 12) {
                (true, false) => day(y, b, a).ok_or_else(bad),
                (false, true) => day(y, a, b).ok_or_else(bad),
                (false, false) if a == b => day(y, a, b).ok_or_else(bad),
                (false, false) => {
                    let month_first = day(y, a, b);
                    let day_first = day(y, b, a);
                    match (month_first, day_first) {
                        (Some(m), Some(d)) => Err(format!(
                            "'{original}' could be {} or {}: day and month cannot be told apart. Write it as {} or {}",
                            long(m),
                            long(d),
                            m,
                            d
                        )),
                        _ => Err(bad()),
                    }
                }
                (true, true) => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

fn month(year: i32, month: u32) -> Option<PartialDate> {
    (1..=12)
        .contains(&month)
        .then_some(PartialDate::Month(year, month))
}

fn day(year: i32, month: u32, day: u32) -> Option<PartialDate> {
    NaiveDate::from_ymd_opt(year, month, day).map(PartialDate::Day)
}

/// "17 October 2023", for the ambiguity message.
fn long(date: PartialDate) -> String {
    match date {
        PartialDate::Day(d) => d.format("%-d %B %Y").to_string(),
        other => other.to_string(),
    }
}

/// 2023年10月17日, 2023年10月, 2023年 (日 or 号).
fn chinese(text: &str) -> Option<Option<PartialDate>> {
    let (year, rest) = text.split_once('年')?;
    let year: i32 = match year.trim().parse() {
        Ok(y) if year.trim().len() == 4 => y,
        _ => return Some(None),
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(Some(PartialDate::Year(year)));
    }
    let Some((m, rest)) = rest.split_once('月') else {
        return Some(None);
    };
    let Ok(m) = m.trim().parse::<u32>() else {
        return Some(None);
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(month(year, m));
    }
    let d = rest.trim_end_matches(['日', '号']).trim();
    Some(d.parse::<u32>().ok().and_then(|d| day(year, m, d)))
}

/// Oct 2023, October 2023, October 17, 2023, Oct. 17 2023, 17 October 2023, 2023 Oct 17.
fn with_month_name(text: &str) -> Option<PartialDate> {
    let tokens: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == '-' || c == '/')
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut month_number = None;
    let mut year = None;
    let mut day_number = None;
    for token in &tokens {
        // 17th, 1st, 2nd, 3rd
        let token = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|suffix| {
                token.strip_suffix(suffix).filter(|digits| {
                    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
                })
            })
            .unwrap_or(token);
        if let Some(index) = MONTHS.iter().position(|m| {
            token.len() >= 3 && (m.starts_with(token) || (token == "sept" && *m == "september"))
        }) {
            if month_number.replace(index as u32 + 1).is_some() {
                return None;
            }
        } else if token.len() == 4 && token.bytes().all(|b| b.is_ascii_digit()) {
            if year.replace(token.parse::<i32>().ok()?).is_some() {
                return None;
            }
        } else if (1..=2).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_digit()) {
            if day_number.replace(token.parse::<u32>().ok()?).is_some() {
                return None;
            }
        } else {
            return None;
        }
    }
    match (year?, month_number?, day_number) {
        (y, m, None) => month(y, m),
        (y, m, Some(d)) => day(y, m, d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_analysts_write() {
        let cases = [
            ("2023-10-17", "2023-10-17"),
            ("2023/10/17", "2023-10-17"),
            ("2023.10.17", "2023-10-17"),
            ("17.10.2023", "2023-10-17"),
            ("10/17/2023", "2023-10-17"),
            ("17/10/2023", "2023-10-17"),
            ("Oct 2023", "2023-10"),
            ("October 2023", "2023-10"),
            ("October 17, 2023", "2023-10-17"),
            ("Oct. 17, 2023", "2023-10-17"),
            ("17 October 2023", "2023-10-17"),
            ("2023年10月17日", "2023-10-17"),
            ("2023年10月", "2023-10"),
            ("2023年", "2023"),
            ("2023", "2023"),
            ("2023-10", "2023-10"),
            ("10/2023", "2023-10"),
            ("2023-10-17 08:12:33", "2023-10-17"),
            ("2023-10-17T08:12:33Z", "2023-10-17"),
            ("2023-1-5", "2023-01-05"),
            ("05/05/2023", "2023-05-05"),
        ];
        for (text, expected) in cases {
            let got = parse(text).map(|d| d.map(|d| d.to_string()));
            assert_eq!(got, Ok(Some(expected.to_owned())), "{text}");
        }
    }

    #[test]
    fn refuses_ambiguous_and_impossible_dates() {
        let ambiguous = parse("03/04/2023");
        assert!(
            matches!(&ambiguous, Err(m) if m.contains("3 April 2023") && m.contains("4 March 2023")),
            "{ambiguous:?}"
        );
        for bad in [
            "2023-02-30",
            "13/13/2023",
            "someday",
            "2023-13",
            "Smarch 2023",
            "20231017x",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse("  "), Ok(None));
    }
}

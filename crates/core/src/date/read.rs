//! Dates as people write them, read into partial dates: what the app shows
//! (2023, Oct 2023, 17 Oct 2023), the stored form (2023, 2023-10, 2023-10-17),
//! and what spreadsheets hold: 2023/10/17, 17.10.2023, 10/17/2023, October 17,
//! 2023, 17 October 2023, 2023年10月17日, 2023年10月, 2023年. Forms and imports
//! both read through here, so a date one accepts the other accepts too.
//! A day and month that could be either way round (03/04/2023) is refused with
//! both readings: guessing would silently misdate half of them.

use chrono::NaiveDate;

use super::PartialDate;

/// Why a text is not a date; [`super::Precision::read`] puts it in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotADate {
    /// Not a date in any form Chipwatch reads.
    Unreadable,
    /// A day its month does not have (30 Feb 2023, 2023-04-31, 32 Oct 2023).
    NoSuchDay { year: i32, month: u32 },
    /// Day and month cannot be told apart (03/04/2023): month first, day first.
    Ambiguous(PartialDate, PartialDate),
}

/// Reads `text` as a (partial) date. Blank is `Ok(None)`.
pub fn read(text: &str) -> Result<Option<PartialDate>, NotADate> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(date) = chinese(text) {
        return date.map(Some);
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
        return numeric(date_part).map(Some);
    }
    with_month_name(text).map(Some)
}

/// 2023, 2023-10, 2023-10-17, 2023/10/17, 17.10.2023, 10/17/2023 ...
fn numeric(date: &str) -> Result<PartialDate, NotADate> {
    use NotADate::Unreadable;
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
            return Err(Unreadable);
        }
    }
    let number = |s: &str| -> Result<u32, NotADate> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .ok_or(Unreadable)
    };
    let year_of = |s: &str| -> Result<i32, NotADate> {
        if s.len() == 4 {
            number(s).map(|y| y as i32)
        } else {
            Err(Unreadable)
        }
    };
    match parts.as_slice() {
        [y] => year_of(y).map(PartialDate::Year),
        // 2023-10, and 10/2023
        [y, m] | [m, y] if y.len() == 4 => month(year_of(y)?, number(m)?),
        [y, m, d] if y.len() == 4 => day(year_of(y)?, number(m)?, number(d)?),
        [a, b, y] if y.len() == 4 => {
            let y = year_of(y)?;
            let (a, b) = (number(a)?, number(b)?);
            // Dots are the European day.month.year.
            if separator == Some(b'.') {
                return day(y, b, a);
            }
            match (a > 12, b > 12) {
                (true, false) => day(y, b, a),
                (false, true) => day(y, a, b),
                (false, false) if a == b => day(y, a, b),
                (false, false) => match (day(y, a, b), day(y, b, a)) {
                    (Ok(month_first), Ok(day_first)) => {
                        Err(NotADate::Ambiguous(month_first, day_first))
                    }
                    _ => Err(Unreadable),
                },
                (true, true) => Err(Unreadable),
            }
        }
        _ => Err(Unreadable),
    }
}

fn month(year: i32, month: u32) -> Result<PartialDate, NotADate> {
    if (1..=12).contains(&month) {
        Ok(PartialDate::Month(year, month))
    } else {
        Err(NotADate::Unreadable)
    }
}

fn day(year: i32, month_number: u32, day: u32) -> Result<PartialDate, NotADate> {
    month(year, month_number)?;
    NaiveDate::from_ymd_opt(year, month_number, day)
        .map(PartialDate::Day)
        .ok_or(NotADate::NoSuchDay {
            year,
            month: month_number,
        })
}

/// 2023年10月17日, 2023年10月, 2023年 (日 or 号); `None` when there is no 年.
fn chinese(text: &str) -> Option<Result<PartialDate, NotADate>> {
    let (year, rest) = text.split_once('年')?;
    let number = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
            .ok_or(NotADate::Unreadable)
    };
    Some((|| {
        if year.trim().len() != 4 {
            return Err(NotADate::Unreadable);
        }
        let year = number(year)? as i32;
        let rest = rest.trim();
        if rest.is_empty() {
            return Ok(PartialDate::Year(year));
        }
        let (m, rest) = rest.split_once('月').ok_or(NotADate::Unreadable)?;
        let m = number(m)?;
        let rest = rest.trim();
        if rest.is_empty() {
            return month(year, m);
        }
        let d = rest.strip_suffix(['日', '号']).unwrap_or(rest);
        day(year, m, number(d)?)
    })())
}

/// Oct 2023, October 2023, October 17, 2023, Oct. 17 2023, 17 Oct 2023, 2023 Oct 17.
fn with_month_name(text: &str) -> Result<PartialDate, NotADate> {
    use NotADate::Unreadable;
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
        let all_digits = token.bytes().all(|b| b.is_ascii_digit());
        // A month's name or its first three letters or more ("Oct", "Sept").
        if let Some(index) = super::MONTH_NAMES.iter().position(|m| {
            let start = m.get(..token.len());
            token.len() >= 3
                && (start.is_some_and(|s| s.eq_ignore_ascii_case(token))
                    || (token == "sept" && *m == "September"))
        }) {
            if month_number.replace(index as u32 + 1).is_some() {
                return Err(Unreadable);
            }
        } else if token.len() == 4 && all_digits {
            let parsed = token.parse::<i32>().map_err(|_| Unreadable)?;
            if year.replace(parsed).is_some() {
                return Err(Unreadable);
            }
        } else if (1..=2).contains(&token.len()) && all_digits {
            let parsed = token.parse::<u32>().map_err(|_| Unreadable)?;
            if day_number.replace(parsed).is_some() {
                return Err(Unreadable);
            }
        } else {
            return Err(Unreadable);
        }
    }
    match (year, month_number, day_number) {
        (Some(y), Some(m), None) => month(y, m),
        (Some(y), Some(m), Some(d)) => day(y, m, d),
        _ => Err(Unreadable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Result<Option<String>, NotADate> {
        read(text).map(|d| d.map(|d| d.to_string()))
    }

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
            ("october 2023", "2023-10"),
            ("OCT 2023", "2023-10"),
            ("Sept 2023", "2023-09"),
            ("October 17, 2023", "2023-10-17"),
            ("Oct. 17, 2023", "2023-10-17"),
            ("17 October 2023", "2023-10-17"),
            ("17 Oct 2023", "2023-10-17"),
            ("17th Oct 2023", "2023-10-17"),
            ("1 Jan 0001", "0001-01-01"),
            ("29 Feb 2024", "2024-02-29"),
            ("2023年10月17日", "2023-10-17"),
            ("2023年10月17号", "2023-10-17"),
            ("2023年10月17", "2023-10-17"),
            ("2023年 10月 7日", "2023-10-07"),
            ("2023年10月", "2023-10"),
            ("2023年", "2023"),
            ("2023", "2023"),
            ("2023-10", "2023-10"),
            ("10/2023", "2023-10"),
            ("2023-10-17 08:12:33", "2023-10-17"),
            ("2023-10-17T08:12:33Z", "2023-10-17"),
            ("2023-1-5", "2023-01-05"),
            ("05/05/2023", "2023-05-05"),
            ("  Oct 2023  ", "2023-10"),
        ];
        for (text, expected) in cases {
            assert_eq!(iso(text), Ok(Some(expected.to_owned())), "{text}");
        }
        assert_eq!(iso("  "), Ok(None));
    }

    #[test]
    fn says_why_a_text_is_not_a_date() {
        let feb = NotADate::NoSuchDay {
            year: 2023,
            month: 2,
        };
        let oct = NotADate::NoSuchDay {
            year: 2023,
            month: 10,
        };
        for (text, expected) in [
            ("2023-02-30", feb),
            ("30 Feb 2023", feb),
            ("Feb 29, 2023", feb),
            ("2023年2月30日", feb),
            ("32 Oct 2023", oct),
            ("0 Oct 2023", oct),
            ("2023-10-00", oct),
            (
                "31.04.2023",
                NotADate::NoSuchDay {
                    year: 2023,
                    month: 4,
                },
            ),
        ] {
            assert_eq!(read(text), Err(expected), "{text}");
        }
        for text in [
            "13/13/2023",
            "someday",
            "2023-13",
            "2023-00",
            "Smarch 2023",
            "20231017x",
            "Oct",
            "17 Oct",
            "Oct Nov 2023",
            "2023 2024",
            "2023年13月",
            "二〇二三年",
            "23年10月",
            "2023-10/17",
            "1 2 3 2023",
        ] {
            assert_eq!(read(text), Err(NotADate::Unreadable), "{text}");
        }
        match read("03/04/2023") {
            Err(NotADate::Ambiguous(a, b)) => {
                assert_eq!(
                    (a.to_string(), b.to_string()),
                    ("2023-03-04".into(), "2023-04-03".into())
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

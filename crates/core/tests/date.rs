use chipwatch_core::date::{parse_optional, PartialDate};

#[test]
fn partial_dates_parse_and_print_canonically() {
    for text in ["2023", "2023-10", "2023-10-17", "2024-02-29"] {
        assert_eq!(
            text.parse::<PartialDate>().map(|d| d.to_string()),
            Ok(text.to_string())
        );
    }
    assert_eq!(
        " 2023-10 ".parse::<PartialDate>().map(|d| d.to_string()),
        Ok("2023-10".to_string())
    );
}

#[test]
fn invalid_dates_are_refused_with_the_expected_forms() {
    for text in [
        "2023-13",
        "2023-02-30",
        "2023-2-3",
        "Oct 2023",
        "23",
        "2023/10",
        "",
        "2023-10-17T00:00",
        "二〇二三",
    ] {
        let error = text.parse::<PartialDate>().expect_err(text);
        assert!(error.contains("YYYY-MM"), "{text}: {error}");
    }
}

#[test]
fn less_precise_dates_sort_first_within_their_period() {
    let mut dates: Vec<PartialDate> = ["2023-10-17", "2024", "2023", "2023-10"]
        .iter()
        .map(|t| t.parse().unwrap_or(PartialDate::Year(0)))
        .collect();
    dates.sort();
    let printed: Vec<String> = dates.iter().map(ToString::to_string).collect();
    assert_eq!(printed, ["2023", "2023-10", "2023-10-17", "2024"]);
}

#[test]
fn a_day_column_refuses_partial_dates_and_names_the_field() {
    use chipwatch_core::date::{parse_optional_at, Precision};
    assert_eq!(
        parse_optional_at(Precision::Day, "accessedOn", Some("2023-10-17")).ok(),
        Some(Some("2023-10-17".to_string()))
    );
    for partial in ["2023", "2023-10"] {
        let error = parse_optional_at(Precision::Day, "accessedOn", Some(partial))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.starts_with("accessedOn: "), "{error}");
        assert!(error.contains("YYYY-MM-DD"), "{error}");
    }
}

#[test]
fn optional_dates_name_the_field_at_fault() {
    assert_eq!(parse_optional("publishedOn", None).ok(), Some(None));
    assert_eq!(parse_optional("publishedOn", Some("  ")).ok(), Some(None));
    let error = parse_optional("publishedOn", Some("2023-13"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.starts_with("publishedOn: "), "{error}");
}

// ---- Dates as people type them (forms, filters, imports) ----------------------

use chipwatch_core::date::{self, DateField, Precision, DATE_FIELDS, DISPLAY_SAMPLES};
use chipwatch_core::Error;

/// The message of an invalid-input error, with the field it names.
fn refused(result: Result<Option<String>, Error>) -> (String, String) {
    match result {
        Err(Error::InvalidInput { field, message }) => (field, message),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn a_form_field_takes_what_the_app_shows_and_stores_iso() {
    for (typed, stored) in [
        ("Oct 2023", "2023-10"),
        ("October 2023", "2023-10"),
        ("17 Oct 2023", "2023-10-17"),
        ("17 October 2023", "2023-10-17"),
        ("2023年10月", "2023-10"),
        ("2023年10月17日", "2023-10-17"),
        ("2023", "2023"),
        ("2023-10", "2023-10"),
        ("2023-10-17", "2023-10-17"),
        (" 16 May 2019 ", "2019-05-16"),
        ("29 Feb 2024", "2024-02-29"),
    ] {
        assert_eq!(
            date::LISTED_ON.read(Some(typed)).ok(),
            Some(Some(stored.to_owned())),
            "{typed}"
        );
    }
    for blank in [None, Some(""), Some("   ")] {
        assert_eq!(date::LISTED_ON.read(blank).ok(), Some(None), "{blank:?}");
    }
}

#[test]
fn every_shown_date_reads_back_as_itself() {
    for stored in DISPLAY_SAMPLES {
        let date: PartialDate = stored.parse().expect(stored);
        let shown = date.shown();
        assert_eq!(
            date::read(&shown),
            Ok(Some(date)),
            "{stored} shown as {shown}"
        );
    }
    let shown: Vec<String> = ["2023", "2023-10", "2019-05-16", "2023-10-07"]
        .iter()
        .map(|t| {
            t.parse::<PartialDate>()
                .map(|d| d.shown())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(shown, ["2023", "Oct 2023", "16 May 2019", "7 Oct 2023"]);
    // Every day of a leap year and a common one, shown and read back.
    for year in [2023, 2024] {
        let mut day = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        while chrono::Datelike::year(&day) == year {
            let date = PartialDate::Day(day);
            assert_eq!(date::read(&date.shown()), Ok(Some(date)));
            day = day.succ_opt().unwrap();
        }
    }
}

#[test]
fn errors_name_the_field_by_its_label_and_say_what_to_write() {
    let (field, message) =
        refused(date::LISTED_ON.read_at("listings[0].listedOn", Some("32 Oct 2023")));
    assert_eq!(field, "listings[0].listedOn");
    assert_eq!(
        message,
        "Listed on: \"32 Oct 2023\" is not a date (Oct 2023 has 31 days) — write 2023, Oct 2023 or 17 Oct 2023"
    );
    let cases: [(DateField, &str, &str); 9] = [
        (
            date::AS_OF,
            "30 Feb 2023",
            "As of: \"30 Feb 2023\" is not a date (Feb 2023 has 28 days) — write 2023, Oct 2023 or 17 Oct 2023",
        ),
        (
            date::ANNOUNCED_ON,
            "2023-02-30",
            "Announced: \"2023-02-30\" is not a date (Feb 2023 has 28 days) — write 2023, Oct 2023 or 17 Oct 2023",
        ),
        (
            date::OCCURRED_ON,
            "2024年2月30日",
            "Date: \"2024年2月30日\" is not a date (Feb 2024 has 29 days) — write 2023, Oct 2023 or 17 Oct 2023",
        ),
        (
            date::PUBLISHED_ON,
            "2023年13月",
            "Published: \"2023年13月\" is not a date — write 2023, Oct 2023 or 17 Oct 2023",
        ),
        (
            date::PUBLISHED_ON,
            "二〇二三年",
            "Published: \"二〇二三年\" is not a date — write 2023, Oct 2023 or 17 Oct 2023",
        ),
        (
            date::PUBLISHED_ON,
            "Smarch 2023",
            "Published: \"Smarch 2023\" is not a date — write 2023, Oct 2023 or 17 Oct 2023",
        ),
        (
            date::ACCESSED_ON,
            "Oct 2023",
            "Accessed: \"Oct 2023\" is not a full date — write the day too, e.g. 17 Oct 2023",
        ),
        (
            date::ACCESSED_ON,
            "2023年10月",
            "Accessed: \"2023年10月\" is not a full date — write the day too, e.g. 17 Oct 2023",
        ),
        (
            date::FROM,
            "03/04/2023",
            "From: \"03/04/2023\" could be 4 Mar 2023 or 3 Apr 2023: day and month cannot be told apart — write the one you mean as 4 Mar 2023 or 3 Apr 2023",
        ),
    ];
    for (field, typed, expected) in cases {
        let (name, message) = refused(field.read(Some(typed)));
        assert_eq!(name, field.name, "{typed}");
        assert_eq!(message, expected, "{typed}");
    }
    // The day precision takes a day in any form.
    assert_eq!(
        date::ACCESSED_ON.read(Some("2023年10月17日")).ok(),
        Some(Some("2023-10-17".to_owned()))
    );
}

#[test]
fn a_required_date_says_so_with_the_forms() {
    assert_eq!(
        date::OCCURRED_ON.read_required("Dec 2024").ok(),
        Some("2024-12".to_owned())
    );
    let error = date::OCCURRED_ON.read_required("  ").unwrap_err();
    assert_eq!(
        error.to_string(),
        "occurredOn: Date is required — write 2023, Oct 2023 or 17 Oct 2023"
    );
}

#[test]
fn the_live_check_reads_by_field_name() {
    assert_eq!(
        date::read_field("announcedOn", "Oct 2023").ok(),
        Some(Some("2023-10".to_owned()))
    );
    assert_eq!(date::read_field("accessedOn", "").ok(), Some(None));
    let (field, message) = refused(date::read_field("accessedOn", "2023"));
    assert_eq!(field, "accessedOn");
    assert!(
        message.starts_with("Accessed: \"2023\" is not a full date"),
        "{message}"
    );
    let (field, _) = refused(date::read_field("title", "2023"));
    assert_eq!(field, "title");
}

#[test]
fn date_fields_have_distinct_names_and_labels() {
    for (i, a) in DATE_FIELDS.iter().enumerate() {
        for b in &DATE_FIELDS[i + 1..] {
            assert_ne!(a.name, b.name);
            assert_ne!(a.label, b.label);
        }
    }
    assert!(DATE_FIELDS
        .iter()
        .any(|f| f.name == "accessedOn" && f.precision == Precision::Day));
}

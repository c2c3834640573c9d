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

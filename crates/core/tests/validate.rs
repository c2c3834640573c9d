#![allow(clippy::unwrap_used, clippy::expect_used)]
use chipwatch_core::validate;
use chipwatch_core::Error;

fn field_of(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn web_addresses_need_a_scheme_and_a_host() {
    assert_eq!(
        validate::url(
            "url",
            Some(" https://www.reuters.com/technology/x?utm=1#p ")
        )
        .unwrap(),
        Some("https://www.reuters.com/technology/x?utm=1#p".to_string())
    );
    assert_eq!(validate::url("url", Some("  ")).unwrap(), None);
    for bad in [
        "www.reuters.com",
        "javascript:alert(1)",
        "https://",
        "http://a b.com",
        "ftp://x.org",
    ] {
        assert_eq!(field_of(validate::url("url", Some(bad))), "url", "{bad}");
    }
}

#[test]
fn a_web_address_with_a_control_character_is_refused() {
    // A form, an import or an export link would carry it to a browser or a terminal.
    for bad in [
        "https://example.org/\x1b]52;c;SGVsbG8=\x07",
        "https://example.org/报告\x7f",
        "HTTPS://example.org/\u{9b}31m",
    ] {
        assert_eq!(field_of(validate::url("url", Some(bad))), "url", "{bad:?}");
        assert!(!validate::is_web_address(bad), "{bad:?}");
    }
    assert!(validate::is_web_address(
        "HTTPS://Example.org/报告?q=\"华为\""
    ));
}

#[test]
fn dois_are_stored_bare_whatever_form_they_are_pasted_in() {
    for typed in [
        "10.1038/s41586-023-06004-9",
        "https://doi.org/10.1038/s41586-023-06004-9",
        "doi:10.1038/s41586-023-06004-9",
    ] {
        assert_eq!(
            validate::doi("doi", Some(typed)).unwrap().as_deref(),
            Some("10.1038/s41586-023-06004-9"),
            "{typed}"
        );
    }
    for bad in [
        "10.1/x",
        "11.1038/x",
        "10.1038/",
        "not a doi",
        "10.1038/a b",
    ] {
        assert_eq!(field_of(validate::doi("doi", Some(bad))), "doi", "{bad}");
    }
}

#[test]
fn numbers_must_be_positive_and_finite() {
    assert_eq!(
        validate::positive("dieAreaMm2", Some(826.0)).unwrap(),
        Some(826.0)
    );
    assert_eq!(validate::positive("dieAreaMm2", None).unwrap(), None);
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            field_of(validate::positive("dieAreaMm2", Some(bad))),
            "dieAreaMm2"
        );
    }
}

#[test]
fn countries_are_read_from_codes_and_names_as_two_letters() {
    for (typed, code) in [
        ("cn", "CN"),
        ("CHN", "CN"),
        ("China", "CN"),
        ("中国", "CN"),
        ("usa", "US"),
    ] {
        assert_eq!(
            validate::country("country", Some(typed))
                .unwrap()
                .as_deref(),
            Some(code),
            "{typed}"
        );
    }
    for bad in ["C", "C1", "XX", "Atlantis"] {
        assert_eq!(
            field_of(validate::country("country", Some(bad))),
            "country",
            "{bad}"
        );
    }
}

#[test]
fn name_lists_drop_blanks_and_case_duplicates_and_keep_order() {
    let typed = [
        "昇腾".to_string(),
        " Ascend ".into(),
        "".into(),
        "ascend".into(),
        "🚀 \"x\", y".into(),
    ];
    assert_eq!(
        validate::name_list("aliases", &typed).unwrap(),
        ["昇腾", "Ascend", "🚀 \"x\", y"]
    );
}

#[test]
fn a_name_list_holds_at_most_a_thousand_different_names() {
    // Case repeats do not count: 1,000 different names pass.
    let names: Vec<String> = (0..validate::MAX_NAMES)
        .flat_map(|n| [format!("tag {n}"), format!("TAG {n}")])
        .collect();
    assert_eq!(validate::name_list("tags", &names).unwrap().len(), 1_000);
    let too_many: Vec<String> = (0..5_000).map(|n| format!("tag {n}")).collect();
    let error = validate::name_list("tags", &too_many).unwrap_err();
    assert_eq!(
        error.to_string(),
        "tags: lists 5,000 different names; the limit is 1,000. Keep the ones that matter and leave the rest out"
    );
}

#[test]
fn required_text_is_trimmed_and_bounded() {
    assert_eq!(validate::required("name", "  华为 \n").unwrap(), "华为");
    assert_eq!(field_of(validate::required("name", " \n\t")), "name");
    let long = "字".repeat(validate::MAX_TEXT_CHARS + 1);
    assert_eq!(field_of(validate::text("summary", &long)), "summary");
    let fits = "字".repeat(10_000);
    assert_eq!(validate::text("summary", &fits).unwrap(), fits);
}

#[test]
fn only_http_and_https_web_addresses_may_be_opened_in_the_browser() {
    for good in [
        "https://www.reuters.com/technology/x?utm=1#p",
        " http://example.org ",
        "HTTPS://Example.org/报告?q=\"华为\"",
        "https://华为.com/产品",
        "https://example.org/a@b",
    ] {
        assert_eq!(
            validate::openable_web_address(good).unwrap(),
            good.trim(),
            "{good}"
        );
    }
    for bad in [
        "javascript:alert(1)",
        "JavaScript://example.org/%0Aalert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/x",
        "mailto:a@example.org",
        "https://exa mple.org",
        "https://example.org/a b",
        "https://",
        "//example.org",
        "example.org",
        "https://bank.com@evil.example/",
        "https://user:pass@example.org",
        "https://example.org\\@evil.example",
        "https://example.org/\u{202e}gpj.exe",
        "https://exa\u{200b}mple.org",
        "https://example.org/\nnext",
        "",
    ] {
        assert_eq!(
            field_of(validate::openable_web_address(bad)),
            "url",
            "{bad:?}"
        );
    }
}

#[test]
fn a_doi_opens_at_doi_org_with_the_characters_that_would_end_a_path_encoded() {
    assert_eq!(
        validate::doi_web_address("10.1038/s41586-023-06004-9").unwrap(),
        "https://doi.org/10.1038/s41586-023-06004-9"
    );
    assert_eq!(
        validate::doi_web_address("https://doi.org/10.1002/(SICI)1097-4571#x?y").unwrap(),
        "https://doi.org/10.1002/(SICI)1097-4571%23x%3Fy"
    );
    assert_eq!(
        validate::doi_web_address("10.1000/华为").unwrap(),
        "https://doi.org/10.1000/%E5%8D%8E%E4%B8%BA"
    );
    assert_eq!(
        field_of(validate::doi_web_address("javascript:alert(1)")),
        "doi"
    );
    assert_eq!(field_of(validate::doi_web_address("")), "doi");
}

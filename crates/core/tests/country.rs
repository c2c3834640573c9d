//! Countries as people write them (src/country.rs): ISO 3166-1 alpha-2 and
//! alpha-3 codes, English names (ISO short and long, common), Chinese names,
//! and the informal ones analysts use.

use chipwatch_core::country::alpha2;

#[test]
fn codes_of_two_and_three_letters_in_any_case() {
    for (typed, code) in [
        ("CN", "CN"),
        ("us", "US"),
        (" tw ", "TW"),
        ("CHN", "CN"),
        ("USA", "US"),
        ("JPN", "JP"),
        ("KOR", "KR"),
        ("TWN", "TW"),
        ("DEU", "DE"),
        ("NLD", "NL"),
        ("gbr", "GB"),
        ("HKG", "HK"),
    ] {
        assert_eq!(alpha2(typed), Some(code), "{typed}");
    }
}

#[test]
fn english_names_common_and_official_ignoring_case_and_punctuation() {
    for (typed, code) in [
        ("China", "CN"),
        ("CHINA", "CN"),
        ("People's Republic of China", "CN"),
        ("The People's Republic of China", "CN"),
        ("peoples republic of china", "CN"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("the united states of america", "US"),
        ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"),
        ("South Korea", "KR"),
        ("Korea (North)", "KP"),
        ("Taiwan", "TW"),
        ("Taiwan, Province of China", "TW"),
        ("Japan", "JP"),
        ("Germany", "DE"),
        ("Federal Republic of Germany", "DE"),
        ("Netherlands", "NL"),
        ("The Netherlands", "NL"),
        ("United Kingdom", "GB"),
        ("Russia", "RU"),
        ("Hong Kong", "HK"),
    ] {
        assert_eq!(alpha2(typed), Some(code), "{typed}");
    }
}

#[test]
fn chinese_names_simplified_and_traditional() {
    for (typed, code) in [
        ("中国", "CN"),
        ("中華人民共和國", "CN"),
        ("中华人民共和国", "CN"),
        ("美国", "US"),
        ("美國", "US"),
        ("日本", "JP"),
        ("韩国", "KR"),
        ("台湾", "TW"),
        ("臺灣", "TW"),
        ("德国", "DE"),
        ("荷兰", "NL"),
        ("英国", "GB"),
        ("香港", "HK"),
        ("新加坡", "SG"),
        ("以色列", "IL"),
    ] {
        assert_eq!(alpha2(typed), Some(code), "{typed}");
    }
}

#[test]
fn the_informal_names_analysts_wrote_before_still_work() {
    for (typed, code) in [
        ("PRC", "CN"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("中国大陆", "CN"),
        ("中国台湾", "TW"),
        ("Hong Kong", "HK"),
        ("Korea", "KR"),
    ] {
        assert_eq!(alpha2(typed), Some(code), "{typed}");
    }
}

#[test]
fn anything_else_is_no_country() {
    for typed in [
        "",
        "  ",
        "Atlantis",
        "XX",
        "ATL",
        "EU",
        "C",
        "organization",
        "🏭",
    ] {
        assert_eq!(alpha2(typed), None, "{typed}");
    }
}

//! Countries as people write them, read as ISO 3166-1 alpha-2 codes: "CN",
//! "CHN", "China", "People's Republic of China", "中国", "中華人民共和國"…
//!
//! The codes and names come from the `keshvar` crate (ISO 3166-1 with the
//! ISO short and long names, common English names and CLDR's Chinese names in
//! simplified and traditional script), so a list gains new countries and names
//! with the crate, not by hand. A few informal names analysts write that the
//! crate lacks ("PRC", "UK", "中国大陆") are added in [`INFORMAL_NAMES`].
//! Every place that takes a typed country (firm form, CLI flags, imports,
//! other helpers' lists) reads it through [`alpha2`], so the same words work
//! everywhere.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Names the crate does not carry, as analysts and research groups write them.
const INFORMAL_NAMES: [(&str, &str); 15] = [
    ("PRC", "CN"),
    ("中华人民共和国", "CN"),
    ("中華人民共和國", "CN"),
    ("中国大陆", "CN"),
    ("Mainland China", "CN"),
    ("中国台湾", "TW"),
    ("Republic of China", "TW"),
    ("中国香港", "HK"),
    ("中国澳门", "MO"),
    ("UK", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("Korea", "KR"),
    ("America", "US"),
    ("U.S.A.", "US"),
];

/// The Chinese names CLDR gives in these locales (simplified first).
const CHINESE_LOCALES: [&str; 4] = ["zh_CN", "zh", "zh_TW", "zh_HK"];

/// Every name and code known, as [`key`]s, to an index into `codes`.
struct Table {
    codes: Vec<String>,
    by_key: HashMap<String, usize>,
}

/// The ISO 3166-1 alpha-2 code of a country written as its alpha-2 or
/// alpha-3 code, its English name (ISO short or long, or common: "South
/// Korea", "Korea, Republic of", "Taiwan") or its Chinese name (中国, 美国,
/// 台灣). Case, spaces and punctuation do not matter; a leading "the" neither.
/// None for anything else (a blank, "Atlantis", "EU").
pub fn alpha2(text: &str) -> Option<&'static str> {
    let table = table();
    let key = key(text);
    if key.is_empty() {
        return None;
    }
    let found = table.by_key.get(&key).or_else(|| {
        key.strip_prefix("the")
            .and_then(|rest| table.by_key.get(rest))
    })?;
    table.codes.get(*found).map(String::as_str)
}

/// How a name is compared: lower case, letters and digits only.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Built once per process from the crate (a few milliseconds).
fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let countries: Vec<keshvar::Country> = keshvar::CountryIterator::new().collect();
        let mut table = Table {
            codes: countries.iter().map(|c| c.alpha2().to_string()).collect(),
            by_key: HashMap::new(),
        };
        let index_of: HashMap<String, usize> = table
            .codes
            .iter()
            .enumerate()
            .map(|(index, code)| (code.clone(), index))
            .collect();
        // In order of trust: a name one tier gives never replaces an earlier
        // tier's (the crate's other-language "unofficial" names come last).
        let add = |table: &mut Table, name: &str, index: usize| {
            let key = key(name);
            if !key.is_empty() {
                table.by_key.entry(key).or_insert(index);
            }
        };
        for (index, country) in countries.iter().enumerate() {
            add(&mut table, &country.alpha2().to_string(), index);
        }
        for (index, country) in countries.iter().enumerate() {
            add(&mut table, &country.alpha3().to_string(), index);
        }
        for (index, country) in countries.iter().enumerate() {
            add(&mut table, country.iso_short_name(), index);
            let long = country.iso_long_name();
            add(&mut table, long, index);
            add(&mut table, long.strip_prefix("The ").unwrap_or(long), index);
            if let Some(english) = country.translations().get("en") {
                add(&mut table, english, index);
            }
        }
        for locale in CHINESE_LOCALES {
            for (index, country) in countries.iter().enumerate() {
                if let Some(name) = country.translations().get(locale) {
                    add(&mut table, name, index);
                }
            }
        }
        for (name, code) in INFORMAL_NAMES {
            if let Some(&index) = index_of.get(code) {
                add(&mut table, name, index);
            }
        }
        for (index, country) in countries.iter().enumerate() {
            for name in country.unofficial_name_list() {
                add(&mut table, name, index);
            }
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_is_found_by_its_own_codes_and_names() {
        for country in keshvar::CountryIterator::new() {
            let code = country.alpha2().to_string();
            let mut names = vec![
                country.alpha3().to_string(),
                country.iso_short_name().to_owned(),
            ];
            names.extend(country.translations().get("en").map(|n| (*n).to_owned()));
            names.extend(country.translations().get("zh_CN").map(|n| (*n).to_owned()));
            for name in names {
                assert_eq!(alpha2(&name), Some(code.as_str()), "{name}");
            }
        }
    }

    #[test]
    fn the_informal_names_name_countries_the_crate_knows() {
        for (name, code) in INFORMAL_NAMES {
            assert_eq!(alpha2(name), Some(code), "{name}");
        }
    }
}

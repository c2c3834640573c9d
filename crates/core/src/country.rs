//! Countries as people write them, to ISO 3166-1 alpha-2 codes.
// Interim: the firm import's list of names; replaced by the country table.

/// The ISO alpha-2 code of a country written as a code or a name.
pub fn alpha2(text: &str) -> Option<&'static str> {
    crate::import::country_code_of(text)
}

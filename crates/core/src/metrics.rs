//! ECCN 3A090 figures from the October 2023 rule, estimated from a chip's entered specs.
//! TPP = dense TOPS x bit width of the operation; performance density = TPP / die area (mm²).

use crate::model::ChipMetrics;

pub const RULE_A1: &str = "3A090.a.1";
pub const RULE_A2: &str = "3A090.a.2";
pub const RULE_B1: &str = "3A090.b.1";
pub const RULE_B2: &str = "3A090.b.2";

// The thresholds of the paragraphs, in TPP and performance density (TPP / mm²).
// The UI's chip chart draws the same lines from THRESHOLDS_3A090, which
// `make bindings` generates from these (bindings.rs).
/// 3A090.a.1: TPP at or above this.
pub const A1_MIN_TPP: f64 = 4800.0;
/// 3A090.a.2: TPP at or above this and density at or above [`A2_MIN_DENSITY`].
pub const A2_MIN_TPP: f64 = 1600.0;
pub const A2_MIN_DENSITY: f64 = 5.92;
/// 3A090.b.1: TPP from this up to [`A1_MIN_TPP`], density from
/// [`B1_MIN_DENSITY`] up to [`A2_MIN_DENSITY`].
pub const B1_MIN_TPP: f64 = 2400.0;
pub const B1_MIN_DENSITY: f64 = 1.6;
/// 3A090.b.2: TPP at or above this, density from [`B2_MIN_DENSITY`] up to [`A2_MIN_DENSITY`].
pub const B2_MIN_TPP: f64 = 1600.0;
pub const B2_MIN_DENSITY: f64 = 3.2;

/// Each paragraph and its condition, as the app explains it (the UI's rule
/// text is generated from this by `make bindings`).
pub fn rule_conditions() -> [(&'static str, String); 4] {
    [
        (RULE_A1, format!("TPP ≥ {A1_MIN_TPP}")),
        (
            RULE_A2,
            format!("TPP ≥ {A2_MIN_TPP} and performance density ≥ {A2_MIN_DENSITY}"),
        ),
        (
            RULE_B1,
            format!(
                "{B1_MIN_TPP} ≤ TPP < {A1_MIN_TPP} and {B1_MIN_DENSITY} ≤ performance density < {A2_MIN_DENSITY}"
            ),
        ),
        (
            RULE_B2,
            format!(
                "TPP ≥ {B2_MIN_TPP} and {B2_MIN_DENSITY} ≤ performance density < {A2_MIN_DENSITY}"
            ),
        ),
    ]
}

pub fn chip_metrics(
    peak_dense_tops: Option<f64>,
    bit_width: Option<i64>,
    die_area_mm2: Option<f64>,
) -> ChipMetrics {
    let tpp = match (peak_dense_tops, bit_width) {
        (Some(tops), Some(bits)) => Some(tops * bits as f64),
        _ => None,
    };
    let performance_density = match (tpp, die_area_mm2) {
        (Some(tpp), Some(area)) if area > 0.0 => Some(tpp / area),
        _ => None,
    };
    let rules_met = tpp
        .map(|tpp| rules_met(tpp, performance_density))
        .unwrap_or_default();
    let rules_undetermined = tpp
        .map(|tpp| rules_undetermined(tpp, performance_density))
        .unwrap_or_default();
    let rules_summary = summary(tpp.is_some(), &rules_met, &rules_undetermined);
    ChipMetrics {
        tpp,
        performance_density,
        rules_met,
        rules_undetermined,
        rules_summary,
    }
}

/// Why a paragraph could not be decided: its density condition needs the die
/// area, and none was entered.
pub use crate::vocabulary::UNDETERMINED_WHY;
use crate::vocabulary::{NONE_MET_3A090, UNDETERMINED_3A090};

/// The paragraphs that depend on performance density, when the density is not
/// known and the TPP condition of the paragraph holds: neither met nor missed.
pub fn rules_undetermined(tpp: f64, density: Option<f64>) -> Vec<String> {
    if density.is_some() {
        return Vec::new();
    }
    let mut rules = Vec::new();
    if tpp >= A2_MIN_TPP {
        rules.push(RULE_A2);
    }
    if (B1_MIN_TPP..A1_MIN_TPP).contains(&tpp) {
        rules.push(RULE_B1);
    }
    if tpp >= B2_MIN_TPP {
        rules.push(RULE_B2);
    }
    rules.into_iter().map(String::from).collect()
}

/// The 3A090 estimate in words (vocabulary.rs), the same on every screen and
/// in every export: "3A090.a.1", "none met", "none met; a.2, b.2
/// undetermined: no die area", or "" when the figures give no TPP at all.
pub fn summary(has_tpp: bool, met: &[String], undetermined: &[String]) -> String {
    if !has_tpp {
        return String::new();
    }
    let met = if met.is_empty() {
        NONE_MET_3A090.to_owned()
    } else {
        met.join(", ")
    };
    if undetermined.is_empty() {
        return met;
    }
    let short: Vec<&str> = undetermined
        .iter()
        .map(|rule| rule.strip_prefix("3A090.").unwrap_or(rule))
        .collect();
    format!(
        "{met}; {} {UNDETERMINED_3A090}: {UNDETERMINED_WHY}",
        short.join(", ")
    )
}

/// The 3A090 paragraphs a chip meets. Paragraphs that need density are only
/// reported when the die area is known.
pub fn rules_met(tpp: f64, density: Option<f64>) -> Vec<String> {
    let mut rules = Vec::new();
    if tpp >= A1_MIN_TPP {
        rules.push(RULE_A1);
    }
    if let Some(d) = density {
        if tpp >= A2_MIN_TPP && d >= A2_MIN_DENSITY {
            rules.push(RULE_A2);
        }
        if (B1_MIN_TPP..A1_MIN_TPP).contains(&tpp) && (B1_MIN_DENSITY..A2_MIN_DENSITY).contains(&d)
        {
            rules.push(RULE_B1);
        }
        if tpp >= B2_MIN_TPP && (B2_MIN_DENSITY..A2_MIN_DENSITY).contains(&d) {
            rules.push(RULE_B2);
        }
    }
    rules.into_iter().map(String::from).collect()
}

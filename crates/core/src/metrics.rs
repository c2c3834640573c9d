//! ECCN 3A090 figures from the October 2023 rule, estimated from a chip's entered specs.
//! TPP = dense TOPS x bit width of the operation; performance density = TPP / die area (mm²).

use crate::model::ChipMetrics;

pub const RULE_A1: &str = "3A090.a.1";
pub const RULE_A2: &str = "3A090.a.2";
pub const RULE_B1: &str = "3A090.b.1";
pub const RULE_B2: &str = "3A090.b.2";

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
    ChipMetrics {
        tpp,
        performance_density,
        rules_met,
    }
}

/// The 3A090 paragraphs a chip meets. Paragraphs that need density are only
/// reported when the die area is known.
pub fn rules_met(tpp: f64, density: Option<f64>) -> Vec<String> {
    let mut rules = Vec::new();
    if tpp >= 4800.0 {
        rules.push(RULE_A1);
    }
    if let Some(d) = density {
        if tpp >= 1600.0 && d >= 5.92 {
            rules.push(RULE_A2);
        }
        if (2400.0..4800.0).contains(&tpp) && (1.6..5.92).contains(&d) {
            rules.push(RULE_B1);
        }
        if tpp >= 1600.0 && (3.2..5.92).contains(&d) {
            rules.push(RULE_B2);
        }
    }
    rules.into_iter().map(String::from).collect()
}

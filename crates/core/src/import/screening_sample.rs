//! A deterministic file shaped as the US Consolidated Screening List CSV for
//! benchmarks (`benches/screening_list.rs`): the 29 columns trade.gov publishes,
//! organisations on the Entity List, the Military End-User List, the
//! Unverified List and OFAC's SDN list (with Chinese alternative names and
//! several addresses), people and vessels to skip. Copy 2 is the same list a
//! few weeks on: about 1% of parties gone, 1% new, 1% with a second Federal
//! Register citation. Made-up parties, not the real list.

use std::io::{self, Write};

use crate::sample::Rng;

/// The CSL's header, in its order.
pub const CSL_HEADERS: [&str; 29] = [
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
];

const LISTS: [(&str, usize); 4] = [
    ("Entity List (EL) - Bureau of Industry and Security", 70),
    (
        "Military End User (MEU) List - Bureau of Industry and Security",
        10,
    ),
    ("Unverified List (UVL) - Bureau of Industry and Security", 5),
    (
        "Specially Designated Nationals (SDN) - Treasury Department",
        15,
    ),
];
const WORDS: [&str; 12] = [
    "Advanced",
    "Micro",
    "Photonics",
    "Quantum",
    "Semiconductor",
    "Aerospace",
    "Precision",
    "Intelligent",
    "Optical",
    "Computing",
    "Materials",
    "Systems",
];
const ZH_WORDS: [&str; 8] = [
    "先进",
    "微电子",
    "光子",
    "量子",
    "半导体",
    "航天",
    "精密",
    "智能",
];
const PLACES: [(&str, &str); 6] = [
    ("Pudong New Area, Shanghai", "CN"),
    ("Haidian District, Beijing", "CN"),
    ("Nanshan District, Shenzhen, Guangdong", "CN"),
    ("Kowloon, Hong Kong", "HK"),
    ("Zelenograd, Moscow", "RU"),
    ("Jebel Ali, Dubai", "AE"),
];

/// Writes copy 1 or 2 of a list with `parties` parties; returns the bytes written.
pub fn write_screening_list_csv(
    mut out: impl Write,
    parties: usize,
    seed: u64,
    copy: u8,
) -> io::Result<u64> {
    let mut written = 0u64;
    let mut writer_line = |line: &str, out: &mut dyn Write| -> io::Result<()> {
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        Ok(())
    };
    writer_line(&format!("{}\n", CSL_HEADERS.join(",")), &mut out)?;
    let mut cells: Vec<String> = vec![String::new(); CSL_HEADERS.len()];
    let mut line = String::with_capacity(2048);
    let total = if copy == 2 {
        parties + parties / 100
    } else {
        parties
    };
    for n in 0..total {
        // The same party draws the same values in both copies.
        let mut rng = Rng::new(seed ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        if copy == 2 && n < parties && n % 97 == 13 {
            continue; // gone from the newer copy
        }
        for cell in cells.iter_mut() {
            cell.clear();
        }
        let roll = rng.below(100);
        let mut at = 0;
        let list = LISTS
            .iter()
            .find(|(_, share)| {
                at += share;
                roll < at
            })
            .map_or(LISTS[0].0, |(name, _)| name);
        let kind = match rng.below(100) {
            0..=59 => "Entity",
            60..=89 => "Individual",
            _ => "Vessel",
        };
        let (place, country) = PLACES[rng.below(PLACES.len())];
        cells[0] = format!("p{n}");
        cells[1] = list.to_owned();
        cells[3] = kind.to_owned();
        cells[7] = format!(
            "No. {} Science Road, {place}, {country}",
            1 + rng.below(900)
        );
        if rng.below(4) == 0 {
            let (other, other_country) = PLACES[rng.below(PLACES.len())];
            cells[7].push_str(&format!(
                "; Building {}, {other}, {other_country}",
                1 + rng.below(40)
            ));
        }
        match kind {
            "Individual" => cells[5] = format!("ZHANG, Wei {n}"),
            "Vessel" => {
                cells[5] = format!("OCEAN STAR {n}");
                cells[15] = "Crude Oil Tanker".into();
            }
            _ => {
                cells[5] = format!(
                    "{} {} {} Co., Ltd. {n}",
                    WORDS[rng.below(WORDS.len())],
                    WORDS[rng.below(WORDS.len())],
                    WORDS[rng.below(WORDS.len())]
                );
                if rng.below(3) == 0 {
                    cells[5].push_str(", and any successor, sub-unit, or subsidiary thereof");
                }
                cells[22] = format!(
                    "{}{}科技有限公司{n}; {} Tech {n}",
                    ZH_WORDS[rng.below(ZH_WORDS.len())],
                    ZH_WORDS[rng.below(ZH_WORDS.len())],
                    WORDS[rng.below(WORDS.len())]
                );
            }
        }
        let year = 2015 + rng.below(11);
        cells[8] = format!("{} FR {}", year - 1935, 10_000 + rng.below(80_000));
        if copy == 2 && n % 89 == 7 {
            cells[8].push_str(&format!(
                ", {} FR {}",
                year - 1934,
                10_000 + rng.below(80_000)
            ));
        }
        cells[9] = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
        if list.starts_with("Entity") {
            cells[12] = "For all items subject to the EAR. (See §744.11 of the EAR).".into();
            cells[13] = "Presumption of denial.".into();
        }
        line.clear();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            if cell.contains([',', '"', '\n']) {
                line.push('"');
                line.push_str(&cell.replace('"', "\"\""));
                line.push('"');
            } else {
                line.push_str(cell);
            }
        }
        line.push('\n');
        writer_line(&line, &mut out)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_two_drops_and_adds_about_one_percent() {
        let count = |copy| {
            let mut bytes = Vec::new();
            write_screening_list_csv(&mut bytes, 1000, 7, copy).unwrap();
            String::from_utf8(bytes).unwrap().lines().count() - 1
        };
        assert_eq!(count(1), 1000);
        let second = count(2);
        assert!((995..=1005).contains(&second), "{second}");
    }
}

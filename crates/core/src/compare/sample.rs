//! Made-up firms for comparison benchmarks and tests: many firms, each with a
//! profile, assessments with evidence, chips with figures and sources,
//! listings and events, citing the workspace's sources (e.g. those of
//! `sample::generate`). Deterministic: the same spec writes the same rows.

use rusqlite::{params, Connection, OptionalExtension};

use crate::chips::{self, ChipRow};
use crate::error::Result;
use crate::firms::{self, FirmRow};
use crate::model::{ChipPurpose, FirmKind, Id};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirmSampleSpec {
    pub firms: usize,
    /// Strategies added until the workspace has at least this many.
    pub strategies: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FirmSampleSummary {
    pub firms: usize,
    pub strategies: usize,
    pub assessments: usize,
    pub chips: usize,
    pub events: usize,
}

/// Adds the firms in one transaction; returns their ids in order with a summary.
pub fn generate_firms(
    store: &mut Store,
    spec: &FirmSampleSpec,
) -> Result<(Vec<Id>, FirmSampleSummary)> {
    store.write(|tx| write(tx, spec))
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        // xorshift64*: fixed seed, no clock, so two runs write the same rows.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 33) as usize % n.max(1)
    }

    fn date(&mut self) -> String {
        let year = 2018 + self.below(8);
        match self.below(3) {
            0 => format!("{year}"),
            1 => format!("{year}-{:02}", 1 + self.below(12)),
            _ => format!("{year}-{:02}-{:02}", 1 + self.below(12), 1 + self.below(28)),
        }
    }
}

const STANCES: [&str; 4] = ["none", "exploring", "active", "leading"];
const COUNTRIES: [&str; 5] = ["CN", "US", "TW", "KR", "JP"];
const NODES: [f64; 7] = [3.0, 5.0, 7.0, 12.0, 14.0, 16.0, 28.0];
const EVENT_KINDS: [&str; 5] = ["regulation", "listing", "launch", "deal", "funding"];

fn write(conn: &Connection, spec: &FirmSampleSpec) -> Result<(Vec<Id>, FirmSampleSummary)> {
    let mut rng = Rng(spec.seed | 1);
    let mut summary = FirmSampleSummary::default();
    let now = "2025-01-01T00:00:00Z";

    let mut strategies: Vec<Id> = {
        let mut stmt = conn.prepare("SELECT id FROM strategies ORDER BY id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        ids.collect::<rusqlite::Result<_>>()?
    };
    let mut k = 1;
    while strategies.len() < spec.strategies {
        let name = format!("Sample strategy {k}");
        k += 1;
        let taken: Option<i64> = conn
            .query_row("SELECT 1 FROM strategies WHERE name = ?1", [&name], |r| {
                r.get(0)
            })
            .optional()?;
        if taken.is_none() {
            conn.execute(
                "INSERT INTO strategies (name, description) VALUES (?1, 'made up for benchmarks')",
                [&name],
            )?;
            strategies.push(conn.last_insert_rowid());
            summary.strategies += 1;
        }
    }

    let (min_source, max_source): (Option<Id>, Option<Id>) =
        conn.query_row("SELECT min(id), max(id) FROM sources", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let span = match (min_source, max_source) {
        (Some(lo), Some(hi)) => Some((lo, (hi - lo + 1) as usize)),
        _ => None,
    };
    let source = |rng: &mut Rng| span.map(|(lo, n)| lo + rng.below(n) as Id);
    let mut foundries: Vec<Id> = {
        let mut stmt = conn.prepare("SELECT id FROM firms WHERE kind = 'foundry' ORDER BY id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        ids.collect::<rusqlite::Result<_>>()?
    };
    let notes: Option<(Id, usize)> =
        conn.query_row("SELECT min(id), max(id) FROM notes", [], |r| {
            let lo: Option<Id> = r.get(0)?;
            let hi: Option<Id> = r.get(1)?;
            Ok(lo.zip(hi).map(|(lo, hi)| (lo, (hi - lo + 1) as usize)))
        })?;

    let mut insert_listing = conn.prepare(
        "INSERT INTO export_control_listings (firm_id, list_name, listed_on, citation, source_id)
         SELECT ?1, ?2, ?3, 'made-up citation', (SELECT id FROM sources WHERE id = ?4)",
    )?;
    let mut insert_assessment = conn.prepare(
        "INSERT INTO assessments (firm_id, strategy_id, stance, summary, as_of) VALUES (?1, ?2, ?3, 'made up', ?4)",
    )?;
    let mut insert_evidence = conn.prepare(
        "INSERT OR IGNORE INTO assessment_evidence (assessment_id, source_id, locator)
         SELECT ?1, id, ?3 FROM sources WHERE id = ?2",
    )?;
    let mut insert_chip_source = conn.prepare(
        "INSERT OR IGNORE INTO chip_sources (chip_id, source_id) SELECT ?1, id FROM sources WHERE id = ?2",
    )?;
    let mut insert_event = conn.prepare(
        "INSERT INTO events (occurred_on, kind, title, description) VALUES (?1, ?2, ?3, 'made up')",
    )?;
    let mut link_event =
        conn.prepare("INSERT INTO event_firms (event_id, firm_id) VALUES (?1, ?2)")?;
    let mut cite_event = conn.prepare(
        "INSERT OR IGNORE INTO event_sources (event_id, source_id) SELECT ?1, id FROM sources WHERE id = ?2",
    )?;
    let mut link_note = conn.prepare(
        "INSERT OR IGNORE INTO note_links (note_id, firm_id) SELECT id, ?2 FROM notes WHERE id = ?1",
    )?;

    let mut firm_ids: Vec<Id> = Vec::with_capacity(spec.firms);
    for n in 0..spec.firms {
        let foundry = n % 10 == 9;
        let name = format!(
            "Sample Firm {n:04} {}",
            ["Semi", "AI", "Compute", "Micro"][n % 4]
        );
        let native = format!("样本公司{n}");
        let country = (rng.below(10) > 0).then(|| COUNTRIES[rng.below(COUNTRIES.len())]);
        let parent = (!firm_ids.is_empty() && rng.below(5) == 0)
            .then(|| firm_ids[rng.below(firm_ids.len())]);
        let firm = firms::insert(
            conn,
            &FirmRow {
                name: &name,
                native_name: Some(&native),
                kind: if foundry {
                    FirmKind::Foundry
                } else {
                    FirmKind::Company
                },
                country,
                parent_firm_id: parent,
                website: None,
                summary: "made up for benchmarks",
                import_batch_id: None,
                created_at: now,
            },
        )?;
        firm_ids.push(firm);
        if foundry {
            foundries.push(firm);
        }
        summary.firms += 1;

        if rng.below(10) < 3 {
            for _ in 0..1 + rng.below(2) {
                let date = rng.date();
                insert_listing.execute(params![firm, "Entity List", date, source(&mut rng)])?;
            }
        }
        for strategy in &strategies {
            if rng.below(10) < 2 {
                continue;
            }
            let as_of = (rng.below(5) > 0).then(|| rng.date());
            insert_assessment.execute(params![firm, strategy, STANCES[rng.below(4)], as_of])?;
            let assessment = conn.last_insert_rowid();
            summary.assessments += 1;
            for _ in 0..rng.below(5) {
                if let Some(source_id) = source(&mut rng) {
                    let locator = format!("p. {}", 1 + rng.below(40));
                    insert_evidence.execute(params![assessment, source_id, locator])?;
                }
            }
        }
        if !foundry && rng.below(10) >= 3 {
            for c in 0..1 + rng.below(5) {
                let chip_name = format!("SF{n}-{c}");
                let node = (rng.below(6) > 0).then(|| NODES[rng.below(NODES.len())]);
                let maker = (!foundries.is_empty() && rng.below(5) > 0)
                    .then(|| foundries[rng.below(foundries.len())]);
                let (tops, bits) = if rng.below(6) > 0 {
                    (
                        Some(50.0 + rng.below(2000) as f64),
                        Some([8, 16][rng.below(2)]),
                    )
                } else {
                    (None, None)
                };
                let area = (rng.below(4) > 0).then(|| 100.0 + rng.below(800) as f64);
                let announced = rng.date();
                let chip = chips::insert(
                    conn,
                    &ChipRow {
                        firm_id: firm,
                        name: &chip_name,
                        purpose: Some(ChipPurpose::Training),
                        process_node_nm: node,
                        foundry_firm_id: maker,
                        announced_on: Some(&announced),
                        peak_dense_tops: tops,
                        peak_bit_width: bits,
                        die_area_mm2: area,
                        memory_gb: None,
                        tdp_w: None,
                        notes: "",
                        import_batch_id: None,
                    },
                )?;
                summary.chips += 1;
                for _ in 0..1 + rng.below(3) {
                    if let Some(source_id) = source(&mut rng) {
                        insert_chip_source.execute(params![chip, source_id])?;
                    }
                }
            }
        }
        for e in 0..3 {
            let date = rng.date();
            let kind = EVENT_KINDS[rng.below(EVENT_KINDS.len())];
            insert_event.execute(params![date, kind, format!("{name} event {e}")])?;
            let event = conn.last_insert_rowid();
            link_event.execute(params![event, firm])?;
            summary.events += 1;
            for _ in 0..2 {
                if let Some(source_id) = source(&mut rng) {
                    cite_event.execute(params![event, source_id])?;
                }
            }
        }
        if let Some((lo, count)) = notes {
            for _ in 0..rng.below(6) {
                link_note.execute(params![lo + rng.below(count) as Id, firm])?;
            }
        }
    }
    Ok((firm_ids, summary))
}

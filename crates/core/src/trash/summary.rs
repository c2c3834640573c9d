//! What an analyst is told: the walk as counts of what goes or is unlinked.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::types::Value;

use super::walk::Walk;
use crate::model::{ImpactItem, ImpactWhat, TrashKind};

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// The walk as counts an analyst understands, in a fixed order; zero counts are left out.
pub(super) fn summarise(kind: TrashKind, walk: &Walk) -> Vec<ImpactItem> {
    let (mut chips, mut assessments, mut listings, mut aliases) = (0, 0, 0, 0);
    let (mut linked, mut claims, mut cited, mut links, mut comparisons) = (0, 0, 0, 0, 0);
    let (mut subsidiaries, mut foundry) = (0, 0);
    let mut notes = BTreeSet::new();
    let mut other_rows: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other_pointers: BTreeMap<&str, usize> = BTreeMap::new();

    for row in walk.rows.iter().skip(1) {
        let direct = row.parent == Some(0);
        match row.table.as_str() {
            "chips" => chips += 1,
            "assessments" => assessments += 1,
            "export_control_listings" => listings += 1,
            "firm_aliases" => aliases += 1,
            "event_firms" => linked += 1,
            "assessment_evidence" | "chip_sources" | "event_sources" => {
                if kind == TrashKind::Source {
                    claims += 1;
                } else if direct {
                    cited += 1;
                }
            }
            "note_links" if kind == TrashKind::Note => links += 1,
            "note_links" => {
                if let Some(Value::Integer(note)) = row.get("note_id") {
                    notes.insert(*note);
                }
            }
            "comparison_firms" => comparisons += 1,
            // The tags themselves stay; losing them is not worth a line.
            "source_tags" | "note_tags" => {}
            other => *other_rows.entry(other).or_default() += 1,
        }
    }
    for pointer in &walk.pointers {
        let column = pointer.columns.join(", ");
        match (pointer.table.as_str(), column.as_str()) {
            ("firms", "parent_firm_id") => subsidiaries += 1,
            ("chips", "foundry_firm_id") => foundry += 1,
            ("export_control_listings", "source_id") => claims += 1,
            (table, _) => *other_pointers.entry(table).or_default() += 1,
        }
    }

    let mut items = Vec::new();
    let mut add = |what: ImpactWhat, count: usize, text: String| {
        if count > 0 {
            items.push(ImpactItem {
                what,
                count: i64::try_from(count).unwrap_or(i64::MAX),
                text,
            });
        }
    };
    let goes = |n: usize| if n == 1 { "goes" } else { "go" };
    add(
        ImpactWhat::Claims,
        claims,
        format!(
            "{} this source",
            plural(claims, "claim cites", "claims cite")
        ),
    );
    add(
        ImpactWhat::Chips,
        chips,
        format!("{} {} with it", plural(chips, "chip", "chips"), goes(chips)),
    );
    add(
        ImpactWhat::Assessments,
        assessments,
        format!(
            "{} {} with it",
            plural(assessments, "assessment", "assessments"),
            goes(assessments)
        ),
    );
    add(
        ImpactWhat::Listings,
        listings,
        format!(
            "{} {} with it",
            plural(
                listings,
                "export-control listing",
                "export-control listings"
            ),
            goes(listings)
        ),
    );
    add(
        ImpactWhat::Aliases,
        aliases,
        format!(
            "{} {} with it",
            plural(aliases, "alias", "aliases"),
            goes(aliases)
        ),
    );
    if kind == TrashKind::Event {
        add(
            ImpactWhat::Firms,
            linked,
            format!(
                "it is unlinked from {} (they stay)",
                plural(linked, "firm", "firms")
            ),
        );
    } else {
        add(
            ImpactWhat::Events,
            linked,
            format!(
                "it is unlinked from {} (they stay)",
                plural(linked, "event", "events")
            ),
        );
    }
    add(
        ImpactWhat::Sources,
        cited,
        format!(
            "it cites {} (they stay)",
            plural(cited, "source", "sources")
        ),
    );
    add(
        ImpactWhat::Subsidiaries,
        subsidiaries,
        plural(
            subsidiaries,
            "subsidiary loses its parent firm",
            "subsidiaries lose their parent firm",
        ),
    );
    add(
        ImpactWhat::FoundryChips,
        foundry,
        plural(
            foundry,
            "chip loses it as its foundry",
            "chips lose it as their foundry",
        ),
    );
    add(
        ImpactWhat::Notes,
        notes.len(),
        format!(
            "{} to it (the notes stay)",
            plural(notes.len(), "note links", "notes link")
        ),
    );
    add(
        ImpactWhat::Links,
        links,
        format!(
            "it links to {} (they stay)",
            plural(links, "record", "records")
        ),
    );
    add(
        ImpactWhat::Comparisons,
        comparisons,
        format!(
            "it leaves {}",
            plural(comparisons, "comparison", "comparisons")
        ),
    );
    for (table, count) in other_rows {
        add(
            ImpactWhat::Other,
            count,
            format!(
                "{} of {table} {} with it",
                plural(count, "row", "rows"),
                goes(count)
            ),
        );
    }
    for (table, count) in other_pointers {
        add(
            ImpactWhat::Other,
            count,
            format!(
                "{} of {table} {} their link to it",
                plural(count, "row", "rows"),
                if count == 1 { "loses" } else { "lose" }
            ),
        );
    }
    items
}

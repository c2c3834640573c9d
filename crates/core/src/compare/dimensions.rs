//! What a comparison can show: dimension ids, labels and groups.

use rusqlite::Connection;

use super::{Dimension, DimensionGroup};
use crate::error::{Error, Result};
use crate::model::Id;
use crate::store::Store;

/// A dimension as the code sees it. Ids are text (`id`) so that a saved
/// comparison can hold them as JSON; a strategy's dimensions name it by id so
/// they survive a rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DimensionKey {
    Country,
    Parent,
    Listings,
    Stance(Id),
    Evidence(Id),
    NewestEvidence(Id),
    BestTpp,
    Rules,
    ProcessNode,
    Foundries,
    SourceCount,
    NoteCount,
    EventCount,
}

/// The dimensions that do not depend on a strategy, in picker order.
const FIXED_BEFORE: [DimensionKey; 3] = [
    DimensionKey::Country,
    DimensionKey::Parent,
    DimensionKey::Listings,
];
const FIXED_AFTER: [DimensionKey; 7] = [
    DimensionKey::BestTpp,
    DimensionKey::Rules,
    DimensionKey::ProcessNode,
    DimensionKey::Foundries,
    DimensionKey::SourceCount,
    DimensionKey::NoteCount,
    DimensionKey::EventCount,
];

impl DimensionKey {
    pub(crate) fn parse(id: &str) -> Result<DimensionKey> {
        let id = id.trim();
        let fixed = FIXED_BEFORE
            .iter()
            .chain(FIXED_AFTER.iter())
            .find(|key| key.fixed_id() == Some(id));
        if let Some(key) = fixed {
            return Ok(*key);
        }
        let parts: Vec<&str> = id.split(':').collect();
        if let ["strategy", strategy, what] = parts.as_slice() {
            if let Ok(strategy) = strategy.parse::<Id>() {
                match *what {
                    "stance" => return Ok(DimensionKey::Stance(strategy)),
                    "evidence" => return Ok(DimensionKey::Evidence(strategy)),
                    "newestEvidence" => return Ok(DimensionKey::NewestEvidence(strategy)),
                    _ => {}
                }
            }
        }
        Err(Error::invalid(
            "dimensions",
            format!("'{id}' is not a dimension; `chipwatch compare dimensions` lists them"),
        ))
    }

    fn fixed_id(self) -> Option<&'static str> {
        Some(match self {
            DimensionKey::Country => "profile:country",
            DimensionKey::Parent => "profile:parent",
            DimensionKey::Listings => "profile:listings",
            DimensionKey::BestTpp => "chips:bestTpp",
            DimensionKey::Rules => "chips:rules3a090",
            DimensionKey::ProcessNode => "chips:processNode",
            DimensionKey::Foundries => "chips:foundries",
            DimensionKey::SourceCount => "activity:sources",
            DimensionKey::NoteCount => "activity:notes",
            DimensionKey::EventCount => "activity:events",
            DimensionKey::Stance(_)
            | DimensionKey::Evidence(_)
            | DimensionKey::NewestEvidence(_) => return None,
        })
    }

    pub(crate) fn id(self) -> String {
        match self {
            DimensionKey::Stance(s) => format!("strategy:{s}:stance"),
            DimensionKey::Evidence(s) => format!("strategy:{s}:evidence"),
            DimensionKey::NewestEvidence(s) => format!("strategy:{s}:newestEvidence"),
            other => other.fixed_id().unwrap_or_default().to_owned(),
        }
    }

    pub(crate) fn strategy(self) -> Option<Id> {
        match self {
            DimensionKey::Stance(s)
            | DimensionKey::Evidence(s)
            | DimensionKey::NewestEvidence(s) => Some(s),
            _ => None,
        }
    }

    fn group(self) -> DimensionGroup {
        match self {
            DimensionKey::Country | DimensionKey::Parent | DimensionKey::Listings => {
                DimensionGroup::Profile
            }
            DimensionKey::Stance(_)
            | DimensionKey::Evidence(_)
            | DimensionKey::NewestEvidence(_) => DimensionGroup::Strategy,
            DimensionKey::BestTpp
            | DimensionKey::Rules
            | DimensionKey::ProcessNode
            | DimensionKey::Foundries => DimensionGroup::Chips,
            DimensionKey::SourceCount | DimensionKey::NoteCount | DimensionKey::EventCount => {
                DimensionGroup::Activity
            }
        }
    }

    fn numeric(self) -> bool {
        matches!(
            self,
            DimensionKey::Evidence(_)
                | DimensionKey::BestTpp
                | DimensionKey::ProcessNode
                | DimensionKey::SourceCount
                | DimensionKey::NoteCount
                | DimensionKey::EventCount
        )
    }

    /// The label, given the strategy's name for a strategy dimension.
    fn label(self, strategy_name: &str) -> String {
        match self {
            DimensionKey::Country => "Country".into(),
            DimensionKey::Parent => "Parent firm".into(),
            DimensionKey::Listings => "Export-control listings".into(),
            DimensionKey::Stance(_) => format!("{strategy_name}: stance"),
            DimensionKey::Evidence(_) => format!("{strategy_name}: evidence"),
            DimensionKey::NewestEvidence(_) => format!("{strategy_name}: newest evidence"),
            DimensionKey::BestTpp => "Best TPP".into(),
            DimensionKey::Rules => "3A090 parameters met".into(),
            DimensionKey::ProcessNode => "Most advanced node (nm)".into(),
            DimensionKey::Foundries => "Foundries".into(),
            DimensionKey::SourceCount => "Sources cited".into(),
            DimensionKey::NoteCount => "Notes".into(),
            DimensionKey::EventCount => "Events".into(),
        }
    }

    pub(crate) fn describe(self, strategy_name: &str) -> Dimension {
        Dimension {
            id: self.id(),
            label: self.label(strategy_name),
            group: self.group(),
            strategy_id: self.strategy(),
            numeric: self.numeric(),
        }
    }
}

/// The strategies, in their order, as (id, name).
pub(crate) fn strategies(conn: &Connection) -> Result<Vec<(Id, String)>> {
    let mut stmt = conn.prepare("SELECT id, name FROM strategies ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every dimension available now, with its key.
pub(crate) fn available_keys(conn: &Connection) -> Result<Vec<(DimensionKey, Dimension)>> {
    let strategies = strategies(conn)?;
    let mut keys: Vec<(DimensionKey, Dimension)> = FIXED_BEFORE
        .iter()
        .map(|key| (*key, key.describe("")))
        .collect();
    for (id, name) in &strategies {
        for key in [
            DimensionKey::Stance(*id),
            DimensionKey::Evidence(*id),
            DimensionKey::NewestEvidence(*id),
        ] {
            keys.push((key, key.describe(name)));
        }
    }
    keys.extend(FIXED_AFTER.iter().map(|key| (*key, key.describe(""))));
    Ok(keys)
}

pub(crate) fn available(conn: &Connection) -> Result<Vec<Dimension>> {
    Ok(available_keys(conn)?.into_iter().map(|(_, d)| d).collect())
}

/// Dimensions named by id or by label (ignoring case), in the order given:
/// what `--dimensions` takes.
pub fn resolve_dimensions(store: &Store, texts: &[String]) -> Result<Vec<String>> {
    store.read(|conn| {
        let available = available(conn)?;
        let mut ids = Vec::new();
        for text in texts {
            let text = text.trim();
            let found = available
                .iter()
                .find(|d| d.id == text)
                .or_else(|| available.iter().find(|d| d.label.to_lowercase() == text.to_lowercase()));
            match found {
                Some(dimension) => {
                    if !ids.contains(&dimension.id) {
                        ids.push(dimension.id.clone());
                    }
                }
                None => {
                    DimensionKey::parse(text)?;
                    return Err(Error::invalid(
                        "dimensions",
                        format!("'{text}' names a strategy that does not exist; `chipwatch compare dimensions` lists the dimensions"),
                    ));
                }
            }
        }
        Ok(ids)
    })
}

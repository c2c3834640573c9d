//! The default dataset that seeds every new workspace (`assets/default-dataset.json`).
//! Entities refer to each other by name (firms, strategies) or by a source `key`,
//! so the file reads like a bibliography; loading resolves them to row ids in one
//! transaction: the dataset lands whole or not at all.

use std::collections::HashMap;

use rusqlite::{params, Connection};
use serde::Deserialize;

use crate::chips::{self, ChipRow};
use crate::date::{parse_optional, parse_optional_at, Precision};
use crate::error::{Error, Result};
use crate::firms::{self, FirmRow};
use crate::model::{ChipPurpose, EventKind, FirmKind, SourceKind, Stance};
use crate::sources::{self, SourceRow};
use crate::store::Store;
use crate::text::{enum_text, now_utc};

pub const DEFAULT_DATASET_JSON: &str = include_str!("../../../assets/default-dataset.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Dataset {
    pub version: i64,
    pub sources: Vec<SourceSeed>,
    pub firms: Vec<FirmSeed>,
    pub strategies: Vec<StrategySeed>,
    pub assessments: Vec<AssessmentSeed>,
    pub chips: Vec<ChipSeed>,
    pub events: Vec<EventSeed>,
    pub notes: Vec<NoteSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SourceSeed {
    pub key: String,
    pub kind: SourceKind,
    pub title: String,
    pub authors: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published_on: Option<String>,
    pub accessed_on: Option<String>,
    pub language: Option<String>,
    pub r#abstract: Option<String>,
    pub reliability: Option<String>,
    pub credibility: Option<i64>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FirmSeed {
    pub name: String,
    pub native_name: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: FirmKind,
    pub country: Option<String>,
    pub parent: Option<String>,
    pub website: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub listings: Vec<ListingSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListingSeed {
    pub list_name: String,
    pub listed_on: Option<String>,
    pub citation: Option<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategySeed {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AssessmentSeed {
    pub firm: String,
    pub strategy: String,
    pub stance: Stance,
    pub summary: String,
    pub as_of: Option<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChipSeed {
    pub firm: String,
    pub name: String,
    pub purpose: Option<ChipPurpose>,
    pub process_node_nm: Option<f64>,
    pub foundry: Option<String>,
    pub announced_on: Option<String>,
    pub peak_dense_tops: Option<f64>,
    pub peak_bit_width: Option<i64>,
    pub die_area_mm2: Option<f64>,
    pub memory_gb: Option<f64>,
    pub tdp_w: Option<f64>,
    #[serde(default)]
    pub notes: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EventSeed {
    pub occurred_on: String,
    pub kind: EventKind,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub firms: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NoteSeed {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub firms: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

impl Dataset {
    pub fn parse(json: &str) -> Result<Dataset> {
        serde_json::from_str(json)
            .map_err(|e| Error::Dataset(format!("line {}, column {}: {e}", e.line(), e.column())))
    }

    pub fn default_dataset() -> Result<Dataset> {
        Dataset::parse(DEFAULT_DATASET_JSON)
    }
}

/// Writes `dataset` into `store` in one transaction; returns nothing on success
/// and leaves the store untouched on any error.
pub fn load(store: &mut Store, dataset: &Dataset) -> Result<()> {
    store.write(|tx| insert(tx, dataset))
}

/// Writes `dataset` within the caller's transaction (a new workspace is created
/// and seeded in one).
pub fn insert(conn: &Connection, dataset: &Dataset) -> Result<()> {
    let mut loader = Loader {
        tx: conn,
        now: now_utc(),
        sources: HashMap::new(),
        firms: HashMap::new(),
        strategies: HashMap::new(),
    };
    loader.load(dataset)?;
    conn.execute(
        "INSERT OR REPLACE INTO workspace_meta (key, value) VALUES ('default_dataset_version', ?1)",
        [dataset.version.to_string()],
    )?;
    Ok(())
}

struct Loader<'a> {
    tx: &'a Connection,
    now: String,
    sources: HashMap<String, i64>,
    firms: HashMap<String, i64>,
    strategies: HashMap<String, i64>,
}

impl Loader<'_> {
    fn load(&mut self, d: &Dataset) -> Result<()> {
        for s in &d.sources {
            self.insert_source(s)?;
        }
        // Parents may be listed after their subsidiaries: insert all, then link.
        for f in &d.firms {
            self.insert_firm(f)?;
        }
        for f in &d.firms {
            if let Some(parent) = &f.parent {
                let parent_id = self.firm(parent)?;
                firms::set_parent(self.tx, self.firm(&f.name)?, parent_id)?;
            }
        }
        for s in &d.strategies {
            self.tx.execute(
                "INSERT INTO strategies (name, description) VALUES (?1, ?2)",
                params![s.name, s.description],
            )?;
            self.strategies
                .insert(s.name.clone(), self.tx.last_insert_rowid());
        }
        for a in &d.assessments {
            self.insert_assessment(a)?;
        }
        for c in &d.chips {
            self.insert_chip(c)?;
        }
        for e in &d.events {
            self.insert_event(e)?;
        }
        for n in &d.notes {
            self.insert_note(n)?;
        }
        Ok(())
    }

    fn insert_source(&mut self, s: &SourceSeed) -> Result<()> {
        let field = |name: &str| format!("sources[{}].{name}", s.key);
        let published_on = parse_optional(&field("publishedOn"), s.published_on.as_deref())?;
        let accessed_on = parse_optional_at(
            Precision::Day,
            &field("accessedOn"),
            s.accessed_on.as_deref(),
        )?;
        let id = sources::insert(
            self.tx,
            &SourceRow {
                kind: s.kind,
                title: &s.title,
                authors: s.authors.as_deref(),
                publisher: s.publisher.as_deref(),
                url: s.url.as_deref(),
                doi: None,
                published_on: published_on.as_deref(),
                accessed_on: accessed_on.as_deref(),
                language: s.language.as_deref(),
                r#abstract: s.r#abstract.as_deref(),
                reliability: s.reliability.as_deref(),
                credibility: s.credibility,
                import_batch_id: None,
                original_row: None,
                created_at: &self.now,
                uid: None,
            },
        )?;
        if self.sources.insert(s.key.clone(), id).is_some() {
            return Err(Error::Dataset(format!(
                "source key '{}' is used twice",
                s.key
            )));
        }
        for tag in &s.tags {
            let tag_id = self.tag(tag)?;
            self.tx.execute(
                "INSERT INTO source_tags (source_id, tag_id) VALUES (?1, ?2)",
                params![id, tag_id],
            )?;
        }
        Ok(())
    }

    fn insert_firm(&mut self, f: &FirmSeed) -> Result<()> {
        let id = firms::insert(
            self.tx,
            &FirmRow {
                name: &f.name,
                native_name: f.native_name.as_deref(),
                kind: f.kind,
                country: f.country.as_deref(),
                parent_firm_id: None,
                website: f.website.as_deref(),
                summary: &f.summary,
                import_batch_id: None,
                created_at: &self.now,
            },
        )?;
        self.firms.insert(f.name.clone(), id);
        for alias in &f.aliases {
            self.tx.execute(
                "INSERT INTO firm_aliases (firm_id, alias) VALUES (?1, ?2)",
                params![id, alias],
            )?;
        }
        for l in &f.listings {
            let listed_on = parse_optional(
                &format!("firms[{}].listings.listedOn", f.name),
                l.listed_on.as_deref(),
            )?;
            self.tx.execute(
                "INSERT INTO export_control_listings (firm_id, list_name, listed_on, citation, source_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, l.list_name, listed_on, l.citation, self.source(&l.source)?],
            )?;
        }
        Ok(())
    }

    fn insert_assessment(&mut self, a: &AssessmentSeed) -> Result<()> {
        let as_of = parse_optional(
            &format!("assessments[{} / {}].asOf", a.firm, a.strategy),
            a.as_of.as_deref(),
        )?;
        self.tx.execute(
            "INSERT INTO assessments (firm_id, strategy_id, stance, summary, as_of) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![self.firm(&a.firm)?, self.strategy(&a.strategy)?, enum_text(&a.stance), a.summary, as_of],
        )?;
        let id = self.tx.last_insert_rowid();
        self.require_sources(
            &format!("assessment {} / {}", a.firm, a.strategy),
            &a.sources,
        )?;
        for key in &a.sources {
            self.tx.execute(
                "INSERT INTO assessment_evidence (assessment_id, source_id) VALUES (?1, ?2)",
                params![id, self.source(key)?],
            )?;
        }
        Ok(())
    }

    fn insert_chip(&mut self, c: &ChipSeed) -> Result<()> {
        let foundry = c.foundry.as_deref().map(|f| self.firm(f)).transpose()?;
        let announced_on = parse_optional(
            &format!("chips[{}].announcedOn", c.name),
            c.announced_on.as_deref(),
        )?;
        let id = chips::insert(
            self.tx,
            &ChipRow {
                firm_id: self.firm(&c.firm)?,
                name: &c.name,
                purpose: c.purpose,
                process_node_nm: c.process_node_nm,
                foundry_firm_id: foundry,
                announced_on: announced_on.as_deref(),
                peak_dense_tops: c.peak_dense_tops,
                peak_bit_width: c.peak_bit_width,
                die_area_mm2: c.die_area_mm2,
                memory_gb: c.memory_gb,
                tdp_w: c.tdp_w,
                notes: &c.notes,
                import_batch_id: None,
            },
        )?;
        self.require_sources(&format!("chip {}", c.name), &c.sources)?;
        for key in &c.sources {
            self.tx.execute(
                "INSERT INTO chip_sources (chip_id, source_id) VALUES (?1, ?2)",
                params![id, self.source(key)?],
            )?;
        }
        Ok(())
    }

    fn insert_event(&mut self, e: &EventSeed) -> Result<()> {
        let occurred_on = parse_optional(
            &format!("events[{}].occurredOn", e.title),
            Some(&e.occurred_on),
        )?;
        self.tx.execute(
            "INSERT INTO events (occurred_on, kind, title, description) VALUES (?1, ?2, ?3, ?4)",
            params![occurred_on, enum_text(&e.kind), e.title, e.description],
        )?;
        let id = self.tx.last_insert_rowid();
        for firm in &e.firms {
            self.tx.execute(
                "INSERT INTO event_firms (event_id, firm_id) VALUES (?1, ?2)",
                params![id, self.firm(firm)?],
            )?;
        }
        self.require_sources(&format!("event {}", e.title), &e.sources)?;
        for key in &e.sources {
            self.tx.execute(
                "INSERT INTO event_sources (event_id, source_id) VALUES (?1, ?2)",
                params![id, self.source(key)?],
            )?;
        }
        Ok(())
    }

    fn insert_note(&mut self, n: &NoteSeed) -> Result<()> {
        self.tx.execute(
            "INSERT INTO notes (title, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![n.title, n.body, self.now],
        )?;
        let id = self.tx.last_insert_rowid();
        for tag in &n.tags {
            let tag_id = self.tag(tag)?;
            self.tx.execute(
                "INSERT INTO note_tags (note_id, tag_id) VALUES (?1, ?2)",
                params![id, tag_id],
            )?;
        }
        for firm in &n.firms {
            self.tx.execute(
                "INSERT INTO note_links (note_id, firm_id) VALUES (?1, ?2)",
                params![id, self.firm(firm)?],
            )?;
        }
        for key in &n.sources {
            self.tx.execute(
                "INSERT INTO note_links (note_id, source_id) VALUES (?1, ?2)",
                params![id, self.source(key)?],
            )?;
        }
        Ok(())
    }

    /// Every seeded claim cites a source.
    fn require_sources(&self, what: &str, keys: &[String]) -> Result<()> {
        if keys.is_empty() {
            return Err(Error::Dataset(format!("{what} cites no source")));
        }
        Ok(())
    }

    fn tag(&self, name: &str) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            [name],
        )?;
        Ok(self
            .tx
            .query_row("SELECT id FROM tags WHERE name = ?1", [name], |row| {
                row.get(0)
            })?)
    }

    fn source(&self, key: &str) -> Result<i64> {
        self.sources
            .get(key)
            .copied()
            .ok_or_else(|| Error::Dataset(format!("unknown source key '{key}'")))
    }

    fn firm(&self, name: &str) -> Result<i64> {
        self.firms
            .get(name)
            .copied()
            .ok_or_else(|| Error::Dataset(format!("unknown firm '{name}'")))
    }

    fn strategy(&self, name: &str) -> Result<i64> {
        self.strategies
            .get(name)
            .copied()
            .ok_or_else(|| Error::Dataset(format!("unknown strategy '{name}'")))
    }
}

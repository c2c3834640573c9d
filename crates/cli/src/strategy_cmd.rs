//! `chipwatch strategy add|edit|show` and `chipwatch assessment set|show`:
//! the ways a firm can respond to the curbs, and a firm's stance on one,
//! over `chipwatch_core::strategies` and `chipwatch_core::assessments`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::model::{AssessmentDraft, Editing, EvidenceDraft, StrategyDraft};
use chipwatch_core::{assessments, firms, strategies, Error, Store};
use clap::Subcommand;

use crate::records::{self, Revision};

#[derive(Subcommand)]
pub enum StrategyAction {
    /// Add a strategy
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        description: Option<String>,
        /// Print the saved strategy as JSON
        #[arg(long)]
        json: bool,
    },
    /// Change the fields given and keep the rest, on the revision read (or --revision)
    Edit {
        /// The strategy: its name or id
        strategy: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        description: Option<String>,
        #[command(flatten)]
        revision: Revision,
        #[arg(long)]
        json: bool,
    },
    /// Show a strategy (read-only); --json prints what `edit` edits
    Show {
        /// The strategy: its name or id
        strategy: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum AssessmentAction {
    /// Set a firm's stance on a strategy: adds the assessment, or changes the
    /// fields given of the one it has (on the revision read, or --revision)
    Set {
        /// The firm: name, alias or id
        #[arg(long)]
        firm: String,
        /// The strategy: name or id
        #[arg(long)]
        strategy: String,
        /// none, exploring, active or leading (required for a new assessment)
        #[arg(long, value_name = "STANCE")]
        stance: Option<String>,
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        summary: Option<String>,
        /// As of when: 2024, Mar 2024, 1 Mar 2024, 2024-03-01 or 2024年3月1日
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// A source cited, by id, with where in it after a colon: 12 or "12:p. 4"
        /// (repeat for more; they replace all, and --evidence "" removes them)
        #[arg(long, value_name = "SOURCE_ID[:LOCATOR]", allow_hyphen_values = true)]
        evidence: Vec<String>,
        /// The passage of a cited source that backs the assessment: "12:“quoted text”"
        /// (repeat for more sources; --excerpt "12:" removes one)
        #[arg(long, value_name = "SOURCE_ID:TEXT", allow_hyphen_values = true)]
        excerpt: Vec<String>,
        #[command(flatten)]
        revision: Revision,
        /// Print the saved assessment as JSON
        #[arg(long)]
        json: bool,
    },
    /// Show a firm's assessment on a strategy (read-only)
    Show {
        #[arg(long)]
        firm: String,
        #[arg(long)]
        strategy: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn strategy_command(path: &Path, action: StrategyAction) -> Result<ExitCode, Error> {
    match action {
        StrategyAction::Add {
            name,
            description,
            json,
        } => {
            let draft = StrategyDraft {
                name,
                description: description.unwrap_or_default(),
            };
            let saved = strategies::save(&mut Store::open(path)?, None, None, &draft)?;
            print_strategy(json, &saved, "Added")
        }
        StrategyAction::Edit {
            strategy,
            name,
            description,
            revision,
            json,
        } => {
            let mut store = Store::open(path)?;
            let id = strategies::resolve(&store, "strategy", &strategy)?;
            let loaded = strategies::load_draft(&store, id)?;
            let mut draft = loaded.draft;
            if let Some(name) = name {
                draft.name = name;
            }
            if let Some(description) = description {
                draft.description = description;
            }
            let saved = strategies::save(
                &mut store,
                Some(id),
                Some(revision.or(loaded.revision)),
                &draft,
            )?;
            print_strategy(json, &saved, "Saved")
        }
        StrategyAction::Show { strategy, json } => {
            let store = Store::open_read_only(path)?;
            let id = strategies::resolve(&store, "strategy", &strategy)?;
            let editing = strategies::load_draft(&store, id)?;
            if json {
                return crate::print_json(&editing);
            }
            println_escaped!(
                "{}  (strategy {}, revision {})",
                editing.draft.name,
                editing.id,
                editing.revision
            );
            records::show_block("description", &editing.draft.description);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_strategy(
    json: bool,
    saved: &Editing<StrategyDraft>,
    done: &str,
) -> Result<ExitCode, Error> {
    records::print_saved(
        json,
        saved,
        done,
        "strategy",
        saved.id,
        &saved.draft.name,
        saved.revision,
    )
}

/// `12` or `12:p. 4, table 2`: a source id, and where in it after the first colon.
fn evidence(text: &str) -> Result<EvidenceDraft, Error> {
    let (id, locator) = match text.split_once(':') {
        Some((id, locator)) => (id, Some(locator.to_owned())),
        None => (text, None),
    };
    Ok(EvidenceDraft {
        source_id: records::id("evidence", "source", id)?,
        locator,
        excerpt: None,
    })
}

/// `12:text`: the excerpt of the cited source 12 (blank removes it).
fn set_excerpt(evidence: &mut [EvidenceDraft], text: &str) -> Result<(), Error> {
    let (id, excerpt) = text.split_once(':').ok_or_else(|| {
        Error::invalid(
            "excerpt",
            format!("'{text}' names no source; write SOURCE_ID:TEXT, e.g. \"12:the passage\""),
        )
    })?;
    let source_id = records::id("excerpt", "source", id)?;
    let cited = evidence
        .iter_mut()
        .find(|e| e.source_id == source_id)
        .ok_or_else(|| {
            Error::invalid(
                "excerpt",
                format!("source {source_id} is not cited by this assessment; add it with --evidence {source_id}"),
            )
        })?;
    cited.excerpt = Some(excerpt.to_owned()).filter(|t| !t.trim().is_empty());
    Ok(())
}

pub fn assessment_command(path: &Path, action: AssessmentAction) -> Result<ExitCode, Error> {
    match action {
        AssessmentAction::Set {
            firm,
            strategy,
            stance,
            summary,
            as_of,
            evidence: cited,
            excerpt,
            revision,
            json,
        } => {
            let mut store = Store::open(path)?;
            let firm_id = firms::resolve(&store, "firm", &firm)?;
            let strategy_id = strategies::resolve(&store, "strategy", &strategy)?;
            let existing = assessments::find(&store, firm_id, strategy_id)?;
            let (id, loaded_revision, mut draft) = match existing {
                Some(id) => {
                    let loaded = assessments::load_draft(&store, id)?;
                    (Some(id), Some(loaded.revision), loaded.draft)
                }
                None => {
                    if revision.revision.is_some() {
                        return Err(Error::invalid(
                            "revision",
                            "this firm has no assessment on this strategy yet; leave out --revision to add one",
                        ));
                    }
                    let stance = stance.as_deref().ok_or_else(|| {
                        Error::invalid(
                            "stance",
                            "is required for a new assessment: none, exploring, active or leading",
                        )
                    })?;
                    let draft = AssessmentDraft {
                        firm_id,
                        strategy_id,
                        stance: records::enum_value("stance", stance)?,
                        summary: String::new(),
                        as_of: None,
                        evidence: Vec::new(),
                    };
                    (None, None, draft)
                }
            };
            if let Some(stance) = &stance {
                draft.stance = records::enum_value("stance", stance)?;
            }
            if let Some(summary) = summary {
                draft.summary = summary;
            }
            if let Some(as_of) = as_of {
                draft.as_of = Some(as_of);
            }
            if !cited.is_empty() {
                let mut replaced: Vec<EvidenceDraft> = cited
                    .iter()
                    .filter(|e| !e.trim().is_empty())
                    .map(|e| evidence(e))
                    .collect::<Result<_, _>>()?;
                // A source cited again keeps its excerpt.
                for e in &mut replaced {
                    e.excerpt = draft
                        .evidence
                        .iter()
                        .find(|old| old.source_id == e.source_id)
                        .and_then(|old| old.excerpt.clone());
                }
                draft.evidence = replaced;
            }
            for text in &excerpt {
                set_excerpt(&mut draft.evidence, text)?;
            }
            let revision = loaded_revision.map(|loaded| revision.or(loaded));
            let saved = assessments::save(&mut store, id, revision, &draft)?;
            let done = if id.is_some() { "Saved" } else { "Added" };
            if json {
                return crate::print_json(&saved);
            }
            let (firm, strategy) = names(&store, firm_id, strategy_id)?;
            println_escaped!(
                "{done} assessment {}: {firm} is {} on '{strategy}' (revision {}).",
                saved.id,
                records::enum_name(&saved.draft.stance),
                saved.revision
            );
            Ok(ExitCode::SUCCESS)
        }
        AssessmentAction::Show {
            firm,
            strategy,
            json,
        } => {
            let store = Store::open_read_only(path)?;
            let firm_id = firms::resolve(&store, "firm", &firm)?;
            let strategy_id = strategies::resolve(&store, "strategy", &strategy)?;
            let id = assessments::find(&store, firm_id, strategy_id)?.ok_or_else(|| {
                Error::invalid(
                    "strategy",
                    format!("'{firm}' has no assessment on '{strategy}'; `chipwatch assessment set` adds one"),
                )
            })?;
            let editing = assessments::load_draft(&store, id)?;
            if json {
                return crate::print_json(&editing);
            }
            let draft = &editing.draft;
            let (firm, strategy) = names(&store, firm_id, strategy_id)?;
            println_escaped!(
                "{firm} on '{strategy}'  (assessment {}, revision {})",
                editing.id,
                editing.revision
            );
            records::show_line("stance", &records::enum_name(&draft.stance));
            records::show_option("as of", draft.as_of.as_ref());
            for e in &draft.evidence {
                let locator = e
                    .locator
                    .as_deref()
                    .map(|l| format!(", {l}"))
                    .unwrap_or_default();
                records::show_line("evidence", &format!("source {}{locator}", e.source_id));
                if let Some(excerpt) = &e.excerpt {
                    records::show_line("  excerpt", excerpt);
                }
            }
            records::show_block("summary", &draft.summary);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The firm's and the strategy's names, for people.
fn names(store: &Store, firm_id: i64, strategy_id: i64) -> Result<(String, String), Error> {
    Ok((
        firms::load_draft(store, firm_id)?.draft.name,
        strategies::load_draft(store, strategy_id)?.draft.name,
    ))
}

//! `chipwatch firm add|edit|show`, `chipwatch listing add|remove` and
//! `chipwatch mention list|remove`, over `chipwatch_core::firms` (a firm's
//! listings are saved with the firm, as its form saves them) and the import's
//! firm mentions.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::import;
use chipwatch_core::model::{Editing, FirmDraft, FirmKind, ListingDraft};
use chipwatch_core::{firms, mentions, sources, Error, Store};
use clap::{Args, Subcommand};

use crate::records::{self, Revision};

#[derive(Subcommand)]
pub enum FirmAction {
    /// Add a firm
    Add {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        fields: FirmFields,
        /// Print the saved firm as JSON
        #[arg(long)]
        json: bool,
    },
    /// Change the fields given and keep the rest, on the revision read (or --revision)
    Edit {
        /// The firm: its name, an alias, its native name or its id
        firm: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: FirmFields,
        #[command(flatten)]
        revision: Revision,
        #[arg(long)]
        json: bool,
    },
    /// Show a firm with its listings (read-only); --json prints what `edit` edits
    Show {
        /// The firm: its name, an alias, its native name or its id
        firm: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct FirmFields {
    #[arg(long, value_name = "NAME")]
    native_name: Option<String>,
    /// Another name (repeat for more; on edit they replace all aliases, and
    /// --alias "" removes them)
    #[arg(long = "alias", value_name = "ALIAS")]
    aliases: Vec<String>,
    /// company (the default), foundry, lab or agency
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// Two-letter country code (CN, US, TW)
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// The parent firm: name, alias or id ("" for none)
    #[arg(long, value_name = "FIRM")]
    parent: Option<String>,
    #[arg(long, value_name = "URL")]
    website: Option<String>,
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    summary: Option<String>,
}

impl FirmFields {
    fn apply(&self, store: &Store, draft: &mut FirmDraft) -> Result<(), Error> {
        if let Some(native_name) = &self.native_name {
            draft.native_name = Some(native_name.clone());
        }
        if !self.aliases.is_empty() {
            draft.aliases.clone_from(&self.aliases);
        }
        if let Some(kind) = &self.kind {
            draft.kind = records::enum_value("kind", kind)?;
        }
        if let Some(country) = &self.country {
            draft.country = Some(country.clone());
        }
        if let Some(parent) = &self.parent {
            draft.parent_firm_id = match parent.trim() {
                "" => None,
                named => Some(firms::resolve(store, "parentFirmId", named)?),
            };
        }
        if let Some(website) = &self.website {
            draft.website = Some(website.clone());
        }
        if let Some(summary) = &self.summary {
            draft.summary.clone_from(summary);
        }
        Ok(())
    }
}

#[derive(Subcommand)]
pub enum ListingAction {
    /// Add an export-control listing to a firm (saved with the firm, on the
    /// revision read or --revision)
    Add {
        /// The firm: its name, an alias, its native name or its id
        #[arg(long)]
        firm: String,
        /// The list, e.g. "Entity List"
        #[arg(long = "list", value_name = "LIST")]
        list_name: String,
        /// When it was listed: 2019, May 2019, 16 May 2019, 2019-05-16 or 2019年5月16日
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// E.g. "84 FR 22961"
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        citation: Option<String>,
        /// The source that records it, by id
        #[arg(long, value_name = "SOURCE_ID")]
        source: Option<String>,
        #[command(flatten)]
        revision: Revision,
        /// Print the saved firm as JSON
        #[arg(long)]
        json: bool,
    },
    /// Remove a firm's listing N, as `chipwatch firm show` numbers them
    Remove {
        #[arg(long)]
        firm: String,
        #[arg(value_name = "N")]
        position: usize,
        #[command(flatten)]
        revision: Revision,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum MentionAction {
    /// The sources an import found mentioning a firm, newest first (read-only)
    List {
        firm: String,
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Remove mentions found wrong (a name that means something else there):
    /// one or more --source, or --all; the sources and the firm stay, and
    /// nothing is removed if one of them is not a mention of the firm
    Remove {
        #[arg(
            long = "source",
            value_name = "SOURCE_ID",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        sources: Vec<String>,
        #[arg(long)]
        firm: String,
        /// Every mention of the firm
        #[arg(long)]
        all: bool,
    },
}

pub fn firm_command(path: &Path, action: FirmAction) -> Result<ExitCode, Error> {
    match action {
        FirmAction::Add { name, fields, json } => {
            let mut store = Store::open(path)?;
            let mut draft = FirmDraft {
                name,
                native_name: None,
                aliases: Vec::new(),
                kind: FirmKind::Company,
                country: None,
                parent_firm_id: None,
                website: None,
                summary: String::new(),
                listings: Vec::new(),
            };
            fields.apply(&store, &mut draft)?;
            let saved = firms::save(&mut store, None, None, &draft)?;
            print_firm(json, &saved, "Added")
        }
        FirmAction::Edit {
            firm,
            name,
            fields,
            revision,
            json,
        } => {
            let mut store = Store::open(path)?;
            let id = firms::resolve(&store, "firm", &firm)?;
            let loaded = firms::load_draft(&store, id)?;
            let mut draft = loaded.draft;
            if let Some(name) = name {
                draft.name = name;
            }
            fields.apply(&store, &mut draft)?;
            let saved = firms::save(
                &mut store,
                Some(id),
                Some(revision.or(loaded.revision)),
                &draft,
            )?;
            print_firm(json, &saved, "Saved")
        }
        FirmAction::Show { firm, json } => {
            let store = Store::open_read_only(path)?;
            let id = firms::resolve(&store, "firm", &firm)?;
            let editing = firms::load_draft(&store, id)?;
            if json {
                return crate::print_json(&editing);
            }
            show_firm(&store, &editing)
        }
    }
}

fn print_firm(json: bool, saved: &Editing<FirmDraft>, done: &str) -> Result<ExitCode, Error> {
    records::print_saved(
        json,
        saved,
        done,
        "firm",
        saved.id,
        &saved.draft.name,
        saved.revision,
    )
}

fn show_firm(store: &Store, editing: &Editing<FirmDraft>) -> Result<ExitCode, Error> {
    let firm = chipwatch_core::profile::load_profile(store, editing.id)?.firm;
    let draft = &editing.draft;
    println_escaped!(
        "{}  (firm {}, revision {})",
        draft.name,
        editing.id,
        editing.revision
    );
    records::show_option("native name", draft.native_name.as_ref());
    records::show_line("aliases", &draft.aliases.join("; "));
    records::show_line("kind", &records::enum_name(&draft.kind));
    records::show_option("country", draft.country.as_ref());
    if let Some(parent) = &firm.parent {
        records::show_line("parent", &format!("{} (firm {})", parent.name, parent.id));
    }
    records::show_option("website", draft.website.as_ref());
    for (n, listing) in draft.listings.iter().enumerate() {
        let mut parts = vec![listing.list_name.clone()];
        parts.extend(listing.listed_on.clone());
        parts.extend(listing.citation.clone());
        parts.extend(listing.source_id.map(|s| format!("source {s}")));
        records::show_line(&format!("listing {}", n + 1), &parts.join(", "));
    }
    records::show_block("summary", &draft.summary);
    Ok(ExitCode::SUCCESS)
}

pub fn listing_command(path: &Path, action: ListingAction) -> Result<ExitCode, Error> {
    let mut store = Store::open(path)?;
    let (firm, revision, json, change): (String, Revision, bool, Change) = match action {
        ListingAction::Add {
            firm,
            list_name,
            date,
            citation,
            source,
            revision,
            json,
        } => {
            let source_id = match source.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(records::id("sourceId", "source", text)?),
            };
            let listing = ListingDraft {
                list_name,
                listed_on: date,
                citation,
                source_id,
                details: Default::default(),
            };
            (firm, revision, json, Change::Add(listing))
        }
        ListingAction::Remove {
            firm,
            position,
            revision,
            json,
        } => (firm, revision, json, Change::Remove(position)),
    };
    let id = firms::resolve(&store, "firm", &firm)?;
    let loaded = firms::load_draft(&store, id)?;
    let mut draft = loaded.draft;
    let done = match change {
        Change::Add(listing) => {
            draft.listings.push(listing);
            "Added a listing to"
        }
        Change::Remove(position) => {
            if position == 0 || position > draft.listings.len() {
                let which = match draft.listings.len() {
                    0 => "none".to_owned(),
                    1 => "one; give 1".to_owned(),
                    n => {
                        format!("{n}; give one of 1 to {n}, as `chipwatch firm show` numbers them")
                    }
                };
                return Err(Error::invalid(
                    "listings",
                    format!("there is no listing {position}: {} has {which}", draft.name),
                ));
            }
            draft.listings.remove(position - 1);
            "Removed a listing from"
        }
    };
    let saved = firms::save(
        &mut store,
        Some(id),
        Some(revision.or(loaded.revision)),
        &draft,
    )?;
    if json {
        return crate::print_json(&saved);
    }
    println_escaped!(
        "{done} firm {} '{}' (revision {}); it has {} listings.",
        saved.id,
        saved.draft.name,
        saved.revision,
        saved.draft.listings.len()
    );
    Ok(ExitCode::SUCCESS)
}

enum Change {
    Add(ListingDraft),
    Remove(usize),
}

/// "1 mention", "2 mentions".
fn mention_count(count: u32) -> String {
    if count == 1 {
        "1 mention".to_owned()
    } else {
        format!("{count} mentions")
    }
}

pub fn mention_command(path: &Path, action: MentionAction) -> Result<ExitCode, Error> {
    match action {
        MentionAction::List { firm, limit, json } => {
            let store = Store::open_read_only(path)?;
            let id = firms::resolve(&store, "firm", &firm)?;
            let mentions = import::mentions_of_firm(&store, id, limit)?;
            if json {
                return crate::print_json(&mentions);
            }
            for source in &mentions.sources {
                println_escaped!("{:>7}  {}", source.id, source.title);
            }
            println_escaped!(
                "{} of {} sources mentioning it.",
                mentions.sources.len(),
                mentions.total
            );
            Ok(ExitCode::SUCCESS)
        }
        MentionAction::Remove {
            sources: source_texts,
            firm,
            all,
        } => {
            let mut store = Store::open(path)?;
            let firm_id = firms::resolve(&store, "firm", &firm)?;
            if all {
                // The count read just before, so mentions added meanwhile are refused, not removed.
                let shown = mentions::page(
                    &store,
                    &mentions::MentionPageQuery {
                        firm_id,
                        sort: mentions::MentionSort::Added,
                        descending: true,
                        offset: 0,
                        limit: 1,
                    },
                )?
                .total;
                let removed = mentions::remove(
                    &mut store,
                    firm_id,
                    &mentions::MentionSelection::All { expected: shown },
                )?;
                println_escaped!("Removed {} of firm {firm_id}.", mention_count(removed));
                return Ok(ExitCode::SUCCESS);
            }
            let source_ids = source_texts
                .iter()
                .map(|text| records::id("source", "source", text))
                .collect::<Result<Vec<_>, _>>()?;
            if let [source_id] = source_ids[..] {
                import::remove_mention(&mut store, source_id, firm_id)?;
                let title = sources::by_ids(&store, &[source_id])?
                    .into_iter()
                    .next()
                    .map(|s| s.title)
                    .unwrap_or_default();
                println_escaped!("Source {source_id} '{title}' no longer mentions firm {firm_id}.");
                return Ok(ExitCode::SUCCESS);
            }
            let removed = mentions::remove(
                &mut store,
                firm_id,
                &mentions::MentionSelection::Sources { source_ids },
            )?;
            println_escaped!("Removed {} of firm {firm_id}.", mention_count(removed));
            Ok(ExitCode::SUCCESS)
        }
    }
}

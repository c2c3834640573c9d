//! `chipwatch event add|edit|show`, over `chipwatch_core::events`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::model::{Editing, EventDraft, EventKind};
use chipwatch_core::{events, firms, Error, Store};
use clap::{Args, Subcommand};

use crate::records::{self, Revision};

#[derive(Subcommand)]
pub enum EventAction {
    /// Add an event to the timeline
    Add {
        /// When: 2023, Oct 2023, 17 Oct 2023, 2023-10-17 or 2023年10月17日
        #[arg(long, visible_alias = "date", value_name = "DATE")]
        occurred_on: String,
        #[arg(long, allow_hyphen_values = true)]
        title: String,
        #[command(flatten)]
        fields: EventFields,
        /// Print the saved event as JSON
        #[arg(long)]
        json: bool,
    },
    /// Change the fields given and keep the rest, on the revision read (or --revision)
    Edit {
        #[arg(value_name = "EVENT_ID")]
        event: String,
        #[arg(long, visible_alias = "date", value_name = "DATE")]
        occurred_on: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        title: Option<String>,
        #[command(flatten)]
        fields: EventFields,
        #[command(flatten)]
        revision: Revision,
        #[arg(long)]
        json: bool,
    },
    /// Show an event (read-only); --json prints what `edit` edits
    Show {
        #[arg(value_name = "EVENT_ID")]
        event: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct EventFields {
    /// launch (the default), regulation, listing, deal or funding
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    description: Option<String>,
    /// A firm concerned: name, alias or id (repeat for more; on edit they
    /// replace all, and --firm "" removes them)
    #[arg(long = "firm", value_name = "FIRM")]
    firms: Vec<String>,
    /// A source, by id (repeat for more; on edit they replace all, and
    /// --source "" removes them)
    #[arg(long = "source", value_name = "SOURCE_ID")]
    sources: Vec<String>,
}

impl EventFields {
    fn apply(&self, store: &Store, draft: &mut EventDraft) -> Result<(), Error> {
        if let Some(kind) = &self.kind {
            draft.kind = records::enum_value("kind", kind)?;
        }
        if let Some(description) = &self.description {
            draft.description.clone_from(description);
        }
        if !self.firms.is_empty() {
            draft.firm_ids = self
                .firms
                .iter()
                .filter(|f| !f.trim().is_empty())
                .map(|f| firms::resolve(store, "firmIds", f))
                .collect::<Result<_, _>>()?;
        }
        if !self.sources.is_empty() {
            draft.source_ids = records::ids("sourceIds", "source", &self.sources)?;
        }
        Ok(())
    }
}

pub fn event_command(path: &Path, action: EventAction) -> Result<ExitCode, Error> {
    match action {
        EventAction::Add {
            occurred_on,
            title,
            fields,
            json,
        } => {
            let mut store = Store::open(path)?;
            let mut draft = EventDraft {
                occurred_on,
                kind: EventKind::Launch,
                title,
                description: String::new(),
                firm_ids: Vec::new(),
                source_ids: Vec::new(),
            };
            fields.apply(&store, &mut draft)?;
            let saved = events::save(&mut store, None, None, &draft)?;
            print_event(json, &saved, "Added")
        }
        EventAction::Edit {
            event,
            occurred_on,
            title,
            fields,
            revision,
            json,
        } => {
            let id = records::id("event", "event", &event)?;
            let mut store = Store::open(path)?;
            let loaded = events::load_draft(&store, id)?;
            let mut draft = loaded.draft;
            if let Some(occurred_on) = occurred_on {
                draft.occurred_on = occurred_on;
            }
            if let Some(title) = title {
                draft.title = title;
            }
            fields.apply(&store, &mut draft)?;
            let saved = events::save(
                &mut store,
                Some(id),
                Some(revision.or(loaded.revision)),
                &draft,
            )?;
            print_event(json, &saved, "Saved")
        }
        EventAction::Show { event, json } => {
            let id = records::id("event", "event", &event)?;
            let store = Store::open_read_only(path)?;
            let editing = events::load_draft(&store, id)?;
            if json {
                return crate::print_json(&editing);
            }
            let draft = &editing.draft;
            println_escaped!(
                "{}  (event {}, revision {})",
                draft.title,
                editing.id,
                editing.revision
            );
            records::show_line("date", &draft.occurred_on);
            records::show_line("kind", &records::enum_name(&draft.kind));
            let names = draft
                .firm_ids
                .iter()
                .map(|&f| firms::load_draft(&store, f).map(|d| format!("{} ({f})", d.draft.name)))
                .collect::<Result<Vec<_>, _>>()?;
            records::show_line("firms", &names.join(", "));
            let ids: Vec<String> = draft.source_ids.iter().map(ToString::to_string).collect();
            records::show_line("sources", &ids.join(", "));
            records::show_block("description", &draft.description);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_event(json: bool, saved: &Editing<EventDraft>, done: &str) -> Result<ExitCode, Error> {
    records::print_saved(
        json,
        saved,
        done,
        "event",
        saved.id,
        &saved.draft.title,
        saved.revision,
    )
}

//! `chipwatch note show|add|edit`, over `chipwatch_core::notes`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::model::{Note, NoteDraft};
use chipwatch_core::{notes, Error, Store};
use clap::Subcommand;

use crate::records::{self, Revision};

#[derive(Subcommand)]
pub enum NoteAction {
    /// Show a note with its links (read-only)
    Show {
        id: i64,
        /// Print only the body as the safe HTML the app shows
        #[arg(long, conflicts_with = "json")]
        html: bool,
        /// Print the note, its HTML and its links as JSON
        #[arg(long)]
        json: bool,
    },
    /// Add a note; [[links]] in the body become its links
    Add {
        #[arg(long, allow_hyphen_values = true)]
        title: String,
        /// Markdown; `-` reads it from standard input
        #[arg(long, default_value = "", allow_hyphen_values = true)]
        body: String,
        /// A tag (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Print the saved note as JSON
        #[arg(long)]
        json: bool,
    },
    /// Change the title, body or tags given and keep the rest, on the revision
    /// read (or --revision); [[links]] are read again from the body
    Edit {
        id: i64,
        #[arg(long, allow_hyphen_values = true)]
        title: Option<String>,
        /// Markdown; `-` reads it from standard input
        #[arg(long, allow_hyphen_values = true)]
        body: Option<String>,
        /// A tag (repeat for more; they replace all tags, and --tag "" removes them)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        #[command(flatten)]
        revision: Revision,
        #[arg(long)]
        json: bool,
    },
}

pub fn note_command(path: &Path, action: NoteAction) -> Result<ExitCode, Error> {
    match action {
        NoteAction::Show { id, html, json } => show(path, id, html, json),
        NoteAction::Add {
            title,
            body,
            tags,
            json,
        } => {
            let body = records::text_or_stdin(body)?;
            let mut store = Store::open(path)?;
            let draft = NoteDraft { title, body, tags };
            let saved = notes::save(&mut store, None, &draft, None)?;
            print_note(&store, json, &saved, "Added")
        }
        NoteAction::Edit {
            id,
            title,
            body,
            tags,
            revision,
            json,
        } => {
            let body = body.map(records::text_or_stdin).transpose()?;
            let mut store = Store::open(path)?;
            let loaded = notes::render(&store, id)?.note;
            let draft = NoteDraft {
                title: title.unwrap_or(loaded.title),
                body: body.unwrap_or(loaded.body),
                tags: if tags.is_empty() { loaded.tags } else { tags },
            };
            let saved = notes::save(
                &mut store,
                Some(id),
                &draft,
                Some(revision.or(loaded.revision)),
            )?;
            print_note(&store, json, &saved, "Saved")
        }
    }
}

fn print_note(store: &Store, json: bool, saved: &Note, done: &str) -> Result<ExitCode, Error> {
    if json {
        return crate::print_json(saved);
    }
    let links = notes::render(store, saved.id)?.links.len();
    let plural = if links == 1 { "" } else { "s" };
    println_escaped!(
        "{done} note {}: {} ({links} link{plural}); revision {}",
        saved.id,
        saved.title,
        saved.revision
    );
    Ok(ExitCode::SUCCESS)
}

fn show(path: &Path, id: i64, html: bool, json: bool) -> Result<ExitCode, Error> {
    let rendered = notes::render(&Store::open_read_only(path)?, id)?;
    if json {
        return crate::print_json(&rendered);
    }
    if html {
        print_text_escaped!("{}", rendered.html);
        return Ok(ExitCode::SUCCESS);
    }
    let note = &rendered.note;
    println_escaped!("{}", note.title);
    if !note.tags.is_empty() {
        println_escaped!("tags: {}", note.tags.join(", "));
    }
    println_escaped!("revision {}, updated {}", note.revision, note.updated_at);
    for link in &rendered.links {
        println_escaped!(
            "links to {} {}: {}",
            link.kind.as_str(),
            link.id,
            link.label
        );
    }
    for missing in &rendered.missing_links {
        println_escaped!("links to nothing: [[{missing}]]");
    }
    print_text_escaped!("\n{}\n", note.body);
    Ok(ExitCode::SUCCESS)
}

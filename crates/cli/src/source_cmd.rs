//! `chipwatch source add|edit|show`, over `chipwatch_core::sources`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::model::{Editing, SourceDraft, SourceKind};
use chipwatch_core::{sources, Error, Store};
use clap::{Args, Subcommand};

use crate::records::{self, Revision};

#[derive(Subcommand)]
pub enum SourceAction {
    /// Add a source
    Add {
        #[arg(long, allow_hyphen_values = true)]
        title: String,
        #[command(flatten)]
        fields: SourceFields,
        /// Print the saved source as JSON
        #[arg(long)]
        json: bool,
    },
    /// Change the fields given and keep the rest, on the revision read (or --revision)
    Edit {
        #[arg(value_name = "SOURCE_ID")]
        source: String,
        #[arg(long, allow_hyphen_values = true)]
        title: Option<String>,
        #[command(flatten)]
        fields: SourceFields,
        #[command(flatten)]
        revision: Revision,
        #[arg(long)]
        json: bool,
    },
    /// Show a source (read-only); --json prints what `edit` edits
    Show {
        #[arg(value_name = "SOURCE_ID")]
        source: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct SourceFields {
    /// article (the default), report, regulation, dataset, paper, filing, web, book or other
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// As they are to be shown, e.g. "Allen, Gregory C.; 李明"
    #[arg(long, value_name = "TEXT")]
    authors: Option<String>,
    #[arg(long, value_name = "TEXT")]
    publisher: Option<String>,
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// 10.1038/... (a doi.org link is accepted)
    #[arg(long, value_name = "DOI")]
    doi: Option<String>,
    /// 2023, Oct 2023, 17 Oct 2023, 2023-10-17 or 2023年10月17日
    #[arg(long, value_name = "DATE")]
    published_on: Option<String>,
    /// A day: 17 Oct 2023, 2023-10-17 or 2023年10月17日
    #[arg(long, value_name = "DATE")]
    accessed_on: Option<String>,
    /// A language code, e.g. en, zh
    #[arg(long, value_name = "CODE")]
    language: Option<String>,
    #[arg(long = "abstract", value_name = "TEXT", allow_hyphen_values = true)]
    abstract_text: Option<String>,
    /// Admiralty grade of the source: A (reliable) to F (cannot be judged)
    #[arg(long, value_name = "A-F")]
    reliability: Option<String>,
    /// Admiralty grade of the information: 1 (confirmed) to 6 (cannot be judged)
    #[arg(long, value_name = "1-6", allow_negative_numbers = true)]
    credibility: Option<String>,
    /// A tag (repeat for more; on edit they replace all tags, and --tag "" removes them)
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
}

impl SourceFields {
    fn apply(&self, draft: &mut SourceDraft) -> Result<(), Error> {
        if let Some(kind) = &self.kind {
            draft.kind = records::enum_value("kind", kind)?;
        }
        let texts = [
            (&self.authors, &mut draft.authors),
            (&self.publisher, &mut draft.publisher),
            (&self.url, &mut draft.url),
            (&self.doi, &mut draft.doi),
            (&self.published_on, &mut draft.published_on),
            (&self.accessed_on, &mut draft.accessed_on),
            (&self.language, &mut draft.language),
            (&self.abstract_text, &mut draft.r#abstract),
            (&self.reliability, &mut draft.reliability),
        ];
        for (given, field) in texts {
            if let Some(value) = given {
                *field = Some(value.clone());
            }
        }
        if let Some(credibility) = &self.credibility {
            draft.credibility = records::integer("credibility", credibility)?;
        }
        if !self.tags.is_empty() {
            draft.tags.clone_from(&self.tags);
        }
        Ok(())
    }
}

pub fn source_command(path: &Path, action: SourceAction) -> Result<ExitCode, Error> {
    match action {
        SourceAction::Add {
            title,
            fields,
            json,
        } => {
            let mut draft = SourceDraft {
                kind: SourceKind::Article,
                title,
                authors: None,
                publisher: None,
                url: None,
                doi: None,
                published_on: None,
                accessed_on: None,
                language: None,
                r#abstract: None,
                reliability: None,
                credibility: None,
                tags: Vec::new(),
            };
            fields.apply(&mut draft)?;
            let saved = sources::save(&mut Store::open(path)?, None, None, &draft)?;
            print_source(json, &saved, "Added")
        }
        SourceAction::Edit {
            source,
            title,
            fields,
            revision,
            json,
        } => {
            let id = records::id("source", "source", &source)?;
            let mut store = Store::open(path)?;
            let loaded = sources::load_draft(&store, id)?;
            let mut draft = loaded.draft;
            if let Some(title) = title {
                draft.title = title;
            }
            fields.apply(&mut draft)?;
            let saved = sources::save(
                &mut store,
                Some(id),
                Some(revision.or(loaded.revision)),
                &draft,
            )?;
            print_source(json, &saved, "Saved")
        }
        SourceAction::Show { source, json } => {
            let id = records::id("source", "source", &source)?;
            let editing = sources::load_draft(&Store::open_read_only(path)?, id)?;
            if json {
                return crate::print_json(&editing);
            }
            let draft = &editing.draft;
            println_escaped!(
                "{}  (source {}, revision {})",
                draft.title,
                editing.id,
                editing.revision
            );
            records::show_line("kind", &records::enum_name(&draft.kind));
            records::show_option("authors", draft.authors.as_ref());
            records::show_option("publisher", draft.publisher.as_ref());
            records::show_option("published", draft.published_on.as_ref());
            records::show_option("url", draft.url.as_ref());
            records::show_option("doi", draft.doi.as_ref());
            records::show_option("accessed", draft.accessed_on.as_ref());
            records::show_option("language", draft.language.as_ref());
            records::show_option("reliability", draft.reliability.as_ref());
            records::show_option("credibility", draft.credibility.as_ref());
            records::show_line("tags", &draft.tags.join(", "));
            records::show_block("abstract", draft.r#abstract.as_deref().unwrap_or_default());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_source(json: bool, saved: &Editing<SourceDraft>, done: &str) -> Result<ExitCode, Error> {
    records::print_saved(
        json,
        saved,
        done,
        "source",
        saved.id,
        &saved.draft.title,
        saved.revision,
    )
}

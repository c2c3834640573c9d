//! `chipwatch source add|edit|show`, over `chipwatch_core::sources`, and the
//! bulk actions `source tag|untag|about|not-about|trash` over `sources_bulk`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::model::{
    BulkOutcome, Editing, SourceDraft, SourceFilter, SourceKind, SourceSelection,
};
use chipwatch_core::{firms, sources, sources_bulk, Error, Store};
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
    /// Tag the selected sources (the tag is created if new)
    Tag {
        tag: String,
        #[command(flatten)]
        selection: SelectionArgs,
    },
    /// Take a tag off the selected sources
    Untag {
        tag: String,
        #[command(flatten)]
        selection: SelectionArgs,
    },
    /// Mark the selected sources as about a firm (listed on its profile)
    About {
        #[arg(value_name = "FIRM")]
        firm_name: String,
        #[command(flatten)]
        selection: SelectionArgs,
    },
    /// Not about this firm: remove the firm's mention from the selected sources
    NotAbout {
        #[arg(value_name = "FIRM")]
        firm_name: String,
        #[command(flatten)]
        selection: SelectionArgs,
    },
    /// Move the selected sources to the Trash (each restorable); --dry-run shows what goes
    Trash {
        #[command(flatten)]
        selection: SelectionArgs,
        #[arg(long)]
        dry_run: bool,
    },
}

/// Which sources a bulk action takes: by id, or every source the filter lets
/// through (all conditions together), or --all.
#[derive(Args)]
pub(crate) struct SelectionArgs {
    /// A source id (repeat for more)
    #[arg(long = "id", value_name = "SOURCE_ID")]
    ids: Vec<String>,
    /// Every source (with the filter flags: every source they let through)
    #[arg(long)]
    all: bool,
    /// Words as the search box reads them (words, prefixes, 中文)
    #[arg(long, value_name = "TEXT")]
    words: Option<String>,
    /// Sources an import added (`chipwatch import list` shows the batches)
    #[arg(long, value_name = "BATCH_ID")]
    import_batch: Option<i64>,
    /// article, report, regulation, dataset, paper, filing, web, book or other
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// A reliability grade A to F, or none
    #[arg(long, value_name = "GRADE")]
    reliability: Option<String>,
    /// Published on or after (2023, Oct 2023, 2023-10-17, 2023年10月)
    #[arg(long, value_name = "DATE")]
    published_from: Option<String>,
    /// Published on or before (a month or year includes all of it)
    #[arg(long, value_name = "DATE")]
    published_to: Option<String>,
    /// Sources about a firm: they mention it, or its claims cite them
    #[arg(long, value_name = "FIRM")]
    firm: Option<String>,
    /// Leave this source out (repeat for more)
    #[arg(long = "except", value_name = "SOURCE_ID")]
    except: Vec<String>,
}

impl SelectionArgs {
    /// Whether any flag names sources (ids, --all or a filter).
    pub(crate) fn names_any(&self) -> bool {
        self.all
            || !self.ids.is_empty()
            || self.words.is_some()
            || self.import_batch.is_some()
            || self.kind.is_some()
            || self.reliability.is_some()
            || self.published_from.is_some()
            || self.published_to.is_some()
            || self.firm.is_some()
    }

    /// The firm named by --firm when it is the only flag: that firm's sources.
    pub(crate) fn only_firm(&self) -> Option<&str> {
        let only = !self.all
            && self.ids.is_empty()
            && self.except.is_empty()
            && self.words.is_none()
            && self.import_batch.is_none()
            && self.kind.is_none()
            && self.reliability.is_none()
            && self.published_from.is_none()
            && self.published_to.is_none();
        self.firm.as_deref().filter(|_| only)
    }

    pub(crate) fn selection(&self, store: &Store) -> Result<SourceSelection, Error> {
        let ids = records::ids("id", "source", &self.ids)?;
        let filter = SourceFilter {
            words: self.words.clone(),
            import_batch: self.import_batch,
            kind: match &self.kind {
                Some(kind) => Some(records::enum_value("kind", kind)?),
                None => None,
            },
            reliability: self.reliability.clone(),
            published_from: self.published_from.clone(),
            published_to: self.published_to.clone(),
            firm: match &self.firm {
                Some(firm) => Some(firms::resolve(store, "firm", firm)?),
                None => None,
            },
        };
        let filtered = filter != SourceFilter::default();
        match (ids.is_empty(), filtered || self.all) {
            (false, false) => Ok(SourceSelection::Ids { ids }),
            (true, true) => Ok(SourceSelection::Matching {
                filter,
                except: records::ids("except", "source", &self.except)?,
            }),
            (false, true) => Err(Error::invalid(
                "id",
                "--id picks sources one by one; leave it out when a filter or --all selects them",
            )),
            (true, false) => Err(Error::invalid(
                "selection",
                "name the sources: --id SOURCE_ID, filter flags (--kind, --words, --firm …), or --all",
            )),
        }
    }
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
        SourceAction::Tag { tag, selection } => {
            let mut store = Store::open(path)?;
            let selection = selection.selection(&store)?;
            let done = sources_bulk::add_tag(&mut store, &selection, &tag)?;
            print_outcome(&done, &format!("tagged '{tag}'"), "had it already")
        }
        SourceAction::Untag { tag, selection } => {
            let mut store = Store::open(path)?;
            let selection = selection.selection(&store)?;
            let done = sources_bulk::remove_tag(&mut store, &selection, &tag)?;
            print_outcome(
                &done,
                &format!("no longer tagged '{tag}'"),
                "did not have it",
            )
        }
        SourceAction::About {
            firm_name: firm,
            selection,
        } => {
            let mut store = Store::open(path)?;
            let firm_id = firms::resolve(&store, "firm", &firm)?;
            let selection = selection.selection(&store)?;
            let done = sources_bulk::link_firm(&mut store, &selection, firm_id)?;
            print_outcome(&done, &format!("now about '{firm}'"), "were already")
        }
        SourceAction::NotAbout {
            firm_name: firm,
            selection,
        } => {
            let mut store = Store::open(path)?;
            let firm_id = firms::resolve(&store, "firm", &firm)?;
            let selection = selection.selection(&store)?;
            let done = sources_bulk::unlink_firm(&mut store, &selection, firm_id)?;
            print_outcome(
                &done,
                &format!("no longer mention '{firm}'"),
                "did not mention it",
            )
        }
        SourceAction::Trash { selection, dry_run } => {
            let mut store = Store::open(path)?;
            let selection = selection.selection(&store)?;
            if dry_run {
                let impact = sources_bulk::trash_impact(&store, &selection)?;
                println_escaped!(
                    "Would move {} to the Trash; {} cited by claims ({} citations), {} named in notes.",
                    sources_count(impact.selected),
                    impact.cited,
                    impact.citations,
                    impact.noted
                );
                return Ok(ExitCode::SUCCESS);
            }
            let done = sources_bulk::trash(&mut store, &selection)?;
            println_escaped!(
                "Moved {} to the Trash (`chipwatch trash list`).",
                sources_count(done.changed)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn sources_count(n: i64) -> String {
    if n == 1 {
        "1 source".to_owned()
    } else {
        format!("{n} sources")
    }
}

/// "312 sources tagged 'x' (12 had it already)."
fn print_outcome(done: &BulkOutcome, changed: &str, unchanged: &str) -> Result<ExitCode, Error> {
    let rest = done.selected - done.changed;
    if rest > 0 {
        println_escaped!(
            "{} {changed} ({rest} {unchanged}).",
            sources_count(done.changed)
        );
    } else {
        println_escaped!("{} {changed}.", sources_count(done.changed));
    }
    Ok(ExitCode::SUCCESS)
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

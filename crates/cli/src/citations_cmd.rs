//! `chipwatch export citations`: sources as BibTeX, RIS or CSL-JSON, over
//! `chipwatch_core::citations`. Which sources: the Sources list's selection
//! flags (shared with the bulk actions of `chipwatch source`), `--firm` alone
//! for a firm's sources, or `--comparison` for what a saved comparison cites.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::citations::{self, CitationExportRequest, CitationFormat, CitationScope};
use chipwatch_core::compare::saved;
use chipwatch_core::{firms, Error, Store};
use clap::{Args, ValueEnum};

use crate::source_cmd::SelectionArgs;

#[derive(Args)]
pub struct CitationArgs {
    #[arg(long, value_enum)]
    format: FormatArg,
    /// The file to write (replaced whole if it exists)
    #[arg(long, value_name = "FILE")]
    out: std::path::PathBuf,
    /// The sources a saved comparison's cells cite
    #[arg(long, value_name = "NAME")]
    comparison: Option<String>,
    #[command(flatten)]
    sources: SelectionArgs,
    /// Print what was written as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Bibtex,
    Ris,
    CslJson,
}

impl From<FormatArg> for CitationFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Bibtex => CitationFormat::Bibtex,
            FormatArg::Ris => CitationFormat::Ris,
            FormatArg::CslJson => CitationFormat::CslJson,
        }
    }
}

pub fn export_citations(path: &Path, args: &CitationArgs) -> Result<ExitCode, Error> {
    let store = Store::open_read_only(path)?;
    let scope = scope(&store, args)?;
    let format = CitationFormat::from(args.format);
    let summary = citations::export(
        &store,
        &CitationExportRequest {
            scope,
            format,
            path: args.out.display().to_string(),
        },
    )?;
    if args.json {
        return crate::print_json(&summary);
    }
    println_escaped!(
        "Wrote {} {} to {} ({}).",
        summary.sources,
        if summary.sources == 1 {
            "source"
        } else {
            "sources"
        },
        summary.path,
        format.label()
    );
    Ok(ExitCode::SUCCESS)
}

fn scope(store: &Store, args: &CitationArgs) -> Result<CitationScope, Error> {
    let names_sources = args.sources.names_any();
    match (&args.comparison, names_sources) {
        (Some(_), true) => Err(Error::invalid(
            "comparison",
            "--comparison exports what the comparison cites; leave out --all, --id and the filter flags",
        )),
        (Some(name), false) => match saved::find_by_name(store, name)? {
            Some(found) => Ok(CitationScope::Comparison {
                selection: found.selection,
            }),
            None => {
                let names: Vec<String> = saved::list(store)?.into_iter().map(|s| s.name).collect();
                let known = if names.is_empty() {
                    "there are none yet; `chipwatch compare save` makes one".to_owned()
                } else {
                    format!("the saved ones are: {}", names.join(", "))
                };
                Err(Error::invalid(
                    "comparison",
                    format!("no saved comparison is called '{name}'; {known}"),
                ))
            }
        },
        (None, false) => Err(Error::invalid(
            "selection",
            "name the sources: --all, filter flags (--kind, --words, --firm …), --id SOURCE_ID, \
             or --comparison NAME; nothing was written",
        )),
        (None, true) => match args.sources.only_firm() {
            Some(firm) => Ok(CitationScope::Firm {
                firm_id: firms::resolve(store, "firm", firm)?,
            }),
            None => Ok(CitationScope::Sources {
                selection: args.sources.selection(store)?,
            }),
        },
    }
}

//! `chipwatch chip add|edit|show`, over `chipwatch_core::chips`. Every chip is
//! printed with the TPP, performance density and 3A090 paragraphs the core
//! computes from its figures.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::model::{ChipDraft, ChipMetrics, Editing};
use chipwatch_core::vocabulary::NOT_RECORDED;
use chipwatch_core::{chips, firms, Error, Store};
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::records::{self, Revision};

#[derive(Subcommand)]
pub enum ChipAction {
    /// Add a chip
    Add {
        /// The designer: name, alias or id
        #[arg(long, value_name = "FIRM")]
        firm: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        fields: ChipFields,
        /// Print the saved chip and its figures as JSON
        #[arg(long)]
        json: bool,
    },
    /// Change the fields given and keep the rest, on the revision read (or --revision)
    Edit {
        /// The chip: its name (when no other firm's chip has it) or its id
        chip: String,
        /// The designer: name, alias or id
        #[arg(long, value_name = "FIRM")]
        firm: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: ChipFields,
        #[command(flatten)]
        revision: Revision,
        #[arg(long)]
        json: bool,
    },
    /// Show a chip with its TPP, performance density and 3A090 paragraphs (read-only)
    Show {
        /// The chip: its name (when no other firm's chip has it) or its id
        chip: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct ChipFields {
    /// training, inference or training_and_inference ("" when not recorded)
    #[arg(long, value_name = "PURPOSE")]
    purpose: Option<String>,
    #[arg(long, value_name = "NM", allow_negative_numbers = true)]
    process_node_nm: Option<String>,
    /// The foundry that makes it: name, alias or id ("" when not recorded)
    #[arg(long, value_name = "FIRM")]
    foundry: Option<String>,
    /// 2023, Oct 2023, 17 Oct 2023, 2023-10-17 or 2023年10月17日
    #[arg(long, value_name = "DATE")]
    announced_on: Option<String>,
    /// Peak dense TOPS (or TFLOPS) at --peak-bit-width
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    peak_dense_tops: Option<String>,
    /// 4, 8, 16, 32 or 64
    #[arg(long, value_name = "BITS", allow_negative_numbers = true)]
    peak_bit_width: Option<String>,
    #[arg(long, value_name = "MM2", allow_negative_numbers = true)]
    die_area_mm2: Option<String>,
    #[arg(long, value_name = "GB", allow_negative_numbers = true)]
    memory_gb: Option<String>,
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    tdp_w: Option<String>,
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    notes: Option<String>,
    /// A source behind the figures, by id (repeat for more; on edit they
    /// replace all, and --source "" removes them)
    #[arg(long = "source", value_name = "SOURCE_ID")]
    sources: Vec<String>,
}

impl ChipFields {
    fn apply(&self, store: &Store, draft: &mut ChipDraft) -> Result<(), Error> {
        if let Some(purpose) = &self.purpose {
            draft.purpose = records::optional_enum("purpose", purpose)?;
        }
        if let Some(foundry) = &self.foundry {
            draft.foundry_firm_id = match foundry.trim() {
                "" => None,
                named => Some(firms::resolve(store, "foundryFirmId", named)?),
            };
        }
        if let Some(announced_on) = &self.announced_on {
            draft.announced_on = Some(announced_on.clone());
        }
        let numbers = [
            (
                "processNodeNm",
                &self.process_node_nm,
                &mut draft.process_node_nm,
            ),
            (
                "peakDenseTops",
                &self.peak_dense_tops,
                &mut draft.peak_dense_tops,
            ),
            ("dieAreaMm2", &self.die_area_mm2, &mut draft.die_area_mm2),
            ("memoryGb", &self.memory_gb, &mut draft.memory_gb),
            ("tdpW", &self.tdp_w, &mut draft.tdp_w),
        ];
        for (field, given, value) in numbers {
            if let Some(text) = given {
                *value = records::number(field, text)?;
            }
        }
        if let Some(bits) = &self.peak_bit_width {
            draft.peak_bit_width = records::integer("peakBitWidth", bits)?;
        }
        if let Some(notes) = &self.notes {
            draft.notes.clone_from(notes);
        }
        if !self.sources.is_empty() {
            draft.source_ids = records::ids("sourceIds", "source", &self.sources)?;
        }
        Ok(())
    }
}

/// A chip as `chip add|edit|show --json` print it: what its form edits, and
/// the figures the core computes from it.
#[derive(Serialize)]
struct ChipRecord<'a> {
    #[serde(flatten)]
    editing: &'a Editing<ChipDraft>,
    metrics: ChipMetrics,
}

pub fn chip_command(path: &Path, action: ChipAction) -> Result<ExitCode, Error> {
    match action {
        ChipAction::Add {
            firm,
            name,
            fields,
            json,
        } => {
            let mut store = Store::open(path)?;
            let mut draft = ChipDraft {
                firm_id: firms::resolve(&store, "firmId", &firm)?,
                name,
                purpose: None,
                process_node_nm: None,
                foundry_firm_id: None,
                announced_on: None,
                peak_dense_tops: None,
                peak_bit_width: None,
                die_area_mm2: None,
                memory_gb: None,
                tdp_w: None,
                notes: String::new(),
                source_ids: Vec::new(),
            };
            fields.apply(&store, &mut draft)?;
            let saved = chips::save(&mut store, None, None, &draft)?;
            print_chip(json, &saved, "Added")
        }
        ChipAction::Edit {
            chip,
            firm,
            name,
            fields,
            revision,
            json,
        } => {
            let mut store = Store::open(path)?;
            let id = chips::resolve(&store, "chip", &chip)?;
            let loaded = chips::load_draft(&store, id)?;
            let mut draft = loaded.draft;
            if let Some(firm) = firm {
                draft.firm_id = firms::resolve(&store, "firmId", &firm)?;
            }
            if let Some(name) = name {
                draft.name = name;
            }
            fields.apply(&store, &mut draft)?;
            let saved = chips::save(
                &mut store,
                Some(id),
                Some(revision.or(loaded.revision)),
                &draft,
            )?;
            print_chip(json, &saved, "Saved")
        }
        ChipAction::Show { chip, json } => {
            let store = Store::open_read_only(path)?;
            let id = chips::resolve(&store, "chip", &chip)?;
            let editing = chips::load_draft(&store, id)?;
            if json {
                return print_chip(true, &editing, "");
            }
            show_chip(&store, &editing)
        }
    }
}

fn print_chip(json: bool, saved: &Editing<ChipDraft>, done: &str) -> Result<ExitCode, Error> {
    let metrics = chips::estimate_metrics(&saved.draft);
    if json {
        return crate::print_json(&ChipRecord {
            editing: saved,
            metrics,
        });
    }
    let tpp = metrics
        .tpp
        .map(|t| format!(", TPP {t}"))
        .unwrap_or_default();
    println_escaped!(
        "{done} chip {} '{}' (revision {}{tpp}).",
        saved.id,
        saved.draft.name,
        saved.revision
    );
    Ok(ExitCode::SUCCESS)
}

fn show_chip(store: &Store, editing: &Editing<ChipDraft>) -> Result<ExitCode, Error> {
    let draft = &editing.draft;
    let firm_name =
        |id| firms::load_draft(store, id).map(|f| format!("{} (firm {id})", f.draft.name));
    println_escaped!(
        "{}  (chip {}, revision {})",
        draft.name,
        editing.id,
        editing.revision
    );
    records::show_line("designer", &firm_name(draft.firm_id)?);
    if let Some(foundry) = draft.foundry_firm_id {
        records::show_line("foundry", &firm_name(foundry)?);
    }
    records::show_line(
        "purpose",
        &draft
            .purpose
            .map(|p| records::enum_name(&p))
            .unwrap_or_default(),
    );
    records::show_option("announced", draft.announced_on.as_ref());
    records::show_option("node (nm)", draft.process_node_nm.as_ref());
    if let (Some(tops), Some(bits)) = (draft.peak_dense_tops, draft.peak_bit_width) {
        records::show_line("peak dense", &format!("{tops} TOPS at {bits} bits"));
    }
    records::show_option("die (mm²)", draft.die_area_mm2.as_ref());
    records::show_option("memory (GB)", draft.memory_gb.as_ref());
    records::show_option("TDP (W)", draft.tdp_w.as_ref());
    let metrics = chips::estimate_metrics(draft);
    // A derived figure whose inputs are not recorded is not recorded either,
    // in the words of every screen and export (vocabulary.rs).
    let needs_tpp = format!("{NOT_RECORDED} (needs peak dense TOPS and bit width)");
    records::show_line(
        "TPP",
        &metrics.tpp.map_or(needs_tpp.clone(), |t| format!("{t}")),
    );
    let density = metrics
        .performance_density
        .map_or(format!("{NOT_RECORDED} (needs TPP and die area)"), |d| {
            format!("{d:.2}")
        });
    records::show_line("density", &density);
    let rules = if metrics.rules_summary.is_empty() {
        needs_tpp
    } else {
        metrics.rules_summary.clone()
    };
    records::show_line("3A090", &rules);
    let ids: Vec<String> = draft.source_ids.iter().map(ToString::to_string).collect();
    records::show_line("sources", &ids.join(", "));
    records::show_block("notes", &draft.notes);
    Ok(ExitCode::SUCCESS)
}

//! `chipwatch delete` (to the Trash, after showing what goes along) and `trash`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::model::{ImpactItem, TrashKind};
use chipwatch_core::{trash, Error, Store};

use crate::{print_json, TrashAction};

pub(crate) fn delete(
    path: &Path,
    kind: TrashKind,
    id: i64,
    yes: bool,
    json: bool,
) -> Result<ExitCode, Error> {
    if !yes {
        let impact = trash::impact(&Store::open_read_only(path)?, kind, id)?;
        if json {
            print_json(&impact)?;
        } else {
            println_escaped!(
                "Deleting the {} '{}' (id {id}) would move it to the Trash.",
                kind.noun(),
                impact.title
            );
            print_impact(&impact.items);
        }
        eprintln_escaped!("chipwatch: nothing was deleted; run again with --yes to delete it.");
        return Ok(ExitCode::from(1));
    }
    let entry = trash::delete(&mut Store::open(path)?, kind, id)?;
    if json {
        return print_json(&entry);
    }
    println_escaped!(
        "Moved the {} '{}' (id {id}) to the Trash as entry {}.",
        kind.noun(),
        entry.title,
        entry.id
    );
    print_impact(&entry.summary);
    println_escaped!("Undo with `chipwatch trash restore {}`.", entry.id);
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn print_impact(items: &[ImpactItem]) {
    if items.is_empty() {
        println_escaped!("Nothing else goes with it.");
    }
    for item in items {
        println_escaped!("  - {}", item.text);
    }
}

pub(crate) fn trash_command(path: &Path, action: TrashAction) -> Result<ExitCode, Error> {
    match action {
        TrashAction::List { json } => {
            let entries = trash::list(&Store::open_read_only(path)?)?;
            if json {
                return print_json(&entries);
            }
            if entries.is_empty() {
                println_escaped!("The Trash is empty.");
            }
            for e in &entries {
                let summary: Vec<&str> = e.summary.iter().map(|i| i.text.as_str()).collect();
                let summary = if summary.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", summary.join("; "))
                };
                println_escaped!(
                    "{:>5}  {}  {:<10}  {}{summary}",
                    e.id,
                    e.deleted_at,
                    e.kind.noun(),
                    e.title
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        TrashAction::Restore { trash_id } => {
            let mut store = Store::open(path)?;
            let title = trash::list(&store)?
                .into_iter()
                .find(|e| e.id == trash_id)
                .map(|e| e.title);
            let restored = trash::restore(&mut store, trash_id)?;
            println_escaped!(
                "Restored the {} '{}' (id {}).",
                restored.kind.noun(),
                title.unwrap_or_default(),
                restored.id
            );
            for left_out in &restored.left_out {
                println_escaped!("  not restored: {left_out}");
            }
            Ok(ExitCode::SUCCESS)
        }
        TrashAction::Purge { trash_id } => {
            trash::purge(&mut Store::open(path)?, trash_id)?;
            println_escaped!("Deleted Trash entry {trash_id} for good.");
            Ok(ExitCode::SUCCESS)
        }
        TrashAction::Empty => {
            let count = trash::empty(&mut Store::open(path)?)?;
            let plural = if count == 1 { "entry" } else { "entries" };
            println_escaped!("Emptied the Trash: {count} {plural} deleted for good.");
            Ok(ExitCode::SUCCESS)
        }
    }
}

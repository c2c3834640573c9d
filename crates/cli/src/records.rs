//! What the record commands (firm, listing, source, chip, assessment, event,
//! strategy, note) share: values read from flags, the revision an edit is made
//! on, and how a saved or shown record is printed.
//!
//! Flags follow one rule: a flag is the core field in kebab case
//! (`peakDenseTops` is `--peak-dense-tops`), so the field an error names is
//! the flag to fix; a reference to another record takes its name or id
//! (`--firm`, `--parent`, `--foundry`) and a list is a repeated flag
//! (`--alias`, `--tag`, `--source`). On `edit`, a flag left out keeps the
//! value, an empty one (`--website ""`) clears it, and a list given replaces
//! the whole list (`--alias ""` empties it). Every value is checked by the
//! core, which names the field at fault (exit 1).

use std::process::ExitCode;

use chipwatch_core::model::Id;
use chipwatch_core::Error;
use clap::Args;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The revision an edit is made on.
#[derive(Args)]
pub struct Revision {
    /// The revision the edit is made on (from `show --json`); refused when the
    /// record has changed since. Default: the revision read just before saving
    #[arg(long, value_name = "N")]
    pub revision: Option<i64>,
}

impl Revision {
    /// The revision to save with: the one given, else the one just loaded.
    pub fn or(&self, loaded: i64) -> i64 {
        self.revision.unwrap_or(loaded)
    }
}

/// A value of one of the core's enums by its name (`training_and_inference`,
/// `training-and-inference`, any case).
pub fn enum_value<T: DeserializeOwned>(field: &str, text: &str) -> Result<T, Error> {
    let name = text.trim().to_lowercase().replace(['-', ' '], "_");
    serde_json::from_value(serde_json::Value::String(name)).map_err(|e| {
        let message = e.to_string();
        let expected = message
            .split_once("expected one of ")
            .map_or(message.as_str(), |(_, rest)| rest)
            .replace('`', "");
        Error::invalid(field, format!("'{text}' is not one of: {expected}"))
    })
}

/// An optional enum value; empty clears it.
pub fn optional_enum<T: DeserializeOwned>(field: &str, text: &str) -> Result<Option<T>, Error> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    enum_value(field, text).map(Some)
}

/// An optional number; empty clears it. Range rules are the core's.
pub fn number(field: &str, text: &str) -> Result<Option<f64>, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .map(Some)
        .map_err(|_| Error::invalid(field, format!("'{text}' is not a number")))
}

/// An optional whole number; empty clears it.
pub fn integer(field: &str, text: &str) -> Result<Option<i64>, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .map(Some)
        .map_err(|_| Error::invalid(field, format!("'{text}' is not a whole number")))
}

/// A record's id as typed (`12` or `#12`).
pub fn id(field: &str, what: &str, text: &str) -> Result<Id, Error> {
    let trimmed = text.trim();
    trimmed
        .strip_prefix('#')
        .unwrap_or(trimmed)
        .parse::<Id>()
        .map_err(|_| {
            Error::invalid(
                field,
                format!("'{text}' is not a {what} id; `chipwatch list {what}s` shows the ids"),
            )
        })
}

/// Ids from a repeated flag; empty values are left out, so `--source ""` alone
/// gives none (clears the list on edit).
pub fn ids(field: &str, what: &str, texts: &[String]) -> Result<Vec<Id>, Error> {
    texts
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| id(field, what, t))
        .collect()
}

/// A flag's text, or standard input for `-`.
pub fn text_or_stdin(text: String) -> Result<String, Error> {
    if text != "-" {
        return Ok(text);
    }
    let mut read = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut read).map_err(|source| {
        Error::Io {
            path: "standard input".into(),
            source,
        }
    })?;
    Ok(read)
}

/// Prints a saved record: as JSON exactly as the core returned it, or one line
/// such as "Added firm 12 'Huawei' (revision 1)."
pub fn print_saved<T: Serialize>(
    json: bool,
    record: &T,
    done: &str,
    noun: &str,
    id: Id,
    label: &str,
    revision: i64,
) -> Result<ExitCode, Error> {
    if json {
        return crate::print_json(record);
    }
    println_escaped!("{done} {noun} {id} '{label}' (revision {revision}).");
    Ok(ExitCode::SUCCESS)
}

/// One `label: value` line of `show`; nothing when the value is empty.
pub fn show_line(label: &str, value: &str) {
    if !value.trim().is_empty() {
        println_escaped!("{:<14}{value}", format!("{label}:"));
    }
}

/// An optional value's `show` line.
pub fn show_option<T: std::fmt::Display>(label: &str, value: Option<&T>) {
    if let Some(value) = value {
        show_line(label, &value.to_string());
    }
}

/// Multi-line text (a summary, notes): a label line, then the text with its
/// line breaks (other control characters escaped).
pub fn show_block(label: &str, text: &str) {
    if !text.trim().is_empty() {
        println_escaped!("{label}:");
        print_text_escaped!("{}\n", text.trim_end());
    }
}

/// An enum value as the core names it (`training_and_inference`).
pub fn enum_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chipwatch_core::model::{ChipPurpose, FirmKind};

    fn field_of(error: Error) -> String {
        match error {
            Error::InvalidInput { field, .. } => field,
            other => panic!("expected invalid input, got {other}"),
        }
    }

    #[test]
    fn enums_are_read_by_their_names_in_any_case_with_dashes() {
        assert_eq!(
            enum_value::<ChipPurpose>("purpose", "Training-and-Inference").unwrap(),
            ChipPurpose::TrainingAndInference
        );
        assert_eq!(optional_enum::<FirmKind>("kind", " ").unwrap(), None);
        let error = enum_value::<FirmKind>("kind", "startup").unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("'startup'") && message.contains("company, foundry"),
            "{message}"
        );
        assert_eq!(field_of(error), "kind");
    }

    #[test]
    fn numbers_and_ids_name_their_field_and_empty_clears() {
        assert_eq!(number("tdpW", " 400.5 ").unwrap(), Some(400.5));
        assert_eq!(number("tdpW", "").unwrap(), None);
        assert_eq!(field_of(number("tdpW", "400W").unwrap_err()), "tdpW");
        assert_eq!(integer("peakBitWidth", "16").unwrap(), Some(16));
        assert_eq!(
            field_of(integer("credibility", "2.5").unwrap_err()),
            "credibility"
        );
        assert_eq!(
            ids(
                "sourceIds",
                "source",
                &["3".into(), "#4".into(), " ".into()]
            )
            .unwrap(),
            vec![3, 4]
        );
        assert_eq!(
            field_of(ids("sourceIds", "source", &["three".into()]).unwrap_err()),
            "sourceIds"
        );
    }
}

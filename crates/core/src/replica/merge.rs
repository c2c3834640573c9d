//! Merging one field that both replicas changed, from their common base.
//!
//! - Long texts (a note's body, summaries, descriptions, abstracts, chip
//!   notes) merge three-way by lines, where the two edits do not overlap.
//! - Lists (aliases, tags, linked firms and sources, listings, evidence)
//!   merge as sets: what either side added is in, what either side removed
//!   is out. A comparison's firms keep an order, so they do not merge.
//! - Anything else (a name, a date, a stance) cannot merge: a conflict.

use serde_json::Value;

use crate::records::RecordKind;

/// The merged value, or None when a person must choose.
pub(crate) fn merge(
    kind: RecordKind,
    field: &str,
    base: &Value,
    mine: &Value,
    theirs: &Value,
) -> Option<Value> {
    if mine == theirs {
        return Some(mine.clone());
    }
    if base == mine {
        return Some(theirs.clone());
    }
    if base == theirs {
        return Some(mine.clone());
    }
    if is_text(kind, field) {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        // diffy works on lines; a text without a final newline would make its
        // last line conflict with any edit after it.
        let (b, m, t) = (
            with_newline(&text(base)),
            with_newline(&text(mine)),
            with_newline(&text(theirs)),
        );
        return diffy::merge(&b, &m, &t).ok().map(|merged| {
            let keep_newline = text(mine).ends_with('\n') || text(theirs).ends_with('\n');
            Value::String(if keep_newline {
                merged
            } else {
                merged.strip_suffix('\n').unwrap_or(&merged).to_string()
            })
        });
    }
    if is_set(kind, field) {
        let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
        let (b, m, t) = (list(base), list(mine), list(theirs));
        let mut merged: Vec<Value> = m
            .iter()
            .filter(|item| t.contains(item) || !b.contains(item))
            .cloned()
            .collect();
        for item in t {
            if !b.contains(&item) && !merged.contains(&item) {
                merged.push(item);
            }
        }
        merged.sort_by_key(|v| v.to_string());
        return Some(Value::Array(merged));
    }
    None
}

fn with_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

fn is_text(kind: RecordKind, field: &str) -> bool {
    matches!(
        (kind, field),
        (RecordKind::Note, "body")
            | (RecordKind::Firm, "summary")
            | (RecordKind::Assessment, "summary")
            | (RecordKind::Strategy, "description")
            | (RecordKind::Event, "description")
            | (RecordKind::Source, "abstract")
            | (RecordKind::Chip, "notes")
    )
}

fn is_set(kind: RecordKind, field: &str) -> bool {
    kind != RecordKind::Comparison && super::apply::is_list(kind, field)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn note_bodies_merge_where_the_edits_do_not_overlap() {
        let base = json!("# Ascend\n\nSMIC N+2, 7nm.\n\nYield unknown.");
        let mine = json!("# Ascend 910B\n\nSMIC N+2, 7nm.\n\nYield unknown.");
        let theirs = json!("# Ascend\n\nSMIC N+2, 7nm.\n\nYield ~50% (据报道).");
        assert_eq!(
            merge(RecordKind::Note, "body", &base, &mine, &theirs),
            Some(json!(
                "# Ascend 910B\n\nSMIC N+2, 7nm.\n\nYield ~50% (据报道)."
            ))
        );
    }

    #[test]
    fn the_same_line_changed_both_ways_is_a_conflict() {
        let base = json!("Yield unknown.");
        assert_eq!(
            merge(
                RecordKind::Note,
                "body",
                &base,
                &json!("Yield 30%."),
                &json!("Yield 50%.")
            ),
            None
        );
    }

    #[test]
    fn lists_merge_as_sets_and_names_do_not_merge() {
        let base = json!(["a", "b"]);
        let mine = json!(["a", "b", "华为"]);
        let theirs = json!(["b", "c"]);
        assert_eq!(
            merge(RecordKind::Firm, "aliases", &base, &mine, &theirs),
            Some(json!(["b", "c", "华为"]))
        );
        assert_eq!(
            merge(
                RecordKind::Firm,
                "name",
                &json!("A"),
                &json!("B"),
                &json!("C")
            ),
            None
        );
    }
}

use std::path::PathBuf;

use chipwatch_core::{AppError, Error};

/// The IPC error shape is a contract with the UI: pin it.
#[test]
fn errors_cross_ipc_as_kind_message_field() {
    let workspace = Error::WorkspaceTooNew {
        path: PathBuf::from("/data/华为 notes.db"),
        found: 9,
        supported: 1,
    };
    assert_eq!(
        serde_json::to_value(AppError::from(&workspace)).ok(),
        Some(serde_json::json!({
            "kind": "workspace",
            "message": "/data/华为 notes.db was written by a newer Chipwatch (schema version 9; this version knows up to 1). It was left untouched; update Chipwatch to open it.",
            "field": null
        }))
    );
    let invalid = Error::invalid("publishedOn", "'2023-13' is not a date");
    assert_eq!(
        serde_json::to_value(AppError::from(invalid)).ok(),
        Some(
            serde_json::json!({ "kind": "invalidInput", "message": "publishedOn: '2023-13' is not a date", "field": "publishedOn" })
        )
    );
    let stale = Error::changed_meanwhile("firm", 3);
    let shown = AppError::from(&stale);
    assert_eq!(
        serde_json::to_value(&shown).ok().map(|v| v["kind"].clone()),
        Some(serde_json::json!("conflict"))
    );
    assert!(
        shown.message.contains("changed since you opened it"),
        "{}",
        shown.message
    );
    assert!(shown.message.contains("not saved"), "{}", shown.message);
}

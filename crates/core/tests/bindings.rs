//! The UI's TypeScript types, the UI's words and the vocabulary table must be
//! exactly what the Rust types and `vocabulary.rs` generate. Run
//! `make bindings` after changing a type that crosses IPC or a word.

use chipwatch_core::bindings::typescript_bindings;

/// Writes `generated` to `relative` under `make bindings`; otherwise checks
/// the committed file equals it.
fn check_generated(relative: &str, generated: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    // `make bindings` writes the file; then there is nothing to compare.
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        if let Err(error) = std::fs::write(&path, generated) {
            panic!("cannot write {}: {error}", path.display());
        }
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `make bindings`\n--- generated ---\n{generated}",
        path.display()
    );
}

#[test]
fn committed_bindings_match_the_rust_types() {
    check_generated("../../ui/src/lib/bindings.ts", &typescript_bindings());
}

#[test]
fn committed_vocabulary_matches_the_core_words() {
    check_generated(
        "../../ui/src/lib/vocabulary.ts",
        &chipwatch_core::vocabulary::typescript(),
    );
    check_generated(
        "../../docs/VOCABULARY.md",
        &chipwatch_core::vocabulary::markdown(),
    );
}

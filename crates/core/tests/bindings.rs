//! The UI's TypeScript types must be exactly what the Rust types generate.
//! Run `make bindings` after changing a type that crosses IPC.

use chipwatch_core::bindings::typescript_bindings;

#[test]
fn committed_bindings_match_the_rust_types() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts");
    let generated = typescript_bindings();
    // `make bindings` writes the file; then there is nothing to compare.
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        if let Err(error) = std::fs::write(&path, &generated) {
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

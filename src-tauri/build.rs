// Tells tauri-build where the capabilities live (the crate root is the repository
// root, see ARCHITECTURE.md) and which app commands exist, so each needs an
// explicit permission in a capability.
fn main() {
    let commands = tauri_build::AppManifest::new().commands(&[
        "workspace_info",
        "list_firms",
        "load_firm_profile",
    ]);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(commands);
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}

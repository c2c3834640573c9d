// Tells tauri-build where the capabilities live (the crate root is the repository
// root, see ARCHITECTURE.md) and which app commands exist, so each needs an
// explicit permission in a capability.
fn main() {
    let commands = tauri_build::AppManifest::new().commands(&[
        "workspace_info",
        "choose_path",
        "save_file",
        "recent_workspaces",
        "open_workspace",
        "create_workspace",
        "save_import_problems",
        "load_firm_mentions",
        "remove_mention",
        "backup_now",
        "list_backups",
        "restore_backup",
        "preview_import",
        "run_import",
        "cancel_import",
        "list_import_batches",
        "undo_import",
        "list_import_presets",
        "save_import_preset",
        "list_comparison_dimensions",
        "compute_comparison",
        "load_cell_sources",
        "firms_with_stance_on",
        "list_saved_comparisons",
        "save_comparison",
        "rename_comparison",
        "duplicate_comparison",
        "delete_comparison",
        "export_comparison",
        "list_firms",
        "load_firm_profile",
        "load_firm_draft",
        "save_firm",
        "find_firm_conflicts",
        "list_strategies",
        "load_strategy_draft",
        "save_strategy",
        "load_assessment_draft",
        "save_assessment",
        "list_chips",
        "load_chip_draft",
        "save_chip",
        "estimate_chip_metrics",
        "find_sources",
        "sources_by_ids",
        "load_source_draft",
        "save_source",
        "load_event_draft",
        "save_event",
        "load_timeline",
        "load_note_page",
        "list_note_tags",
        "render_note",
        "preview_note",
        "save_note",
        "suggest_links",
        "search",
        "delete_impact",
        "delete_record",
        "list_trash",
        "restore_from_trash",
        "purge_from_trash",
        "load_source_page",
    ]);
    // tauri-build watches its default capabilities folder only: without this,
    // an edited capability is not compiled in until something else changes.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(commands);
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}

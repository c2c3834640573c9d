// Tells tauri-build which app commands exist and allows exactly those: both
// come from the one command list (src-tauri/src/command_list.rs), so a command
// added or removed there needs no other edit. The capability is written into
// OUT_DIR; the crate root is the repository root (see ARCHITECTURE.md).
use std::path::PathBuf;

/// The names of the commands in the list (the rest of each entry is not needed here).
macro_rules! command_names {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident $name:ident ( $( $arg:ident : $ty:ty $(as $ts:literal)? ),* $(,)? ) -> $ret:ty = $body:expr ;
    )*) => {
        &[$(stringify!($name)),*]
    };
}

include!("src/command_list.rs");

const COMMANDS: &[&str] = for_each_command!(command_names);

/// Tauri's own permissions the window needs besides the commands: hearing of
/// files dropped on it (drag-and-drop events).
const CORE_PERMISSIONS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/src/command_list.rs");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let capabilities = out_dir.join("capabilities");
    let permissions: Vec<String> = CORE_PERMISSIONS
        .iter()
        .map(|p| (*p).to_owned())
        .chain(
            COMMANDS
                .iter()
                .map(|c| format!("allow-{}", c.replace('_', "-"))),
        )
        .collect();
    let capability = format!(
        "{{\n  \"identifier\": \"main\",\n  \"description\": \"The main window may call Chipwatch's own commands and hear of files dropped on it, nothing else.\",\n  \"windows\": [\"main\"],\n  \"permissions\": [\n{}\n  ]\n}}\n",
        permissions
            .iter()
            .map(|p| format!("    \"{p}\""))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    if let Err(error) = std::fs::create_dir_all(&capabilities)
        .and_then(|()| std::fs::write(capabilities.join("main.json"), capability))
    {
        eprintln!(
            "cannot write the capability into {}: {error}",
            capabilities.display()
        );
        std::process::exit(1);
    }
    // tauri-build keeps the pattern for the whole build: a build script may leak it.
    let pattern: &'static str =
        Box::leak(format!("{}/*.json", capabilities.display()).into_boxed_str());
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern(pattern)
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}

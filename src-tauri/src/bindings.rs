//! The UI's typed command wrappers (`ui/src/lib/commands.ts`), generated from
//! the command list: one function per command, its arguments and result typed
//! with the types in `bindings.ts`. `make bindings` rewrites the file; the test
//! fails when the committed file differs, or names a type bindings.ts lacks.

use std::collections::BTreeSet;

use crate::CommandSpec;

pub const COMMANDS_HEADER: &str =
    "// This file is generated from src-tauri/src/command_list.rs by `make bindings`. Do not edit.\n";

/// Type names TypeScript or Tauri's API provide, not bindings.ts.
const BUILT_IN: [&str; 3] = ["Array", "Channel", "Record"];

/// The whole contents of `ui/src/lib/commands.ts`.
pub fn typescript_commands(specs: &[CommandSpec]) -> String {
    let mut imported = BTreeSet::new();
    let mut functions = String::new();
    for spec in specs {
        let returns = if spec.returns == "null" {
            "void".to_owned()
        } else {
            spec.returns.clone()
        };
        for ty in spec.args.iter().map(|(_, ty)| ty).chain([&returns]) {
            imported.extend(
                type_names(ty)
                    .filter(|name| !BUILT_IN.contains(name))
                    .map(str::to_owned),
            );
        }
        let params: Vec<String> = spec
            .args
            .iter()
            .map(|(name, ty)| format!("{}: {ty}", camel_case(name)))
            .collect();
        let passed: Vec<String> = spec.args.iter().map(|(name, _)| camel_case(name)).collect();
        if !spec.doc.is_empty() {
            let lines: Vec<&str> = spec.doc.iter().map(|line| line.trim()).collect();
            functions.push_str(&format!("/** {} */\n", lines.join(" ")));
        }
        functions.push_str(&format!(
            "export function {}({}): Promise<{returns}> {{\n  return call<{returns}>(\"{}\"{});\n}}\n\n",
            camel_case(spec.name),
            params.join(", "),
            spec.name,
            if passed.is_empty() {
                String::new()
            } else {
                format!(", {{ {} }}", passed.join(", "))
            }
        ));
    }
    let mut out = String::from(COMMANDS_HEADER);
    if specs
        .iter()
        .any(|s| s.args.iter().any(|(_, ty)| ty.contains("Channel<")))
    {
        out.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n");
    }
    out.push_str(&format!(
        "import type {{ {} }} from \"./bindings\";\n",
        imported.into_iter().collect::<Vec<_>>().join(", ")
    ));
    out.push_str("import { call } from \"./ipc\";\n\n");
    out.push_str(functions.trim_end());
    out.push('\n');
    out
}

/// The type names a TS type mentions (`Array<Editing<FirmDraft>> | null` → Array, Editing, FirmDraft).
fn type_names(ty: &str) -> impl Iterator<Item = &str> {
    ty.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// `load_firm_profile` → `loadFirmProfile`.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn ui_file(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("ui/src/lib")
            .join(name)
    }

    #[test]
    fn committed_command_wrappers_match_the_command_list() {
        let cfg = ts_rs::Config::new().with_large_int("number");
        let generated = typescript_commands(&crate::commands::specs(&cfg));
        let path = ui_file("commands.ts");
        // `make bindings` writes the file; then there is nothing to compare.
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
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
    fn every_type_a_command_names_is_in_the_bindings() {
        let cfg = ts_rs::Config::new().with_large_int("number");
        let bindings = std::fs::read_to_string(ui_file("bindings.ts")).unwrap();
        for spec in crate::commands::specs(&cfg) {
            for ty in spec.args.iter().map(|(_, ty)| ty).chain([&spec.returns]) {
                for name in type_names(ty).filter(|name| !BUILT_IN.contains(name)) {
                    assert!(
                        bindings.contains(&format!("export type {name} "))
                            || bindings.contains(&format!("export type {name}<")),
                        "{}: {name} is not in bindings.ts; list it in crates/core/src/bindings.rs",
                        spec.name
                    );
                }
            }
        }
    }

    #[test]
    fn names_become_camel_case() {
        assert_eq!(camel_case("load_firm_profile"), "loadFirmProfile");
        assert_eq!(camel_case("search"), "search");
        assert_eq!(
            type_names("Array<Editing<FirmDraft>> | null").collect::<Vec<_>>(),
            ["Array", "Editing", "FirmDraft"]
        );
    }
}

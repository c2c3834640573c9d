//! The CLI is a second front door onto every operation: each app command that
//! changes data or writes a file (kind `write` or `shell_write` in the app's
//! one command list, src-tauri/src/command_list.rs) has a `chipwatch`
//! invocation doing the same through the same core use case. A new mutating
//! app command without a route here fails the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::Path;

use common::*;

/// Each mutating app command and the CLI invocations that do what it does.
/// They run in this order on one workspace that the first creates, so a later
/// route may use what an earlier one made. In arguments, `{dir}` is the test's
/// folder and `{newest:WORDS}` the highest id that `chipwatch WORDS --json` lists.
const ROUTES: &[(&str, &[&[&str]])] = &[
    ("create_workspace", &[&["init"]]),
    (
        "save_firm",
        &[
            &["firm", "add", "--name", "Route firm 路线"],
            &["firm", "edit", "Route firm 路线", "--summary", "edited"],
        ],
    ),
    (
        "save_strategy",
        &[
            &["strategy", "add", "--name", "Route strategy"],
            &["strategy", "edit", "Route strategy", "--description", "d"],
        ],
    ),
    (
        "save_assessment",
        &[
            &[
                "assessment",
                "set",
                "--firm",
                "Route firm 路线",
                "--strategy",
                "Route strategy",
                "--stance",
                "active",
            ],
            &[
                "assessment",
                "set",
                "--firm",
                "Route firm 路线",
                "--strategy",
                "Route strategy",
                "--evidence",
                "1:p. 2",
            ],
        ],
    ),
    (
        "save_chip",
        &[
            &["chip", "add", "--firm", "Route firm 路线", "--name", "RT-1"],
            &[
                "chip",
                "edit",
                "RT-1",
                "--peak-dense-tops",
                "100",
                "--peak-bit-width",
                "8",
            ],
        ],
    ),
    (
        "save_source",
        &[
            &["source", "add", "--title", "Route source"],
            &[
                "source",
                "edit",
                "{newest:list sources}",
                "--url",
                "https://example.org/r",
            ],
        ],
    ),
    (
        "save_event",
        &[
            &[
                "event",
                "add",
                "--date",
                "2024-05",
                "--title",
                "Route event",
                "--firm",
                "Huawei",
            ],
            &["event", "edit", "{newest:list events}", "--kind", "deal"],
        ],
    ),
    (
        "save_note",
        &[
            &[
                "note",
                "add",
                "--title",
                "Route note",
                "--body",
                "[[Huawei]]",
            ],
            &["note", "edit", "{newest:list notes}", "--tag", "route"],
        ],
    ),
    (
        "save_import_preset",
        &[&[
            "import",
            "save-mapping",
            "route mapping",
            "{dir}/import.csv",
            "--map",
            "Title=title",
        ]],
    ),
    ("run_import", &[&["import", "sources", "{dir}/import.csv"]]),
    (
        "save_import_problems",
        &[&[
            "import",
            "sources",
            "{dir}/import.csv",
            "--dry-run",
            "--problems",
            "{dir}/problems.csv",
        ]],
    ),
    (
        "tag_sources",
        &[&["source", "tag", "route tag 标签", "--kind", "article"]],
    ),
    (
        "untag_sources",
        &[&["source", "untag", "route tag 标签", "--all"]],
    ),
    (
        "link_sources_to_firm",
        &[&[
            "source",
            "about",
            "Route firm 路线",
            "--id",
            "{newest:list sources}",
        ]],
    ),
    (
        "unlink_sources_from_firm",
        &[&[
            "source",
            "not-about",
            "Route firm 路线",
            "--firm",
            "Route firm 路线",
        ]],
    ),
    (
        "remove_mentions",
        &[
            &[
                "mention",
                "remove",
                "--source",
                "{newest:list sources}",
                "--firm",
                "Huawei",
            ],
            &["mention", "remove", "--firm", "Huawei", "--all"],
        ],
    ),
    (
        "undo_import",
        &[&["import", "undo", "{newest:import list}"]],
    ),
    (
        "save_comparison",
        &[&["compare", "save", "route cmp", "--firms", "Huawei,SMIC"]],
    ),
    (
        "rename_comparison",
        &[&["compare", "rename", "route cmp", "route cmp 2"]],
    ),
    (
        "duplicate_comparison",
        &[&["compare", "duplicate", "route cmp 2"]],
    ),
    (
        "delete_comparison",
        &[&["compare", "delete", "route cmp 2 (copy)"]],
    ),
    (
        "export_comparison",
        &[&[
            "export",
            "comparison",
            "--saved",
            "route cmp 2",
            "--format",
            "md",
            "--out",
            "{dir}/cmp.md",
        ]],
    ),
    (
        "export_citations",
        &[
            &[
                "export",
                "citations",
                "--format",
                "bibtex",
                "--all",
                "--out",
                "{dir}/all.bib",
            ],
            &[
                "export",
                "citations",
                "--format",
                "ris",
                "--firm",
                "Route firm 路线",
                "--out",
                "{dir}/firm.ris",
            ],
            &[
                "export",
                "citations",
                "--format",
                "csl-json",
                "--comparison",
                "route cmp 2",
                "--out",
                "{dir}/cmp.json",
            ],
        ],
    ),
    (
        "delete_record",
        &[&["delete", "note", "{newest:list notes}", "--yes"]],
    ),
    (
        "restore_from_trash",
        &[&["trash", "restore", "{newest:trash list}"]],
    ),
    (
        "purge_from_trash",
        &[
            &["delete", "note", "{newest:list notes}", "--yes"],
            &["trash", "purge", "{newest:trash list}"],
        ],
    ),
    (
        "trash_sources",
        &[&["source", "trash", "--id", "{newest:list sources}"]],
    ),
    ("empty_trash", &[&["trash", "empty"]]),
    ("backup_now", &[&["backup", "{dir}/backup.db"]]),
    ("restore_backup", &[&["restore", "{dir}/backup.db"]]),
];

/// Mutating app commands whose route needs a team server (PostgreSQL): run
/// by crates/cli/tests/team.rs against a throwaway cluster, not here.
const ROUTED_WITH_A_SERVER: &[(&str, &str)] = &[
    ("sync_now", "chipwatch sync"),
    (
        "share_workspace",
        "chipwatch team create --server URL --name NAME",
    ),
    (
        "join_team_workspace",
        "chipwatch --workspace NEW.db team join --server URL --name NAME",
    ),
    (
        "resolve_conflict",
        "chipwatch conflicts resolve ID --keep mine|theirs",
    ),
    (
        "merge_conflict",
        "chipwatch conflicts resolve ID --merged VALUE",
    ),
];

/// Mutating app commands with no CLI route, and why none is needed.
const NOT_APPLICABLE: &[(&str, &str)] = &[
    (
        "save_file",
        "writes bytes the window made (a chart image) to a file the person chose; no workspace data changes",
    ),
    (
        "cancel_import",
        "a CLI import is stopped with Ctrl-C; it is one transaction, so nothing is left",
    ),
];

/// The app's commands, each with whether it changes data or writes a file,
/// read from the entries of the command list (`KIND name(`).
fn app_commands() -> Vec<(String, bool)> {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/src/command_list.rs");
    let text = std::fs::read_to_string(&list).unwrap();
    let mut commands = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let (Some(kind), Some(rest)) = (words.next(), words.next()) else {
            continue;
        };
        let Some((name, _)) = rest.split_once('(') else {
            continue;
        };
        let writes = match kind {
            "write" | "shell_write" => true,
            "read" | "shell_read" | "pure" => false,
            _ => continue,
        };
        commands.push((name.to_owned(), writes));
    }
    commands
}

/// `arg` with `{dir}` and `{newest:...}` filled in.
fn fill(arg: &str, dir: &Path, workspace: &Path) -> String {
    let arg = arg.replace("{dir}", &dir.display().to_string());
    let Some(words) = arg
        .strip_prefix("{newest:")
        .and_then(|rest| rest.strip_suffix('}'))
    else {
        return arg;
    };
    let mut args: Vec<&str> = words.split(' ').collect();
    args.push("--json");
    let listed = json(&chipwatch(workspace, &args));
    listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row["id"].as_i64())
        .max()
        .unwrap_or_else(|| panic!("`{words}` lists nothing"))
        .to_string()
}

#[test]
fn every_mutating_app_command_has_a_cli_route() {
    let commands = app_commands();
    assert!(commands.len() > 40, "read {commands:?}");
    let routed = |name: &str| {
        ROUTES.iter().any(|(routed, _)| *routed == name)
            || ROUTED_WITH_A_SERVER
                .iter()
                .any(|(routed, _)| *routed == name)
            || NOT_APPLICABLE.iter().any(|(skipped, _)| *skipped == name)
    };
    let missing: Vec<&String> = commands
        .iter()
        .filter(|(name, writes)| *writes && !routed(name))
        .map(|(name, _)| name)
        .collect();
    assert!(
        missing.is_empty(),
        "app commands that change data but have no `chipwatch` route: {missing:?}; \
         add a CLI command calling the same core use case and list it in ROUTES \
         (or in NOT_APPLICABLE, with why)"
    );
    let listed = ROUTES.iter().map(|(name, _)| *name);
    let elsewhere = ROUTED_WITH_A_SERVER
        .iter()
        .chain(NOT_APPLICABLE)
        .map(|(name, _)| *name);
    for name in listed.chain(elsewhere) {
        assert!(
            commands.iter().any(|(c, writes)| c == name && *writes),
            "{name} is listed here but the app has no such command that writes"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("routes.db");
    std::fs::write(
        dir.path().join("import.csv"),
        "Title,Url\n\"Huawei, 华为 and the Ascend 🚀\",https://example.org/route\n",
    )
    .unwrap();
    for (name, steps) in ROUTES {
        for step in *steps {
            let args: Vec<String> = step
                .iter()
                .map(|a| fill(a, dir.path(), &workspace))
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = chipwatch(&workspace, &args);
            assert!(
                out.status.success(),
                "{name}: `chipwatch {}` failed: {}{}",
                args.join(" "),
                stdout(&out),
                stderr(&out)
            );
        }
    }
}

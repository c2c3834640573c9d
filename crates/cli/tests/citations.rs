//! `chipwatch export citations` end to end: each selection flag, each format,
//! and what it refuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;

fn export(workspace: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["export", "citations"];
    all.extend_from_slice(args);
    chipwatch(workspace, &all)
}

#[test]
fn every_selection_writes_the_file_and_says_how_many() {
    let (dir, path) = initialised();
    let file = |name: &str| dir.path().join(name).display().to_string();

    let all = file("all.bib");
    let o = export(&path, &["--format", "bibtex", "--all", "--out", &all]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Wrote 10 sources to "),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).trim_end().ends_with("all.bib (BibTeX)."),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&all)
            .unwrap()
            .matches("\n@")
            .count()
            + 1,
        10
    );

    // The Sources list's filter flags.
    let regulations = file("regs.json");
    let o = export(
        &path,
        &[
            "--format",
            "csl-json",
            "--kind",
            "regulation",
            "--published-from",
            "Oct 2023",
            "--out",
            &regulations,
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["sources"], 3);
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&regulations).unwrap()).unwrap();
    assert!(items.iter().all(|i| i["type"] == "legislation"));

    // A firm alone: its sources as its profile counts them (by its Chinese name too).
    let firm = file("huawei.ris");
    let o = export(
        &path,
        &["--format", "ris", "--firm", "华为", "--out", &firm],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let ris = std::fs::read_to_string(&firm).unwrap();
    assert!(ris.starts_with("TY  - "), "{ris}");
    assert!(ris.contains("Huawei Technologies"), "{ris}");

    // A saved comparison, by a name with Chinese, a comma and quotes.
    let name = "华为 vs SMIC, \"Q3\"";
    ok(chipwatch(
        &path,
        &["compare", "save", name, "--firms", "Huawei,SMIC"],
    ));
    let cited = file("cited.bib");
    let o = export(
        &path,
        &["--format", "bibtex", "--comparison", name, "--out", &cited],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&cited)
        .unwrap()
        .contains("@misc{addition2019entities,"));
}

#[test]
fn nothing_named_an_unknown_comparison_or_the_workspace_itself_is_refused() {
    let (dir, path) = initialised();
    let out = dir.path().join("x.bib").display().to_string();
    for (args, says) in [
        (vec!["--format", "bibtex"], "name the sources"),
        (
            vec!["--format", "bibtex", "--comparison", "nope"],
            "no saved comparison is called 'nope'",
        ),
        (
            vec!["--format", "bibtex", "--comparison", "nope", "--all"],
            "leave out --all",
        ),
        (
            vec!["--format", "bibtex", "--words", "zzzqqqxxx"],
            "the filter lets no source through",
        ),
        (
            vec!["--format", "bibtex", "--firm", "No such firm"],
            "No such firm",
        ),
    ] {
        let mut args = args;
        args.extend(["--out", out.as_str()]);
        let o = export(&path, &args);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    assert!(!dir.path().join("x.bib").exists());
    let before = std::fs::read(&path).unwrap();
    let o = export(
        &path,
        &["--format", "ris", "--all", "--out", path.to_str().unwrap()],
    );
    assert!(
        stderr(&o).contains("is the open workspace itself"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

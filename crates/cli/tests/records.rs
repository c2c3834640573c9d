//! `chipwatch firm|listing|source|chip|assessment|event|strategy|note`: each
//! record round-trips (add → show --json is what was given; edit changes only
//! what was given), bad values exit 1 naming the field, and text with Chinese,
//! quotes, commas, line breaks and emoji survives.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::Path;

use common::*;
use serde_json::{json, Value};

/// Everything a user may type: Chinese, quotes, commas, a line break, emoji.
const TRICKY: &str = "华为 \"Ascend\", 'quoted'; line\nbreak 🚀";

/// Runs a command that must succeed and print JSON.
fn ok(path: &Path, args: &[&str]) -> Value {
    let out = chipwatch(path, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    json(&out)
}

/// Runs a command that must be refused with exit 1, naming `field`; returns stderr.
fn refused(path: &Path, args: &[&str], field: &str) -> String {
    let out = chipwatch(path, args);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?}: {}{err}",
        stdout(&out)
    );
    assert!(
        err.contains(&format!("chipwatch: {field}: ")),
        "{args:?} should name {field}: {err}"
    );
    err
}

/// `before` with the keys of `changes` replaced, for "edit changed only this".
fn with(before: &Value, changes: Value) -> Value {
    let mut after = before.clone();
    for (key, value) in changes.as_object().unwrap() {
        after[key] = value.clone();
    }
    after
}

#[test]
fn a_firm_round_trips_and_an_edit_changes_only_the_flags_given() {
    let (_dir, path) = initialised();
    let huawei = ok(&path, &["firm", "show", "华为", "--json"])["id"].clone();
    let added = ok(
        &path,
        &[
            "firm",
            "add",
            "--name",
            TRICKY,
            "--native-name",
            "摩尔线程 \"MT\"",
            "--alias",
            "Moore, Inc.",
            "--alias",
            "MT 🚀",
            "--kind",
            "lab",
            "--country",
            "cn",
            "--parent",
            "Huawei",
            "--website",
            "https://mthreads.example/a?b=1,2",
            "--summary",
            TRICKY,
            "--json",
        ],
    );
    assert_eq!(
        added["draft"],
        json!({
            "name": TRICKY, "nativeName": "摩尔线程 \"MT\"", "aliases": ["MT 🚀", "Moore, Inc."],
            "kind": "lab", "country": "CN", "parentFirmId": huawei,
            "website": "https://mthreads.example/a?b=1,2", "summary": TRICKY, "listings": []
        })
    );
    assert_eq!(added["revision"], 1);
    let id = added["id"].to_string();
    // By id, alias or native name alike.
    assert_eq!(ok(&path, &["firm", "show", &id, "--json"]), added);
    assert_eq!(ok(&path, &["firm", "show", "moore, inc.", "--json"]), added);

    let edited = ok(
        &path,
        &[
            "firm",
            "edit",
            "MT 🚀",
            "--website",
            "",
            "--alias",
            "Only one",
            "--parent",
            "",
            "--json",
        ],
    );
    assert_eq!(edited["revision"], 2);
    assert_eq!(
        edited["draft"],
        with(
            &added["draft"],
            json!({"website": null, "aliases": ["Only one"], "parentFirmId": null})
        )
    );
    let cleared = ok(&path, &["firm", "edit", &id, "--alias", "", "--json"]);
    assert_eq!(cleared["draft"]["aliases"], json!([]));
    assert_eq!(cleared["draft"]["summary"], TRICKY);

    // The human view shows the text escaped onto its lines, never raw controls.
    let shown = chipwatch(&path, &["firm", "show", &id]);
    assert!(shown.status.success());
    assert!(
        stdout(&shown).contains("摩尔线程 \"MT\""),
        "{}",
        stdout(&shown)
    );
}

#[test]
fn a_firm_edit_is_refused_naming_the_field_and_nothing_changes() {
    let (_dir, path) = initialised();
    let before = ok(&path, &["firm", "show", "SMIC", "--json"]);
    refused(
        &path,
        &["firm", "edit", "SMIC", "--website", "smic.example"],
        "website",
    );
    refused(
        &path,
        &["firm", "edit", "SMIC", "--country", "Atlantis"],
        "country",
    );
    refused(
        &path,
        &["firm", "edit", "SMIC", "--kind", "startup"],
        "kind",
    );
    refused(&path, &["firm", "edit", "SMIC", "--name", " "], "name");
    let err = refused(
        &path,
        &["firm", "edit", "SMIC", "--parent", "Huawai"],
        "parentFirmId",
    );
    assert!(err.contains("Huawei"), "near matches: {err}");
    refused(
        &path,
        &["firm", "edit", "No Such Firm", "--summary", "x"],
        "firm",
    );
    let err = refused(
        &path,
        &["firm", "edit", "SMIC", "--alias", "华为"],
        "aliases[0]",
    );
    assert!(err.contains("Huawei"), "{err}");
    let err = refused(&path, &["firm", "add", "--name", "huawei"], "name");
    assert!(err.contains("already"), "{err}");
    assert_eq!(ok(&path, &["firm", "show", "SMIC", "--json"]), before);

    // A stale revision: the edit was made on a copy another save has replaced.
    ok(
        &path,
        &["firm", "edit", "SMIC", "--summary", "newer", "--json"],
    );
    let stale = before["revision"].to_string();
    let err = refused(
        &path,
        &[
            "firm",
            "edit",
            "SMIC",
            "--revision",
            &stale,
            "--summary",
            "older",
        ],
        "revision",
    );
    assert!(err.contains("changed since"), "{err}");
    assert_eq!(
        ok(&path, &["firm", "show", "SMIC", "--json"])["draft"]["summary"],
        "newer"
    );

    // Usage errors are 2.
    let out = chipwatch(&path, &["firm", "edit", "SMIC", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = chipwatch(&path, &["firm", "add"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn listings_are_added_and_removed_with_the_firm_revision_checked() {
    let (_dir, path) = initialised();
    let before = ok(&path, &["firm", "show", "Tencent", "--json"]);
    let added = ok(
        &path,
        &[
            "listing",
            "add",
            "--firm",
            "腾讯",
            "--list",
            "Entity List, \"1260H\" 🚀",
            "--date",
            "2024-01",
            "--citation",
            TRICKY,
            "--source",
            "1",
            "--json",
        ],
    );
    assert_eq!(
        added["draft"]["listings"],
        json!([{"listName": "Entity List, \"1260H\" 🚀", "listedOn": "2024-01",
                "citation": TRICKY, "sourceId": 1}])
    );
    assert_eq!(
        added["draft"],
        with(
            &before["draft"],
            json!({"listings": added["draft"]["listings"]})
        )
    );
    refused(
        &path,
        &[
            "listing",
            "add",
            "--firm",
            "Tencent",
            "--list",
            "x",
            "--date",
            "2024-02-30",
        ],
        "listings[1].listedOn",
    );
    refused(
        &path,
        &[
            "listing", "add", "--firm", "Tencent", "--list", "x", "--source", "9999",
        ],
        "listings[1].sourceId",
    );
    refused(
        &path,
        &["listing", "remove", "--firm", "Tencent", "2"],
        "listings",
    );
    let stale = before["revision"].to_string();
    refused(
        &path,
        &[
            "listing",
            "remove",
            "--firm",
            "Tencent",
            "1",
            "--revision",
            &stale,
        ],
        "revision",
    );
    let removed = ok(
        &path,
        &["listing", "remove", "--firm", "Tencent", "1", "--json"],
    );
    assert_eq!(removed["draft"], before["draft"]);
}

#[test]
fn a_source_round_trips_and_refuses_a_bad_date_or_address() {
    let (_dir, path) = initialised();
    let added = ok(
        &path,
        &[
            "source",
            "add",
            "--title",
            TRICKY,
            "--kind",
            "report",
            "--authors",
            "Allen, G.; 李明",
            "--publisher",
            "CSIS, \"Analysis\"",
            "--url",
            "https://example.org/华为?a=1,2",
            "--doi",
            "https://doi.org/10.1000/xyz",
            "--published-on",
            "2024-03",
            "--accessed-on",
            "2024-04-01",
            "--language",
            "zh",
            "--abstract",
            TRICKY,
            "--reliability",
            "b",
            "--credibility",
            "2",
            "--tag",
            "export, controls",
            "--tag",
            "芯片",
            "--json",
        ],
    );
    assert_eq!(
        added["draft"],
        json!({
            "kind": "report", "title": TRICKY, "authors": "Allen, G.; 李明",
            "publisher": "CSIS, \"Analysis\"", "url": "https://example.org/华为?a=1,2",
            "doi": "10.1000/xyz", "publishedOn": "2024-03", "accessedOn": "2024-04-01",
            "language": "zh", "abstract": TRICKY, "reliability": "B", "credibility": 2,
            "tags": ["export, controls", "芯片"]
        })
    );
    let id = added["id"].to_string();
    assert_eq!(ok(&path, &["source", "show", &id, "--json"]), added);
    let edited = ok(
        &path,
        &[
            "source",
            "edit",
            &id,
            "--doi",
            "",
            "--credibility",
            "",
            "--tag",
            "only",
            "--json",
        ],
    );
    assert_eq!(
        edited["draft"],
        with(
            &added["draft"],
            json!({"doi": null, "credibility": null, "tags": ["only"]})
        )
    );
    refused(
        &path,
        &["source", "edit", &id, "--published-on", "2024-13"],
        "publishedOn",
    );
    refused(
        &path,
        &["source", "edit", &id, "--accessed-on", "2024-04"],
        "accessedOn",
    );
    refused(
        &path,
        &["source", "edit", &id, "--url", "example.org/x"],
        "url",
    );
    refused(&path, &["source", "edit", &id, "--doi", "11.1/x"], "doi");
    refused(
        &path,
        &["source", "edit", &id, "--credibility", "high"],
        "credibility",
    );
    refused(&path, &["source", "edit", "x", "--title", "y"], "source");
    assert_eq!(ok(&path, &["source", "show", &id, "--json"]), edited);
    let out = chipwatch(&path, &["source", "show", "99999"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn a_chip_round_trips_with_the_figures_the_core_computes() {
    let (_dir, path) = initialised();
    let nvidia = ok(&path, &["firm", "show", "NVIDIA", "--json"])["id"].clone();
    let tsmc = ok(&path, &["firm", "show", "TSMC", "--json"])["id"].clone();
    let added = ok(
        &path,
        &[
            "chip",
            "add",
            "--firm",
            "英伟达",
            "--name",
            "H800 \"China\", 🚀",
            "--purpose",
            "training-and-inference",
            "--process-node-nm",
            "4",
            "--foundry",
            "TSMC",
            "--announced-on",
            "2023-03",
            "--peak-dense-tops",
            "989.5",
            "--peak-bit-width",
            "16",
            "--die-area-mm2",
            "814",
            "--memory-gb",
            "80",
            "--tdp-w",
            "700",
            "--notes",
            TRICKY,
            "--source",
            "1",
            "--json",
        ],
    );
    assert_eq!(
        added["draft"],
        json!({
            "firmId": nvidia, "name": "H800 \"China\", 🚀", "purpose": "training_and_inference",
            "processNodeNm": 4.0, "foundryFirmId": tsmc, "announcedOn": "2023-03",
            "peakDenseTops": 989.5, "peakBitWidth": 16, "dieAreaMm2": 814.0, "memoryGb": 80.0,
            "tdpW": 700.0, "notes": TRICKY, "sourceIds": [1]
        })
    );
    assert_eq!(added["metrics"]["tpp"], 15832.0);
    assert_eq!(
        added["metrics"]["rulesMet"],
        json!(["3A090.a.1", "3A090.a.2"])
    );
    let id = added["id"].to_string();
    assert_eq!(ok(&path, &["chip", "show", &id, "--json"]), added);
    assert_eq!(
        ok(&path, &["chip", "show", "h800 \"china\", 🚀", "--json"]),
        added
    );

    let edited = ok(
        &path,
        &[
            "chip",
            "edit",
            &id,
            "--die-area-mm2",
            "",
            "--foundry",
            "",
            "--source",
            "",
            "--json",
        ],
    );
    assert_eq!(
        edited["draft"],
        with(
            &added["draft"],
            json!({"dieAreaMm2": null, "foundryFirmId": null, "sourceIds": []})
        )
    );
    assert_eq!(edited["metrics"]["performanceDensity"], Value::Null);
    let shown = stdout(&chipwatch(&path, &["chip", "show", &id]));
    assert!(shown.contains("TPP:") && shown.contains("15832"), "{shown}");
    assert!(shown.contains("3A090.a.1"), "{shown}");
    // Without a die area the density is not recorded, in the app's word for it.
    assert!(
        shown.contains(&format!(
            "density:      {} (needs TPP and die area)",
            chipwatch_core::vocabulary::NOT_RECORDED
        )),
        "{shown}"
    );

    refused(
        &path,
        &["chip", "edit", &id, "--peak-bit-width", "12"],
        "peakBitWidth",
    );
    refused(&path, &["chip", "edit", &id, "--tdp-w", "-5"], "tdpW");
    refused(&path, &["chip", "edit", &id, "--tdp-w", "700W"], "tdpW");
    refused(
        &path,
        &["chip", "edit", &id, "--announced-on", "Smarch 2023"],
        "announcedOn",
    );
    refused(
        &path,
        &["chip", "edit", &id, "--purpose", "gaming"],
        "purpose",
    );
    refused(
        &path,
        &["chip", "edit", &id, "--source", "9999"],
        "sourceIds",
    );
    refused(
        &path,
        &["chip", "add", "--firm", "Nobody Inc", "--name", "X"],
        "firmId",
    );
    refused(
        &path,
        &["chip", "add", "--firm", "NVIDIA", "--name", "A100"],
        "name",
    );
    refused(
        &path,
        &["chip", "edit", "No such chip", "--notes", "x"],
        "chip",
    );
    assert_eq!(ok(&path, &["chip", "show", &id, "--json"]), edited);
}

#[test]
fn an_assessment_is_set_then_changed_only_where_told() {
    let (_dir, path) = initialised();
    let strategy = ok(
        &path,
        &[
            "strategy",
            "add",
            "--name",
            "囤货 \"Stockpiling\", 🚀",
            "--description",
            TRICKY,
            "--json",
        ],
    );
    assert_eq!(
        strategy["draft"],
        json!({"name": "囤货 \"Stockpiling\", 🚀", "description": TRICKY})
    );
    let sid = strategy["id"].to_string();
    assert_eq!(
        ok(
            &path,
            &["strategy", "show", "囤货 \"stockpiling\", 🚀", "--json"]
        ),
        strategy
    );
    let renamed = ok(
        &path,
        &["strategy", "edit", &sid, "--name", "Stockpiling", "--json"],
    );
    assert_eq!(
        renamed["draft"],
        with(&strategy["draft"], json!({"name": "Stockpiling"}))
    );
    refused(
        &path,
        &["strategy", "add", "--name", "in-house chips"],
        "name",
    );
    refused(
        &path,
        &["strategy", "edit", "Hoarding", "--name", "x"],
        "strategy",
    );

    refused(
        &path,
        &["assessment", "set", "--firm", "Tencent", "--strategy", &sid],
        "stance",
    );
    let set = ok(
        &path,
        &[
            "assessment",
            "set",
            "--firm",
            "腾讯",
            "--strategy",
            "Stockpiling",
            "--stance",
            "exploring",
            "--summary",
            TRICKY,
            "--as-of",
            "2024-02",
            "--evidence",
            "1:p. 4, \"table\" 2 🚀",
            "--evidence",
            "2",
            "--excerpt",
            &format!("1:{TRICKY}"),
            "--json",
        ],
    );
    let tencent = ok(&path, &["firm", "show", "Tencent", "--json"])["id"].clone();
    assert_eq!(
        set["draft"],
        json!({
            "firmId": tencent, "strategyId": strategy["id"], "stance": "exploring",
            "summary": TRICKY, "asOf": "2024-02",
            "evidence": [{"sourceId": 1, "locator": "p. 4, \"table\" 2 🚀", "excerpt": TRICKY},
                         {"sourceId": 2, "locator": null, "excerpt": null}]
        })
    );
    // An excerpt for a source the assessment does not cite is refused, naming what to do.
    refused(
        &path,
        &[
            "assessment",
            "set",
            "--firm",
            "Tencent",
            "--strategy",
            &sid,
            "--excerpt",
            "7:a passage",
        ],
        "excerpt",
    );
    let show = [
        "assessment",
        "show",
        "--firm",
        "Tencent",
        "--strategy",
        &sid,
        "--json",
    ];
    assert_eq!(ok(&path, &show), set);

    let changed = ok(
        &path,
        &[
            "assessment",
            "set",
            "--firm",
            "Tencent",
            "--strategy",
            &sid,
            "--stance",
            "active",
            "--json",
        ],
    );
    assert_eq!(changed["id"], set["id"]);
    assert_eq!(
        changed["draft"],
        with(&set["draft"], json!({"stance": "active"}))
    );
    refused(
        &path,
        &[
            "assessment",
            "set",
            "--firm",
            "Tencent",
            "--strategy",
            &sid,
            "--as-of",
            "2024-1-32",
        ],
        "asOf",
    );
    refused(
        &path,
        &[
            "assessment",
            "set",
            "--firm",
            "Tencent",
            "--strategy",
            &sid,
            "--evidence",
            "999",
        ],
        "evidence[0].sourceId",
    );
    refused(
        &path,
        &[
            "assessment",
            "set",
            "--firm",
            "Tencent",
            "--strategy",
            &sid,
            "--stance",
            "keen",
        ],
        "stance",
    );
    refused(
        &path,
        &[
            "assessment",
            "set",
            "--firm",
            "Tencent",
            "--strategy",
            &sid,
            "--revision",
            "1",
            "--summary",
            "x",
        ],
        "revision",
    );
    refused(
        &path,
        &[
            "assessment",
            "set",
            "--firm",
            "Tencent",
            "--strategy",
            "Hoarding",
            "--stance",
            "active",
        ],
        "strategy",
    );
    refused(
        &path,
        &[
            "assessment",
            "set",
            "--firm",
            "Tencnet",
            "--strategy",
            &sid,
            "--stance",
            "active",
        ],
        "firm",
    );
    assert_eq!(ok(&path, &show), changed);
}

#[test]
fn an_event_round_trips_with_its_firms_and_sources() {
    let (_dir, path) = initialised();
    let huawei = ok(&path, &["firm", "show", "Huawei", "--json"])["id"].clone();
    let smic = ok(&path, &["firm", "show", "SMIC", "--json"])["id"].clone();
    let added = ok(
        &path,
        &[
            "event",
            "add",
            "--date",
            "2024-05-08",
            "--title",
            TRICKY,
            "--kind",
            "regulation",
            "--description",
            TRICKY,
            "--firm",
            "华为",
            "--firm",
            "中芯国际",
            "--source",
            "1",
            "--json",
        ],
    );
    assert_eq!(
        added["draft"],
        json!({
            "occurredOn": "2024-05-08", "kind": "regulation", "title": TRICKY,
            "description": TRICKY, "firmIds": [huawei, smic], "sourceIds": [1]
        })
    );
    let id = added["id"].to_string();
    assert_eq!(ok(&path, &["event", "show", &id, "--json"]), added);
    let edited = ok(
        &path,
        &[
            "event",
            "edit",
            &id,
            "--firm",
            "",
            "--occurred-on",
            "2024",
            "--json",
        ],
    );
    assert_eq!(
        edited["draft"],
        with(
            &added["draft"],
            json!({"firmIds": [], "occurredOn": "2024"})
        )
    );
    refused(
        &path,
        &["event", "edit", &id, "--date", "2024-05-32"],
        "occurredOn",
    );
    refused(
        &path,
        &["event", "edit", &id, "--firm", "Nobody Ltd"],
        "firmIds",
    );
    refused(&path, &["event", "edit", &id, "--kind", "party"], "kind");
    refused(
        &path,
        &["event", "add", "--date", "", "--title", "x"],
        "occurredOn",
    );
    assert_eq!(ok(&path, &["event", "show", &id, "--json"]), edited);
}

#[test]
fn a_note_is_edited_on_its_revision_keeping_what_was_not_given() {
    let (_dir, path) = initialised();
    let added = ok(
        &path,
        &[
            "note",
            "add",
            "--title",
            TRICKY,
            "--body",
            "- about [[SMIC]]\n华为 🚀",
            "--tag",
            "a, b",
            "--json",
        ],
    );
    assert_eq!(
        (&added["title"], &added["body"], &added["tags"]),
        (
            &json!(TRICKY),
            &json!("- about [[SMIC]]\n华为 🚀"),
            &json!(["a, b"])
        )
    );
    let id = added["id"].to_string();
    let edited = ok(&path, &["note", "edit", &id, "--tag", "", "--json"]);
    assert_eq!(
        (
            &edited["title"],
            &edited["body"],
            &edited["tags"],
            &edited["revision"]
        ),
        (&added["title"], &added["body"], &json!([]), &json!(2))
    );
    let shown = ok(&path, &["note", "show", &id, "--json"]);
    assert_eq!(shown["note"], edited);
    assert_eq!(shown["links"][0]["label"], "SMIC");

    refused(
        &path,
        &["note", "edit", &id, "--revision", "1", "--title", "late"],
        "revision",
    );
    refused(&path, &["note", "edit", &id, "--title", "  "], "title");
    assert_eq!(ok(&path, &["note", "show", &id, "--json"])["note"], edited);
}

#[test]
fn dates_are_taken_as_the_app_shows_them_and_stored_iso() {
    let (_dir, path) = initialised();
    let source = ok(
        &path,
        &[
            "source",
            "add",
            "--title",
            "Dated as shown",
            "--published-on",
            "Oct 2023",
            "--accessed-on",
            "2023年10月17日",
            "--json",
        ],
    );
    assert_eq!(source["draft"]["publishedOn"], "2023-10");
    assert_eq!(source["draft"]["accessedOn"], "2023-10-17");
    let event = ok(
        &path,
        &[
            "event",
            "add",
            "--date",
            "17 Oct 2023",
            "--title",
            "x",
            "--json",
        ],
    );
    assert_eq!(event["draft"]["occurredOn"], "2023-10-17");
    let listed = ok(
        &path,
        &[
            "listing",
            "add",
            "--firm",
            "Tencent",
            "--list",
            "x",
            "--date",
            "2024年1月",
            "--json",
        ],
    );
    assert_eq!(listed["draft"]["listings"][0]["listedOn"], "2024-01");

    // The error names the flag's field and the form's label, and says what to write.
    let err = refused(
        &path,
        &["event", "add", "--date", "30 Feb 2024", "--title", "x"],
        "occurredOn",
    );
    assert!(
        err.contains(
            "Date: \"30 Feb 2024\" is not a date (Feb 2024 has 29 days) — write 2023, Oct 2023 or 17 Oct 2023"
        ),
        "{err}"
    );
    let err = refused(
        &path,
        &[
            "source",
            "edit",
            &source["id"].to_string(),
            "--accessed-on",
            "Oct 2023",
        ],
        "accessedOn",
    );
    assert!(
        err.contains(
            "Accessed: \"Oct 2023\" is not a full date — write the day too, e.g. 17 Oct 2023"
        ),
        "{err}"
    );
}

//! `chipwatch import ...` end to end, on real files.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use std::path::Path;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/import")
        .join(name)
        .display()
        .to_string()
}

fn source_count(path: &Path) -> i64 {
    json(&chipwatch(path, &["stats", "--json"]))["sources"]
        .as_i64()
        .unwrap()
}

#[test]
fn import_sources_reports_as_json_and_undo_removes_the_batch() {
    let (_dir, path) = initialised();
    let before = source_count(&path);
    let out = chipwatch(
        &path,
        &["import", "sources", &fixture("zotero_export.csv"), "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    for key in [
        "batch",
        "read",
        "added",
        "updated",
        "duplicates",
        "rejected",
        "problems",
    ] {
        assert!(report.get(key).is_some(), "{key} in {report}");
    }
    assert_eq!(
        (report["read"].as_i64(), report["added"].as_i64()),
        (Some(7), Some(4))
    );
    assert_eq!(report["duplicates"], 2);
    let problem = &report["problems"][0];
    assert_eq!(
        (
            problem["row"].as_i64(),
            problem["column"].as_str(),
            problem["value"].as_str()
        ),
        (Some(10), Some("Url"), Some("www.example.com/no-scheme"))
    );
    assert!(problem["message"].as_str().unwrap().contains("https://"));
    assert_eq!(report["duplicateRows"][0]["earlierRow"], 2);
    assert_eq!(source_count(&path), before + 4);

    let list = json(&chipwatch(&path, &["import", "list", "--json"]));
    let batch = report["batch"].as_i64().unwrap();
    assert_eq!(list[0]["id"].as_i64(), Some(batch));
    let undo = chipwatch(&path, &["import", "undo", &batch.to_string()]);
    assert!(undo.status.success(), "{}", stderr(&undo));
    assert!(String::from_utf8_lossy(&undo.stdout).contains("removed 4 sources"));
    assert_eq!(source_count(&path), before);
}

#[test]
fn a_structural_error_exits_1_with_the_line_and_writes_nothing() {
    let (_dir, path) = initialised();
    let before = source_count(&path);
    let out = chipwatch(
        &path,
        &["import", "sources", &fixture("unterminated_quote.csv")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("line 3"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Nothing was imported"),
        "{}",
        stderr(&out)
    );
    let out = chipwatch(
        &path,
        &["import", "sources", &fixture("xlsx_renamed.csv"), "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("XLSX"));
    assert_eq!(source_count(&path), before);
}

#[test]
fn strict_aborts_with_exit_1_and_dry_run_writes_nothing() {
    let (_dir, path) = initialised();
    let before = source_count(&path);
    let out = chipwatch(
        &path,
        &["import", "sources", &fixture("dates.csv"), "--strict"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Row 11, column 'Date'"),
        "{}",
        stderr(&out)
    );
    let dry = chipwatch(
        &path,
        &[
            "import",
            "sources",
            &fixture("dates.csv"),
            "--dry-run",
            "--json",
        ],
    );
    assert!(dry.status.success());
    assert_eq!(json(&dry)["added"], 9);
    assert_eq!(json(&dry)["batch"], serde_json::Value::Null);
    assert_eq!(source_count(&path), before);
}

#[test]
fn encoding_and_delimiter_can_be_named() {
    let (_dir, path) = initialised();
    let out = chipwatch(
        &path,
        &[
            "import",
            "sources",
            &fixture("utf16le.csv"),
            "--encoding",
            "utf-16le",
            "--delimiter",
            "tab",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&out)["added"], 2);
    let preview = chipwatch(
        &path,
        &[
            "import",
            "preview",
            &fixture("gb18030_chinese_headers.csv"),
            "--json",
        ],
    );
    assert!(preview.status.success(), "{}", stderr(&preview));
    let preview = json(&preview);
    assert_eq!(preview["encoding"], "gb18030");
    assert_eq!(preview["headers"][0], "标题");
    assert_eq!(
        preview["rows"][0]["source"]["title"],
        "中芯国际扩大7纳米产能"
    );
}

#[test]
fn epoch_chips_import_and_list_chips_shows_tpp() {
    let (_dir, path) = initialised();
    let epoch =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/data/epoch-ml-hardware.csv");
    let out = chipwatch(
        &path,
        &[
            "import",
            "chips",
            epoch.to_str().unwrap(),
            "--format",
            "epoch",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["read"], 169);
    assert!(report["createdFirms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "MetaX"));
    let chips = json(&chipwatch(&path, &["list", "chips", "--json"]));
    let gb300 = chips
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "GB300")
        .unwrap();
    assert_eq!(gb300["tpp"], 60000.0);
    assert_eq!(gb300["metrics"]["tpp"], 60000.0);
    let firms = chipwatch(&path, &["import", "firms", &fixture("firms.csv"), "--json"]);
    assert!(firms.status.success(), "{}", stderr(&firms));
    assert_eq!(json(&firms)["added"], 4);
}

#[test]
fn generated_zotero_csv_imports() {
    let (dir, path) = initialised();
    let csv = dir.path().join("z.csv");
    let out = chipwatch(
        &path,
        &[
            "generate-zotero-csv",
            csv.to_str().unwrap(),
            "--rows",
            "500",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = chipwatch(
        &path,
        &[
            "import",
            "sources",
            csv.to_str().unwrap(),
            "--mapping",
            "zotero",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["read"], 500);
    assert_eq!(report["rejected"], 0, "{}", report["problems"]);
    assert!(report["duplicates"].as_i64().unwrap() >= 5);
}

/// A CSV whose headers the automatic mapping does not know, holding a comma,
/// quotes, Chinese and emoji.
const ODD_HEADERS: &str = "\"Headline, main\";\"He said \"\"link\"\"\";备注 🚀;Ignored\n\
\"华为 \"\"Ascend\"\", report\";https://example.org/a;tag1;x\n\
\"Second\";not-a-url;tag2;y\n";

#[test]
fn an_inline_map_names_columns_with_commas_quotes_and_chinese() {
    let (dir, path) = initialised();
    let file = dir.path().join("odd.csv");
    std::fs::write(&file, ODD_HEADERS).unwrap();
    let file = file.display().to_string();
    // The automatic mapping finds no title here.
    let out = chipwatch(&path, &["import", "sources", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("title"), "{}", stderr(&out));

    let problems = dir.path().join("problems.csv");
    let out = chipwatch(
        &path,
        &[
            "import",
            "sources",
            &file,
            "--map",
            r#""Headline, main"=title,"He said ""link"""=url"#,
            "--map",
            "备注 🚀 = Tags",
            "--problems",
            problems.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        (report["added"].as_i64(), report["rejected"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(report["problems"][0]["column"], "He said \"link\"");
    let written = std::fs::read_to_string(&problems).unwrap();
    assert!(written.contains("not-a-url"), "{written}");
    let listed = json(&chipwatch(&path, &["list", "sources", "--json"]));
    let added = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "华为 \"Ascend\", report")
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(added["url"], "https://example.org/a");
    let draft = json(&chipwatch(
        &path,
        &["source", "show", &added["id"].to_string(), "--json"],
    ));
    assert_eq!(draft["draft"]["tags"], serde_json::json!(["tag1"]));

    // The same map with a backslash before the comma; saved as a named mapping.
    let saved = chipwatch(
        &path,
        &[
            "import",
            "save-mapping",
            "odd 🚀",
            &file,
            "--map",
            r"Headline\, main=title",
            "--json",
        ],
    );
    assert!(saved.status.success(), "{}", stderr(&saved));
    assert_eq!(json(&saved)["mapping"]["columns"][0]["field"], "title");
    let out = chipwatch(
        &path,
        &[
            "import",
            "sources",
            &file,
            "--mapping",
            "odd 🚀",
            "--dry-run",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&out)["duplicates"], 1);
}

#[test]
fn an_inline_map_naming_an_unknown_column_or_field_exits_1_naming_it() {
    let (dir, path) = initialised();
    let file = dir.path().join("odd.csv");
    std::fs::write(&file, ODD_HEADERS).unwrap();
    let file = file.display().to_string();
    let before = source_count(&path);
    for (map, named) in [
        ("Headline=title", "'Headline'"),
        (r#""Headline, main"=headline"#, "'headline'"),
        (r#""Headline, main=title"#, "quote"),
        ("Headline, main=title", "no '='"),
        (r#""Headline, main"=title,备注 🚀=title"#, "one column"),
    ] {
        let out = chipwatch(&path, &["import", "sources", &file, "--map", map]);
        assert_eq!(out.status.code(), Some(1), "{map}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("map: ") && err.contains(named), "{map}: {err}");
    }
    let out = chipwatch(&path, &["import", "chips", &file, "--map", "Ignored=name"]);
    assert_eq!(out.status.code(), Some(1));
    // --map and --mapping together is a usage error.
    let out = chipwatch(
        &path,
        &[
            "import",
            "sources",
            &file,
            "--map",
            "Ignored=title",
            "--mapping",
            "zotero",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(source_count(&path), before);
}

#[test]
fn mentions_found_by_an_import_are_removed_a_few_or_all_at_once() {
    let (dir, path) = initialised();
    let file = dir.path().join("华为 mentions.csv");
    std::fs::write(
        &file,
        "Title\n\"Huawei ships Ascend, \"\"quoted\"\"\"\n华为发布芯片 🚀\nHuawei and SMIC, 7 nm\nHuawei again\n",
    )
    .unwrap();
    ok(chipwatch(
        &path,
        &["import", "sources", &file.display().to_string()],
    ));
    let listed = json(&ok(chipwatch(
        &path,
        &["mention", "list", "Huawei", "--json"],
    )));
    let total = listed["total"].as_i64().unwrap();
    assert!(total >= 3, "{listed}");
    let ids: Vec<String> = listed["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].to_string())
        .collect();

    // Two at once; a source that does not mention Huawei among them removes nothing.
    let refused = chipwatch(
        &path,
        &[
            "mention", "remove", "--firm", "Huawei", "--source", &ids[0], "--source", "1",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("source 1 does not mention"),
        "{}",
        stderr(&refused)
    );
    let removed = ok(chipwatch(
        &path,
        &[
            "mention", "remove", "--firm", "华为", "--source", &ids[0], "--source", &ids[1],
        ],
    ));
    assert!(
        stdout(&removed).contains("Removed 2 mentions"),
        "{}",
        stdout(&removed)
    );

    // The rest with --all; the sources stay.
    let all = ok(chipwatch(
        &path,
        &["mention", "remove", "--firm", "Huawei", "--all"],
    ));
    let rest = match total - 2 {
        1 => "Removed 1 mention of".to_owned(),
        n => format!("Removed {n} mentions of"),
    };
    assert!(stdout(&all).contains(&rest), "{}", stdout(&all));
    let left = json(&ok(chipwatch(
        &path,
        &["mention", "list", "Huawei", "--json"],
    )));
    assert_eq!(left["total"], 0);
    assert!(source_count(&path) >= total);
}

fn screening_copy(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/screening-list")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn import_listings_shows_the_matches_in_a_dry_run_then_imports_a_narrowed_list() {
    let (_dir, path) = initialised();
    let file = screening_copy("csl-2026-10-01.csv");
    let dry = chipwatch(
        &path,
        &[
            "import",
            "listings",
            &file,
            "--copy-date",
            "2026-10-01",
            "--dry-run",
        ],
    );
    assert!(dry.status.success(), "{}", stderr(&dry));
    let text = stdout(&dry);
    assert!(text.contains("dry run: nothing was written"), "{text}");
    assert!(
        text.contains("'Semiconductor Manufacturing International Corporation (SMIC)' (Entity List) is SMIC (by an alias"),
        "{text}"
    );
    assert!(
        text.contains("left out: people 1, vessels and aircraft 1"),
        "{text}"
    );

    let out = chipwatch(
        &path,
        &[
            "import",
            "listings",
            &file,
            "--copy-date",
            "2026-10-01",
            "--list",
            "Entity List,MEU",
            "--country",
            "CN",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let listings = &report["listings"];
    assert_eq!(listings["copyDate"], "2026-10-01");
    // CMIC and UVL rows are on lists not chosen; AO Mikron is in Russia.
    assert_eq!(
        (
            listings["leftOutByList"].as_i64(),
            listings["leftOutByCountry"].as_i64()
        ),
        (Some(2), Some(1))
    );
    let hikvision = json(&chipwatch(
        &path,
        &[
            "firm",
            "show",
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
            "--json",
        ],
    ));
    assert_eq!(
        hikvision["draft"]["listings"][0]["citation"], "84 FR 54002",
        "{hikvision}"
    );

    let refused = chipwatch(&path, &["import", "listings", &fixture("firms.csv")]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("is not the Consolidated Screening List"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn import_firms_where_keeps_the_organizations_of_a_supply_chain_list() {
    let (dir, path) = initialised();
    let problems = dir.path().join("problems 问题.csv");
    let file = fixture("supply_chain_providers.csv");
    let out = chipwatch(
        &path,
        &[
            "import",
            "firms",
            &file,
            "--where",
            "provider_type=organization",
            "--where",
            "provider_name!=ASML",
            "--problems",
            problems.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("read 14 rows"), "{text}");
    assert!(text.contains("added 6 firms"), "{text}");
    assert!(text.contains("left out by --where: 7 rows"), "{text}");
    assert!(
        text.contains("warning: row 4, column 'kind': 'organization' is not a kind of firm"),
        "{text}"
    );
    assert!(
        text.contains("Wrote 0 row problems and 3 row warnings"),
        "{text}"
    );
    let saved = std::fs::read_to_string(&problems).unwrap();
    assert!(saved.contains("\"16\",\"country\",\"ATL\""), "{saved}");
    assert!(saved.contains("\"imported\""), "{saved}");
    for (name, country) in [("Tokyo Electron", "JP"), ("Samsung Electronics", "KR")] {
        let shown = json(&chipwatch(&path, &["firm", "show", name, "--json"]));
        assert_eq!(shown["draft"]["country"], country, "{name}");
    }
    // ASML was left out by the second condition; the country rows by the first.
    let firms = stdout(&chipwatch(&path, &["list", "firms"]));
    assert!(!firms.contains("ASML"), "{firms}");
    assert!(!firms.contains("Netherlands"), "{firms}");

    // A column the file lacks: exit 1, naming the columns it has.
    let out = chipwatch(
        &path,
        &["import", "firms", &file, "--where", "type=organization"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no column 'type'"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("'provider_type'"), "{}", stderr(&out));
    // Not COLUMN=VALUE at all.
    let out = chipwatch(
        &path,
        &["import", "firms", &file, "--where", "organization"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("COLUMN=VALUE"), "{}", stderr(&out));

    // The firm commands take the same words for a country.
    let added = chipwatch(
        &path,
        &[
            "firm",
            "add",
            "--name",
            "Hua Hong Grace",
            "--country",
            "中国",
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let shown = json(&chipwatch(
        &path,
        &["firm", "show", "Hua Hong Grace", "--json"],
    ));
    assert_eq!(shown["draft"]["country"], "CN");
}

fn citations(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/citations")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_bibtex_file_imports_as_sources_and_a_broken_one_names_its_line() {
    let (_dir, path) = initialised();
    let before = source_count(&path);

    let preview = chipwatch(&path, &["import", "preview", &citations("refs.bib")]);
    assert!(preview.status.success(), "{}", stderr(&preview));
    let shown = stdout(&preview);
    assert!(shown.contains("BibTeX, 4 records"), "{shown}");
    assert!(
        shown.contains("line 7 @article{huawei2023}: 华为昇腾910B的性能分析"),
        "{shown}"
    );

    // A CSV's options are refused by their flags, before anything is read.
    let delimited = chipwatch(
        &path,
        &[
            "import",
            "sources",
            &citations("refs.bib"),
            "--delimiter",
            "tab",
        ],
    );
    assert_eq!(delimited.status.code(), Some(1));
    assert!(
        stderr(&delimited).contains("--delimiter is for CSV files only"),
        "{}",
        stderr(&delimited)
    );

    let broken = chipwatch(
        &path,
        &["import", "sources", &citations("unterminated_brace.bib")],
    );
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stderr(&broken).contains(
            "unterminated_brace.bib, line 12: the entry @article{smic2023, opened here, never closes"
        ),
        "{}",
        stderr(&broken)
    );
    assert_eq!(source_count(&path), before, "nothing was written");

    let out = chipwatch(
        &path,
        &["import", "sources", &citations("refs.bib"), "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["format"], "bibtex");
    assert_eq!(
        (
            report["read"].as_i64(),
            report["added"].as_i64(),
            report["duplicates"].as_i64(),
            report["rejected"].as_i64()
        ),
        (Some(4), Some(2), Some(1), Some(1))
    );
    assert_eq!(report["problems"][0]["row"], 36);
    assert_eq!(source_count(&path), before + 2);
    let found = chipwatch(&path, &["list", "sources", "--json"]);
    let titles = stdout(&found);
    assert!(titles.contains("华为昇腾910B的性能分析"), "{titles}");
    assert!(titles.contains("张三; 李四; Allen, Gregory C."), "{titles}");

    let batch = report["batch"].as_i64().unwrap().to_string();
    let undo = chipwatch(&path, &["import", "undo", &batch]);
    assert!(undo.status.success(), "{}", stderr(&undo));
    assert_eq!(source_count(&path), before);
}

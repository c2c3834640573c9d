//! Citations out: sources as BibTeX, RIS and CSL-JSON. Each format's shape on
//! a source with every field, the key rules, the four selections (all, the
//! Sources list's filter or ticks, a firm's, a comparison's), refused output
//! paths, and pandoc (the real consumer) rendering the bibliographies.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use chipwatch_core::citations::{
    self, CitationExportRequest, CitationExportSummary, CitationFormat, CitationScope,
};
use chipwatch_core::compare::saved::{self, ComparisonDraft};
use chipwatch_core::compare::{self, ComparisonSelection};
use chipwatch_core::model::{Id, SourceDraft, SourceFilter, SourceKind, SourceSelection};
use chipwatch_core::{firms, import, profile, sources, sources_bulk, Error, Store};
use common::*;

fn draft(title: &str) -> SourceDraft {
    SourceDraft {
        kind: SourceKind::Article,
        title: title.into(),
        authors: None,
        publisher: None,
        url: None,
        doi: None,
        published_on: None,
        accessed_on: None,
        language: None,
        r#abstract: None,
        reliability: None,
        credibility: None,
        tags: vec![],
    }
}

fn add(store: &mut Store, draft: &SourceDraft) -> Id {
    sources::save(store, None, None, draft).unwrap().id
}

/// A report with every field a citation can carry.
fn every_field() -> SourceDraft {
    SourceDraft {
        kind: SourceKind::Report,
        title: "Choking off China's AI access: 50% & more".into(),
        authors: Some(
            "Allen, Gregory C.; Center for Strategic and International Studies; 张三".into(),
        ),
        publisher: Some("CSIS".into()),
        url: Some("https://www.csis.org/analysis/choking-off-chinas-access".into()),
        doi: Some("10.1234/csis.2022_1".into()),
        published_on: Some("2022-10-11".into()),
        accessed_on: Some("2024-01-05".into()),
        language: Some("en".into()),
        r#abstract: Some("Line one.\nLine two.".into()),
        reliability: Some("B".into()),
        credibility: Some(2),
        tags: vec!["export controls".into(), "芯片".into()],
    }
}

/// A Chinese article by Chinese authors.
fn chinese() -> SourceDraft {
    SourceDraft {
        authors: Some("张三; 李四".into()),
        publisher: Some("中国电子报".into()),
        published_on: Some("2023-05".into()),
        language: Some("zh".into()),
        ..draft("华为昇腾910B的性能分析")
    }
}

/// A title with quotes, a comma, TeX's special characters and an emoji, by a
/// person and an organisation.
fn tricky() -> SourceDraft {
    SourceDraft {
        kind: SourceKind::Report,
        authors: Some("Allen, Gregory C.; Center for Security and Emerging Technology".into()),
        publisher: Some("CSET & Partners".into()),
        published_on: Some("2021".into()),
        ..draft("Chips, \"Ascend\" & 50% of {AI} #1 🚀")
    }
}

fn export_to(
    store: &Store,
    scope: CitationScope,
    format: CitationFormat,
    path: &Path,
) -> Result<CitationExportSummary, Error> {
    citations::export(
        store,
        &CitationExportRequest {
            scope,
            format,
            path: path.display().to_string(),
        },
    )
}

/// Exports `scope` as CSL-JSON and reads the items back.
fn csl_items(store: &Store, scope: CitationScope) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refs.json");
    let summary = export_to(store, scope, CitationFormat::CslJson, &path).unwrap();
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(summary.sources as usize, items.len());
    items
}

fn titles_of(items: &[serde_json::Value]) -> Vec<String> {
    let mut titles: Vec<String> = items
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    titles
}

fn titles_of_ids(store: &Store, ids: impl IntoIterator<Item = Id>) -> Vec<String> {
    let ids: Vec<Id> = ids.into_iter().collect();
    let mut titles: Vec<String> = sources::by_ids(store, &ids)
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect();
    titles.sort();
    titles
}

#[test]
fn a_source_with_every_field_in_each_format() {
    let mut store = Store::open_in_memory().unwrap();
    add(&mut store, &every_field());
    let dir = tempfile::tempdir().unwrap();
    let read = |format, name: &str| {
        let path = dir.path().join(name);
        export_to(&store, CitationScope::All, format, &path).unwrap();
        std::fs::read_to_string(path).unwrap()
    };

    assert_eq!(
        read(CitationFormat::Bibtex, "refs.bib"),
        "@techreport{allen2022choking,
  author = {Allen, Gregory C. and {Center for Strategic and International Studies} and {张三}},
  title = {{Choking off China's AI access: 50\\% \\& more}},
  institution = {CSIS},
  year = {2022},
  date = {2022-10-11},
  doi = {10.1234/csis.2022_1},
  url = {https://www.csis.org/analysis/choking-off-chinas-access},
  urldate = {2024-01-05},
  language = {en},
  keywords = {export controls, 芯片},
  abstract = {Line one.
Line two.},
  month = oct,
}

"
    );

    assert_eq!(
        read(CitationFormat::Ris, "refs.ris"),
        [
            "TY  - RPRT",
            "TI  - Choking off China's AI access: 50% & more",
            "AU  - Allen, Gregory C.",
            "AU  - Center for Strategic and International Studies",
            "AU  - 张三",
            "PY  - 2022",
            "DA  - 2022/10/11/",
            "PB  - CSIS",
            "UR  - https://www.csis.org/analysis/choking-off-chinas-access",
            "DO  - 10.1234/csis.2022_1",
            "AB  - Line one. Line two.",
            "Y2  - 2024/01/05/",
            "LA  - en",
            "KW  - export controls",
            "KW  - 芯片",
            "ER  - ",
            "",
            "",
        ]
        .join("\r\n")
    );

    let csl: serde_json::Value =
        serde_json::from_str(&read(CitationFormat::CslJson, "refs.json")).unwrap();
    assert_eq!(
        csl,
        serde_json::json!([{
            "id": "allen2022choking",
            "type": "report",
            "title": "Choking off China's AI access: 50% & more",
            "author": [
                {"family": "Allen", "given": "Gregory C."},
                {"literal": "Center for Strategic and International Studies"},
                {"literal": "张三"}
            ],
            "issued": {"date-parts": [[2022, 10, 11]]},
            "publisher": "CSIS",
            "URL": "https://www.csis.org/analysis/choking-off-chinas-access",
            "DOI": "10.1234/csis.2022_1",
            "accessed": {"date-parts": [[2024, 1, 5]]},
            "language": "en",
            "keyword": "export controls, 芯片",
            "abstract": "Line one.\nLine two."
        }])
    );
}

#[test]
fn where_a_source_appeared_is_its_container_and_partial_dates_keep_their_parts() {
    let mut store = Store::open_in_memory().unwrap();
    add(&mut store, &chinese());
    let dir = tempfile::tempdir().unwrap();
    let items = csl_items(&store, CitationScope::All);
    assert_eq!(items[0]["container-title"], "中国电子报");
    assert!(items[0].get("publisher").is_none());
    assert_eq!(
        items[0]["issued"],
        serde_json::json!({"date-parts": [[2023, 5]]})
    );
    assert_eq!(
        items[0]["author"],
        serde_json::json!([{"literal": "张三"}, {"literal": "李四"}])
    );

    let bib = dir.path().join("refs.bib");
    export_to(&store, CitationScope::All, CitationFormat::Bibtex, &bib).unwrap();
    let bib = std::fs::read_to_string(bib).unwrap();
    assert!(bib.starts_with("@article{src1,\n"), "{bib}");
    assert!(bib.contains("  journal = {中国电子报},\n"), "{bib}");
    assert!(bib.contains("  date = {2023-05},\n  year") || bib.contains("  date = {2023-05},\n"));
    assert!(bib.contains("  month = may,\n"), "{bib}");

    let ris = dir.path().join("refs.ris");
    export_to(&store, CitationScope::All, CitationFormat::Ris, &ris).unwrap();
    let ris = std::fs::read_to_string(ris).unwrap();
    assert!(ris.contains("TY  - JOUR\r\n"), "{ris}");
    assert!(ris.contains("T2  - 中国电子报\r\n"), "{ris}");
    assert!(ris.contains("DA  - 2023/05//\r\n"), "{ris}");
}

#[test]
fn ris_lines_end_in_crlf_and_every_value_stays_on_its_line() {
    let mut store = seeded_store();
    add(
        &mut store,
        &SourceDraft {
            r#abstract: Some(
                "First paragraph.\r\n\r\nSecond, with \"quotes\".\nER  - not an end".into(),
            ),
            tags: vec![TRICKY.replace('\n', " ")],
            ..tricky()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refs.ris");
    let summary = export_to(&store, CitationScope::All, CitationFormat::Ris, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.starts_with('\u{feff}'));
    let body = text.strip_suffix("\r\n").unwrap();
    for line in body.split("\r\n") {
        assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
        let tagged = line.len() >= 6
            && line.as_bytes()[..2].iter().all(u8::is_ascii_alphanumeric)
            && &line[2..6] == "  - ";
        assert!(line.is_empty() || tagged, "not an RIS line: {line:?}");
    }
    let records = body.split("\r\n\r\n").filter(|r| !r.is_empty()).count();
    assert_eq!(records as u64, summary.sources);
    assert_eq!(text.matches("TY  - ").count(), records);
    assert_eq!(text.matches("\r\nER  - \r\n").count(), records);
    assert!(text.contains("AB  - First paragraph. Second, with \"quotes\". ER  - not an end\r\n"));
}

#[test]
fn keys_are_unique_and_the_same_whatever_else_is_exported() {
    let mut store = seeded_store();
    let same = |title: &str| SourceDraft {
        authors: Some("Allen, Gregory C.".into()),
        published_on: Some("2023-10".into()),
        ..draft(title)
    };
    let first = add(&mut store, &same("Chips and the state"));
    let second = add(&mut store, &same("Chips, again"));
    let third = add(&mut store, &same("CHIPS act"));
    let chinese_only = add(&mut store, &chinese());

    let items = csl_items(&store, CitationScope::All);
    let keys: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = keys.iter().copied().collect();
    assert_eq!(unique.len(), keys.len(), "duplicate keys: {keys:?}");
    let key_of = |title: &str| -> String {
        items
            .iter()
            .find(|i| i["title"] == title)
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(key_of("Chips and the state"), "allen2023chips");
    assert_eq!(key_of("Chips, again"), "allen2023chips-2");
    assert_eq!(key_of("CHIPS act"), "allen2023chips-3");
    assert_eq!(
        key_of("华为昇腾910B的性能分析"),
        format!("src{chinese_only}")
    );
    // The default dataset's regulations have no authors: named by their titles.
    assert!(keys.contains(&"entity2023list"), "{keys:?}");

    // Exported alone (ticked, or as a filter's only match), a source keeps its key.
    let alone = csl_items(
        &store,
        CitationScope::Sources {
            selection: SourceSelection::Ids { ids: vec![third] },
        },
    );
    assert_eq!(alone[0]["id"], "allen2023chips-3");
    // BibTeX uses the same keys.
    let dir = tempfile::tempdir().unwrap();
    let bib = dir.path().join("refs.bib");
    let scope = CitationScope::Sources {
        selection: SourceSelection::Ids {
            ids: vec![second, first],
        },
    };
    export_to(&store, scope, CitationFormat::Bibtex, &bib).unwrap();
    let bib = std::fs::read_to_string(bib).unwrap();
    let bib_keys: Vec<&str> = bib
        .lines()
        .filter_map(|l| l.strip_prefix('@'))
        .map(|l| l.split_once('{').unwrap().1.trim_end_matches(','))
        .collect();
    assert_eq!(bib_keys, ["allen2023chips", "allen2023chips-2"]);
}

#[test]
fn all_a_filter_or_the_ticked_sources() {
    let mut store = seeded_store();
    add(&mut store, &tricky());
    let all = csl_items(&store, CitationScope::All);
    let every: Vec<Id> = sources::list(&store, None)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(titles_of(&all), titles_of_ids(&store, every));

    // The Sources list's filter, as its bulk actions take it, with one left out.
    let regulations = SourceFilter {
        kind: Some(SourceKind::Regulation),
        published_from: Some("2022".into()),
        ..SourceFilter::default()
    };
    let matching = SourceSelection::Matching {
        filter: regulations.clone(),
        except: vec![],
    };
    let store_ref = &store;
    let expected = store_ref
        .read(|conn| sources_bulk::selected_ids(conn, &matching))
        .unwrap();
    assert_eq!(expected.len(), 5, "the seed's regulations from 2022 on");
    let filtered = csl_items(
        &store,
        CitationScope::Sources {
            selection: matching,
        },
    );
    assert_eq!(
        titles_of(&filtered),
        titles_of_ids(&store, expected.clone())
    );
    assert!(filtered.iter().all(|i| i["type"] == "legislation"));
    let but_one = csl_items(
        &store,
        CitationScope::Sources {
            selection: SourceSelection::Matching {
                filter: regulations,
                except: vec![expected[0]],
            },
        },
    );
    assert_eq!(
        titles_of(&but_one),
        titles_of_ids(&store, expected[1..].to_vec())
    );

    // Ticked one by one.
    let ticked = csl_items(
        &store,
        CitationScope::Sources {
            selection: SourceSelection::Ids {
                ids: vec![expected[2], expected[0]],
            },
        },
    );
    assert_eq!(
        titles_of(&ticked),
        titles_of_ids(&store, [expected[0], expected[2]])
    );
}

#[test]
fn a_firms_sources_are_those_its_profile_counts() {
    let mut store = seeded_store();
    // A mention of Huawei, found on import or marked by hand.
    let mentioned = add(&mut store, &tricky());
    let huawei = firm_id(&store, "Huawei");
    sources_bulk::link_firm(
        &mut store,
        &SourceSelection::Ids {
            ids: vec![mentioned],
        },
        huawei,
    )
    .unwrap();
    for firm in firms::list(&store, None).unwrap() {
        let profile = profile::load_profile(&store, firm.id).unwrap();
        let mut expected: BTreeSet<Id> = profile.sources.iter().map(|s| s.id).collect();
        let mentions = import::mentions_of_firm(&store, firm.id, 10_000).unwrap();
        expected.extend(mentions.sources.iter().map(|s| s.id));
        let scope = CitationScope::Firm { firm_id: firm.id };
        if expected.is_empty() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("none.bib");
            let error = export_to(&store, scope, CitationFormat::Bibtex, &path).unwrap_err();
            assert!(error.to_string().contains(&firm.name), "{error}");
            assert!(!path.exists());
            continue;
        }
        let items = csl_items(&store, scope);
        assert_eq!(
            titles_of(&items),
            titles_of_ids(&store, expected),
            "{}",
            firm.name
        );
    }
    // Baidu's chips are its subsidiary Kunlunxin's: their source is Baidu's too.
    let baidu = firm_id(&store, "Baidu");
    let items = csl_items(&store, CitationScope::Firm { firm_id: baidu });
    assert!(
        items
            .iter()
            .any(|i| i["title"] == "Data on Machine Learning Hardware"),
        "{items:?}"
    );
    let error = export_to(
        &store,
        CitationScope::Firm { firm_id: 424_242 },
        CitationFormat::Ris,
        &std::env::temp_dir().join("chipwatch-never-written.ris"),
    )
    .unwrap_err();
    assert!(
        matches!(error, Error::NotFound { id: 424_242, .. }),
        "{error}"
    );
}

#[test]
fn a_comparisons_sources_are_those_its_cells_cite() {
    let mut store = seeded_store();
    let firm_ids = compare::resolve_firms(&store, &["Huawei".into(), "SMIC".into()]).unwrap();
    let selection = ComparisonSelection {
        firm_ids,
        ..ComparisonSelection::default()
    };
    let matrix = compare::compute(&store, &selection).unwrap();
    let cited: BTreeSet<Id> = matrix
        .rows
        .iter()
        .flatten()
        .flat_map(|cell| cell.sources.iter().copied())
        .collect();
    assert!(cited.len() >= 2);
    let items = csl_items(
        &store,
        CitationScope::Comparison {
            selection: selection.clone(),
        },
    );
    assert_eq!(titles_of(&items), titles_of_ids(&store, cited.clone()));

    // A saved comparison's, as the CLI's --comparison NAME finds it.
    saved::save(
        &mut store,
        None,
        None,
        &ComparisonDraft {
            name: "华为 vs SMIC, \"Q3\"".into(),
            selection,
        },
    )
    .unwrap();
    let found = saved::find_by_name(&store, "华为 vs SMIC, \"Q3\"")
        .unwrap()
        .unwrap();
    let items = csl_items(
        &store,
        CitationScope::Comparison {
            selection: found.selection,
        },
    );
    assert_eq!(titles_of(&items), titles_of_ids(&store, cited));

    let error = export_to(
        &store,
        CitationScope::Comparison {
            selection: ComparisonSelection::default(),
        },
        CitationFormat::Bibtex,
        &std::env::temp_dir().join("chipwatch-never-written.bib"),
    )
    .unwrap_err();
    assert!(error.to_string().contains("no firms are chosen"), "{error}");
}

#[test]
fn the_workspaces_own_files_and_empty_selections_are_refused_with_nothing_written() {
    let (dir, path) = temp_workspace();
    seeded_file(&path);
    let store = Store::open(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let backups = chipwatch_core::paths::backups_folder(&path);
    std::fs::create_dir_all(&backups).unwrap();
    for own in [
        path.clone(),
        chipwatch_core::paths::with_suffix(&path, "-wal"),
        backups.join("refs.bib"),
    ] {
        let error =
            export_to(&store, CitationScope::All, CitationFormat::Bibtex, &own).unwrap_err();
        assert!(
            matches!(error, Error::WouldOverwriteWorkspace { .. }),
            "{}: {error}",
            own.display()
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!backups.join("refs.bib").exists());

    // A filter nothing passes: said, and no file.
    let out = dir.path().join("nothing.ris");
    let error = export_to(
        &store,
        CitationScope::Sources {
            selection: SourceSelection::Matching {
                filter: SourceFilter {
                    words: Some("zzzqqqxxx".into()),
                    ..SourceFilter::default()
                },
                except: vec![],
            },
        },
        CitationFormat::Ris,
        &out,
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the filter lets no source through"),
        "{error}"
    );
    assert!(!out.exists());
    // A folder where the file should go.
    let error = export_to(&store, CitationScope::All, CitationFormat::Ris, dir.path()).unwrap_err();
    assert!(matches!(error, Error::ExportUnwritable { .. }), "{error}");
}

#[test]
fn an_export_replaces_the_file_whole_and_leaves_nothing_else() {
    let store = seeded_store();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("参考文献 refs.json");
    std::fs::write(
        &path,
        "old contents that are much longer than nothing".repeat(100),
    )
    .unwrap();
    let summary = export_to(&store, CitationScope::All, CitationFormat::CslJson, &path).unwrap();
    assert_eq!(summary.sources, 10);
    assert!(summary.path.ends_with("参考文献 refs.json"));
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(items.len(), 10);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["参考文献 refs.json"]);
}

// ---- pandoc, the real consumer -------------------------------------------------

/// Runs pandoc; a machine without it fails the test with what to do.
fn pandoc(args: &[&str], dir: &Path) -> (String, String) {
    let output = Command::new("pandoc")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "pandoc could not be run ({e}): run `make deps` (scripts/install-deps.sh installs \
                 Debian's pandoc), which `make test` needs to check the exported bibliographies"
            )
        });
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "pandoc {args:?} failed: {stderr}");
    (stdout, stderr)
}

/// Text as compared: lower case (styles change the case of English titles),
/// every kind of quote one quote (styles turn quotes inside quoted titles).
fn comparable(text: &str) -> String {
    text.to_lowercase().replace(['‘', '’', '“', '”', '"'], "'")
}

#[test]
fn pandoc_renders_the_bibliographies_from_csl_json_and_bibtex() {
    // pandoc renders citations itself (--citeproc) from 2.11 on; Debian 12 has 2.17.
    let dir = tempfile::tempdir().unwrap();
    let (version, _) = pandoc(&["--version"], dir.path());
    let number = version
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("pandoc"))
        .map(str::trim)
        .unwrap_or_default();
    let parts: Vec<u32> = number
        .split('.')
        .take(2)
        .filter_map(|p| p.parse().ok())
        .collect();
    assert!(
        parts.as_slice() >= [2, 11].as_slice(),
        "pandoc {number} has no --citeproc; run `make deps` for Debian's pandoc (2.17)"
    );

    let mut store = seeded_store();
    add(&mut store, &chinese());
    add(&mut store, &tricky());
    add(&mut store, &every_field());
    let all = sources::list(&store, None).unwrap();
    std::fs::write(
        dir.path().join("paper.md"),
        "---\nnocite: '@*'\n---\n\n# References\n",
    )
    .unwrap();

    let json = dir.path().join("refs.json");
    let bib = dir.path().join("refs.bib");
    export_to(&store, CitationScope::All, CitationFormat::CslJson, &json).unwrap();
    export_to(&store, CitationScope::All, CitationFormat::Bibtex, &bib).unwrap();
    // pandoc reads .bib as BibLaTeX and .bibtex as BibTeX: both must render.
    std::fs::copy(&bib, dir.path().join("refs.bibtex")).unwrap();

    for file in ["refs.json", "refs.bib", "refs.bibtex"] {
        let (rendered, warnings) = pandoc(
            &[
                "--citeproc",
                "-t",
                "plain",
                "--wrap=none",
                "--bibliography",
                file,
                "paper.md",
            ],
            dir.path(),
        );
        assert!(
            warnings.trim().is_empty(),
            "{file}: pandoc warned: {warnings}"
        );
        let shown = comparable(&rendered);
        for source in &all {
            assert!(
                shown.contains(&comparable(&source.title)),
                "{file}: the title “{}” is not in the bibliography:\n{rendered}",
                source.title
            );
        }
        for author in [
            "Allen",
            "Gregory C.",
            "张三",
            "李四",
            "Center for Security and Emerging Technology",
            "Center for Strategic and International Studies",
            "Epoch AI",
        ] {
            assert!(
                rendered.contains(author),
                "{file}: the author {author} is not in the bibliography:\n{rendered}"
            );
        }
        // Every source once: one entry per paragraph.
        let entries = rendered
            .split("\n\n")
            .filter(|p| !p.trim().is_empty() && !p.trim().eq_ignore_ascii_case("References"))
            .count();
        assert_eq!(entries, all.len(), "{file}:\n{rendered}");
    }

    // pandoc reads back the same items from both files: keys, titles, authors
    // (its CSL-JSON reader makes "straight" quotes curly, its BibLaTeX reader not).
    let from = |file: &str, reader: &str| -> BTreeMap<String, serde_json::Value> {
        let (csl, _) = pandoc(&["-f", reader, "-t", "csljson", file], dir.path());
        serde_json::from_str::<Vec<serde_json::Value>>(&csl)
            .unwrap()
            .into_iter()
            .map(|item| {
                let id = item["id"].as_str().unwrap().to_owned();
                let title = item["title"].as_str().map(|t| t.replace(['“', '”'], "\""));
                (id, serde_json::json!([title, item["author"]]))
            })
            .collect()
    };
    assert_eq!(from("refs.bib", "biblatex"), from("refs.json", "csljson"));
}

/// Sources as a round trip compares them: every field a citation file carries
/// (grades are Chipwatch's own judgement and no citation format has a place
/// for them; an abstract's line breaks are spaces in RIS, one line a value).
fn carried(draft: &SourceDraft, abstract_on_one_line: bool) -> SourceDraft {
    let mut carried = draft.clone();
    carried.reliability = None;
    carried.credibility = None;
    carried.tags.sort();
    if abstract_on_one_line {
        carried.r#abstract = carried
            .r#abstract
            .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    carried
}

fn web_page() -> SourceDraft {
    SourceDraft {
        kind: SourceKind::Web,
        authors: Some("Bureau of Industry and Security".into()),
        publisher: Some("U.S. Department of Commerce".into()),
        url: Some("https://www.bis.gov/entity-list?lang=en&year=2023".into()),
        published_on: Some("2023-10-17".into()),
        accessed_on: Some("2024-02-29".into()),
        language: Some("en".into()),
        tags: vec!["Entity List, 2023".into()],
        ..draft("Entity List additions: Biren, Moore Threads")
    }
}

/// Exported as RIS and CSL-JSON, then imported into an empty workspace: every
/// source comes back with the fields it had.
#[test]
fn exported_ris_and_csl_json_import_back_with_nothing_lost() {
    let drafts = [every_field(), chinese(), tricky(), web_page()];
    let mut store = Store::open_in_memory().unwrap();
    for d in &drafts {
        add(&mut store, d);
    }
    for (format, file, one_line) in [
        (CitationFormat::Ris, "refs.ris", true),
        (CitationFormat::CslJson, "refs.json", false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file);
        export_to(&store, CitationScope::All, format, &path).unwrap();
        let mut back = Store::open_in_memory().unwrap();
        let report = import::import_sources(
            &mut back,
            &path,
            &import::ImportOptions::default(),
            &mut |_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap();
        assert_eq!(
            (report.added, report.rejected),
            (drafts.len() as u64, 0),
            "{format:?}: {:?}",
            report.problems
        );
        let mut imported: Vec<SourceDraft> = sources::list(&back, None)
            .unwrap()
            .into_iter()
            .map(|s| carried(&sources::load_draft(&back, s.id).unwrap().draft, false))
            .collect();
        imported.sort_by(|a, b| a.title.cmp(&b.title));
        let mut expected: Vec<SourceDraft> = drafts.iter().map(|d| carried(d, one_line)).collect();
        expected.sort_by(|a, b| a.title.cmp(&b.title));
        assert_eq!(imported, expected, "{format:?}");
    }
}

//! Crash safety of imports: `kill -9` at any moment of `chipwatch import
//! sources FILE` leaves a workspace that passes `check` and holds either the
//! whole batch or none of it, with its schema as it was (the import drops
//! some triggers inside its transaction and creates them again), whether the
//! import wrote through a rollback journal (alone on the file) or the WAL.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::disallowed_macros)] // its summary line is the test's own, not stored text
mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{chipwatch, next_random};
use std::time::{Duration, Instant};

fn counts(path: &Path) -> (i64, i64) {
    let out = chipwatch(path, &["stats", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        stats["sources"].as_i64().unwrap(),
        stats["import_batches"].as_i64().unwrap(),
    )
}

/// Every table, index and trigger with its SQL.
fn schema(path: &Path) -> Vec<(String, Option<String>)> {
    rusqlite::Connection::open(path)
        .unwrap()
        .prepare("SELECT name, sql FROM sqlite_schema ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A Zotero "Export Collection… → CSV" file of `rows` distinct items, with the
/// quoting, commas, newlines, Chinese and emoji real exports contain.
fn zotero_csv(rows: usize) -> String {
    let mut csv = String::from(
        "\u{feff}\"Key\",\"Item Type\",\"Publication Year\",\"Author\",\"Title\",\"Publication Title\",\
         \"ISBN\",\"ISSN\",\"DOI\",\"Url\",\"Abstract Note\",\"Date\",\"Date Added\",\"Date Modified\",\
         \"Access Date\",\"Pages\",\"Issue\",\"Volume\",\"Publisher\",\"Language\",\"Extra\",\"Manual Tags\"\n",
    );
    let kinds = [
        "journalArticle",
        "report",
        "newspaperArticle",
        "webpage",
        "blogPost",
    ];
    let firms = [
        "Huawei",
        "华为",
        "SMIC",
        "中芯国际",
        "Alibaba",
        "Baidu",
        "寒武纪 Cambricon",
    ];
    for i in 0..rows {
        let year = 2015 + i % 11;
        let month = 1 + i % 12;
        let firm = firms[i % firms.len()];
        let title = if i % 3 == 0 {
            format!("{firm} 的芯片战略 第{i}篇：出口管制之后")
        } else {
            format!("{firm} and export controls, part {i}: \"\"advanced\"\" nodes, packaging")
        };
        let _ = writeln!(
            csv,
            "\"K{i:07}\",\"{kind}\",\"{year}\",\"Li, Wei; Smith, Jane\",\"{title}\",\"Journal of Chips 🚀\",\
             \"\",\"1234-5678\",\"10.5555/cw.{i}\",\"https://example.org/item/{i}\",\
             \"Line one of the abstract, with a comma.\nLine two: 国产替代 🚀\",\"{year}-{month:02}\",\
             \"2024-01-02 03:04:05\",\"2024-01-02 03:04:05\",\"2024-02-03 04:05:06\",\"1-{p}\",\"{issue}\",\"{vol}\",\
             \"Chip Press\",\"{lang}\",\"\",\"export controls; {firm}\"",
            kind = kinds[i % kinds.len()],
            p = 10 + i % 90,
            issue = 1 + i % 4,
            vol = 1 + i % 30,
            lang = if i % 3 == 0 { "zh" } else { "en" },
        );
    }
    csv
}

#[test]
fn import_killed_at_any_moment_leaves_all_or_none_of_the_batch() {
    const KILLS: usize = 20;
    const ROWS: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.db");
    assert!(chipwatch(&template, &["init"]).status.success());
    let csv = dir.path().join("Zotero export 导出.csv");
    std::fs::write(&csv, zotero_csv(ROWS)).unwrap();
    let csv_arg = csv.to_str().unwrap();
    let (base_sources, base_batches) = counts(&template);
    let base_schema = schema(&template);

    // One whole import: how long it takes, and what "all" is.
    let timed = dir.path().join("timed.db");
    std::fs::copy(&template, &timed).unwrap();
    let started = Instant::now();
    let out = chipwatch(&timed, &["import", "sources", csv_arg, "--json"]);
    let span = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (all_sources, all_batches) = counts(&timed);
    assert_eq!(all_sources - base_sources, ROWS as i64, "every row is new");
    assert_eq!(all_batches, base_batches + 1);

    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let (mut none, mut all) = (0, 0);
    for i in 0..KILLS {
        let path = dir.path().join(format!("k{i}.db"));
        std::fs::copy(&template, &path).unwrap();
        // Spread over the whole import and a little past it, with jitter; the
        // first few in the first milliseconds (start-up, the pre-import backup).
        let fraction = (i as f64 + (next_random(&mut state) % 1000) as f64 / 1000.0) / 16.0;
        let delay = if i < 3 {
            Duration::from_micros(next_random(&mut state) % 20_000)
        } else {
            span.mul_f64(fraction)
        };
        // Every other import has a second connection open on the file, as a
        // window would have: it then writes through the WAL; alone, through
        // a rollback journal (`Store::write_in_bulk`). Both must survive.
        let beside = (i % 2 == 1).then(|| {
            let conn = rusqlite::Connection::open(&path).unwrap();
            let _: i64 = conn
                .query_row("SELECT count(*) FROM sources", [], |r| r.get(0))
                .unwrap();
            conn
        });
        let mut child = Command::new(env!("CARGO_BIN_EXE_chipwatch"))
            .arg("--workspace")
            .arg(&path)
            .args(["import", "sources", csv_arg])
            .env_remove("CHIPWATCH_WORKSPACE")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL; it may have finished already
        child.wait().unwrap();
        drop(beside);

        let out = chipwatch(&path, &["check"]);
        assert!(
            out.status.success(),
            "kill {i} after {delay:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            schema(&path) == base_schema,
            "kill {i} after {delay:?} changed the schema"
        );
        match counts(&path) {
            (s, b) if s == base_sources && b == base_batches => none += 1,
            (s, b) if s == all_sources && b == all_batches => all += 1,
            other => panic!(
                "kill {i} after {delay:?} left part of the batch: (sources, batches) = {other:?}, \
                 expected {:?} or {:?}",
                (base_sources, base_batches),
                (all_sources, all_batches)
            ),
        }
    }
    println!("{KILLS} kills over 0..{span:?} of a {ROWS}-row import: {none} none, {all} all");
    assert!(none > 0, "some kills must land before the commit");
}

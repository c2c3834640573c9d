//! A deterministic Zotero CSV export for benchmarks and end-to-end tests
//! (`chipwatch generate-zotero-csv`, `benches/import.rs`): Zotero's 87 quoted
//! columns, UTF-8 with a BOM, English and Chinese titles with quotes and
//! commas, abstracts with line breaks, "Last, First; Last, First" authors,
//! "; "-joined tags, dates as people type them, and about 2% of rows repeating
//! an earlier row's web address with tracking parameters (duplicates). The same
//! seed writes the same bytes. Made-up text, not analyst data.

use std::io::{self, Write};

use crate::sample::Rng;

/// Zotero's CSV export header, in its order.
pub const ZOTERO_HEADERS: [&str; 87] = [
    "Key",
    "Item Type",
    "Publication Year",
    "Author",
    "Title",
    "Publication Title",
    "ISBN",
    "ISSN",
    "DOI",
    "Url",
    "Abstract Note",
    "Date",
    "Date Added",
    "Date Modified",
    "Access Date",
    "Pages",
    "Num Pages",
    "Issue",
    "Volume",
    "Number Of Volumes",
    "Journal Abbreviation",
    "Short Title",
    "Series",
    "Series Number",
    "Series Text",
    "Series Title",
    "Publisher",
    "Place",
    "Language",
    "Rights",
    "Type",
    "Archive",
    "Archive Location",
    "Library Catalog",
    "Call Number",
    "Extra",
    "Notes",
    "File Attachments",
    "Link Attachments",
    "Manual Tags",
    "Automatic Tags",
    "Editor",
    "Series Editor",
    "Translator",
    "Contributor",
    "Attorney Agent",
    "Book Author",
    "Cast Member",
    "Commenter",
    "Composer",
    "Cosponsor",
    "Counsel",
    "Interviewer",
    "Producer",
    "Recipient",
    "Reviewed Author",
    "Scriptwriter",
    "Words By",
    "Guest",
    "Number",
    "Edition",
    "Running Time",
    "Scale",
    "Medium",
    "Artwork Size",
    "Filing Date",
    "Application Number",
    "Assignee",
    "Issuing Authority",
    "Country",
    "Meeting Name",
    "Conference Name",
    "Court",
    "References",
    "Reporter",
    "Legal Status",
    "Priority Numbers",
    "Programming Language",
    "Version",
    "System",
    "Code",
    "Code Number",
    "Section",
    "Session",
    "Committee",
    "History",
    "Legislative Body",
];

const ITEM_TYPES: [&str; 6] = [
    "newspaperArticle",
    "journalArticle",
    "report",
    "webpage",
    "blogPost",
    "book",
];
const EN_SUBJECTS: [&str; 14] = [
    "Huawei",
    "SMIC",
    "Cambricon",
    "Alibaba's T-Head",
    "Baidu",
    "Biren",
    "Moore Threads",
    "Chinese chipmakers",
    "Beijing",
    "Washington",
    "NVIDIA",
    "The Commerce Department",
    "Hygon",
    "Arm China",
];
const EN_VERBS: [&str; 10] = [
    "ramps up",
    "stockpiles",
    "redesigns",
    "tests",
    "delays",
    "expands",
    "licenses",
    "subsidises",
    "restricts",
    "benchmarks",
];
const EN_OBJECTS: [&str; 12] = [
    "7nm production",
    "AI accelerators",
    "HBM supply",
    "\"Ascend\" clusters",
    "lithography tools",
    "domestic GPUs",
    "training chips",
    "advanced packaging",
    "legacy nodes",
    "inference servers",
    "export licences",
    "EDA software",
];
const EN_CONTEXTS: [&str; 8] = [
    "amid export controls",
    "after the October rules",
    "despite sanctions",
    "for large models",
    "as demand surges",
    "in Shenzhen",
    "under the Entity List",
    "with state funds",
];
const ZH_SUBJECTS: [&str; 10] = [
    "华为",
    "中芯国际",
    "寒武纪",
    "平头哥",
    "百度",
    "壁仞科技",
    "摩尔线程",
    "海光",
    "国产芯片",
    "长江存储",
];
const ZH_VERBS: [&str; 8] = [
    "加快", "发布", "扩大", "测试", "推迟", "优化", "储备", "量产",
];
const ZH_OBJECTS: [&str; 10] = [
    "昇腾芯片",
    "先进封装",
    "7纳米工艺",
    "算力集群",
    "高带宽内存",
    "光刻设备",
    "训练芯片",
    "推理服务器",
    "国产GPU",
    "EDA工具",
];
const ZH_CONTEXTS: [&str; 6] = [
    "应对出口管制",
    "获国家基金支持",
    "需求激增",
    "美国新规之后",
    "以替代进口",
    "面向大模型",
];
const SURNAMES: [&str; 12] = [
    "Smith", "Chen", "Wang", "Li", "Zhang", "Nguyen", "O'Brien", "García", "Müller", "Kim", "Liu",
    "Johnson",
];
const GIVEN: [&str; 8] = ["Jane", "Wei", "Min", "John", "Aiko", "Lena", "Hao", "Maria"];
const PUBLICATIONS: [&str; 8] = [
    "Reuters",
    "Financial Times",
    "Nikkei Asia",
    "财新",
    "South China Morning Post",
    "第一财经",
    "CSIS",
    "The Information",
];
const TAGS: [&str; 10] = [
    "export controls",
    "semiconductors",
    "AI chips",
    "SMIC",
    "出口管制",
    "芯片",
    "supply chain",
    "HBM",
    "subsidies",
    "Entity List",
];

/// In this many rows, one repeats an earlier row's address (2%).
const DUPLICATE_EVERY: u64 = 50;

/// An item of `items`, evenly.
fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len())]
}

/// Row n's address; rows with n % 10 == 7 have none.
fn url_of(n: u64) -> Option<String> {
    (n % 10 != 7).then(|| format!("https://news.example.org/{}/story-{n}", 2015 + n % 11))
}

fn push_field(line: &mut String, value: &str) {
    if !line.is_empty() {
        line.push(',');
    }
    line.push('"');
    for c in value.chars() {
        if c == '"' {
            line.push('"');
        }
        line.push(c);
    }
    line.push('"');
}

/// Which of Zotero's columns a generated export has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// All 87, as Zotero's "Export Collection… → CSV" writes them.
    Wide,
    /// The 20 a trimmed spreadsheet keeps (Key … Pages, NARROW_TAIL), and an
    /// abstract on one row in [`NARROW_ABSTRACT_EVERY`] only: the same rows in
    /// about 300 bytes each, like the 20-column export of issue 18 (259 MB for
    /// 1,000,000 rows), where fixed costs per row weigh most.
    Narrow,
}

/// The narrow shape: Zotero's first 16 columns (Key … Pages), then these.
const NARROW_TAIL: [&str; 4] = ["Language", "Publisher", "Manual Tags", "Extra"];

/// In the narrow shape, the rows that keep their abstract (row number a multiple of this).
pub const NARROW_ABSTRACT_EVERY: u64 = 6;

impl Shape {
    /// The header this shape writes, in order.
    pub fn headers(self) -> Vec<&'static str> {
        match self {
            Shape::Wide => ZOTERO_HEADERS.to_vec(),
            Shape::Narrow => ZOTERO_HEADERS[..16]
                .iter()
                .chain(&NARROW_TAIL)
                .copied()
                .collect(),
        }
    }

    /// The shape's columns as indexes into ZOTERO_HEADERS.
    fn columns(self) -> Vec<usize> {
        self.headers()
            .iter()
            .filter_map(|h| ZOTERO_HEADERS.iter().position(|z| z == h))
            .collect()
    }
}

/// Writes the header and `rows` rows of all 87 columns to `out`; returns the bytes written.
pub fn write_zotero_csv(out: impl Write, rows: usize, seed: u64) -> io::Result<u64> {
    write_zotero_csv_shaped(out, rows, seed, Shape::Wide)
}

/// Writes the header and `rows` rows of `shape`'s columns to `out`; returns the
/// bytes written. Both shapes draw the same rows from the same seed.
pub fn write_zotero_csv_shaped(
    mut out: impl Write,
    rows: usize,
    seed: u64,
    shape: Shape,
) -> io::Result<u64> {
    let mut rng = Rng::new(seed);
    let mut written = 0u64;
    let mut line = String::with_capacity(4096);
    for header in shape.headers() {
        push_field(&mut line, header);
    }
    let columns = shape.columns();
    line.push('\n');
    out.write_all("\u{feff}".as_bytes())?;
    out.write_all(line.as_bytes())?;
    written += 3 + line.len() as u64;
    let mut cells: Vec<String> = vec![String::new(); ZOTERO_HEADERS.len()];
    for n in 0..rows as u64 {
        for cell in cells.iter_mut() {
            cell.clear();
        }
        let chinese = rng.below(100) < 35;
        let year = 2015 + rng.below(11);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let (title, summary) = if chinese {
            let title = format!(
                "{}{}{}，{}（第{}期）",
                pick(&mut rng, &ZH_SUBJECTS),
                pick(&mut rng, &ZH_VERBS),
                pick(&mut rng, &ZH_OBJECTS),
                pick(&mut rng, &ZH_CONTEXTS),
                n + 1
            );
            let summary = format!(
                "{}报道称，{}的{}{}。\n业内人士认为，{}和{}是关键。",
                pick(&mut rng, &PUBLICATIONS),
                pick(&mut rng, &ZH_SUBJECTS),
                pick(&mut rng, &ZH_OBJECTS),
                pick(&mut rng, &ZH_CONTEXTS),
                pick(&mut rng, &ZH_OBJECTS),
                pick(&mut rng, &ZH_OBJECTS)
            );
            (title, summary)
        } else {
            let title = format!(
                "{} {} {}, {} (brief {})",
                pick(&mut rng, &EN_SUBJECTS),
                pick(&mut rng, &EN_VERBS),
                pick(&mut rng, &EN_OBJECTS),
                pick(&mut rng, &EN_CONTEXTS),
                n + 1
            );
            let summary = format!(
                "{} {} {} {}. Analysts estimate that {}% of \"{}\" depends on {}, citing costs, yields and tools.\n\nThe report covers {}, {} and {}.",
                pick(&mut rng, &EN_SUBJECTS),
                pick(&mut rng, &EN_VERBS),
                pick(&mut rng, &EN_OBJECTS),
                pick(&mut rng, &EN_CONTEXTS),
                5 + rng.below(90),
                pick(&mut rng, &EN_OBJECTS),
                pick(&mut rng, &EN_SUBJECTS),
                pick(&mut rng, &EN_OBJECTS),
                pick(&mut rng, &EN_OBJECTS),
                pick(&mut rng, &EN_OBJECTS)
            );
            (title, summary)
        };
        let url = if n > 100 && n % DUPLICATE_EVERY == 3 {
            // An earlier row's address, as shared from a newsletter.
            let mut earlier = rng.next() % n;
            if earlier % 10 == 7 {
                earlier -= 1;
            }
            url_of(earlier).map(|u| format!("{u}/?utm_source=newsletter&utm_medium=email"))
        } else {
            url_of(n)
        };
        let authors = match rng.below(4) {
            0 => String::new(),
            1 => format!("{}, {}", pick(&mut rng, &SURNAMES), pick(&mut rng, &GIVEN)),
            _ => format!(
                "{}, {}; {}, {}",
                pick(&mut rng, &SURNAMES),
                pick(&mut rng, &GIVEN),
                pick(&mut rng, &SURNAMES),
                pick(&mut rng, &GIVEN)
            ),
        };
        let date = match rng.below(10) {
            0 => format!("{year}"),
            1 => format!("{} {year}", crate::date::MONTH_NAMES[month - 1]),
            2 => format!("{year}-{month:02}"),
            _ => format!("{year}-{month:02}-{day:02}"),
        };
        cells[0] = format!("K{n:07X}");
        cells[1] = pick(&mut rng, &ITEM_TYPES).to_owned();
        cells[2] = year.to_string();
        cells[3] = authors;
        cells[4] = title;
        cells[5] = pick(&mut rng, &PUBLICATIONS).to_owned();
        if rng.below(10) < 3 {
            cells[8] = format!("10.{}/cw.{n}", 1000 + rng.below(9000));
        }
        cells[9] = url.unwrap_or_default();
        if shape == Shape::Wide || n.is_multiple_of(NARROW_ABSTRACT_EVERY) {
            cells[10] = summary;
        }
        cells[11] = date;
        cells[12] = format!(
            "2024-{:02}-{:02} 10:{:02}:00",
            1 + n % 12,
            1 + n % 28,
            n % 60
        );
        cells[13] = cells[12].clone();
        cells[28] = if chinese { "zh" } else { "en" }.to_owned();
        let tags = 1 + rng.below(3);
        let mut manual = Vec::with_capacity(tags);
        for _ in 0..tags {
            manual.push(pick(&mut rng, &TAGS));
        }
        manual.dedup();
        cells[39] = manual.join("; ");
        line.clear();
        for &column in &columns {
            push_field(&mut line, &cells[column]);
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    out.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(shape: Shape) -> Vec<csv::StringRecord> {
        let mut bytes = Vec::new();
        write_zotero_csv_shaped(&mut bytes, 200, 7, shape).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let mut rows = vec![reader.headers().unwrap().clone()];
        rows.extend(reader.records().map(Result::unwrap));
        rows
    }

    #[test]
    fn the_narrow_shape_keeps_every_filled_column_of_the_same_rows_but_most_abstracts() {
        let wide = records(Shape::Wide);
        let narrow = records(Shape::Narrow);
        assert_eq!(wide[0].len(), 87);
        assert_eq!(narrow[0].len(), 20);
        assert_eq!(narrow.len(), wide.len());
        let abstract_at =
            |header: &csv::StringRecord| header.iter().position(|h| h == "Abstract Note").unwrap();
        let (wide_abstract, narrow_abstract) = (abstract_at(&wide[0]), abstract_at(&narrow[0]));
        for (n, (w, r)) in wide.iter().zip(&narrow).enumerate().skip(1) {
            let kept: std::collections::HashSet<&str> = r.iter().collect();
            let keeps_abstract = (n as u64 - 1).is_multiple_of(NARROW_ABSTRACT_EVERY);
            for (column, value) in w.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                if column == wide_abstract && !keeps_abstract {
                    assert_eq!(&r[narrow_abstract], "", "row {n} keeps no abstract");
                } else {
                    assert!(kept.contains(value), "narrow row {n} lost {value:?}");
                }
            }
        }
    }
}

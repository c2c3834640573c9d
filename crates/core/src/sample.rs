//! A deterministic sample workspace for developers and benchmarks (`chipwatch
//! generate-sample`, `make bench`): N sources and M notes in English and
//! Chinese, with partial dates, tags, and events that link some of them to
//! firms. The same spec always writes the same rows (a fixed-seed xorshift, no
//! clock), so figures from two runs compare. Not analyst data: every title is
//! made up from the word lists below.

use rusqlite::{params, Connection};

use crate::error::Result;
use crate::firms::{self, FirmRow};
use crate::model::{FirmKind, Id, SourceKind};
use crate::sources::{SourceInserter, SourceRow};
use crate::store::Store;
use crate::text::enum_text;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSpec {
    pub sources: usize,
    pub notes: usize,
    /// The same seed writes the same rows.
    pub seed: u64,
}

impl Default for SampleSpec {
    fn default() -> Self {
        SampleSpec {
            sources: 1_000,
            notes: 100,
            seed: DEFAULT_SEED,
        }
    }
}

pub const DEFAULT_SEED: u64 = 0x00C0_FFEE_5EED_2023;

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SampleSummary {
    pub sources: usize,
    pub notes: usize,
    pub events: usize,
    /// Firms the events link to.
    pub firms: usize,
}

/// One event per this many sources, citing `SOURCES_CITED_PER_EVENT` of them
/// and linked to one firm (round robin over the default dataset's 15 firms).
const SOURCES_PER_EVENT: usize = 300;
/// At a million sources (3,334 events, about 222 a firm) a firm's profile
/// then cites over a thousand sources, as the footprint benchmark needs (three
/// gave 672 once the dataset had 15 firms).
const SOURCES_CITED_PER_EVENT: usize = 5;
/// One note in this many links to a firm.
const NOTES_PER_FIRM_LINK: usize = 50;

/// Adds the sample rows to the workspace in one transaction (all or nothing).
/// Events link to the workspace's firms, or to a few sample firms when it has none.
pub fn generate(store: &mut Store, spec: &SampleSpec) -> Result<SampleSummary> {
    // Store::write indexes every new row for search before it commits.
    store.write(|tx| Generator::new(tx, spec.seed).write(spec))
}

struct Generator<'a> {
    conn: &'a Connection,
    rng: Rng,
    text: String,
}

impl<'a> Generator<'a> {
    fn new(conn: &'a Connection, seed: u64) -> Self {
        Generator {
            conn,
            rng: Rng::new(seed),
            text: String::new(),
        }
    }

    fn write(&mut self, spec: &SampleSpec) -> Result<SampleSummary> {
        let firms = self.firms()?;
        let tags = self.tags()?;
        let mut summary = SampleSummary {
            firms: firms.len(),
            ..SampleSummary::default()
        };
        let mut source_ids: Vec<Id> = Vec::with_capacity(spec.sources);
        {
            let mut insert = SourceInserter::new(self.conn);
            let mut tag = self
                .conn
                .prepare("INSERT OR IGNORE INTO source_tags (source_id, tag_id) VALUES (?1, ?2)")?;
            for n in 0..spec.sources {
                let chinese = self.rng.below(100) < 40;
                let title = self.title(chinese);
                let sentences = 2 + self.rng.below(3);
                let summary_text = self.paragraph(chinese, sentences);
                let kind = SOURCE_KINDS[self.rng.skewed(SOURCE_KINDS.len())];
                let authors = match self.rng.below(10) {
                    0..=1 => None,
                    2..=6 => Some(self.pick(AUTHORS).to_owned()),
                    _ => Some(format!("{}; {}", self.pick(AUTHORS), self.pick(AUTHORS))),
                };
                let publisher =
                    (self.rng.below(10) > 0).then(|| PUBLISHERS[self.rng.skewed(PUBLISHERS.len())]);
                let url = (self.rng.below(4) > 0)
                    .then(|| format!("https://example.org/sample/{}/{n}", enum_text(&kind)));
                let published = self.partial_date();
                let reliability = (self.rng.below(3) > 0)
                    .then(|| ["A", "B", "C", "D", "E", "F"][self.rng.skewed(6)]);
                let credibility = (self.rng.below(3) > 0).then(|| 1 + self.rng.skewed(6) as i64);
                let added = timestamp(n);
                let id = insert.insert(&SourceRow {
                    kind,
                    title: &title,
                    authors: authors.as_deref(),
                    publisher,
                    url: url.as_deref(),
                    doi: None,
                    published_on: published.as_deref(),
                    accessed_on: None,
                    language: Some(if chinese { "zh" } else { "en" }),
                    r#abstract: Some(&summary_text),
                    reliability,
                    credibility,
                    import_batch_id: None,
                    original_row: None,
                    created_at: &added,
                    uid: None,
                })?;
                source_ids.push(id);
                for _ in 0..self.rng.skewed(4) {
                    tag.execute([id, tags[self.rng.skewed(tags.len())]])?;
                }
            }
            summary.sources = source_ids.len();
        }
        summary.events = self.events(&firms, &source_ids)?;
        summary.notes = self.notes(spec.notes, &firms, &tags)?;
        Ok(summary)
    }

    /// The firms events link to: the workspace's own, else a few sample firms.
    fn firms(&mut self) -> Result<Vec<(Id, String)>> {
        let existing = firm_names(self.conn)?;
        if !existing.is_empty() {
            return Ok(existing);
        }
        let now = timestamp(0);
        for (name, native) in SAMPLE_FIRMS {
            firms::insert(
                self.conn,
                &FirmRow {
                    name,
                    native_name: Some(native),
                    kind: FirmKind::Company,
                    country: Some("CN"),
                    parent_firm_id: None,
                    website: None,
                    summary: "",
                    import_batch_id: None,
                    created_at: &now,
                },
            )?;
        }
        firm_names(self.conn)
    }

    fn tags(&mut self) -> Result<Vec<Id>> {
        let mut ids = Vec::with_capacity(TAGS.len());
        for name in TAGS {
            self.conn.execute(
                "INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
                [name],
            )?;
            ids.push(
                self.conn
                    .query_row("SELECT id FROM tags WHERE name = ?1", [name], |r| r.get(0))?,
            );
        }
        Ok(ids)
    }

    fn events(&mut self, firms: &[(Id, String)], sources: &[Id]) -> Result<usize> {
        if firms.is_empty() {
            return Ok(0);
        }
        let mut insert = self.conn.prepare(
            "INSERT INTO events (occurred_on, kind, title, description) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut link_firm = self
            .conn
            .prepare("INSERT INTO event_firms (event_id, firm_id) VALUES (?1, ?2)")?;
        let mut cite = self
            .conn
            .prepare("INSERT OR IGNORE INTO event_sources (event_id, source_id) VALUES (?1, ?2)")?;
        let mut count = 0;
        for (index, cited) in sources.chunks(SOURCES_PER_EVENT).enumerate() {
            // Round robin, so every firm gets about the same number of sources.
            let (firm_id, firm) = &firms[index % firms.len()];
            let chinese = self.rng.below(2) == 0;
            let title = if chinese {
                format!("{firm}{}{}", self.pick(ZH_VERBS), self.pick(ZH_OBJECTS))
            } else {
                format!("{firm} {} {}", self.pick(EN_VERBS), self.pick(EN_OBJECTS))
            };
            let description = self.paragraph(chinese, 2);
            let kind = EVENT_KINDS[self.rng.below(EVENT_KINDS.len())];
            let date = loop {
                if let Some(date) = self.partial_date() {
                    break date;
                }
            };
            insert.execute(params![date, kind, title, description])?;
            let event_id = self.conn.last_insert_rowid();
            link_firm.execute([event_id, *firm_id])?;
            for source_id in cited.iter().take(SOURCES_CITED_PER_EVENT) {
                cite.execute([event_id, *source_id])?;
            }
            count += 1;
        }
        Ok(count)
    }

    fn notes(&mut self, count: usize, firms: &[(Id, String)], tags: &[Id]) -> Result<usize> {
        let mut insert = self.conn.prepare(
            "INSERT INTO notes (title, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut tag = self
            .conn
            .prepare("INSERT OR IGNORE INTO note_tags (note_id, tag_id) VALUES (?1, ?2)")?;
        let mut link = self
            .conn
            .prepare("INSERT OR IGNORE INTO note_links (note_id, firm_id) VALUES (?1, ?2)")?;
        for n in 0..count {
            let chinese = self.rng.below(100) < 40;
            let title = self.title(chinese);
            let firm = (!firms.is_empty() && n % NOTES_PER_FIRM_LINK == 0)
                .then(|| &firms[(n / NOTES_PER_FIRM_LINK) % firms.len()]);
            let mut body = String::new();
            for paragraph in 0..1 + self.rng.below(4) {
                if paragraph > 0 {
                    body.push_str("\n\n");
                }
                let sentences = 1 + self.rng.below(3);
                body.push_str(&self.paragraph(chinese, sentences));
            }
            if let Some((_, name)) = firm {
                body.push_str(&format!("\n\nSee [[{name}]]."));
            }
            let created = timestamp(n * 7);
            let updated = timestamp(n * 7 + self.rng.below(5_000));
            insert.execute(params![title, body, created, updated])?;
            let id = self.conn.last_insert_rowid();
            for _ in 0..self.rng.skewed(4) {
                tag.execute([id, tags[self.rng.skewed(tags.len())]])?;
            }
            if let Some((firm_id, _)) = firm {
                link.execute([id, *firm_id])?;
            }
        }
        Ok(count)
    }

    fn title(&mut self, chinese: bool) -> String {
        if chinese {
            format!(
                "{}{}{}，{}",
                self.pick_skewed(ZH_SUBJECTS),
                self.pick(ZH_VERBS),
                self.pick_skewed(ZH_OBJECTS),
                self.pick(ZH_CONTEXTS)
            )
        } else {
            format!(
                "{} {} {} {}",
                self.pick_skewed(EN_SUBJECTS),
                self.pick(EN_VERBS),
                self.pick_skewed(EN_OBJECTS),
                self.pick(EN_CONTEXTS)
            )
        }
    }

    /// `sentences` made-up sentences; common words often, rare words rarely.
    fn paragraph(&mut self, chinese: bool, sentences: usize) -> String {
        self.text.clear();
        for i in 0..sentences {
            if chinese {
                let sentence = match self.rng.below(3) {
                    0 => format!(
                        "{}{}{}{}。",
                        self.pick_skewed(ZH_SUBJECTS),
                        self.pick(ZH_VERBS),
                        self.pick_skewed(ZH_OBJECTS),
                        self.pick(ZH_CONTEXTS)
                    ),
                    1 => format!(
                        "{}报道称，{}的{}{}。",
                        self.pick(ZH_PUBLISHERS),
                        self.pick_skewed(ZH_SUBJECTS),
                        self.pick_skewed(ZH_OBJECTS),
                        self.pick(ZH_RESULTS)
                    ),
                    _ => format!(
                        "业内人士认为，{}和{}是{}的关键。",
                        self.pick_skewed(ZH_OBJECTS),
                        self.pick_skewed(ZH_OBJECTS),
                        self.pick_skewed(ZH_OBJECTS)
                    ),
                };
                self.text.push_str(&sentence);
            } else {
                if i > 0 {
                    self.text.push(' ');
                }
                let sentence = match self.rng.below(3) {
                    0 => format!(
                        "{} {} {} {}.",
                        self.pick_skewed(EN_SUBJECTS),
                        self.pick(EN_VERBS),
                        self.pick_skewed(EN_OBJECTS),
                        self.pick(EN_CONTEXTS)
                    ),
                    1 => format!(
                        "Analysts estimate that {}% of {} depends on {}, citing {} and {}.",
                        5 + self.rng.below(90),
                        self.pick_skewed(EN_OBJECTS),
                        self.pick_skewed(EN_SUBJECTS),
                        self.pick_skewed(EN_WORDS),
                        self.pick_skewed(EN_WORDS)
                    ),
                    _ => format!(
                        "The {} covers {}, {} and {}.",
                        self.pick(["report", "filing", "briefing", "survey"]),
                        self.pick_skewed(EN_WORDS),
                        self.pick_skewed(EN_WORDS),
                        self.pick_skewed(EN_WORDS)
                    ),
                };
                self.text.push_str(&sentence);
            }
        }
        self.text.clone()
    }

    /// 2015 to 2025: mostly full dates, some months or years only, a few undated.
    fn partial_date(&mut self) -> Option<String> {
        let year = 2015 + self.rng.below(11);
        let month = 1 + self.rng.below(12);
        let day = 1 + self.rng.below(28);
        match self.rng.below(100) {
            0..=7 => None,
            8..=19 => Some(format!("{year}")),
            20..=49 => Some(format!("{year}-{month:02}")),
            _ => Some(format!("{year}-{month:02}-{day:02}")),
        }
    }

    fn pick<T: Copy, const N: usize>(&mut self, items: [T; N]) -> T {
        items[self.rng.below(N)]
    }

    fn pick_skewed<T: Copy, const N: usize>(&mut self, items: [T; N]) -> T {
        items[self.rng.skewed(N)]
    }
}

fn firm_names(conn: &Connection) -> Result<Vec<(Id, String)>> {
    let mut stmt = conn.prepare("SELECT id, name FROM firms ORDER BY id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A fixed clock: 2024-01-01 plus `step` minutes, as stored (UTC RFC 3339).
fn timestamp(step: usize) -> String {
    let minutes = i64::try_from(step).unwrap_or(i64::MAX / 120);
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    (start + chrono::Duration::minutes(minutes % 5_000_000))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// xorshift64*: fast, deterministic, good enough for made-up text (also the
/// Zotero CSV generator's, `import::sample`).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0 to n - 1, evenly.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 32) as usize) % n.max(1)
    }

    /// 0 to n - 1, low values far more often (the square of an even draw), so
    /// some words are in a third of the rows and others in a few hundredths of a percent.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * n as f64) as usize).min(n.saturating_sub(1))
    }
}

const SOURCE_KINDS: [SourceKind; 9] = [
    SourceKind::Article,
    SourceKind::Report,
    SourceKind::Web,
    SourceKind::Paper,
    SourceKind::Regulation,
    SourceKind::Filing,
    SourceKind::Dataset,
    SourceKind::Book,
    SourceKind::Other,
];
const EVENT_KINDS: [&str; 5] = ["regulation", "listing", "launch", "deal", "funding"];

const SAMPLE_FIRMS: [(&str, &str); 6] = [
    ("Huawei", "华为"),
    ("SMIC", "中芯国际"),
    ("Cambricon", "寒武纪"),
    ("Biren Technology", "壁仞科技"),
    ("Moore Threads", "摩尔线程"),
    ("Hygon", "海光信息"),
];

const TAGS: [&str; 24] = [
    "export-controls",
    "ai-chips",
    "compute",
    "supply-chain",
    "entity-list",
    "hbm",
    "foundry",
    "lithography",
    "算力",
    "芯片",
    "出口管制",
    "ascend",
    "smic",
    "subsidies",
    "packaging",
    "国产替代",
    "memory",
    "cloud",
    "models",
    "光刻机",
    "sanctions",
    "大模型",
    "smuggling",
    "talent",
];

const EN_SUBJECTS: [&str; 22] = [
    "Huawei",
    "SMIC",
    "Alibaba",
    "Baidu",
    "Tencent",
    "NVIDIA",
    "Cambricon",
    "TSMC",
    "HiSilicon",
    "ByteDance",
    "YMTC",
    "CXMT",
    "Biren",
    "Moore Threads",
    "Hygon",
    "ASML",
    "Kunlunxin",
    "T-Head",
    "DeepSeek",
    "Zhipu AI",
    "Enflame",
    "Iluvatar CoreX",
];
const EN_VERBS: [&str; 14] = [
    "expands",
    "accelerates",
    "delays",
    "unveils",
    "ramps up",
    "stockpiles",
    "tests",
    "ships",
    "redesigns",
    "licenses",
    "scales back",
    "benchmarks",
    "secures",
    "builds",
];
const EN_OBJECTS: [&str; 20] = [
    "AI accelerator shipments",
    "Ascend 910B production",
    "HBM supply",
    "7nm capacity",
    "training compute",
    "inference chips",
    "lithography tools",
    "domestic GPU clusters",
    "advanced packaging",
    "data centre capacity",
    "H20 orders",
    "large model training",
    "chiplet designs",
    "DUV immersion scanners",
    "memory bandwidth",
    "EDA software",
    "5nm test runs",
    "RISC-V cores",
    "photoresist supply",
    "EUV alternatives",
];
const EN_CONTEXTS: [&str; 12] = [
    "amid export controls",
    "under new Entity List rules",
    "after the October 2023 rule",
    "despite US sanctions",
    "as demand for compute grows",
    "in Shenzhen",
    "in Shanghai",
    "for cloud customers",
    "ahead of the 3A090 update",
    "with state-backed funding",
    "as stockpiles run low",
    "in a pivot to inference",
];
const EN_WORDS: [&str; 40] = [
    "semiconductors",
    "export controls",
    "supply chain",
    "foundry capacity",
    "yield",
    "wafers",
    "sanctions",
    "licences",
    "memory",
    "interconnect",
    "clusters",
    "training runs",
    "benchmarks",
    "subsidies",
    "the Big Fund",
    "procurement",
    "stockpiling",
    "smuggling",
    "cloud rental",
    "power efficiency",
    "roadmaps",
    "process nodes",
    "packaging",
    "chiplets",
    "open-source models",
    "talent",
    "tariffs",
    "customs data",
    "Entity List filings",
    "compliance",
    "gallium",
    "germanium",
    "rare earths",
    "the Netherlands",
    "Japan",
    "Malaysia",
    "Singapore",
    "ECCN 3A090",
    "TPP thresholds",
    "performance density",
];
const AUTHORS: [&str; 16] = [
    "Zhang Wei",
    "Li Na",
    "Wang Fang",
    "Chen Jie",
    "Liu Yang",
    "Sarah Chen",
    "James Miller",
    "Emily Zhou",
    "O'Brien, Kate",
    "Müller, Jürgen",
    "李明",
    "王芳",
    "陈杰",
    "刘洋",
    "Tanaka Hiroshi",
    "Kim Min-jun",
];
const PUBLISHERS: [&str; 16] = [
    "Reuters",
    "Caixin",
    "财新",
    "Bloomberg",
    "Nikkei Asia",
    "South China Morning Post",
    "36氪",
    "Financial Times",
    "第一财经",
    "CSIS",
    "CSET",
    "SemiAnalysis",
    "TechInsights",
    "Federal Register",
    "新华社",
    "工信部",
];
const ZH_SUBJECTS: [&str; 16] = [
    "华为",
    "中芯国际",
    "阿里巴巴",
    "百度",
    "腾讯",
    "寒武纪",
    "英伟达",
    "海思",
    "字节跳动",
    "长江存储",
    "长鑫存储",
    "壁仞科技",
    "摩尔线程",
    "海光信息",
    "昆仑芯",
    "深度求索",
];
const ZH_VERBS: [&str; 11] = [
    "加速", "扩大", "发布", "推进", "突破", "量产", "测试", "囤积", "调整", "布局", "研发",
];
const ZH_OBJECTS: [&str; 18] = [
    "人工智能芯片",
    "昇腾芯片",
    "算力集群",
    "高带宽内存",
    "先进制程",
    "昇腾910B",
    "光刻机",
    "国产替代",
    "训练算力",
    "推理芯片",
    "晶圆产能",
    "大模型训练",
    "智算中心",
    "先进封装",
    "存储芯片",
    "7纳米工艺",
    "光刻胶",
    "芯粒技术",
];
const ZH_CONTEXTS: [&str; 8] = [
    "应对出口管制",
    "在美国制裁下",
    "受实体清单影响",
    "以满足算力需求",
    "面向云计算客户",
    "获国家大基金支持",
    "缓解库存压力",
    "推动自主可控",
];
const ZH_PUBLISHERS: [&str; 5] = ["财新", "新华社", "第一财经", "36氪", "路透社"];
const ZH_RESULTS: [&str; 6] = [
    "进展顺利",
    "面临瓶颈",
    "产能受限",
    "良率提升",
    "成本上升",
    "仍依赖进口设备",
];

//! The US Consolidated Screening List (CSL) as trade.gov publishes it: one CSV
//! of every party on the Entity List, the Military End-User List, the
//! Unverified List, OFAC's SDN list and others. Each organisation becomes a
//! firm (matched to an existing one by name, alias or native name, after
//! normalising case, punctuation and company suffixes) with a dated listing
//! per list; individuals, vessels and aircraft are counted and skipped.
//!
//! A copy of the list is dated (the file's modification day unless given).
//! Re-importing writes nothing for what did not change; a newer copy adds the
//! listings that appeared (with a timeline event once an earlier copy set the
//! baseline), updates the ones whose details changed, and marks the ones it no
//! longer has with its date (`removed_on`) instead of deleting them. Every
//! listing a copy changes keeps its row before the change (`listing_revisions`),
//! so undo puts it back.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::input::{CsvInput, Record};
use super::{
    batches, push_listed, reject_row, Control, ImportOptions, ImportProblem, ImportReport,
    ImportTarget, MatchedRecord,
};
use crate::error::{Error, Result};
use crate::firms::FirmRow;
use crate::model::{FirmKind, Id, SourceKind};
use crate::sources::SourceRow;
use crate::store::Store;
use crate::text::now_utc;

/// The columns that make a file the CSL (it has more; these are enough to know it).
const RECOGNISED_BY: [&str; 5] = [
    "source",
    "name",
    "federal_register_notice",
    "start_date",
    "alt_names",
];

/// True when a file's header row is the CSL's.
pub fn is_screening_list(headers: &[String]) -> bool {
    RECOGNISED_BY
        .iter()
        .all(|name| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(name)))
}

/// What a screening-list import did, beside the counts of [`ImportReport`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListingsReport {
    /// The date of the copy of the list ("2026-11-30").
    pub copy_date: String,
    /// The lists the file's rows are on, by short name, with how many rows each.
    pub lists: Vec<ListCount>,
    /// Rows for people, left out: firm profiles are for organisations.
    #[ts(type = "number")]
    pub skipped_individuals: u64,
    /// Rows for vessels and aircraft, left out.
    #[ts(type = "number")]
    pub skipped_vessels: u64,
    /// Rows on a list not chosen (`lists`), or with no address in a country chosen.
    #[ts(type = "number")]
    pub left_out_by_list: u64,
    #[ts(type = "number")]
    pub left_out_by_country: u64,
    /// Listings that appeared (new, or back on a list after being marked removed).
    #[ts(type = "number")]
    pub appeared: u64,
    /// Listings from an earlier copy whose date, citation or details changed.
    #[ts(type = "number")]
    pub changed: u64,
    /// Listings as an earlier copy (or the workspace) had them already.
    #[ts(type = "number")]
    pub unchanged: u64,
    /// Listings this copy no longer has: marked removed on its date.
    #[ts(type = "number")]
    pub removed: u64,
    /// Timeline events added for listings that appeared since an earlier copy.
    #[ts(type = "number")]
    pub events: u64,
    /// Each party and the firm it became, first [`super::MAX_LISTED`].
    pub matches: Vec<PartyMatch>,
    /// What changed, first [`super::MAX_LISTED`].
    pub changes: Vec<ListingChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListCount {
    pub list_name: String,
    #[ts(type = "number")]
    pub rows: u64,
}

/// How a party of the list was matched to a firm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Name,
    Alias,
    NativeName,
    /// No firm had any of its names: a firm was created.
    NewFirm,
    /// A firm created from an earlier row of the same file.
    EarlierRow,
}

/// One row of the list and the firm it is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PartyMatch {
    #[ts(type = "number")]
    pub row: u64,
    /// The party's name as the list writes it.
    pub party: String,
    pub list_name: String,
    pub firm: MatchedRecord,
    pub matched_by: MatchedBy,
    /// The name (of the party's names) that matched, when one did.
    pub matched_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ListingChangeKind {
    Appeared,
    Changed,
    Removed,
}

/// A listing this copy added, changed or marked removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListingChange {
    pub change: ListingChangeKind,
    pub firm: MatchedRecord,
    pub list_name: String,
    pub listed_on: Option<String>,
    /// What changed, in words ("citation: 84 FR 22961 → 84 FR 22961; 85 FR 51596").
    pub detail: String,
}

/// The columns of the CSL this import reads, by position.
struct Columns {
    source: usize,
    name: usize,
    kind: Option<usize>,
    programs: Option<usize>,
    addresses: Option<usize>,
    federal_register_notice: Option<usize>,
    start_date: Option<usize>,
    license_requirement: Option<usize>,
    license_policy: Option<usize>,
    alt_names: Option<usize>,
}

impl Columns {
    fn find(headers: &[String], file: &str) -> Result<Columns> {
        let at = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let (Some(source), Some(name)) = (at("source"), at("name")) else {
            return Err(Error::ImportFile {
                file: file.to_owned(),
                line: Some(1),
                message: "is not the Consolidated Screening List: it has no 'source' and 'name' columns. \
                          Download the CSV from trade.gov's Consolidated Screening List page, or import it as firms."
                    .into(),
            });
        };
        Ok(Columns {
            source,
            name,
            kind: at("type"),
            programs: at("programs"),
            addresses: at("addresses"),
            federal_register_notice: at("federal_register_notice"),
            start_date: at("start_date"),
            license_requirement: at("license_requirement"),
            license_policy: at("license_policy"),
            alt_names: at("alt_names"),
        })
    }
}

/// A list's short name from the CSL's `source` ("Entity List (EL) - Bureau of
/// Industry and Security" → "Entity List") and its abbreviation ("EL").
pub fn list_short_name(source: &str) -> (String, Option<String>) {
    let agency_cut = source.split(" - ").next().unwrap_or(source).trim();
    let (name, abbreviation) = match (agency_cut.find('('), agency_cut.rfind(')')) {
        (Some(open), Some(close)) if close > open => (
            format!("{} {}", &agency_cut[..open], &agency_cut[close + 1..]),
            Some(agency_cut[open + 1..close].trim().to_owned()),
        ),
        _ => (agency_cut.to_owned(), None),
    };
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    // BIS itself calls it the Military End-User List.
    let name = if name.eq_ignore_ascii_case("Military End User List") {
        "Military End-User List".to_owned()
    } else {
        name
    };
    (name, abbreviation.filter(|a| !a.is_empty()))
}

/// Case, spaces and punctuation aside: "military end-user list" = "Military End User List".
fn list_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The phrase the Entity List appends to many names; not part of the name.
const SUCCESSOR_PHRASES: [&str; 3] = [
    "and any successor, sub-unit, or subsidiary thereof",
    "and any successor, sub-units, or subsidiaries thereof",
    "and any successors, sub-units, or subsidiaries thereof",
];

/// A party's name without the successor phrase and stray separators.
fn clean_party_name(name: &str) -> String {
    let mut text = name.trim().to_owned();
    for phrase in SUCCESSOR_PHRASES {
        // ASCII lower-casing keeps every byte offset, so `at` is one in `text` too.
        if let Some(at) = text.to_ascii_lowercase().find(phrase) {
            text.truncate(at);
        }
    }
    text.trim()
        .trim_end_matches([',', ';'])
        .trim_end()
        .to_owned()
}

/// Company suffixes left out when names are compared (after punctuation is gone).
const SUFFIX_WORDS: [&str; 22] = [
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "bv",
    "pte",
    "pty",
    "jsc",
    "ojsc",
    "ooo",
    "kk",
    "lp",
    "srl",
];
const CHINESE_SUFFIXES: [&str; 6] = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "有限公司",
    "集团",
    "公司",
];

/// A name as names are compared: lower case, punctuation gone, company
/// suffixes (Co., Ltd., Corporation, 有限公司 …) dropped from the end.
pub fn name_key(name: &str) -> String {
    let mut text: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    loop {
        let trimmed = text.trim_end();
        let cut = CHINESE_SUFFIXES
            .iter()
            .find(|s| trimmed.ends_with(*s) && trimmed.len() > s.len())
            .map(|s| trimmed.len() - s.len());
        match cut {
            Some(at) => text.truncate(at),
            None => break,
        }
    }
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| SUFFIX_WORDS.contains(w)) {
        words.pop();
    }
    words.join(" ")
}

/// The names a row gives a party: its name, a short form in brackets
/// ("Semiconductor Manufacturing International Corporation (SMIC)"), its
/// alternative names. First the name, so it wins a match.
fn party_names(name: &str, alt_names: &str) -> Vec<String> {
    let mut names = vec![name.to_owned()];
    if let (Some(open), Some(close)) = (name.rfind('('), name.rfind(')')) {
        if close > open {
            let inner = name[open + 1..close].trim();
            let outer = format!("{}{}", &name[..open], &name[close + 1..]);
            let outer = outer.trim();
            if !outer.is_empty() {
                names[0] = outer.to_owned();
            }
            if !inner.is_empty() {
                names.push(inner.to_owned());
            }
        }
    }
    for alt in alt_names.split(';') {
        let alt = clean_party_name(alt);
        if !alt.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(&alt)) {
            names.push(alt);
        }
    }
    names
}

/// Federal Register citations in a CSL cell, as "VOL FR PAGE": "84 FR 22961",
/// "82 F.R. 48792 10/01/2017" → "82 FR 48792".
pub fn federal_register_citations(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let volume_start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let volume: String = chars[volume_start..i].iter().collect();
        let mut j = i;
        let skip_spaces = |j: &mut usize| {
            while *j < chars.len() && chars[*j] == ' ' {
                *j += 1;
            }
        };
        skip_spaces(&mut j);
        let mut letters = String::new();
        while j < chars.len()
            && (chars[j].is_ascii_alphabetic() || chars[j] == '.' || chars[j] == ' ')
        {
            if chars[j].is_ascii_alphabetic() {
                letters.push(chars[j].to_ascii_uppercase());
            }
            j += 1;
            if letters.len() > 2 {
                break;
            }
        }
        if letters != "FR" {
            continue;
        }
        skip_spaces(&mut j);
        let page_start = j;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j > page_start && volume.len() <= 3 {
            let page: String = chars[page_start..j].iter().collect();
            let citation = format!("{volume} FR {page}");
            if !found.contains(&citation) {
                found.push(citation);
            }
            i = j;
        }
    }
    found
}

/// A CSL date ("2019-05-21", "05/21/2019", "2019-05-21T00:00:00") as YYYY-MM-DD.
fn csl_date(text: &str) -> Option<String> {
    let text = text.trim();
    let day = text.get(..10).unwrap_or(text);
    if let Ok(date) = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        return Some(date.format("%Y-%m-%d").to_string());
    }
    let first = text.split_whitespace().next().unwrap_or(text);
    chrono::NaiveDate::parse_from_str(first, "%m/%d/%Y")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// The date after a Federal Register citation ("82 F.R. 48792 10/01/2017").
fn date_in_notice(text: &str) -> Option<String> {
    text.split([' ', ',', ';'])
        .filter(|w| w.contains('/'))
        .find_map(csl_date)
}

/// The countries of a party's addresses ("…, Shenzhen, Guangdong, CN; …, HK"):
/// the last part of each address, as an ISO code.
fn address_countries(addresses: &str) -> Vec<String> {
    let mut countries: Vec<String> = Vec::new();
    for address in addresses.split(';') {
        let Some(last) = address.rsplit(',').map(str::trim).find(|p| !p.is_empty()) else {
            continue;
        };
        if let Some(code) = crate::country::alpha2(last) {
            if !countries.iter().any(|c| c == code) {
                countries.push(code.to_owned());
            }
        }
    }
    countries
}

fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'))
}

/// What the import is narrowed to, as typed: list names or abbreviations, ISO codes.
struct Scope {
    lists: Vec<String>,
    countries: Vec<String>,
}

impl Scope {
    fn of(options: &ImportOptions) -> Result<Scope> {
        let mut countries = Vec::new();
        for typed in &options.countries {
            let code = crate::country::alpha2(typed).ok_or_else(|| {
                Error::invalid(
                    "country",
                    format!("'{typed}' is not a country Chipwatch knows; write a code such as CN, CHN or a name such as China"),
                )
            })?;
            countries.push(code.to_owned());
        }
        Ok(Scope {
            lists: options
                .lists
                .iter()
                .map(|l| list_key(l))
                .filter(|k| !k.is_empty())
                .collect(),
            countries,
        })
    }

    fn takes_list(&self, name: &str, abbreviation: Option<&str>) -> bool {
        self.lists.is_empty()
            || self.lists.contains(&list_key(name))
            || abbreviation.is_some_and(|a| self.lists.contains(&list_key(a)))
    }

    fn takes_countries(&self, countries: &[String]) -> bool {
        self.countries.is_empty() || countries.iter().any(|c| self.countries.contains(c))
    }
}

/// Every firm's names as [`name_key`]s → the firm and which of its names it is.
struct FirmNames {
    keys: HashMap<String, (Id, MatchedBy)>,
    display: HashMap<Id, String>,
    countries: HashMap<Id, Option<String>>,
}

impl FirmNames {
    fn load(conn: &Connection) -> Result<FirmNames> {
        let mut names = FirmNames {
            keys: HashMap::new(),
            display: HashMap::new(),
            countries: HashMap::new(),
        };
        let mut stmt = conn.prepare("SELECT id, name, native_name, country FROM firms")?;
        let mut rows = stmt.query([])?;
        let mut natives = Vec::new();
        while let Some(row) = rows.next()? {
            let id: Id = row.get(0)?;
            let name: String = row.get(1)?;
            names.add(id, &name, MatchedBy::Name);
            names.display.insert(id, name);
            names.countries.insert(id, row.get(3)?);
            if let Some(native) = row.get::<_, Option<String>>(2)? {
                natives.push((id, native));
            }
        }
        for (id, native) in natives {
            names.add(id, &native, MatchedBy::NativeName);
        }
        let mut stmt = conn.prepare("SELECT firm_id, alias FROM firm_aliases")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let alias: String = row.get(1)?;
            names.add(row.get(0)?, &alias, MatchedBy::Alias);
        }
        Ok(names)
    }

    /// A name's first owner keeps it (names before aliases: `load`'s order).
    fn add(&mut self, id: Id, name: &str, by: MatchedBy) {
        let key = name_key(name);
        if !key.is_empty() {
            self.keys.entry(key).or_insert((id, by));
        }
    }

    fn find(&self, names: &[String]) -> Option<(Id, MatchedBy, String)> {
        names.iter().find_map(|n| {
            self.keys
                .get(&name_key(n))
                .map(|&(id, by)| (id, by, n.clone()))
        })
    }

    fn record(&self, id: Id) -> MatchedRecord {
        MatchedRecord {
            id,
            title: self.display.get(&id).cloned().unwrap_or_default(),
        }
    }
}

/// A listing as this copy gives it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct ListingFields {
    list_name: String,
    listed_on: Option<String>,
    citation: Option<String>,
    license_requirement: Option<String>,
    license_policy: Option<String>,
    programs: Option<String>,
    addresses: Option<String>,
}

impl ListingFields {
    /// Another row for the same firm on the same list (an affiliate's address):
    /// its citations and addresses join this one's; the earliest date stands.
    fn merge(&mut self, other: ListingFields) {
        let join = |mine: &mut Option<String>, theirs: Option<String>| {
            if let Some(theirs) = theirs {
                match mine {
                    Some(text) if !text.split("; ").any(|p| p == theirs) => {
                        text.push_str("; ");
                        text.push_str(&theirs);
                    }
                    Some(_) => {}
                    None => *mine = Some(theirs),
                }
            }
        };
        join(&mut self.citation, other.citation);
        join(&mut self.addresses, other.addresses);
        join(&mut self.programs, other.programs);
        if self.license_requirement.is_none() {
            self.license_requirement = other.license_requirement;
        }
        if self.license_policy.is_none() {
            self.license_policy = other.license_policy;
        }
        if let Some(date) = other.listed_on {
            if self.listed_on.as_ref().is_none_or(|mine| date < *mine) {
                self.listed_on = Some(date);
            }
        }
    }
}

/// A listing in the workspace, with the columns a copy may change.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredListing {
    id: Id,
    firm_id: Id,
    #[serde(flatten)]
    fields: ListingFields,
    source_id: Option<Id>,
    first_copy_on: Option<String>,
    removed_on: Option<String>,
    /// The import that added it; none when entered by hand (or saved by the
    /// firm form since), whose date and citation a copy never overrides.
    #[serde(default)]
    import_batch_id: Option<Id>,
}

impl StoredListing {
    /// Whether a copy's version differs from this one in what the copy owns:
    /// everything for a listing from a copy; for one entered by hand, the
    /// details it took from a copy and only the date and citation it lacked.
    fn differs_from(&self, copy: &ListingFields) -> bool {
        if self.import_batch_id.is_some() {
            return self.fields != *copy;
        }
        let lacks =
            |mine: &Option<String>, theirs: &Option<String>| mine.is_none() && theirs.is_some();
        let mine = &self.fields;
        lacks(&mine.listed_on, &copy.listed_on)
            || lacks(&mine.citation, &copy.citation)
            || mine.license_requirement != copy.license_requirement
            || mine.license_policy != copy.license_policy
            || mine.programs != copy.programs
            || mine.addresses != copy.addresses
    }
}

const STORED_COLUMNS: &str =
    "id, firm_id, list_name, listed_on, citation, license_requirement, license_policy,
    programs, addresses, source_id, first_copy_on, removed_on, import_batch_id";

fn stored_listing(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredListing> {
    Ok(StoredListing {
        id: row.get(0)?,
        firm_id: row.get(1)?,
        fields: ListingFields {
            list_name: row.get(2)?,
            listed_on: row.get(3)?,
            citation: row.get(4)?,
            license_requirement: row.get(5)?,
            license_policy: row.get(6)?,
            programs: row.get(7)?,
            addresses: row.get(8)?,
        },
        source_id: row.get(9)?,
        first_copy_on: row.get(10)?,
        removed_on: row.get(11)?,
        import_batch_id: row.get(12)?,
    })
}

/// The date of a copy: as given, else the day the file was last modified.
fn copy_date(path: &Path, options: &ImportOptions) -> Result<String> {
    if let Some(typed) = options
        .copy_date
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        let date = crate::date::Precision::Day
            .read(typed)
            .map_err(|message| Error::invalid("copy date", message))?;
        if let Some(date) = date {
            return Ok(date.to_string());
        }
    }
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| Error::ImportFile {
            file: path.display().to_string(),
            line: None,
            message: format!("cannot be read ({e})."),
        })?;
    Ok(chrono::DateTime::<chrono::Utc>::from(modified)
        .format("%Y-%m-%d")
        .to_string())
}

pub(crate) fn import(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    control: &mut Control<'_>,
) -> Result<ImportReport> {
    let scope = Scope::of(options)?;
    let copy = copy_date(path, options)?;
    let mut input = CsvInput::open(path, options, control.cancel)?;
    let columns = Columns::find(&input.headers, &input.file_name)?;
    let mut report = input.report(ImportTarget::Listings, options);
    let mut listings = ListingsReport {
        copy_date: copy.clone(),
        ..ListingsReport::default()
    };
    store.write(|tx| {
        refuse_older_copy(tx, &copy, &input.file_name)?;
        let earlier_copy = tx
            .query_row(
                "SELECT 1 FROM screening_list_copies c JOIN import_batches b ON b.id = c.batch_id
                 WHERE b.undone_at IS NULL LIMIT 1",
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        let mut firms = FirmNames::load(tx)?;
        if options.dry_run {
            tx.execute_batch("SAVEPOINT import_dry_run")?;
        }
        let batch = batches::start(tx, ImportTarget::Firms, &input, &super::mapping_json(&super::Mapping::default()))?;
        // The record triggers of aliases and listings rebuild the whole firm
        // record for each row written; the writer queues each existing firm's
        // record once instead (a new firm's creation is queued by its own insert).
        let suspended = super::sources::suspend_triggers(tx, &RECORDED_BY_THE_WRITER)?;
        tx.execute(
            "INSERT INTO screening_list_copies (batch_id, copy_date, lists, countries) VALUES (?1, ?2, ?3, ?4)",
            params![
                batch,
                copy,
                serde_json::to_string(&options.lists).unwrap_or_else(|_| "[]".into()),
                serde_json::to_string(&scope.countries).unwrap_or_else(|_| "[]".into())
            ],
        )?;
        let now = now_utc();
        let mut record = Record::default();
        let mut omitted = 0;
        let mut list_rows: Vec<ListCount> = Vec::new();
        // (firm, list key) → the listing this copy gives, in file order.
        let mut pending: Vec<(Id, ListingFields)> = Vec::new();
        let mut pending_at: HashMap<(Id, String), usize> = HashMap::new();
        let mut created_in_file: HashSet<Id> = HashSet::new();
        while let Some(row) = input.next_row(&mut record)? {
            report.read += 1;
            control.tick(report.read, input.bytes_read(), input.total_bytes)?;
            if let Some(problem) = record.too_big(row, &input.headers) {
                reject_row(options.strict, &mut report, &mut omitted, vec![problem])?;
                continue;
            }
            let cell = |col: Option<usize>| -> Option<String> {
                col.and_then(|c| record.get(c))
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
            };
            match cell(columns.kind).map(|k| k.to_lowercase()).as_deref() {
                Some("individual") => {
                    listings.skipped_individuals += 1;
                    continue;
                }
                Some("vessel" | "aircraft") => {
                    listings.skipped_vessels += 1;
                    continue;
                }
                _ => {}
            }
            let party = cell(Some(columns.name)).map(|n| clean_party_name(&n)).unwrap_or_default();
            let source = cell(Some(columns.source)).unwrap_or_default();
            let mut problems = Vec::new();
            if party.is_empty() {
                problems.push(problem(row, &input.headers, columns.name, None,
                    "The party's name is empty. Fill it in, or remove the row."));
            }
            if source.is_empty() {
                problems.push(problem(row, &input.headers, columns.source, None,
                    "The list the party is on is empty; write it as the CSL does, e.g. \"Entity List (EL) - Bureau of Industry and Security\"."));
            }
            if !problems.is_empty() {
                reject_row(options.strict, &mut report, &mut omitted, problems)?;
                continue;
            }
            let (list_name, abbreviation) = list_short_name(&source);
            match list_rows.iter_mut().find(|l| l.list_name == list_name) {
                Some(count) => count.rows += 1,
                None => list_rows.push(ListCount { list_name: list_name.clone(), rows: 1 }),
            }
            if !scope.takes_list(&list_name, abbreviation.as_deref()) {
                listings.left_out_by_list += 1;
                continue;
            }
            let addresses = cell(columns.addresses);
            let countries = addresses.as_deref().map(address_countries).unwrap_or_default();
            if !scope.takes_countries(&countries) {
                listings.left_out_by_country += 1;
                continue;
            }
            let notice = cell(columns.federal_register_notice);
            let citations = notice.as_deref().map(federal_register_citations).unwrap_or_default();
            let start = cell(columns.start_date);
            let listed_on = start.as_deref().and_then(csl_date).or_else(|| notice.as_deref().and_then(date_in_notice));
            if let (Some(typed), None) = (&start, &listed_on) {
                report.warnings.push(format!(
                    "Row {row}: the start_date '{typed}' is not a date (write YYYY-MM-DD); the listing was kept without a date."
                ));
            }
            let names = party_names(&party, &cell(columns.alt_names).unwrap_or_default());
            let (firm_id, matched_by, matched_name) = match firms.find(&names) {
                Some((id, by, name)) => {
                    let by = if created_in_file.contains(&id) { MatchedBy::EarlierRow } else { by };
                    if by != MatchedBy::EarlierRow {
                        fill_country(tx, &firms, id, &countries, batch)?;
                    }
                    (id, by, Some(name))
                }
                None => {
                    let id = create_firm(tx, &mut firms, &names, &countries, batch, &now, &mut report)?;
                    created_in_file.insert(id);
                    report.created_firms.push(names[0].clone());
                    (id, MatchedBy::NewFirm, None)
                }
            };
            push_listed(&mut listings.matches, &mut omitted, PartyMatch {
                row,
                party: party.clone(),
                list_name: list_name.clone(),
                firm: firms.record(firm_id),
                matched_by,
                matched_name,
            });
            let fields = ListingFields {
                list_name: list_name.clone(),
                listed_on,
                citation: (!citations.is_empty()).then(|| citations.join("; ")),
                license_requirement: cell(columns.license_requirement),
                license_policy: cell(columns.license_policy),
                programs: cell(columns.programs),
                addresses,
            };
            match pending_at.get(&(firm_id, list_key(&list_name))) {
                Some(&at) => pending[at].1.merge(fields),
                None => {
                    pending_at.insert((firm_id, list_key(&list_name)), pending.len());
                    pending.push((firm_id, fields));
                }
            }
        }
        for typed in &options.lists {
            if !list_rows.iter().any(|l| list_key(&l.list_name) == list_key(typed))
                && !list_rows.iter().any(|l| list_short_name_abbreviation_is(&l.list_name, typed))
            {
                report.warnings.push(format!(
                    "No row of this file is on the list '{typed}'; the lists in it are: {}.",
                    list_rows.iter().map(|l| l.list_name.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        listings.lists = list_rows;
        let mut writer = ListingWriter {
            tx,
            batch,
            copy: &copy,
            now: &now,
            earlier_copy,
            copy_source: None,
            file_name: &input.file_name,
            new_firms: &created_in_file,
            recorded: HashSet::new(),
        };
        writer.write(&pending, &scope, &firms, &mut listings, &mut report, &mut omitted)?;
        for sql in &suspended {
            tx.execute_batch(sql)?;
        }
        report.added = listings.appeared;
        report.updated = listings.changed + listings.removed;
        report.duplicates = listings.unchanged;
        report.linked = pending.len() as u64;
        batches::settle(tx, batch, options, &mut report, omitted, &input, control)
    })?;
    report.listings = Some(listings);
    control.done(&mut report, &input);
    Ok(report)
}

/// `--list EL` names the Entity List by its abbreviation; the abbreviation is
/// not kept per row, so it is read back from the known short names.
fn list_short_name_abbreviation_is(list_name: &str, typed: &str) -> bool {
    const ABBREVIATIONS: [(&str, &str); 6] = [
        ("EL", "Entity List"),
        ("MEU", "Military End-User List"),
        ("UVL", "Unverified List"),
        ("DPL", "Denied Persons List"),
        ("SDN", "Specially Designated Nationals"),
        (
            "CMIC",
            "Non-SDN Chinese Military-Industrial Complex Companies List",
        ),
    ];
    ABBREVIATIONS.iter().any(|(abbreviation, name)| {
        list_key(abbreviation) == list_key(typed) && list_key(name) == list_key(list_name)
    })
}

fn problem(
    row: u64,
    headers: &[String],
    column: usize,
    value: Option<&str>,
    message: &str,
) -> ImportProblem {
    ImportProblem {
        row,
        column: headers.get(column).cloned(),
        value: value.map(super::shown_value),
        message: message.to_owned(),
    }
}

/// An older copy after a newer one would mark everything listed since as removed.
fn refuse_older_copy(conn: &Connection, copy: &str, file: &str) -> Result<()> {
    let newest: Option<(String, Id)> = conn
        .query_row(
            "SELECT c.copy_date, c.batch_id FROM screening_list_copies c JOIN import_batches b ON b.id = c.batch_id
             WHERE b.undone_at IS NULL ORDER BY c.copy_date DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match newest {
        Some((newest, batch)) if newest.as_str() > copy => Err(Error::ImportFile {
            file: file.to_owned(),
            line: None,
            message: format!(
                "is a copy of {copy}, older than the copy of {newest} imported already (import {batch}): \
                 importing it would mark as removed what was listed since. Import a newer copy, or give this one's \
                 real date (--copy-date) if its file date is wrong."
            ),
        }),
        _ => Ok(()),
    }
}

/// A matched firm with no country gets the one its addresses give (undo empties it again).
fn fill_country(
    conn: &Connection,
    firms: &FirmNames,
    id: Id,
    countries: &[String],
    batch: Id,
) -> Result<()> {
    let (Some(None), Some(country)) = (firms.countries.get(&id), countries.first()) else {
        return Ok(());
    };
    let still_empty: bool = conn.query_row(
        "SELECT country IS NULL FROM firms WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if still_empty {
        batches::fill_fields(
            conn,
            batch,
            "firm",
            "firms",
            id,
            true,
            &[("country", country.clone().into())],
        )?;
    }
    Ok(())
}

/// A firm for a party no firm matched: its name, the first Chinese alternative
/// name as its native name, the other names as aliases, its first country.
fn create_firm(
    conn: &Connection,
    firms: &mut FirmNames,
    names: &[String],
    countries: &[String],
    batch: Id,
    now: &str,
    report: &mut ImportReport,
) -> Result<Id> {
    let name = &names[0];
    let native = names[1..]
        .iter()
        .find(|n| has_cjk(n) && !has_cjk(name))
        .cloned();
    let id = crate::firms::insert(
        conn,
        &FirmRow {
            name,
            native_name: native.as_deref(),
            kind: FirmKind::Company,
            country: countries.first().map(String::as_str),
            parent_firm_id: None,
            website: None,
            summary: "",
            import_batch_id: Some(batch),
            created_at: now,
        },
    )?;
    firms.display.insert(id, name.clone());
    firms.countries.insert(id, countries.first().cloned());
    firms.add(id, name, MatchedBy::Name);
    if let Some(native) = &native {
        firms.add(id, native, MatchedBy::NativeName);
    }
    for alias in names[1..].iter().filter(|n| Some(*n) != native.as_ref()) {
        match firms.keys.get(&name_key(alias)) {
            Some(&(other, _)) if other != id => report.warnings.push(format!(
                "The alternative name '{alias}' of {name} is already {}'s; it was not added as an alias.",
                firms.record(other).title
            )),
            Some(_) => {}
            None => {
                conn.prepare_cached("INSERT OR IGNORE INTO firm_aliases (firm_id, alias) VALUES (?1, ?2)")?.execute(
                    params![id, alias],
                )?;
                firms.add(id, alias, MatchedBy::Alias);
            }
        }
    }
    Ok(id)
}

/// Writes a copy's listings against the workspace's.
struct ListingWriter<'a> {
    tx: &'a Connection,
    batch: Id,
    copy: &'a str,
    now: &'a str,
    earlier_copy: bool,
    copy_source: Option<Id>,
    file_name: &'a str,
    /// Firms this import created: their records are queued as created.
    new_firms: &'a HashSet<Id>,
    /// Existing firms whose record (as it was) is queued for history already.
    recorded: HashSet<Id>,
}

/// The triggers [`ListingWriter::record`] does the work of while a copy imports.
const RECORDED_BY_THE_WRITER: [&str; 3] = [
    "record_firm_aliases_insert",
    "record_export_control_listings_insert",
    "record_export_control_listings_update",
];

impl ListingWriter<'_> {
    /// Before the first listing of an existing firm changes: its record as it
    /// was, queued for history and team sync as the suspended triggers would
    /// (only the first change of a record in a transaction counts).
    fn record(&mut self, firm_id: Id) -> Result<()> {
        if self.new_firms.contains(&firm_id) || !self.recorded.insert(firm_id) {
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "INSERT INTO record_changes (kind, id, uid, op, old)
                 SELECT 'firm', id, uid, 'update', fields FROM record_firm WHERE id = ?1",
            )?
            .execute([firm_id])?;
        Ok(())
    }

    fn write(
        &mut self,
        pending: &[(Id, ListingFields)],
        scope: &Scope,
        firms: &FirmNames,
        listings: &mut ListingsReport,
        report: &mut ImportReport,
        omitted: &mut u64,
    ) -> Result<()> {
        let mut stored: HashMap<(Id, String), Vec<StoredListing>> = HashMap::new();
        {
            let mut stmt = self.tx.prepare(&format!(
                "SELECT {STORED_COLUMNS} FROM export_control_listings ORDER BY id"
            ))?;
            let rows = stmt.query_map([], stored_listing)?;
            for listing in rows {
                let listing = listing?;
                stored
                    .entry((listing.firm_id, list_key(&listing.fields.list_name)))
                    .or_default()
                    .push(listing);
            }
        }
        let mut touched: HashSet<Id> = HashSet::new();
        for (firm_id, fields) in pending {
            let key = (*firm_id, list_key(&fields.list_name));
            // One from a copy first, else one entered by hand.
            let existing = stored.get(&key).and_then(|all| {
                all.iter()
                    .find(|l| l.first_copy_on.is_some())
                    .or_else(|| all.first())
            });
            let firm = firms.record(*firm_id);
            match existing {
                None => {
                    let source = self.copy_source()?;
                    self.record(*firm_id)?;
                    self.tx.prepare_cached("INSERT INTO export_control_listings (firm_id, list_name, listed_on, citation, source_id,
                            license_requirement, license_policy, programs, addresses, first_copy_on, import_batch_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?.execute(
                        params![firm_id, fields.list_name, fields.listed_on, fields.citation, source,
                                fields.license_requirement, fields.license_policy, fields.programs,
                                fields.addresses, self.copy, self.batch],
                    )?;
                    touched.insert(self.tx.last_insert_rowid());
                    self.appeared(firm, fields, listings, omitted)?;
                }
                Some(listing) => {
                    touched.insert(listing.id);
                    let first_seen = listing.first_copy_on.is_none();
                    let was_removed = listing.removed_on.is_some();
                    if !first_seen && !was_removed && !listing.differs_from(fields) {
                        listings.unchanged += 1;
                        continue;
                    }
                    // Entered by hand (the default dataset, the firm form): its
                    // name, date, citation and source stand; the list fills the rest.
                    let hand = listing.import_batch_id.is_none();
                    let merged = if hand {
                        ListingFields {
                            list_name: listing.fields.list_name.clone(),
                            listed_on: listing
                                .fields
                                .listed_on
                                .clone()
                                .or_else(|| fields.listed_on.clone()),
                            citation: listing
                                .fields
                                .citation
                                .clone()
                                .or_else(|| fields.citation.clone()),
                            ..fields.clone()
                        }
                    } else {
                        fields.clone()
                    };
                    let source = match listing.source_id {
                        Some(id) if hand => id,
                        _ => self.copy_source()?,
                    };
                    self.keep_before(listing)?;
                    self.record(*firm_id)?;
                    self.tx.prepare_cached("UPDATE export_control_listings SET list_name = ?2, listed_on = ?3, citation = ?4,
                            license_requirement = ?5, license_policy = ?6, programs = ?7, addresses = ?8,
                            source_id = ?9, first_copy_on = coalesce(first_copy_on, ?10), removed_on = NULL
                         WHERE id = ?1")?.execute(
                        params![listing.id, merged.list_name, merged.listed_on, merged.citation,
                                merged.license_requirement, merged.license_policy, merged.programs,
                                merged.addresses, source, self.copy],
                    )?;
                    if let (true, Some(mine), Some(theirs)) = (
                        hand && first_seen,
                        &listing.fields.listed_on,
                        &fields.listed_on,
                    ) {
                        if mine != theirs {
                            report.warnings.push(format!(
                                "{}, {}: the list gives {theirs}; the workspace's {mine} was kept.",
                                firm.title, fields.list_name
                            ));
                        }
                    }
                    if was_removed {
                        self.appeared(firm, &merged, listings, omitted)?;
                    } else if first_seen {
                        listings.unchanged += 1;
                    } else {
                        listings.changed += 1;
                        push_listed(
                            &mut listings.changes,
                            omitted,
                            ListingChange {
                                change: ListingChangeKind::Changed,
                                firm,
                                list_name: merged.list_name.clone(),
                                listed_on: merged.listed_on.clone(),
                                detail: differences(&listing.fields, &merged),
                            },
                        );
                    }
                }
            }
        }
        // What earlier copies had, within what this copy covers, and this one has not.
        for listing in stored.values().flatten() {
            let in_scope = listing.first_copy_on.is_some()
                && listing.removed_on.is_none()
                && !touched.contains(&listing.id)
                && (scope.lists.is_empty()
                    || scope.lists.contains(&list_key(&listing.fields.list_name))
                    || scope.lists.iter().any(|typed| {
                        list_short_name_abbreviation_is(&listing.fields.list_name, typed)
                    }))
                && (scope.countries.is_empty()
                    || firms
                        .countries
                        .get(&listing.firm_id)
                        .cloned()
                        .flatten()
                        .is_some_and(|c| scope.countries.contains(&c)));
            if !in_scope {
                continue;
            }
            self.keep_before(listing)?;
            self.record(listing.firm_id)?;
            self.tx
                .prepare_cached("UPDATE export_control_listings SET removed_on = ?2 WHERE id = ?1")?
                .execute(params![listing.id, self.copy])?;
            listings.removed += 1;
            push_listed(
                &mut listings.changes,
                omitted,
                ListingChange {
                    change: ListingChangeKind::Removed,
                    firm: firms.record(listing.firm_id),
                    list_name: listing.fields.list_name.clone(),
                    listed_on: listing.fields.listed_on.clone(),
                    detail: format!("not in the copy of {}", self.copy),
                },
            );
        }
        Ok(())
    }

    /// A listing that appeared: counted, listed, and on the timeline once an
    /// earlier copy set the baseline (a first import is the list as it stands).
    fn appeared(
        &mut self,
        firm: MatchedRecord,
        fields: &ListingFields,
        listings: &mut ListingsReport,
        omitted: &mut u64,
    ) -> Result<()> {
        listings.appeared += 1;
        if self.earlier_copy {
            let source = self.copy_source()?;
            let title = format!("{} added to the {}", firm.title, fields.list_name);
            let description = match &fields.citation {
                Some(citation) => format!(
                    "{citation}. Found in the Consolidated Screening List copy of {}.",
                    self.copy
                ),
                None => format!(
                    "Found in the Consolidated Screening List copy of {}.",
                    self.copy
                ),
            };
            self.tx.prepare_cached("INSERT INTO events (occurred_on, kind, title, description, import_batch_id) VALUES (?1, 'listing', ?2, ?3, ?4)")?.execute(
                params![fields.listed_on.as_deref().unwrap_or(self.copy), title, description, self.batch],
            )?;
            let event = self.tx.last_insert_rowid();
            self.tx
                .prepare_cached("INSERT INTO event_firms (event_id, firm_id) VALUES (?1, ?2)")?
                .execute(params![event, firm.id])?;
            self.tx
                .prepare_cached("INSERT INTO event_sources (event_id, source_id) VALUES (?1, ?2)")?
                .execute(params![event, source])?;
            listings.events += 1;
        }
        push_listed(
            &mut listings.changes,
            omitted,
            ListingChange {
                change: ListingChangeKind::Appeared,
                firm,
                list_name: fields.list_name.clone(),
                listed_on: fields.listed_on.clone(),
                detail: fields.citation.clone().unwrap_or_default(),
            },
        );
        Ok(())
    }

    /// The listing as it was before this copy, once per listing, for undo.
    fn keep_before(&self, listing: &StoredListing) -> Result<()> {
        self.tx.prepare_cached("INSERT OR IGNORE INTO listing_revisions (batch_id, listing_id, before) VALUES (?1, ?2, ?3)")?.execute(
            params![self.batch, listing.id, serde_json::to_string(listing).unwrap_or_else(|_| "{}".into())],
        )?;
        Ok(())
    }

    /// The source the listings of this copy cite: the copy itself, added once.
    fn copy_source(&mut self) -> Result<Id> {
        if let Some(id) = self.copy_source {
            return Ok(id);
        }
        let title = format!("Consolidated Screening List (copy of {})", self.copy);
        let summary = format!(
            "The US government's list of parties under export, sanctions and other trade restrictions \
             (Entity List, Military End-User List, SDN and others), as published by the International Trade \
             Administration; imported from {} on {}.",
            self.file_name,
            &self.now[..10]
        );
        let id = crate::sources::insert(
            self.tx,
            &SourceRow {
                kind: SourceKind::Dataset,
                title: &title,
                authors: None,
                publisher: Some("International Trade Administration, U.S. Department of Commerce"),
                url: Some("https://www.trade.gov/consolidated-screening-list"),
                doi: None,
                published_on: None,
                accessed_on: Some(self.copy),
                language: Some("en"),
                r#abstract: Some(&summary),
                reliability: Some("A"),
                credibility: None,
                import_batch_id: Some(self.batch),
                original_row: None,
                created_at: self.now,
                uid: None,
            },
        )?;
        self.copy_source = Some(id);
        Ok(id)
    }
}

/// The fields that differ between two versions of a listing, in words.
fn differences(before: &ListingFields, after: &ListingFields) -> String {
    let shown = |v: &Option<String>| {
        v.clone()
            .unwrap_or_else(|| crate::vocabulary::NOT_RECORDED.to_owned())
    };
    let mut parts = Vec::new();
    let mut compare = |label: &str, a: &Option<String>, b: &Option<String>| {
        if a != b {
            parts.push(format!("{label}: {} → {}", shown(a), shown(b)));
        }
    };
    compare("date", &before.listed_on, &after.listed_on);
    compare("citation", &before.citation, &after.citation);
    compare(
        "licence requirement",
        &before.license_requirement,
        &after.license_requirement,
    );
    compare(
        "licence policy",
        &before.license_policy,
        &after.license_policy,
    );
    compare("programs", &before.programs, &after.programs);
    compare("addresses", &before.addresses, &after.addresses);
    parts.join("; ")
}

/// Puts back the listings a batch changed or marked (before it removes what it added).
pub(crate) fn undo_listing_changes(conn: &Connection, batch: Id) -> Result<i64> {
    let befores: Vec<(Id, String)> = conn
        .prepare("SELECT listing_id, before FROM listing_revisions WHERE batch_id = ?1")?
        .query_map([batch], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut restored = 0;
    for (id, before) in befores {
        let Ok(listing) = serde_json::from_str::<StoredListing>(&before) else {
            continue;
        };
        let f = &listing.fields;
        restored += conn.execute(
            "UPDATE export_control_listings SET list_name = ?2, listed_on = ?3, citation = ?4, license_requirement = ?5,
                license_policy = ?6, programs = ?7, addresses = ?8, source_id = ?9, first_copy_on = ?10, removed_on = ?11
             WHERE id = ?1",
            params![id, f.list_name, f.listed_on, f.citation, f.license_requirement, f.license_policy, f.programs,
                    f.addresses, listing.source_id, listing.first_copy_on, listing.removed_on],
        )? as i64;
    }
    conn.execute("DELETE FROM events WHERE import_batch_id = ?1", [batch])?;
    let removed = conn.execute(
        "DELETE FROM export_control_listings WHERE import_batch_id = ?1",
        [batch],
    )?;
    Ok(restored + removed as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_names_come_short_from_the_csl_source_column() {
        assert_eq!(
            list_short_name("Entity List (EL) - Bureau of Industry and Security"),
            ("Entity List".into(), Some("EL".into()))
        );
        assert_eq!(
            list_short_name("Military End User (MEU) List - Bureau of Industry and Security").0,
            "Military End-User List"
        );
        assert_eq!(
            list_short_name("Specially Designated Nationals (SDN) - Treasury Department").0,
            "Specially Designated Nationals"
        );
        assert_eq!(list_short_name("Unverified List").0, "Unverified List");
    }

    #[test]
    fn federal_register_citations_are_read_in_both_spellings() {
        assert_eq!(
            federal_register_citations("84 FR 22961"),
            vec!["84 FR 22961"]
        );
        assert_eq!(
            federal_register_citations("82 F.R. 48792 10/01/2017"),
            vec!["82 FR 48792"]
        );
        assert_eq!(
            federal_register_citations("84 FR 22961, 85 FR 51596; 84 FR 22961"),
            vec!["84 FR 22961", "85 FR 51596"]
        );
        assert!(federal_register_citations("no notice; 2020 FRANCE 12").is_empty());
        assert_eq!(
            date_in_notice("82 F.R. 48792 10/01/2017").as_deref(),
            Some("2017-10-01")
        );
    }

    #[test]
    fn names_compare_without_case_punctuation_and_company_suffixes() {
        assert_eq!(
            name_key("Huawei Technologies Co., Ltd."),
            "huawei technologies"
        );
        assert_eq!(
            name_key("HUAWEI TECHNOLOGIES CO LTD"),
            "huawei technologies"
        );
        assert_eq!(name_key("华为技术有限公司"), "华为技术");
        assert_eq!(
            name_key("Cambricon Technologies Corporation Limited"),
            "cambricon technologies"
        );
        // A name that is only a suffix stays itself.
        assert_eq!(name_key("Limited"), "limited");
        assert_eq!(
            clean_party_name("Huawei Cloud Beijing Co., Ltd., and any successor, sub-unit, or subsidiary thereof"),
            "Huawei Cloud Beijing Co., Ltd."
        );
    }

    #[test]
    fn a_short_form_in_brackets_and_alt_names_are_names_of_the_party() {
        assert_eq!(
            party_names(
                "Semiconductor Manufacturing International Corporation (SMIC)",
                "中芯国际集成电路制造有限公司; SMIC"
            ),
            vec![
                "Semiconductor Manufacturing International Corporation",
                "SMIC",
                "中芯国际集成电路制造有限公司"
            ]
        );
    }
}

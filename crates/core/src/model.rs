//! Types that cross into the UI. The TypeScript twins in `ui/src/lib/bindings.ts`
//! are generated from these (see `bindings.rs`); never edit that file by hand.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Row id of any entity.
pub type Id = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FirmKind {
    Company,
    Foundry,
    Lab,
    Agency,
}

/// A firm's position on a strategy, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    None,
    Exploring,
    Active,
    Leading,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChipPurpose {
    Training,
    Inference,
    TrainingAndInference,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Regulation,
    Listing,
    Launch,
    Deal,
    Funding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Article,
    Report,
    Regulation,
    Dataset,
    Paper,
    Filing,
    Web,
    Book,
    Other,
}

/// Enough of a firm to name and link it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirmRef {
    pub id: Id,
    pub name: String,
    pub native_name: Option<String>,
}

/// One row of the firms list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirmSummary {
    pub id: Id,
    pub name: String,
    pub native_name: Option<String>,
    pub kind: FirmKind,
    /// ISO 3166-1 alpha-2, e.g. "CN".
    pub country: Option<String>,
    pub parent: Option<FirmRef>,
    /// Chips designed by the firm or its subsidiaries.
    pub chip_count: i64,
    pub assessment_count: i64,
    pub listing_count: i64,
}

/// The orders of the firms list, one per column it shows. Firms without the
/// value (no country, no parent) come last either way; ties go by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FirmSort {
    /// Ignoring case.
    #[default]
    Name,
    Kind,
    /// By ISO code, as the list shows it.
    Country,
    /// The parent firm's name, ignoring case.
    Parent,
    /// Chips designed by the firm or its subsidiaries.
    Chips,
    Assessments,
    /// Export-control listings.
    Listings,
}

/// How the firms list is sorted (see `firms::list_sorted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirmOrder {
    pub sort: FirmSort,
    pub descending: bool,
}

/// An export-control listing, e.g. the Entity List.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    pub id: Id,
    pub list_name: String,
    /// Partial date: "2019", "2019-05" or "2019-05-16".
    pub listed_on: Option<String>,
    pub citation: Option<String>,
    pub source_ids: Vec<Id>,
    #[serde(flatten)]
    pub details: ListingDetails,
}

/// What a screening list says of a listing beyond its date and citation (all
/// empty for a listing entered by hand, and then left out of its JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListingDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_requirement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_policy: Option<String>,
    /// Sanctions programs ("CMIC-EO13959").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programs: Option<String>,
    /// The addresses the list gives, "; " between them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<String>,
    /// The date of the copy of the screening list it first came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_copy_on: Option<String>,
    /// The date of the first copy of the list that no longer had it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Firm {
    pub id: Id,
    pub name: String,
    pub native_name: Option<String>,
    pub aliases: Vec<String>,
    pub kind: FirmKind,
    pub country: Option<String>,
    pub parent: Option<FirmRef>,
    pub website: Option<String>,
    pub summary: String,
    pub listings: Vec<Listing>,
}

/// The October 2023 ECCN 3A090 figures derived from a chip's entered specs.
/// Estimates: only as good as the figures entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChipMetrics {
    /// Total processing performance = dense TOPS x bit width.
    pub tpp: Option<f64>,
    /// TPP / die area in mm².
    pub performance_density: Option<f64>,
    /// Paragraphs met, e.g. ["3A090.a.1"]; empty when none or unknown.
    pub rules_met: Vec<String>,
    /// Paragraphs that need the density when no die area was entered (their
    /// TPP condition holds): neither met nor missed.
    pub rules_undetermined: Vec<String>,
    /// The estimate in words (metrics::summary); empty without a TPP.
    pub rules_summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Chip {
    pub id: Id,
    /// The designer.
    pub firm: FirmRef,
    pub name: String,
    pub purpose: Option<ChipPurpose>,
    pub process_node_nm: Option<f64>,
    pub foundry: Option<FirmRef>,
    pub announced_on: Option<String>,
    pub peak_dense_tops: Option<f64>,
    pub peak_bit_width: Option<i64>,
    pub die_area_mm2: Option<f64>,
    pub memory_gb: Option<f64>,
    pub tdp_w: Option<f64>,
    pub notes: String,
    pub metrics: ChipMetrics,
    pub source_ids: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    pub id: Id,
    pub strategy_id: Id,
    pub strategy_name: String,
    pub stance: Stance,
    pub summary: String,
    pub as_of: Option<String>,
    pub source_ids: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: Id,
    pub occurred_on: String,
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub firms: Vec<FirmRef>,
    pub source_ids: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub id: Id,
    pub kind: SourceKind,
    pub title: String,
    pub authors: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub doi: Option<String>,
    pub published_on: Option<String>,
    pub accessed_on: Option<String>,
    pub language: Option<String>,
    /// Admiralty grade of the source, "A" (reliable) to "F" (cannot be judged).
    pub reliability: Option<String>,
    /// Admiralty grade of the information, 1 (confirmed) to 6 (cannot be judged).
    pub credibility: Option<i64>,
}

/// The orders of the paged sources list; each has an index (migrations 0006
/// and 0011). Sources without the value (no date, no publisher, no
/// reliability grade) come last either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SourceSort {
    /// Ignoring case.
    Title,
    /// Publication date (partial dates: 2023 before 2023-10 before 2023-10-17).
    Published,
    /// When the source was added to the workspace.
    Added,
    /// Ignoring case.
    Publisher,
    /// The kind as stored (article, book, dataset …).
    Kind,
    /// The Admiralty grade: reliability, then credibility, an unknown
    /// credibility after 6 (A1 … A6, A, B1 …). A source without a reliability
    /// grade has no grade.
    Grade,
}

/// One page of the sources list (see `sources::page`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourcePageQuery {
    pub sort: SourceSort,
    pub descending: bool,
    pub filter: SourceFilter,
    /// Continue after this row (the previous page's `next`): as fast at row
    /// 900,000 as at row 50. When given, `offset` is ignored.
    pub after: Option<SourceCursor>,
    /// Skip this many rows (to jump to a page); costs more the deeper it goes.
    pub offset: Option<u32>,
    /// Rows per page, 1 to 500.
    pub limit: u32,
}

/// Which sources a list shows or a bulk action takes: every condition given
/// must hold; nothing given means every source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct SourceFilter {
    /// Words as the search box reads them (words, prefixes, Chinese
    /// substrings of 2+ characters); blank means no condition.
    pub words: Option<String>,
    /// Only the sources this import batch added (an import's "Show the sources").
    pub import_batch: Option<Id>,
    pub kind: Option<SourceKind>,
    /// A reliability grade, "A" to "F", or "none" for sources without one.
    pub reliability: Option<String>,
    /// Published on or after this date, as the app shows or stores dates
    /// ("Oct 2023", "2023-10", "2023年10月"); sources without a date are left out.
    pub published_from: Option<String>,
    /// Published on or before this date (a month or year includes all of it).
    pub published_to: Option<String>,
    /// Sources about this firm: those that mention it (found on import or
    /// linked by hand) and those its assessments, chips, listings and events cite.
    pub firm: Option<Id>,
}

/// The sources a bulk action applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "by")]
pub enum SourceSelection {
    /// These sources, picked one by one.
    Ids { ids: Vec<Id> },
    /// Every source the filter lets through (on all pages), but the ones in `except`.
    Matching {
        filter: SourceFilter,
        except: Vec<Id>,
    },
}

/// What a bulk action did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkOutcome {
    /// Sources in the selection.
    pub selected: i64,
    /// Sources the action changed; the rest were already as asked (tagged, linked …).
    pub changed: i64,
}

/// What moving a selection of sources to the Trash would take along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkTrashImpact {
    pub selected: i64,
    /// Of them, sources that claims (assessments, chips, listings, events) cite.
    pub cited: i64,
    /// Citations that go with them: the claims stay, without these sources.
    pub citations: i64,
    /// Notes whose [[links]] name one of them.
    pub noted: i64,
}

/// Where a page ended: the last row's sort value and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceCursor {
    /// The sort value (title, published date, publisher); null for "added" and
    /// for rows without the value.
    pub key: Option<String>,
    pub id: Id,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourcePage {
    pub rows: Vec<Source>,
    /// Every source the filter lets through, on all pages.
    pub total: i64,
    /// Pass as `after` for the next page; null on the last page.
    pub next: Option<SourceCursor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: Id,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The revision a save must name (see `notes::save`).
    pub revision: i64,
}

/// Enough of a note to list and open it ("mentioned in 4 notes").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteRef {
    pub id: Id,
    pub title: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Strategy {
    pub id: Id,
    pub name: String,
    pub description: String,
}

/// Everything the firm profile shows. `sources` holds every source that any
/// claim on the page cites, so each `sourceIds` entry resolves within it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirmProfile {
    pub firm: Firm,
    pub subsidiaries: Vec<FirmRef>,
    /// Chips designed by the firm or its subsidiaries, newest first.
    pub chips: Vec<Chip>,
    pub assessments: Vec<Assessment>,
    /// Oldest first.
    pub events: Vec<Event>,
    pub sources: Vec<Source>,
    /// The notes that link to the firm, each as the text around the link.
    pub notes: Vec<crate::notes::NoteMention>,
}

/// Where the open workspace lives and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceInfo {
    pub path: String,
    pub schema_version: i64,
    pub counts: Stats,
}

/// A count per entity; keys are the entities' plural names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Stats {
    pub firms: i64,
    pub strategies: i64,
    pub assessments: i64,
    pub chips: i64,
    pub sources: i64,
    pub notes: i64,
    pub events: i64,
    pub tags: i64,
    pub import_batches: i64,
    pub comparisons: i64,
}

// ---- Forms -------------------------------------------------------------------
// What a form edits. A form loads an `Editing<Draft>`, and saves the draft with
// the revision it loaded, so an edit made on a stale copy is refused.

/// A saved record as its form edits it: id, the revision loaded, and its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Editing<T> {
    pub id: Id,
    pub revision: i64,
    pub draft: T,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirmDraft {
    pub name: String,
    pub native_name: Option<String>,
    pub aliases: Vec<String>,
    pub kind: FirmKind,
    pub country: Option<String>,
    pub parent_firm_id: Option<Id>,
    pub website: Option<String>,
    pub summary: String,
    pub listings: Vec<ListingDraft>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListingDraft {
    pub list_name: String,
    pub listed_on: Option<String>,
    pub citation: Option<String>,
    pub source_id: Option<Id>,
    /// Kept as loaded: the form does not edit them, saving keeps them.
    #[serde(flatten)]
    pub details: ListingDetails,
}

/// Another firm that already uses a name typed into the firm form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirmConflict {
    /// The form field holding the name, e.g. `name` or `aliases[1]`.
    pub field: String,
    pub name: String,
    pub firm: FirmRef,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StrategyDraft {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AssessmentDraft {
    pub firm_id: Id,
    pub strategy_id: Id,
    pub stance: Stance,
    pub summary: String,
    pub as_of: Option<String>,
    pub evidence: Vec<EvidenceDraft>,
}

/// A source cited as evidence, with where in it (a page, a section) and the
/// passage that backs the claim (a quote).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceDraft {
    pub source_id: Id,
    pub locator: Option<String>,
    #[serde(default)]
    pub excerpt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChipDraft {
    pub firm_id: Id,
    pub name: String,
    pub purpose: Option<ChipPurpose>,
    pub process_node_nm: Option<f64>,
    pub foundry_firm_id: Option<Id>,
    pub announced_on: Option<String>,
    pub peak_dense_tops: Option<f64>,
    pub peak_bit_width: Option<i64>,
    pub die_area_mm2: Option<f64>,
    pub memory_gb: Option<f64>,
    pub tdp_w: Option<f64>,
    pub notes: String,
    pub source_ids: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceDraft {
    pub kind: SourceKind,
    pub title: String,
    pub authors: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub doi: Option<String>,
    pub published_on: Option<String>,
    pub accessed_on: Option<String>,
    pub language: Option<String>,
    pub r#abstract: Option<String>,
    pub reliability: Option<String>,
    pub credibility: Option<i64>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventDraft {
    pub occurred_on: String,
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub firm_ids: Vec<Id>,
    pub source_ids: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteDraft {
    pub title: String,
    /// Markdown; `[[links]]` in it become the note's links when saved.
    pub body: String,
    pub tags: Vec<String>,
}

// ---- Trash -------------------------------------------------------------------
// A deleted record waits in the Trash with everything that went with it, until
// it is restored or purged (see `trash/`).

/// What can be deleted to the Trash; the stored text is the `trash.kind` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TrashKind {
    Firm,
    Strategy,
    Assessment,
    Chip,
    Source,
    Event,
    Note,
}

/// What one line of a deletion's impact counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImpactWhat {
    /// Chips deleted with their firm.
    Chips,
    /// Assessments deleted with their firm or strategy.
    Assessments,
    /// Export-control listings deleted with their firm.
    Listings,
    Aliases,
    /// Events that lose their link to the deleted firm (the events stay).
    Events,
    /// Firms that lose their link to the deleted event (the firms stay).
    Firms,
    /// Assessments, chips, events and listings that cite the deleted source.
    Claims,
    /// Sources the deleted record cites (the sources stay).
    Sources,
    /// Notes that link to the deleted record (the notes stay).
    Notes,
    /// Links of the deleted note to other records (those stay).
    Links,
    /// Firms that lose the deleted firm as their parent.
    Subsidiaries,
    /// Chips that lose the deleted firm as their foundry.
    FoundryChips,
    Comparisons,
    /// Rows of a table this version does not describe.
    Other,
}

/// One line of what deleting a record takes along or unlinks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImpactItem {
    pub what: ImpactWhat,
    pub count: i64,
    /// The line as shown, e.g. "3 claims cite this source".
    pub text: String,
}

/// What deleting a record would take along, shown before deleting it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeleteImpact {
    pub kind: TrashKind,
    pub id: Id,
    pub title: String,
    /// Only what is there: an empty list means nothing else is affected.
    pub items: Vec<ImpactItem>,
}

/// One page of the Trash, newest first, with what it holds in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrashPage {
    pub entries: Vec<TrashEntry>,
    /// Where this page starts among all the entries.
    pub offset: u32,
    pub total: u32,
    /// How many entries of each kind the Trash holds, for "Empty Trash".
    pub by_kind: Vec<TrashKindCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrashKindCount {
    pub kind: TrashKind,
    pub count: u32,
}

/// One deleted record in the Trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrashEntry {
    pub id: Id,
    pub kind: TrashKind,
    /// The record's id, which it gets back when restored.
    pub entity_id: Id,
    pub title: String,
    /// UTC RFC 3339.
    pub deleted_at: String,
    /// What went with it, as its impact said when it was deleted.
    pub summary: Vec<ImpactItem>,
}

/// The record a restore put back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoredRef {
    pub kind: TrashKind,
    pub id: Id,
    /// Links that could not come back because what they pointed at was deleted
    /// for good (purged from the Trash), e.g. "evidence cited by an assessment
    /// (the source with id 5 was deleted for good)".
    pub left_out: Vec<String>,
}

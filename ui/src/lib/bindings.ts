// This file is generated from crates/core by `make bindings`. Do not edit.
export type FirmKind = "company" | "foundry" | "lab" | "agency";
export type Stance = "none" | "exploring" | "active" | "leading";
export type ChipPurpose = "training" | "inference" | "training_and_inference";
export type EventKind = "regulation" | "listing" | "launch" | "deal" | "funding";
export type SourceKind = "article" | "report" | "regulation" | "dataset" | "paper" | "filing" | "web" | "book" | "other";
export type FirmRef = { id: number, name: string, nativeName: string | null, };
export type FirmSummary = { id: number, name: string, nativeName: string | null, kind: FirmKind, 
/**
 * ISO 3166-1 alpha-2, e.g. "CN".
 */
country: string | null, parent: FirmRef | null, 
/**
 * Chips designed by the firm or its subsidiaries.
 */
chipCount: number, assessmentCount: number, listingCount: number, };
export type FirmSort = "name" | "kind" | "country" | "parent" | "chips" | "assessments" | "listings";
export type FirmOrder = { sort: FirmSort, descending: boolean, };
export type Listing = { id: number, listName: string, 
/**
 * Partial date: "2019", "2019-05" or "2019-05-16".
 */
listedOn: string | null, citation: string | null, sourceIds: Array<number>, licenseRequirement?: string | null, licensePolicy?: string | null, 
/**
 * Sanctions programs ("CMIC-EO13959").
 */
programs?: string | null, 
/**
 * The addresses the list gives, "; " between them.
 */
addresses?: string | null, 
/**
 * The date of the copy of the screening list it first came from.
 */
firstCopyOn?: string | null, 
/**
 * The date of the first copy of the list that no longer had it.
 */
removedOn?: string | null, };
export type ListingDetails = { licenseRequirement?: string | null, licensePolicy?: string | null, 
/**
 * Sanctions programs ("CMIC-EO13959").
 */
programs?: string | null, 
/**
 * The addresses the list gives, "; " between them.
 */
addresses?: string | null, 
/**
 * The date of the copy of the screening list it first came from.
 */
firstCopyOn?: string | null, 
/**
 * The date of the first copy of the list that no longer had it.
 */
removedOn?: string | null, };
export type Firm = { id: number, name: string, nativeName: string | null, aliases: Array<string>, kind: FirmKind, country: string | null, parent: FirmRef | null, website: string | null, summary: string, listings: Array<Listing>, };
export type ChipMetrics = { 
/**
 * Total processing performance = dense TOPS x bit width.
 */
tpp: number | null, 
/**
 * TPP / die area in mm².
 */
performanceDensity: number | null, 
/**
 * Paragraphs met, e.g. ["3A090.a.1"]; empty when none or unknown.
 */
rulesMet: Array<string>, 
/**
 * Paragraphs that need the density when no die area was entered (their
 * TPP condition holds): neither met nor missed.
 */
rulesUndetermined: Array<string>, 
/**
 * The estimate in words (metrics::summary); empty without a TPP.
 */
rulesSummary: string, };
export type Chip = { id: number, 
/**
 * The designer.
 */
firm: FirmRef, name: string, purpose: ChipPurpose | null, processNodeNm: number | null, foundry: FirmRef | null, announcedOn: string | null, peakDenseTops: number | null, peakBitWidth: number | null, dieAreaMm2: number | null, memoryGb: number | null, tdpW: number | null, notes: string, metrics: ChipMetrics, sourceIds: Array<number>, };
export type Assessment = { id: number, strategyId: number, strategyName: string, stance: Stance, summary: string, asOf: string | null, sourceIds: Array<number>, };
export type Event = { id: number, occurredOn: string, kind: EventKind, title: string, description: string, firms: Array<FirmRef>, sourceIds: Array<number>, };
export type Source = { id: number, kind: SourceKind, title: string, authors: string | null, publisher: string | null, url: string | null, doi: string | null, publishedOn: string | null, accessedOn: string | null, language: string | null, 
/**
 * Admiralty grade of the source, "A" (reliable) to "F" (cannot be judged).
 */
reliability: string | null, 
/**
 * Admiralty grade of the information, 1 (confirmed) to 6 (cannot be judged).
 */
credibility: number | null, };
export type SourceSort = "title" | "published" | "added" | "publisher" | "kind" | "grade";
export type SourcePageQuery = { sort: SourceSort, descending: boolean, filter: SourceFilter, 
/**
 * Continue after this row (the previous page's `next`): as fast at row
 * 900,000 as at row 50. When given, `offset` is ignored.
 */
after: SourceCursor | null, 
/**
 * Skip this many rows (to jump to a page); costs more the deeper it goes.
 */
offset: number | null, 
/**
 * Rows per page, 1 to 500.
 */
limit: number, };
export type SourceFilter = { 
/**
 * Words as the search box reads them (words, prefixes, Chinese
 * substrings of 2+ characters); blank means no condition.
 */
words: string | null, 
/**
 * Only the sources this import batch added (an import's "Show the sources").
 */
importBatch: number | null, kind: SourceKind | null, 
/**
 * A reliability grade, "A" to "F", or "none" for sources without one.
 */
reliability: string | null, 
/**
 * Published on or after this date, as the app shows or stores dates
 * ("Oct 2023", "2023-10", "2023年10月"); sources without a date are left out.
 */
publishedFrom: string | null, 
/**
 * Published on or before this date (a month or year includes all of it).
 */
publishedTo: string | null, 
/**
 * Sources about this firm: those that mention it (found on import or
 * linked by hand) and those its assessments, chips, listings and events cite.
 */
firm: number | null, };
export type SourceSelection = { "by": "ids", ids: Array<number>, } | { "by": "matching", filter: SourceFilter, except: Array<number>, };
export type BulkOutcome = { 
/**
 * Sources in the selection.
 */
selected: number, 
/**
 * Sources the action changed; the rest were already as asked (tagged, linked …).
 */
changed: number, };
export type BulkTrashImpact = { selected: number, 
/**
 * Of them, sources that claims (assessments, chips, listings, events) cite.
 */
cited: number, 
/**
 * Citations that go with them: the claims stay, without these sources.
 */
citations: number, 
/**
 * Notes whose [[links]] name one of them.
 */
noted: number, };
export type SourceCursor = { 
/**
 * The sort value (title, published date, publisher); null for "added" and
 * for rows without the value.
 */
key: string | null, id: number, };
export type SourcePage = { rows: Array<Source>, 
/**
 * Every source the filter lets through, on all pages.
 */
total: number, 
/**
 * Pass as `after` for the next page; null on the last page.
 */
next: SourceCursor | null, };
export type Note = { id: number, title: string, 
/**
 * Markdown.
 */
body: string, tags: Array<string>, createdAt: string, updatedAt: string, 
/**
 * The revision a save must name (see `notes::save`).
 */
revision: number, };
export type NoteRef = { id: number, title: string, updatedAt: string, };
export type NoteDraft = { title: string, 
/**
 * Markdown; `[[links]]` in it become the note's links when saved.
 */
body: string, tags: Array<string>, };
export type RenderedNote = { note: Note, 
/**
 * Sanitised HTML of the body (see `markdown.rs`); safe to insert as is.
 */
html: string, 
/**
 * The records the body links to, in order of first mention, each once.
 */
links: Array<LinkTarget>, 
/**
 * `[[Links]]` that name no record, as written between the brackets.
 */
missingLinks: Array<string>, };
export type NoteListQuery = { 
/**
 * Words or Chinese characters, matched through the search index; blank for all notes.
 */
text: string | null, 
/**
 * Only notes with this tag (ignoring case).
 */
tag: string | null, offset: number, 
/**
 * Rows per page (default 50, at most 200).
 */
limit: number | null, };
export type NoteList = { notes: Array<NoteSummary>, total: number, capped: boolean, };
export type NoteSummary = { id: number, title: string, 
/**
 * Up to 220 characters of the body without Markdown marks.
 */
excerpt: string, tags: Array<string>, updatedAt: string, };
export type NoteMention = { id: number, title: string, tags: Array<string>, createdAt: string, updatedAt: string, snippet: MentionSnippet, };
export type MentionSnippet = { 
/**
 * The text before the mention; starts with "…" when cut.
 */
before: string, 
/**
 * The mention as shown ("Huawei" for `[[Huawei]]`); empty when the body
 * names the record nowhere the reader can see (only the start is shown).
 */
mention: string, 
/**
 * The text after it; ends with "…" when cut.
 */
after: string, };
export type TagCount = { name: string, notes: number, };
export type RecentWorkspace = { path: string, exists: boolean, };
export type LinkKind = "firm" | "chip" | "source" | "event" | "strategy";
export type EntityRef = { kind: LinkKind, id: number, };
export type LinkTarget = { kind: LinkKind, id: number, 
/**
 * The firm's or chip's name, the source's or event's title.
 */
label: string, 
/**
 * What tells two similar labels apart: a firm's native name (and the alias
 * typed), a chip's designer, a source's publisher and date, an event's date.
 */
detail: string | null, 
/**
 * What to write between `[[` and `]]` to link here: the label itself, or
 * with a prefix (`chip:…`, `source:#42|…`) when the label alone names another record.
 */
linkText: string, };
export type Strategy = { id: number, name: string, description: string, };
export type FirmProfile = { firm: Firm, subsidiaries: Array<FirmRef>, 
/**
 * Chips designed by the firm or its subsidiaries, newest first.
 */
chips: Array<Chip>, assessments: Array<Assessment>, 
/**
 * Oldest first.
 */
events: Array<Event>, sources: Array<Source>, 
/**
 * The notes that link to the firm, each as the text around the link.
 */
notes: Array<NoteMention>, };
export type Stats = { firms: number, strategies: number, assessments: number, chips: number, sources: number, notes: number, events: number, tags: number, import_batches: number, comparisons: number, };
export type WorkspaceInfo = { path: string, schemaVersion: number, counts: Stats, };
export type Editing<T> = { id: number, revision: number, draft: T, };
export type FirmDraft = { name: string, nativeName: string | null, aliases: Array<string>, kind: FirmKind, country: string | null, parentFirmId: number | null, website: string | null, summary: string, listings: Array<ListingDraft>, };
export type ListingDraft = { listName: string, listedOn: string | null, citation: string | null, sourceId: number | null, licenseRequirement?: string | null, licensePolicy?: string | null, 
/**
 * Sanctions programs ("CMIC-EO13959").
 */
programs?: string | null, 
/**
 * The addresses the list gives, "; " between them.
 */
addresses?: string | null, 
/**
 * The date of the copy of the screening list it first came from.
 */
firstCopyOn?: string | null, 
/**
 * The date of the first copy of the list that no longer had it.
 */
removedOn?: string | null, };
export type FirmConflict = { 
/**
 * The form field holding the name, e.g. `name` or `aliases[1]`.
 */
field: string, name: string, firm: FirmRef, };
export type StrategyDraft = { name: string, description: string, };
export type AssessmentDraft = { firmId: number, strategyId: number, stance: Stance, summary: string, asOf: string | null, evidence: Array<EvidenceDraft>, };
export type EvidenceDraft = { sourceId: number, locator: string | null, excerpt: string | null, };
export type ChipDraft = { firmId: number, name: string, purpose: ChipPurpose | null, processNodeNm: number | null, foundryFirmId: number | null, announcedOn: string | null, peakDenseTops: number | null, peakBitWidth: number | null, dieAreaMm2: number | null, memoryGb: number | null, tdpW: number | null, notes: string, sourceIds: Array<number>, };
export type SourceDraft = { kind: SourceKind, title: string, authors: string | null, publisher: string | null, url: string | null, doi: string | null, publishedOn: string | null, accessedOn: string | null, language: string | null, abstract: string | null, reliability: string | null, credibility: number | null, tags: Array<string>, };
export type EventDraft = { occurredOn: string, kind: EventKind, title: string, description: string, firmIds: Array<number>, sourceIds: Array<number>, };
export type TrashKind = "firm" | "strategy" | "assessment" | "chip" | "source" | "event" | "note";
export type ImpactWhat = "chips" | "assessments" | "listings" | "aliases" | "events" | "firms" | "claims" | "sources" | "notes" | "links" | "subsidiaries" | "foundry_chips" | "comparisons" | "other";
export type ImpactItem = { what: ImpactWhat, count: number, 
/**
 * The line as shown, e.g. "3 claims cite this source".
 */
text: string, };
export type DeleteImpact = { kind: TrashKind, id: number, title: string, 
/**
 * Only what is there: an empty list means nothing else is affected.
 */
items: Array<ImpactItem>, };
export type TrashEntry = { id: number, kind: TrashKind, 
/**
 * The record's id, which it gets back when restored.
 */
entityId: number, title: string, 
/**
 * UTC RFC 3339.
 */
deletedAt: string, 
/**
 * What went with it, as its impact said when it was deleted.
 */
summary: Array<ImpactItem>, };
export type TrashPage = { entries: Array<TrashEntry>, 
/**
 * Where this page starts among all the entries.
 */
offset: number, total: number, 
/**
 * How many entries of each kind the Trash holds, for "Empty Trash".
 */
byKind: Array<TrashKindCount>, };
export type TrashKindCount = { kind: TrashKind, count: number, };
export type RestoredRef = { kind: TrashKind, id: number, 
/**
 * Links that could not come back because what they pointed at was deleted
 * for good (purged from the Trash), e.g. "evidence cited by an assessment
 * (the source with id 5 was deleted for good)".
 */
leftOut: Array<string>, };
export type TimelineOrigin = "event" | "chip" | "listing";
export type TimelineEntry = { 
/**
 * Partial date: "2019", "2019-05" or "2019-05-16".
 */
date: string, 
/**
 * Chips count as launches and listings as listings, so one filter serves all.
 */
kind: EventKind, origin: TimelineOrigin, 
/**
 * The event, chip or firm id, by `origin`.
 */
id: number, title: string, firms: Array<FirmRef>, sourceIds: Array<number>, };
export type TimelineQuery = { 
/**
 * Only this firm's entries (with its subsidiaries'), plus every regulation.
 */
firmId: number | null, 
/**
 * Only these kinds; empty means all.
 */
kinds: Array<EventKind>, };
export type TimelinePage = { 
/**
 * Entries `offset` to `offset + limit`, oldest first.
 */
entries: Array<TimelineEntry>, 
/**
 * Where this page starts among all the entries the query matches.
 */
offset: number, 
/**
 * Every entry the query matches, on all pages.
 */
total: number, 
/**
 * Of them: events, chip announcements, listings.
 */
events: number, chips: number, listings: number, 
/**
 * Each year with entries, and where its first entry is, to jump to it.
 */
years: Array<TimelineYear>, };
export type TimelineYear = { year: string, 
/**
 * The index of its first entry among all the entries.
 */
first: number, };
export type SearchKind = "firm" | "chip" | "source" | "note" | "event";
export type SearchQuery = { 
/**
 * What the user typed, as typed.
 */
text: string, 
/**
 * Only these kinds; empty means every kind.
 */
kinds: Array<SearchKind>, 
/**
 * Only sources and notes with this tag (ignoring case).
 */
tag: string | null, 
/**
 * Only things dated in or after this partial date ("2023", "2023-10", "2023-10-17").
 * Sources by publication, events by occurrence, chips by announcement, notes
 * by creation; firms have no date and are left out.
 */
from: string | null, 
/**
 * Only things dated in or before this partial date.
 */
to: string | null, 
/**
 * At most this many hits of each kind (default 20, at most 200).
 */
limit: number | null, };
export type SnippetPart = { text: string, hit: boolean, };
export type SearchHit = { kind: SearchKind, id: number, title: string, 
/**
 * The title cut where the query matched it.
 */
titleParts: Array<SnippetPart>, 
/**
 * Plain text around the first match outside the title (one line, at most
 * ~160 characters, "…" where cut); the start of the text when only the
 * title matched.
 */
snippet: string, 
/**
 * `snippet` cut where the query matched it; plain text, never HTML.
 */
snippetParts: Array<SnippetPart>, 
/**
 * The partial date the date filter uses (none for firms).
 */
date: string | null, };
export type DimensionGroup = "profile" | "strategy" | "chips" | "activity";
export type Dimension = { 
/**
 * Stable across renames: "profile:country", "strategy:3:stance", "chips:bestTpp".
 */
id: string, 
/**
 * As shown: "Country", "In-house chips: stance".
 */
label: string, group: DimensionGroup, 
/**
 * The strategy of a strategy dimension.
 */
strategyId: number | null, 
/**
 * Cells carry a `number` to sort by (counts, TPP, process node).
 */
numeric: boolean, };
export type CellState = "known" | "notRecorded" | "notApplicable";
export type ValuePart = { "kind": "text", text: string, } | { "kind": "date", date: string, };
export type ComparisonCell = { 
/**
 * As exported: "Active", "4992", "SMIC, TSMC", "not recorded", "n/a", "Entity List (2019-05-16)".
 */
value: string, 
/**
 * `value` in pieces when it holds dates ("Entity List (", 2019-05-16, ")"),
 * so a screen shows each date as it shows every date (exports keep `value`,
 * ISO); null when the value is plain text.
 */
valueParts: Array<ValuePart> | null, 
/**
 * What the value rests on, shown beside it: the chip behind a best TPP or node.
 */
detail: string | null, 
/**
 * For sorting and for spreadsheets: counts, TPP, process node in nm.
 */
number: number | null, state: CellState, 
/**
 * The claim's date: an assessment's as-of, a chip's announcement, a listing's date.
 */
asOf: string | null, 
/**
 * The sources behind the value, by id (details: [`cell_sources`]); a
 * screen writes how many as `vocabulary::source_count`.
 */
sources: Array<number>, 
/**
 * The newest evidence may predate the filters' cutoff.
 */
stale: boolean, 
/**
 * The stance of a stance cell, for its colour.
 */
stance: Stance | null, };
export type ComparisonFilters = { 
/**
 * Count sources, notes and events from this date on.
 */
from: string | null, 
/**
 * ... up to this date (inclusive).
 */
to: string | null, 
/**
 * A cell is stale when its newest evidence may be older than this many days.
 */
staleAfterDays: number | null, 
/**
 * ... or may predate this date (e.g. "2023-10-17", the October 2023 rule).
 */
staleBefore: string | null, };
export type ComparisonSelection = { 
/**
 * Rows, in this order.
 */
firmIds: Array<number>, 
/**
 * Dimension ids, in column order; empty means every available dimension.
 */
dimensions: Array<string>, filters: ComparisonFilters, };
export type ComparisonMatrix = { firms: Array<FirmRef>, dimensions: Array<Dimension>, rows: Array<Array<ComparisonCell>>, filters: ComparisonFilters, 
/**
 * Chosen firms that no longer exist (deleted since the selection was made).
 */
missingFirmIds: Array<number>, 
/**
 * Chosen dimensions whose strategy no longer exists.
 */
missingDimensions: Array<string>, };
export type CellSource = { source: Source, 
/**
 * What the source backs here: "assessment: In-house chips", "chip: Ascend 910B", "listing: Entity List".
 */
claim: string, 
/**
 * The claim's date (assessment as-of, chip announcement, listing date).
 */
asOf: string | null, 
/**
 * Where in the source: a page, a section, a listing's citation.
 */
locator: string | null, 
/**
 * The passage of the source that backs this claim, as the analyst
 * quoted it (an assessment's evidence excerpt).
 */
quote: string | null, 
/**
 * What the source says in general: the start of its abstract (about
 * `EXCERPT_CHARS` characters, "…" when cut), if it has one.
 */
excerpt: string | null, };
export type SavedComparison = { id: number, name: string, 
/**
 * The revision a save must name.
 */
revision: number, selection: ComparisonSelection, createdAt: string, updatedAt: string, 
/**
 * When it was last exported: what the next export's "Changes" compare with.
 */
lastExportedAt: string | null, };
export type Citing<T> = { 
/**
 * At most [`CITING_LIMIT`], in the order the screen lists them.
 */
items: Array<T>, 
/**
 * All of them, shown or not.
 */
total: number, };
export type CitingChip = { chipId: number, name: string, firm: FirmRef, announcedOn: string | null, };
export type CitingAssessment = { assessmentId: number, firm: FirmRef, strategyId: number, strategy: string, stance: Stance, asOf: string | null, 
/**
 * The start of the assessment's summary: the claim the source backs.
 */
summary: string, 
/**
 * Where in the source: a page, a section.
 */
locator: string | null, 
/**
 * The passage the assessment quotes from the source.
 */
excerpt: string | null, };
export type CitingListing = { listingId: number, firm: FirmRef, listName: string, listedOn: string | null, 
/**
 * The listing's own citation text (a Federal Register entry, a page).
 */
citation: string | null, };
export type CitingEvent = { eventId: number, title: string, occurredOn: string, };
export type CitingNote = { noteId: number, title: string, updatedAt: string, };
export type CitingCell = { comparisonId: number, comparison: string, firm: FirmRef, dimensionId: string, dimension: string, };
export type SourceReading = { source: Source, abstract: string | null, tags: Array<string>, 
/**
 * The reference as one line of plain text, close to Chicago author-date.
 */
citation: string, 
/**
 * The source's web address when the browser may open it.
 */
webAddress: string | null, 
/**
 * https://doi.org/<doi> when the source has a DOI.
 */
doiAddress: string | null, chips: Citing<CitingChip>, assessments: Citing<CitingAssessment>, listings: Citing<CitingListing>, events: Citing<CitingEvent>, notes: Citing<CitingNote>, comparisonCells: Citing<CitingCell>, };
export type ComparisonDraft = { name: string, selection: ComparisonSelection, };
export type ExportFormat = "xlsx" | "csv" | "csvLong" | "markdown";
export type ExportRequest = { selection: ComparisonSelection, 
/**
 * The saved comparison being exported: its last export is what "Changes"
 * compares with, and this export becomes its last when it succeeds.
 */
savedId: number | null, format: ExportFormat, 
/**
 * The file to write; replaced whole if it exists.
 */
path: string, 
/**
 * Add a Changes sheet (XLSX) or section (Markdown); needs `savedId`.
 */
includeChanges: boolean, };
export type ChangeKind = "added" | "changed" | "removed";
export type CellChange = { firmId: number, firm: string, dimensionId: string, dimension: string, kind: ChangeKind, 
/**
 * As last exported; null for an added cell.
 */
oldValue: string | null, 
/**
 * As now; null for a removed cell.
 */
newValue: string | null, };
export type ChangesReport = { 
/**
 * When the last export was made (UTC RFC 3339).
 */
since: string, changes: Array<CellChange>, };
export type ExportSummary = { path: string, format: ExportFormat, 
/**
 * UTC RFC 3339.
 */
exportedAt: string, firms: number, dimensions: number, 
/**
 * Distinct sources cited by the cells.
 */
sources: number, 
/**
 * The changes since the last export of the saved comparison; null when it
 * is not saved or was never exported.
 */
changes: ChangesReport | null, };
export type CitationFormat = "bibtex" | "ris" | "cslJson";
export type CitationScope = { "of": "all" } | { "of": "sources", selection: SourceSelection, } | { "of": "firm", firmId: number, } | { "of": "comparison", selection: ComparisonSelection, };
export type CitationExportRequest = { scope: CitationScope, format: CitationFormat, 
/**
 * The file to write; replaced whole if it exists.
 */
path: string, };
export type CitationExportSummary = { 
/**
 * The file written, as an absolute path.
 */
path: string, format: CitationFormat, 
/**
 * How many sources it holds.
 */
sources: number, };
export type ImportTarget = "sources" | "firms" | "chips" | "listings";
export type FileFormat = "csv" | "ris" | "bibtex" | "csl_json";
export type PathPurpose = "openWorkspace" | "newWorkspace" | "importFile" | "saveXlsx" | "saveCsv" | "saveMarkdown" | "saveBackup" | "restoreBackup" | "savePng" | "saveSvg" | "saveBibtex" | "saveRis" | "saveCslJson";
export type Delimiter = "comma" | "semicolon" | "tab";
export type DuplicatePolicy = "skip" | "fill" | "keep";
export type RowTest = "is" | "is_not";
export type RowCondition = { 
/**
 * The column's header as the file has it (case does not matter).
 */
column: string, test: RowTest, 
/**
 * Compared with the cell after trimming both, ignoring case; blank
 * matches an empty cell.
 */
value: string, };
export type ImportOptions = { 
/**
 * An encoding label ("utf-8", "gb18030", "big5", "shift_jis",
 * "windows-1252", "utf-16le", ...); none means detect.
 */
encoding: string | null, 
/**
 * None means detect (comma, semicolon or tab).
 */
delimiter: Delimiter | null, 
/**
 * The mapping to use (as the UI edited it); wins over `preset`.
 */
mapping: Mapping | null, 
/**
 * A saved preset's name, or "zotero"; none (and no mapping) means automatic.
 */
preset: string | null, onDuplicate: DuplicatePolicy, 
/**
 * Any row problem aborts the whole file; nothing is written.
 */
strict: boolean, 
/**
 * Do everything except commit: the report says what an import would do.
 */
dryRun: boolean, 
/**
 * Only rows meeting all of these are imported (`--where`); the rest are
 * counted in the report's `left_out`. A column the file lacks is an error.
 */
onlyRowsWhere: Array<RowCondition>, 
/**
 * Screening list: the lists to import (short names or abbreviations:
 * "Entity List", "MEU"); empty means every list.
 */
lists: Array<string>, 
/**
 * Screening list: only parties with an address in these countries (ISO
 * codes or names); empty means every country.
 */
countries: Array<string>, 
/**
 * Screening list: the date of the copy (YYYY-MM-DD); none means the
 * day the file was last modified.
 */
copyDate: string | null, };
export type ImportProblem = { 
/**
 * The line where the row starts, as an editor shows it (the header is 1).
 */
row: number, 
/**
 * The header of the column at fault; none when the whole row is.
 */
column: string | null, 
/**
 * The value at fault, cut to 200 characters.
 */
value: string | null, 
/**
 * What is wrong and what to do.
 */
message: string, };
export type DuplicateKey = "doi" | "url" | "title" | "name";
export type MatchedRecord = { id: number, title: string, };
export type DuplicateRow = { row: number, key: DuplicateKey, 
/**
 * The matching value as normalised (the DOI, the address, the title key).
 */
value: string, 
/**
 * The record in the workspace it matches (for a match with an earlier row
 * of the file, the record that row became, when it was written).
 */
existing: MatchedRecord | null, 
/**
 * The earlier row of the same file it matches.
 */
earlierRow: number | null, action: DuplicatePolicy, };
export type ImportReport = { 
/**
 * The import batch; none for a dry run or a file without data rows.
 */
batch: number | null, target: ImportTarget | null, fileName: string, sha256: string, 
/**
 * CSV, or the citation format the file was read as.
 */
format: FileFormat, 
/**
 * The encoding read, e.g. "UTF-8", "GB18030", "UTF-16LE".
 */
encoding: string, delimiter: Delimiter | null, dryRun: boolean, 
/**
 * Data rows read (not counting the header); a citation file's records.
 */
read: number, added: number, 
/**
 * Existing records whose empty fields were filled (policy fill).
 */
updated: number, duplicates: number, rejected: number, 
/**
 * Source-to-firm mention links made (sources) or firms matched (chips).
 */
linked: number, 
/**
 * Row problems, first [`MAX_LISTED`] of them.
 */
problems: Array<ImportProblem>, 
/**
 * Rows imported with a value left out (a kind or a country Chipwatch has
 * no word for), first [`MAX_LISTED`] of them: what was kept and what to write.
 */
rowWarnings: Array<ImportProblem>, 
/**
 * Rows left out by the options' `only_rows_where` (counted in `read`).
 */
leftOut: number, 
/**
 * Duplicate rows, first [`MAX_LISTED`] of them.
 */
duplicateRows: Array<DuplicateRow>, 
/**
 * Problems, row warnings and duplicates left out of the lists above (the counts hold them all).
 */
omitted: number, 
/**
 * Firms created because nothing in the workspace matched (chips, firm parents).
 */
createdFirms: Array<string>, 
/**
 * Things worth knowing that rejected no row (a repeated header, a guessed encoding).
 */
warnings: Array<string>, elapsedMs: number, 
/**
 * A screening-list import: the copy, each party's match, what changed.
 */
listings: ListingsReport | null, };
export type ImportProgress = { phase: ImportPhase, rowsRead: number, bytesRead: number, totalBytes: number, elapsedMs: number, };
export type ImportPhase = "rows" | "finishing" | "done";
export type ImportPreview = { fileName: string, totalBytes: number, 
/**
 * CSV, or the citation format the file is read as (which has no column
 * mapping, delimiter or encoding to choose: its fields are named).
 */
format: FileFormat, 
/**
 * A citation file's records, those with problems too; none for a CSV,
 * whose rows are counted only by reading it all.
 */
records: number | null, encoding: string, 
/**
 * True when the encoding was guessed (no BOM, not UTF-8): worth a look.
 */
encodingGuessed: boolean, 
/**
 * A CSV's delimiter; none for a citation file.
 */
delimiter: Delimiter | null, 
/**
 * Column headers as read (a repeated header gets " (2)"); none for a citation file.
 */
headers: Array<string>, 
/**
 * The mapping the import would use with these options (empty for a citation file).
 */
mapping: Mapping, 
/**
 * The fields a column may map to for this target.
 */
fields: Array<ImportField>, rows: Array<PreviewRow>, 
/**
 * Cells of `rows` cut to [`PREVIEW_CELL_CHARS`] (a warning says so too).
 */
cutCells: number, 
/**
 * Rows the options' `only_rows_where` left out before the last row shown.
 */
leftOut: number, 
/**
 * Per column, its different values in the rows the preview looked at
 * (up to [`VALUE_SCAN_ROWS`]), for "Only rows where": at most
 * [`MAX_OFFERED_VALUES`], sorted; empty for a column with more (or with
 * values longer than [`MAX_OFFERED_VALUE_CHARS`]).
 */
columnValues: Array<Array<string>>, warnings: Array<string>, 
/**
 * What the file is by its header row, when it is a published file
 * Chipwatch knows, or sources for a citation file chosen as something
 * else (the wizard switches to it).
 */
recognized: ImportTarget | null, };
export type PreviewRow = { 
/**
 * The line the row (or record) starts on.
 */
row: number, 
/**
 * How a citation file names the record ("The entry @article{smic2023}");
 * none for a CSV row.
 */
record: string | null, 
/**
 * The cells, each cut to [`PREVIEW_CELL_CHARS`] characters.
 */
cells: Array<string>, 
/**
 * Positions (from 0) of the cells that were cut; shown with an ellipsis.
 */
cut: Array<number>, 
/**
 * Its text fields cut to [`PREVIEW_CELL_CHARS`] characters, ending in
 * "…", and its tags to as many as fit in as many characters.
 */
source: SourceDraft | null, problems: Array<ImportProblem>, };
export type ImportBatch = { id: number, target: ImportTarget, fileName: string, sha256: string, encoding: string, delimiter: string | null, importedAt: string, undoneAt: string | null, read: number, added: number, updated: number, duplicates: number, rejected: number, linked: number, };
export type UndoReport = { batch: number, removedSources: number, removedFirms: number, removedChips: number, 
/**
 * Filled fields emptied again.
 */
revertedFills: number, 
/**
 * Records edited since the import that were removed anyway (`force`).
 */
editedRemoved: number, 
/**
 * Listings a screening-list import added (removed) or changed (put back).
 */
listings: number, };
export type ListingsReport = { 
/**
 * The date of the copy of the list ("2026-11-30").
 */
copyDate: string, 
/**
 * The lists the file's rows are on, by short name, with how many rows each.
 */
lists: Array<ListCount>, 
/**
 * Rows for people, left out: firm profiles are for organisations.
 */
skippedIndividuals: number, 
/**
 * Rows for vessels and aircraft, left out.
 */
skippedVessels: number, 
/**
 * Rows on a list not chosen (`lists`), or with no address in a country chosen.
 */
leftOutByList: number, leftOutByCountry: number, 
/**
 * Listings that appeared (new, or back on a list after being marked removed).
 */
appeared: number, 
/**
 * Listings from an earlier copy whose date, citation or details changed.
 */
changed: number, 
/**
 * Listings as an earlier copy (or the workspace) had them already.
 */
unchanged: number, 
/**
 * Listings this copy no longer has: marked removed on its date.
 */
removed: number, 
/**
 * Timeline events added for listings that appeared since an earlier copy.
 */
events: number, 
/**
 * Each party and the firm it became, first [`super::MAX_LISTED`].
 */
matches: Array<PartyMatch>, 
/**
 * What changed, first [`super::MAX_LISTED`].
 */
changes: Array<ListingChange>, };
export type ListCount = { listName: string, rows: number, };
export type MatchedBy = "name" | "alias" | "native_name" | "new_firm" | "earlier_row";
export type PartyMatch = { row: number, 
/**
 * The party's name as the list writes it.
 */
party: string, listName: string, firm: MatchedRecord, matchedBy: MatchedBy, 
/**
 * The name (of the party's names) that matched, when one did.
 */
matchedName: string | null, };
export type ListingChangeKind = "appeared" | "changed" | "removed";
export type ListingChange = { change: ListingChangeKind, firm: MatchedRecord, listName: string, listedOn: string | null, 
/**
 * What changed, in words ("citation: 84 FR 22961 → 84 FR 22961; 85 FR 51596").
 */
detail: string, };
export type ImportField = "title" | "authors" | "publisher" | "url" | "doi" | "publishedOn" | "accessedOn" | "language" | "abstract" | "tags" | "kind" | "reliability" | "credibility" | "name" | "nativeName" | "country" | "aliases" | "firmKind" | "website" | "summary" | "parentFirm";
export type ColumnMapping = { 
/**
 * The column's position, from 0.
 */
index: number, header: string, field: ImportField | null, };
export type Mapping = { columns: Array<ColumnMapping>, };
export type ImportPreset = { id: number, name: string, target: ImportTarget, mapping: Mapping, updatedAt: string, };
export type FirmMentions = { sources: Array<Source>, total: number, };
export type MentionSort = "published" | "added" | "title";
export type MentionPageQuery = { firmId: number, sort: MentionSort, descending: boolean, offset: number, 
/**
 * Rows per page, at most `MAX_PAGE_ROWS`.
 */
limit: number, };
export type MentionRow = { source: Source, 
/**
 * The source's `created_at` (UTC timestamp).
 */
addedAt: string, };
export type MentionPage = { rows: Array<MentionRow>, total: number, };
export type MentionSelection = { "kind": "sources", sourceIds: Array<number>, } | { "kind": "all", expected: number, };
export type BackupReason = "manual" | "beforeImport" | "beforeUpgrade" | "beforeRestore";
export type BackupInfo = { path: string, 
/**
 * When it was taken, UTC, e.g. `2026-11-28T10:15:02.481Z`.
 */
createdAt: string, reason: BackupReason, 
/**
 * The schema version of the workspace it copies (0: unknown, a raw copy of a damaged file).
 */
schemaVersion: number, bytes: number, 
/**
 * Rotated by Chipwatch (see the module notes); false: kept until deleted.
 */
automatic: boolean, };
export type RestoreReport = { workspace: string, restoredFrom: string, 
/**
 * The schema version of the backup; older ones are upgraded after the restore.
 */
fromVersion: number, schemaVersion: number, 
/**
 * The workspace as it was before the restore, kept in the backups folder
 * (`None` when there was no workspace to keep).
 */
previousState: string | null, counts: Stats, };
export type DamageCheckState = { "state": "notNeeded" } | { "state": "running" } | { "state": "healthy" } | { "state": "damaged", problems: Array<string>, } | { "state": "unfinished", reason: string, };
export type RecordKind = "firm" | "strategy" | "assessment" | "chip" | "source" | "note" | "event" | "comparison";
export type HistoryEntry = { 
/**
 * created, changed, deleted or restored.
 */
op: string, author: string, 
/**
 * UTC, RFC 3339.
 */
at: string, fields: Array<FieldChange>, 
/**
 * False for a change a team replica has not pushed yet.
 */
onServer: boolean, };
export type FieldChange = { field: string, 
/**
 * The value as shown: references by name, lists joined; empty when blank.
 */
old: string, new: string, };
export type TeamLink = { 
/**
 * The PostgreSQL connection string, never with a password.
 */
server: string, name: string, workspace: string, 
/**
 * The login this replica syncs as.
 */
login: string, };
export type TeamStatus = { link: TeamLink, 
/**
 * Local changes the server has not accepted yet.
 */
waiting: number, 
/**
 * Fields waiting for a person's choice.
 */
conflicts: number, 
/**
 * The last server change applied here.
 */
cursor: number, 
/**
 * When the last sync finished (UTC), and what it said.
 */
lastSync: string | null, lastOutcome: string | null, };
export type SyncReport = { 
/**
 * This replica's changes the server accepted.
 */
pushed: number, 
/**
 * Others' changes applied here.
 */
pulled: number, 
/**
 * Fields changed on both sides that merged by themselves.
 */
merged: number, 
/**
 * Fields that wait for a person's choice (`chipwatch conflicts`).
 */
conflicts: number, 
/**
 * Things to know that need no choice (an edit kept a deleted record).
 */
notices: number, 
/**
 * Changes from the server that could not be applied here, with why.
 */
problems: Array<string>, };
export type Conflict = { id: number, kind: RecordKind, 
/**
 * The record's local id, when this replica still has it.
 */
recordId: number | null, 
/**
 * The record's title or name.
 */
record: string, field: string, 
/**
 * The values as shown (references by name).
 */
base: string, mine: string, theirs: string, theirsBy: string | null, seenAt: string, 
/**
 * None: waiting for a choice. "notice": nothing to choose.
 */
resolution: string | null, 
/**
 * Whether an edited merge can be typed ([`resolve_typed`]): both sides
 * are text or numbers (lists and references are chosen, not typed).
 */
typeable: boolean, };
export type KeepSide = "mine" | "theirs";
export type ErrorKind = "workspace" | "notFound" | "invalidInput" | "conflict" | "cancelled" | "team" | "internal";
export type AppError = { kind: ErrorKind, message: string, field: string | null, };
/** ECCN 3A090 thresholds (October 2023 rule): TPP, and density in TPP per mm². */
export const THRESHOLDS_3A090 = { a1MinTpp: 4800, a2MinTpp: 1600, a2MinDensity: 5.92, b1MinTpp: 2400, b1MinDensity: 1.6, b2MinTpp: 1600, b2MinDensity: 3.2 } as const;
/** The condition of each ECCN 3A090 paragraph (October 2023 rule). */
export const RULES_3A090 = { "3A090.a.1": "TPP ≥ 4800", "3A090.a.2": "TPP ≥ 1600 and performance density ≥ 5.92", "3A090.b.1": "2400 ≤ TPP < 4800 and 1.6 ≤ performance density < 5.92", "3A090.b.2": "TPP ≥ 1600 and 3.2 ≤ performance density < 5.92" } as const;
/** Sample texts and what the core's partial-date rule makes of them (year, month, day or not a date). */
export const DATE_RULE_EXAMPLES: readonly (readonly [string, "year" | "month" | "day" | null])[] = [["2023", "year"], ["2023-10", "month"], ["2023-10-17", "day"], ["2024-02-29", "day"], ["0001-01-01", "day"], ["2023-02-29", null], ["2023-02-30", null], ["2023-04-31", null], ["2023-13", null], ["2023-00", null], ["2023-10-00", null], ["2023-13-45", null], ["9999-99-99", null], ["yesterday", null], ["2023-1-5", null], [" 2023", "year"], ["2023-10-17 ", "day"], ["2023-10-17T00:00", null], ["20231017", null], ["2023/10/17", null], ["二〇二三", null], ["", null]];
/** Stored dates and how the app shows each (the core's PartialDate::shown). */
export const DATE_DISPLAY_EXAMPLES: readonly (readonly [string, string])[] = [["2023", "2023"], ["2023-01", "Jan 2023"], ["2023-10", "Oct 2023"], ["2023-12", "Dec 2023"], ["2019-05-16", "16 May 2019"], ["2023-10-07", "7 Oct 2023"], ["2024-02-29", "29 Feb 2024"], ["2026-12-31", "31 Dec 2026"], ["0001-01-01", "1 Jan 0001"], ["0999", "0999"]];
/** The date fields of the forms and filters: label, precision and the forms to type them in (the core's date::DATE_FIELDS; read_date checks a typed date). */
export const DATE_FIELDS = { publishedOn: { label: "Published", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" }, accessedOn: { label: "Accessed", precision: "day", forms: "17 Oct 2023" }, listedOn: { label: "Listed on", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" }, asOf: { label: "As of", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" }, announcedOn: { label: "Announced", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" }, occurredOn: { label: "Date", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" }, from: { label: "From", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" }, to: { label: "To", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" }, publishedFrom: { label: "Published from", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" }, publishedTo: { label: "Published to", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" }, staleBefore: { label: "Stale before", precision: "partial", forms: "2023, Oct 2023 or 17 Oct 2023" } } as const;
/** Each format an import reads, as people name it (the core's FileFormat::label). */
export const FILE_FORMAT_LABELS: Record<FileFormat, string> = { csv: "CSV", ris: "RIS", bibtex: "BibTeX", csl_json: "CSL-JSON" };
/** Every kind of error the core reports (see AppError). */
export const ERROR_KINDS: readonly ErrorKind[] = ["workspace", "notFound", "invalidInput", "conflict", "cancelled", "team", "internal"];
/** Every stance a firm can take on a strategy, weakest first. */
export const STANCES: readonly Stance[] = ["none", "exploring", "active", "leading"];

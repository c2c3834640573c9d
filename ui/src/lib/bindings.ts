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
export type Listing = { id: number, listName: string, 
/**
 * Partial date: "2019", "2019-05" or "2019-05-16".
 */
listedOn: string | null, citation: string | null, sourceIds: Array<number>, };
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
rulesMet: Array<string>, };
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
export type SourceSort = "title" | "published" | "added" | "publisher";
export type SourcePageQuery = { sort: SourceSort, descending: boolean, 
/**
 * Only sources matching these words, as the search box reads them (words,
 * prefixes, Chinese substrings of 2+ characters); blank means all.
 */
filter: string | null, 
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
events: Array<Event>, sources: Array<Source>, notes: Array<Note>, };
export type Stats = { firms: number, strategies: number, assessments: number, chips: number, sources: number, notes: number, events: number, tags: number, import_batches: number, comparisons: number, };
export type WorkspaceInfo = { path: string, schemaVersion: number, counts: Stats, };
export type Editing<T> = { id: number, revision: number, draft: T, };
export type FirmDraft = { name: string, nativeName: string | null, aliases: Array<string>, kind: FirmKind, country: string | null, parentFirmId: number | null, website: string | null, summary: string, listings: Array<ListingDraft>, };
export type ListingDraft = { listName: string, listedOn: string | null, citation: string | null, sourceId: number | null, };
export type FirmConflict = { 
/**
 * The form field holding the name, e.g. "name" or "aliases[1]".
 */
field: string, name: string, firm: FirmRef, };
export type StrategyDraft = { name: string, description: string, };
export type AssessmentDraft = { firmId: number, strategyId: number, stance: Stance, summary: string, asOf: string | null, evidence: Array<EvidenceDraft>, };
export type EvidenceDraft = { sourceId: number, locator: string | null, };
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
export type ErrorKind = "workspace" | "notFound" | "invalidInput" | "conflict" | "internal";
export type AppError = { kind: ErrorKind, message: string, field: string | null, };

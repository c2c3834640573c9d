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
export type Note = { id: number, title: string, 
/**
 * Markdown.
 */
body: string, tags: Array<string>, createdAt: string, updatedAt: string, };
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
export type ErrorKind = "workspace" | "notFound" | "invalidInput" | "conflict" | "internal";
export type AppError = { kind: ErrorKind, message: string, field: string | null, };

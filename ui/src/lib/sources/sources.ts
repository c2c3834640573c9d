import type { Source, SourceKind } from "../bindings";
import { formatDate } from "../format";

/** One source's place in a page's numbered source list. */
export type Citation = { number: number; source: Source };

/**
 * Numbers sources 1, 2, 3… in the order given, which is the order the Sources
 * list shows them. Duplicate ids keep their first number.
 */
export function numberSources(sources: readonly Source[]): Map<number, Citation> {
  const citations = new Map<number, Citation>();
  for (const source of sources) {
    if (!citations.has(source.id)) {
      citations.set(source.id, { number: citations.size + 1, source });
    }
  }
  return citations;
}

/** Every kind of source, in the order the form and the filter offer them. */
export const SOURCE_KINDS: SourceKind[] = ["article", "report", "regulation", "dataset", "paper", "filing", "web", "book", "other"];

export const RELIABILITY: Record<string, string> = {
  A: "completely reliable",
  B: "usually reliable",
  C: "fairly reliable",
  D: "not usually reliable",
  E: "unreliable",
  F: "reliability cannot be judged",
};

export const CREDIBILITY: Record<number, string> = {
  1: "confirmed by other sources",
  2: "probably true",
  3: "possibly true",
  4: "doubtful",
  5: "improbable",
  6: "truth cannot be judged",
};

/** Admiralty grade: ("B", 2) → "B2"; either half alone; null when neither is known. */
export function gradeLabel(reliability: string | null, credibility: number | null): string | null {
  const letter = reliability?.trim().toUpperCase() ?? "";
  const digit = credibility === null ? "" : String(credibility);
  const label = `${letter}${digit}`;
  return label === "" ? null : label;
}

/** "Source reliability B (usually reliable); information credibility 2 (probably true)". */
export function gradeDescription(reliability: string | null, credibility: number | null): string {
  const parts: string[] = [];
  const letter = reliability?.trim().toUpperCase();
  if (letter) {
    const meaning = RELIABILITY[letter];
    parts.push(`Source reliability ${letter}${meaning ? ` (${meaning})` : ""}`);
  }
  if (credibility !== null) {
    const meaning = CREDIBILITY[credibility];
    parts.push(`information credibility ${credibility}${meaning ? ` (${meaning})` : ""}`);
  }
  const text = parts.join("; ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Authors · Publisher · Oct 2023", skipping whatever is missing or repeated (an institution as author and publisher). */
export function sourceByline(source: Source): string {
  const parts = [source.authors, source.publisher, formatDate(source.publishedOn, "")]
    .map((part) => part?.trim() ?? "")
    .filter((part) => part !== "");
  return [...new Set(parts)].join(" · ");
}

/** What a section needs to show citation markers and follow them to the Sources list. */
export type CitationLinks = {
  lookup: (sourceId: number) => { number: number; title: string } | undefined;
  show: (sourceId: number) => void;
};

// The timeline's filter and count, apart from the view so they are tested alone.

import type { EventKind, TimelineOrigin, TimelinePage } from "../bindings";
import { countLabel } from "../format";

/**
 * The kinds to ask the core for: every kind not hidden. Null when every kind
 * is hidden (nothing to ask for); [] asks for all.
 */
export function kindsToLoad(all: readonly EventKind[], hidden: readonly EventKind[]): EventKind[] | null {
  const shown = all.filter((kind) => !hidden.includes(kind));
  if (shown.length === 0) return null;
  return shown.length === all.length ? [] : shown;
}

const ORIGIN_WORDS: [TimelineOrigin, string, string][] = [
  ["event", "event", "events"],
  ["chip", "chip announcement", "chip announcements"],
  ["listing", "listing", "listings"],
];

/**
 * What the entries are (on every page), so the count agrees with the
 * sidebar's events: "12 entries: 8 events, 3 chip announcements, 1 listing".
 */
export function entriesSummary(page: Pick<TimelinePage, "total" | "events" | "chips" | "listings">): string {
  const total = countLabel(page.total, "entry", "entries");
  const counts: Record<TimelineOrigin, number> = { event: page.events, chip: page.chips, listing: page.listings };
  const parts = ORIGIN_WORDS.filter(([origin]) => counts[origin] > 0).map(([origin, one, many]) => countLabel(counts[origin], one, many));
  const onlyEvents = parts.length === 1 && counts.event > 0;
  return parts.length === 0 || onlyEvents ? total : `${total}: ${parts.join(", ")}`;
}

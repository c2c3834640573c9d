// The timeline's filter and count, apart from the view so they are tested alone.

import type { EventKind, TimelineEntry, TimelineOrigin } from "../bindings";
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

const ORIGIN_WORDS: Record<TimelineOrigin, [string, string]> = {
  event: ["event", "events"],
  chip: ["chip announcement", "chip announcements"],
  listing: ["listing", "listings"],
};

/**
 * What the entries are, so the count agrees with the sidebar's events:
 * "12 entries: 8 events, 3 chip announcements, 1 listing".
 */
export function entriesSummary(entries: readonly TimelineEntry[]): string {
  const total = countLabel(entries.length, "entry", "entries");
  const parts = (Object.keys(ORIGIN_WORDS) as TimelineOrigin[])
    .map((origin) => [origin, entries.filter((entry) => entry.origin === origin).length] as const)
    .filter(([, count]) => count > 0)
    .map(([origin, count]) => countLabel(count, ...ORIGIN_WORDS[origin]));
  const onlyEvents = parts.length === 1 && entries[0]?.origin === "event";
  return parts.length === 0 || onlyEvents ? total : `${total}: ${parts.join(", ")}`;
}

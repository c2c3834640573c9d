// A comparison cell as the screen shows it: the core sends its value with any
// dates in it as separate parts (exports keep the ISO text), so each date is
// shown as the app shows every date.
import type { ComparisonCell, ComparisonMatrix } from "../bindings";
import { formatDate, formatNumber, sourceCount } from "../format";
import { NOT_APPLICABLE, NOT_RECORDED } from "../vocabulary";

/**
 * The words of a cell the core could not fill: the vocabulary's, the same as
 * in every export (the core writes them into `value` too); null for a known cell.
 */
export function missingWord(cell: Pick<ComparisonCell, "state">): string | null {
  if (cell.state === "notRecorded") return NOT_RECORDED;
  if (cell.state === "notApplicable") return NOT_APPLICABLE;
  return null;
}

/** How many sources back a cell, in words ("3 sources"); null when none do. "[n]" is never a count. */
export function cellSourceCount(cell: Pick<ComparisonCell, "sources">): string | null {
  return cell.sources.length > 0 ? sourceCount(cell.sources.length) : null;
}

/** "Entity List (16 May 2019); UVL", "16 May 2019", "Active". */
export function shownValue(cell: Pick<ComparisonCell, "value" | "valueParts"> & { number?: number | null }): string {
  // A plain number reads as numbers do elsewhere ("6,016", as on Chips).
  if (typeof cell.number === "number" && Number.isFinite(cell.number) && /^-?\d+(\.\d+)?$/.test(cell.value.trim())) {
    const decimals = cell.value.includes(".") ? (cell.value.split(".")[1]?.length ?? 0) : 0;
    return formatNumber(cell.number, decimals);
  }
  if (!cell.valueParts) return cell.value;
  return cell.valueParts.map((part) => (part.kind === "date" ? formatDate(part.date) : part.text)).join("");
}

/** The "as of" line, unless the value shows that date already ("Entity List (16 May 2019)", a newest-evidence date). */
export function shownAsOf(cell: Pick<ComparisonCell, "asOf" | "valueParts">): string | null {
  if (!cell.asOf) return null;
  if (cell.valueParts?.some((part) => part.kind === "date" && part.date === cell.asOf)) return null;
  return `as of ${formatDate(cell.asOf)}`;
}

/**
 * The chosen firms ordered by one row's numbers (Best TPP, a count), highest
 * first or lowest first; firms without a number keep their order after the
 * others, and chosen firms the matrix lacks stay at the end.
 */
export function firmsOrderedBy(
  matrix: Pick<ComparisonMatrix, "firms" | "dimensions" | "rows">,
  chosen: readonly number[],
  dimensionId: string,
  descending: boolean,
): number[] {
  const column = matrix.dimensions.findIndex((d) => d.id === dimensionId);
  const ranked = matrix.firms.map((firm, index) => ({ id: firm.id, index, number: matrix.rows[index]?.[column]?.number ?? null }));
  ranked.sort((a, b) => {
    if (a.number === null || b.number === null) return a.number === null ? (b.number === null ? a.index - b.index : 1) : -1;
    return (descending ? b.number - a.number : a.number - b.number) || a.index - b.index;
  });
  const ordered = ranked.map((r) => r.id);
  return [...ordered, ...chosen.filter((id) => !ordered.includes(id))];
}

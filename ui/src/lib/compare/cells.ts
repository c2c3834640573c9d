// A comparison cell as the screen shows it: the core sends its value with any
// dates in it as separate parts (exports keep the ISO text), so each date is
// shown as the app shows every date.
import type { ComparisonCell } from "../bindings";
import { formatDate, formatNumber } from "../format";

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

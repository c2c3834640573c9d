import { RULES_3A090, type Chip, type ChipPurpose } from "../bindings";
import { formatNumber } from "../format";
import { NOT_RECORDED } from "../vocabulary";

/**
 * Peak dense throughput with the bit width it was measured at:
 * (376, 16) → "376 @ 16-bit". Without a bit width only the figure is shown.
 */
export function formatPeak(tops: number | null, bitWidth: number | null): string {
  if (tops === null || !Number.isFinite(tops)) return formatNumber(null);
  const figure = formatNumber(tops, 1);
  return bitWidth === null ? figure : `${figure} @ ${formatNumber(bitWidth)}-bit`;
}

/** A sentence for a tooltip or screen reader describing the peak figure. */
export function describePeak(tops: number | null, bitWidth: number | null): string {
  if (tops === null) return `Peak dense throughput ${NOT_RECORDED}`;
  const precision = bitWidth === null ? `at a bit width ${NOT_RECORDED}` : `at ${bitWidth}-bit precision`;
  return `${formatNumber(tops, 1)} dense tera-operations per second ${precision}`;
}

const PURPOSES: Record<ChipPurpose, string> = {
  training: "Training",
  inference: "Inference",
  training_and_inference: "Training and inference",
};

export function purposeLabel(purpose: ChipPurpose | null): string | null {
  return purpose === null ? null : PURPOSES[purpose];
}

/** The conditions of each ECCN 3A090 parameter (October 2023 rule), from the core. */
export const RULE_CONDITIONS: Readonly<Record<string, string>> = RULES_3A090;

/** Tooltip text for a rule badge; always says it is an estimate. */
export function describeRule(rule: string): string {
  const condition = RULE_CONDITIONS[rule];
  const meets = condition ? `Meets ${rule} (${condition})` : `Meets ${rule}`;
  return `${meets}: estimate from the figures entered, not a legal classification`;
}

/** Whether this chip was designed by a firm other than `firmId`. */
export function designedElsewhere(chip: Pick<Chip, "firm">, firmId: number): boolean {
  return chip.firm.id !== firmId;
}

/** The orders of the Chips list. */
export type ChipOrder = "name" | "designer" | "announced" | "tpp" | "density";

export const CHIP_ORDER_LABELS: Record<ChipOrder, string> = {
  name: "Name",
  designer: "Designer",
  announced: "Newest announced",
  tpp: "Highest TPP",
  density: "Highest density",
};

/**
 * The chips in `order`; chips without the value (no date, no TPP) come last,
 * then by name, so the list reads the same every time.
 */
export function sortChips(chips: readonly Chip[], order: ChipOrder): Chip[] {
  const byName = (a: Chip, b: Chip) => a.name.localeCompare(b.name, undefined, { numeric: true });
  const missingLast = <T>(a: T | null, b: T | null, compare: (x: T, y: T) => number): number | null => {
    if (a === null && b === null) return null;
    if (a === null) return 1;
    if (b === null) return -1;
    return compare(a, b) || null;
  };
  const compare: Record<ChipOrder, (a: Chip, b: Chip) => number | null> = {
    name: () => null,
    designer: (a, b) => a.firm.name.localeCompare(b.firm.name) || null,
    // Partial dates (2023, 2023-10, 2023-10-17) sort as text; newest first.
    announced: (a, b) => missingLast(a.announcedOn, b.announcedOn, (x, y) => y.localeCompare(x)),
    tpp: (a, b) => missingLast(a.metrics.tpp, b.metrics.tpp, (x, y) => y - x),
    density: (a, b) => missingLast(a.metrics.performanceDensity, b.metrics.performanceDensity, (x, y) => y - x),
  };
  return [...chips].sort((a, b) => compare[order](a, b) ?? byName(a, b));
}

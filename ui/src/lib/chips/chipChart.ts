// What the chip chart shows, as plain data: which chips can be plotted (and why
// the others cannot), a colour per firm, the axes' extents and ticks, and the
// 3A090 regions. No DOM here; chipPlot.ts draws it.

import { THRESHOLDS_3A090, type Chip } from "../bindings";
import { countLabel, formatNumber } from "../format";
import { NOT_RECORDED } from "../vocabulary";

/**
 * The thresholds of ECCN 3A090 (October 2023 rule), in TPP and performance
 * density (TPP ÷ mm²): generated from the constants in
 * crates/core/src/metrics.rs, which decides the paragraphs a chip meets.
 * 3A090.a.1: TPP ≥ 4800; a.2: TPP ≥ 1600 and density ≥ 5.92; b.1: 2400 ≤ TPP
 * < 4800 and 1.6 ≤ density < 5.92; b.2: TPP ≥ 1600 and 3.2 ≤ density < 5.92.
 */
export const THRESHOLDS = THRESHOLDS_3A090;

/** A chip that has both figures the chart needs, both above zero (the axes are logarithmic). */
export type ChartPoint = {
  chip: Chip;
  tpp: number;
  density: number;
};

/** Why a chip is not on the chart. */
export type LeftOutReason = "noTpp" | "noDieArea" | "notPositive";

export type LeftOutGroup = { reason: LeftOutReason; chips: Chip[] };

const REASONS: Record<LeftOutReason, string> = {
  noTpp: "without peak TOPS or bit width",
  noDieArea: "without die area",
  notPositive: "with a TPP or density of zero",
};

function usable(value: number | null): value is number {
  return value !== null && Number.isFinite(value);
}

/** Splits chips into those the chart can plot and, by reason, those it cannot. */
export function partitionChips(chips: readonly Chip[]): { points: ChartPoint[]; leftOut: LeftOutGroup[] } {
  const points: ChartPoint[] = [];
  const byReason = new Map<LeftOutReason, Chip[]>();
  const leave = (reason: LeftOutReason, chip: Chip) => {
    const list = byReason.get(reason) ?? [];
    list.push(chip);
    byReason.set(reason, list);
  };
  for (const chip of chips) {
    const { tpp, performanceDensity: density } = chip.metrics;
    if (!usable(tpp)) leave("noTpp", chip);
    else if (!usable(density)) leave("noDieArea", chip);
    else if (tpp <= 0 || density <= 0) leave("notPositive", chip);
    else points.push({ chip, tpp, density });
  }
  const order: LeftOutReason[] = ["noDieArea", "noTpp", "notPositive"];
  const leftOut = order.flatMap((reason) => {
    const list = byReason.get(reason);
    return list ? [{ reason, chips: list }] : [];
  });
  return { points, leftOut };
}

/** "4 chips without die area are not plotted: Ascend 910B, H20, …" — one sentence per reason. */
export function describeLeftOut(group: LeftOutGroup, maxNames = 6): string {
  const count = group.chips.length;
  const names = group.chips.slice(0, maxNames).map((chip) => chip.name);
  const more = count > maxNames ? `, and ${formatNumber(count - maxNames)} more` : "";
  const verb = count === 1 ? "is" : "are";
  return `${countLabel(count, "chip")} ${REASONS[group.reason]} ${verb} not plotted: ${names.join(", ")}${more}.`;
}

/**
 * Twelve colours that stay apart from one another on a light or dark
 * background (d3's category10 with gold and navy added, grey moved last).
 */
export const FIRM_PALETTE = [
  "#1f77b4",
  "#e6550d",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#17becf",
  "#8c564b",
  "#e377c2",
  "#bcbd22",
  "#f0b400",
  "#393b79",
  "#7f7f7f",
] as const;

/** A firm as the legend shows it. */
export type FirmKey = { id: number; label: string; color: string };

/** "Huawei 华为", or just the name when there is no native name (or it is the same). */
export function firmLabel(firm: Chip["firm"]): string {
  const native = firm.nativeName?.trim();
  return native && native !== firm.name ? `${firm.name} ${native}` : firm.name;
}

/** The palette slot a firm prefers: from its id, so it is the same in every chart. */
function preferredSlot(firmId: number): number {
  return ((firmId % FIRM_PALETTE.length) + FIRM_PALETTE.length) % FIRM_PALETTE.length;
}

/**
 * The firms of the points, sorted by name, each with its colour: the one its
 * id prefers (the same whatever a filter leaves in the chart), unless a firm
 * with a lower id in the same chart has it; then the next free one, so up to
 * 12 firms always differ.
 */
export function firmKeys(points: readonly ChartPoint[]): FirmKey[] {
  const firms = new Map<number, Chip["firm"]>();
  for (const { chip } of points) firms.set(chip.firm.id, chip.firm);
  const slots = new Map<number, number>();
  const taken = new Set<number>();
  for (const id of [...firms.keys()].sort((a, b) => a - b)) {
    let slot = preferredSlot(id);
    for (let step = 0; step < FIRM_PALETTE.length && taken.has(slot); step++) slot = (slot + 1) % FIRM_PALETTE.length;
    taken.add(slot);
    if (taken.size === FIRM_PALETTE.length) taken.clear();
    slots.set(id, slot);
  }
  return [...firms.values()]
    .sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.id - b.id)
    .map((firm) => ({ id: firm.id, label: firmLabel(firm), color: FIRM_PALETTE[slots.get(firm.id) ?? 0]! }));
}

export type Extent = readonly [number, number];

/**
 * The axes' extents: every point with room around it, and always the
 * thresholds, so the regions are on the chart even when no chip is near them.
 */
export function chartExtents(points: readonly ChartPoint[]): { x: Extent; y: Extent } {
  const tpps = points.map((p) => p.tpp);
  const densities = points.map((p) => p.density);
  const pad = 1.6;
  return {
    x: [Math.min(1000, ...tpps) / pad, Math.max(THRESHOLDS.a1MinTpp * 2, ...tpps) * pad],
    y: [Math.min(1, ...densities) / pad, Math.max(THRESHOLDS.a2MinDensity * 1.7, ...densities) * pad],
  };
}

/**
 * Ticks for a logarithmic axis: the thresholds, plus 1, 2 and 5 times each
 * power of ten inside `extent` that is not too close to a threshold to read.
 */
export function logTicks(extent: Extent, thresholds: readonly number[]): number[] {
  const [lo, hi] = extent;
  const ticks = new Set<number>(thresholds.filter((t) => t >= lo && t <= hi));
  for (let power = Math.floor(Math.log10(lo)); power <= Math.ceil(Math.log10(hi)); power++) {
    for (const step of [1, 2, 5]) {
      const tick = step * 10 ** power;
      if (tick < lo || tick > hi) continue;
      const crowded = thresholds.some((t) => Math.max(t / tick, tick / t) < 1.3);
      if (!crowded) ticks.add(Number(tick.toPrecision(6)));
    }
  }
  return [...ticks].sort((a, b) => a - b);
}

export const X_THRESHOLDS = [THRESHOLDS.a2MinTpp, THRESHOLDS.b1MinTpp, THRESHOLDS.a1MinTpp] as const;
export const Y_THRESHOLDS = [THRESHOLDS.b1MinDensity, THRESHOLDS.b2MinDensity, THRESHOLDS.a2MinDensity] as const;

/** A point of a region's boundary: TPP, density. */
export type Vertex = readonly [number, number];

/** A step of a shaded region: from `x` on (to the next step), density from `y1` to `y2`. */
export type BandStep = { x: number; y1: number; y2: number };

/**
 * The regions, as the rule draws them, clipped to the chart's extents.
 *
 * a: TPP ≥ 4800 at any density, or TPP ≥ 1600 at density ≥ 5.92 — a step.
 * b: where a chip meets b.1 or b.2 but not a: 1600 ≤ TPP < 4800 at
 *    3.2 ≤ density < 5.92, widened down to density 1.6 from TPP 2400 —
 *    another step. (b.2 also covers TPP ≥ 4800 at 3.2 ≤ density < 5.92,
 *    which is inside a already.)
 *
 * `bands` shade each region (steps left to right, the last one closing it);
 * `boundary` is the region's inner edge as one line, leaving out the parts
 * that run along the chart's frame or along the other region's edge.
 */
export function regions(extents: { x: Extent; y: Extent }): {
  a: { bands: BandStep[]; boundary: Vertex[] };
  b: { bands: BandStep[]; boundary: Vertex[] };
} {
  const t = THRESHOLDS;
  const [, xHi] = extents.x;
  const [yLo, yHi] = extents.y;
  return {
    a: {
      bands: [
        { x: t.a2MinTpp, y1: t.a2MinDensity, y2: yHi },
        { x: t.a1MinTpp, y1: yLo, y2: yHi },
        { x: xHi, y1: yLo, y2: yHi },
      ],
      boundary: [
        [t.a2MinTpp, yHi],
        [t.a2MinTpp, t.a2MinDensity],
        [t.a1MinTpp, t.a2MinDensity],
        [t.a1MinTpp, yLo],
      ],
    },
    b: {
      bands: [
        { x: t.b2MinTpp, y1: t.b2MinDensity, y2: t.a2MinDensity },
        { x: t.b1MinTpp, y1: t.b1MinDensity, y2: t.a2MinDensity },
        { x: t.a1MinTpp, y1: t.b1MinDensity, y2: t.a2MinDensity },
      ],
      boundary: [
        [t.b2MinTpp, t.a2MinDensity],
        [t.b2MinTpp, t.b2MinDensity],
        [t.b1MinTpp, t.b2MinDensity],
        [t.b1MinTpp, t.b1MinDensity],
        [t.a1MinTpp, t.b1MinDensity],
      ],
    },
  };
}

/** Which shaded region a (TPP, density) point falls in, by the same rule as the core. */
export function regionOf(tpp: number, density: number): "a" | "b" | null {
  const t = THRESHOLDS;
  if (tpp >= t.a1MinTpp || (tpp >= t.a2MinTpp && density >= t.a2MinDensity)) return "a";
  const b1 = tpp >= t.b1MinTpp && tpp < t.a1MinTpp && density >= t.b1MinDensity && density < t.a2MinDensity;
  const b2 = tpp >= t.b2MinTpp && density >= t.b2MinDensity && density < t.a2MinDensity;
  return b1 || b2 ? "b" : null;
}

/** The rule as the chart's caption states it. */
export const RULE_CAPTION = [
  "3A090.a: TPP ≥ 4800, or TPP ≥ 1600 and density ≥ 5.92.",
  "3A090.b: 2400 ≤ TPP < 4800 and 1.6 ≤ density < 5.92, or TPP ≥ 1600 and 3.2 ≤ density < 5.92.",
  "Density = TPP ÷ die area (mm²). Estimates from the figures entered, not a legal classification.",
] as const;

/** The lines of a point's tooltip after its name: firm, figures, paragraphs met. */
export function pointDetails(point: ChartPoint): { label: string; value: string }[] {
  const { chip } = point;
  return [
    { label: "Firm", value: firmLabel(chip.firm) },
    { label: "TPP", value: formatNumber(point.tpp) },
    { label: "Density", value: `${formatNumber(point.density, 2)} per mm²` },
    // A tooltip line has no tooltip of its own: the word, not the mark.
    { label: "Bit width", value: chip.peakBitWidth === null ? NOT_RECORDED : `${formatNumber(chip.peakBitWidth)}-bit` },
    // The core's words for the estimate, as on every screen and in exports.
    { label: "3A090", value: chip.metrics.rulesSummary },
  ];
}

/** One line for a screen reader or a point's accessible name. */
export function describePoint(point: ChartPoint): string {
  return `${point.chip.name}, ${pointDetails(point)
    .map((d) => `${d.label} ${d.value}`)
    .join(", ")}`;
}

/** A file name for an exported chart: "chipwatch-chips-2025-05-01.svg". */
export function exportFileName(extension: "png" | "svg", today = new Date()): string {
  const date = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
    .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, "0"))
    .join("-");
  return `chipwatch-chips-${date}.${extension}`;
}

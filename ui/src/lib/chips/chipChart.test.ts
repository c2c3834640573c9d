import { describe, expect, it } from "vitest";
import type { Chip } from "../bindings";
import {
  chartExtents,
  describeLeftOut,
  exportFileName,
  FIRM_PALETTE,
  firmKeys,
  logTicks,
  partitionChips,
  pointDetails,
  regionOf,
  regions,
  X_THRESHOLDS,
  Y_THRESHOLDS,
} from "./chipChart";

let nextId = 1;

function chip(
  name: string,
  tpp: number | null,
  density: number | null,
  firm: { id: number; name: string; nativeName?: string | null } = { id: 1, name: "Huawei", nativeName: "华为" },
  rulesMet: string[] = [],
): Chip {
  return {
    id: nextId++,
    firm: { id: firm.id, name: firm.name, nativeName: firm.nativeName ?? null },
    name,
    purpose: null,
    processNodeNm: null,
    foundry: null,
    announcedOn: null,
    peakDenseTops: tpp === null ? null : tpp / 16,
    peakBitWidth: tpp === null ? null : 16,
    dieAreaMm2: tpp !== null && density !== null && density > 0 ? tpp / density : null,
    memoryGb: null,
    tdpW: null,
    notes: "",
    metrics: {
      tpp,
      performanceDensity: density,
      rulesMet,
      rulesUndetermined: [],
      rulesSummary: tpp === null ? "" : rulesMet.length > 0 ? rulesMet.join(", ") : "none met",
    },
    sourceIds: [],
  };
}

describe("the 3A090 thresholds", () => {
  it("shade a and b where the rule puts them, boundaries included", () => {
    expect(regionOf(4800, 0.5)).toBe("a"); // a.1
    expect(regionOf(4799, 0.5)).toBeNull();
    expect(regionOf(1600, 5.92)).toBe("a"); // a.2
    expect(regionOf(1599, 50)).toBeNull();
    expect(regionOf(2400, 1.6)).toBe("b"); // b.1
    expect(regionOf(2399, 1.6)).toBeNull();
    expect(regionOf(1600, 3.2)).toBe("b"); // b.2
    expect(regionOf(1600, 3.19)).toBeNull();
    expect(regionOf(4799, 5.91)).toBe("b");
    expect(regionOf(4096, 3.34)).toBe("b"); // Ascend 910
  });

  it("are drawn as steps through the threshold corners, inside the chart", () => {
    const extents = chartExtents([]);
    const { a, b } = regions(extents);
    expect(a.boundary).toEqual([
      [1600, extents.y[1]],
      [1600, 5.92],
      [4800, 5.92],
      [4800, extents.y[0]],
    ]);
    expect(b.boundary).toEqual([
      [1600, 5.92],
      [1600, 3.2],
      [2400, 3.2],
      [2400, 1.6],
      [4800, 1.6],
    ]);
    // Step shading: each band runs from its x to the next one's.
    expect(a.bands.map((s) => s.x)).toEqual([1600, 4800, extents.x[1]]);
    expect(b.bands.map((s) => [s.x, s.y1, s.y2])).toEqual([
      [1600, 3.2, 5.92],
      [2400, 1.6, 5.92],
      [4800, 1.6, 5.92],
    ]);
    // Every threshold is on the chart even with no chip near it.
    for (const t of X_THRESHOLDS) expect(t > extents.x[0] && t < extents.x[1]).toBe(true);
    for (const t of Y_THRESHOLDS) expect(t > extents.y[0] && t < extents.y[1]).toBe(true);
  });
});

describe("which chips are plotted", () => {
  it("needs a TPP and a density above zero, and says why the others are left out", () => {
    const plotted = chip("Ascend 910", 4096, 3.34);
    const noArea = chip("H20", 2368, null);
    const noArea2 = chip("Kunlun II", 2048, null);
    const noTpp = chip("昇腾 310", null, null);
    const zero = chip("Dummy", 0, 0);
    const { points, leftOut } = partitionChips([plotted, noArea, noTpp, noArea2, zero]);
    expect(points.map((p) => p.chip.name)).toEqual(["Ascend 910"]);
    expect(leftOut.map((group) => describeLeftOut(group))).toEqual([
      "2 chips without die area are not plotted: H20, Kunlun II.",
      "1 chip without peak TOPS or bit width is not plotted: 昇腾 310.",
      "1 chip with a TPP or density of zero is not plotted: Dummy.",
    ]);
  });

  it("names a few left-out chips and counts the rest", () => {
    const many = Array.from({ length: 9 }, (_, i) => chip(`Chip ${i + 1}`, 1000, null));
    const [group] = partitionChips(many).leftOut;
    expect(describeLeftOut(group!)).toBe(
      "9 chips without die area are not plotted: Chip 1, Chip 2, Chip 3, Chip 4, Chip 5, Chip 6, and 3 more.",
    );
  });
});

describe("firm colours", () => {
  it("are twelve different ones, given by firm name, with the native name in the legend", () => {
    expect(new Set(FIRM_PALETTE).size).toBe(12);
    const points = partitionChips([
      chip("H100", 15832, 19.4, { id: 7, name: "NVIDIA" }),
      chip("Ascend 910", 4096, 3.34, { id: 2, name: "Huawei", nativeName: "华为" }),
      chip("A100", 4992, 6.04, { id: 7, name: "NVIDIA" }),
      chip("Kunlun I", 2048, 4.1, { id: 5, name: "Kunlunxin", nativeName: "昆仑芯" }),
    ]).points;
    expect(firmKeys(points)).toEqual([
      { id: 2, label: "Huawei 华为", color: FIRM_PALETTE[2] },
      { id: 5, label: "Kunlunxin 昆仑芯", color: FIRM_PALETTE[5] },
      { id: 7, label: "NVIDIA", color: FIRM_PALETTE[7] },
    ]);
  });

  it("stay with the firm when a filter leaves others out, and twelve firms all differ", () => {
    const all = partitionChips([
      chip("Ascend 910", 4096, 3.34, { id: 2, name: "Huawei", nativeName: "华为" }),
      chip("Kunlun I", 2048, 4.1, { id: 5, name: "Kunlunxin", nativeName: "昆仑芯" }),
      chip("H100", 15832, 19.4, { id: 7, name: "NVIDIA" }),
    ]).points;
    const nvidiaAlone = all.filter((p) => p.chip.firm.id === 7);
    expect(firmKeys(nvidiaAlone)[0]!.color).toBe(firmKeys(all).find((k) => k.id === 7)!.color);
    // Ids 1 and 13 prefer the same colour: the higher id takes the next free one.
    const twelve = partitionChips(
      [1, 13, 25, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((id, i) => chip(`chip ${i}`, 2048 + i, 3 + i / 10, { id, name: `Firm ${id}` })),
    ).points;
    expect(new Set(firmKeys(twelve).map((k) => k.color)).size).toBe(12);
  });
});

describe("axes", () => {
  it("tick at the thresholds and at round numbers not crowding them", () => {
    expect(logTicks([625, 25_000], X_THRESHOLDS)).toEqual([1000, 1600, 2400, 4800, 10_000, 20_000]);
    expect(logTicks([0.6, 31], Y_THRESHOLDS)).toEqual([1, 1.6, 3.2, 5.92, 10, 20]);
  });

  it("reach past the outermost chips", () => {
    const points = partitionChips([chip("Tiny", 120, 0.2), chip("Huge", 40_000, 60)]).points;
    const { x, y } = chartExtents(points);
    expect(x[0]).toBeLessThan(120);
    expect(x[1]).toBeGreaterThan(40_000);
    expect(y[0]).toBeLessThan(0.2);
    expect(y[1]).toBeGreaterThan(60);
  });
});

describe("a point's tooltip", () => {
  it("gives the firm, the figures and the paragraphs met", () => {
    const [point] = partitionChips([chip("A100", 4992, 6.0436, { id: 7, name: "NVIDIA" }, ["3A090.a.1", "3A090.a.2"])])
      .points;
    expect(pointDetails(point!)).toEqual([
      { label: "Firm", value: "NVIDIA" },
      { label: "TPP", value: "4,992" },
      { label: "Density", value: "6.04 per mm²" },
      { label: "Bit width", value: "16-bit" },
      { label: "3A090", value: "3A090.a.1, 3A090.a.2" },
    ]);
  });
});

it("exported files are named after the day", () => {
  expect(exportFileName("svg", new Date(2025, 0, 7))).toBe("chipwatch-chips-2025-01-07.svg");
});

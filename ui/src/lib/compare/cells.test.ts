import { describe, expect, it } from "vitest";
import { NOT_APPLICABLE, NOT_RECORDED } from "../vocabulary";
import { cellSourceCount, firmsOrderedBy, missingWord, shownAsOf, shownValue } from "./cells";

describe("comparison cells", () => {
  it("shows the dates inside a value as every date is shown", () => {
    const cell = {
      value: "UVL; Entity List (2019-05-16)",
      valueParts: [
        { kind: "text" as const, text: "UVL" },
        { kind: "text" as const, text: "; " },
        { kind: "text" as const, text: "Entity List (" },
        { kind: "date" as const, date: "2019-05-16" },
        { kind: "text" as const, text: ")" },
      ],
      asOf: "2019-05-16",
    };
    expect(shownValue(cell)).toBe("UVL; Entity List (16 May 2019)");
    expect(shownAsOf(cell), "the value shows the date already").toBeNull();
    expect(shownAsOf({ ...cell, asOf: "2020-01" })).toBe("as of Jan 2020");
  });

  it("does not repeat a date value as its 'as of'", () => {
    const cell = { value: "2023-10", valueParts: [{ kind: "date" as const, date: "2023-10" }], asOf: "2023-10" };
    expect(shownValue(cell)).toBe("Oct 2023");
    expect(shownAsOf(cell)).toBeNull();
  });

  it("writes a plain number with thousands separators, keeping its decimals", () => {
    expect(shownValue({ value: "15832", valueParts: null, number: 15832 })).toBe("15,832");
    expect(shownValue({ value: "4.5", valueParts: null, number: 4.5 })).toBe("4.5");
    expect(shownValue({ value: "7", valueParts: null, number: 7 })).toBe("7");
    expect(shownValue({ value: "SMIC, TSMC", valueParts: null, number: 2 }), "text stays text").toBe("SMIC, TSMC");
  });

  it("shows a plain value as it is", () => {
    expect(shownValue({ value: "Active", valueParts: null })).toBe("Active");
    expect(shownAsOf({ asOf: "2024-06", valueParts: null })).toBe("as of Jun 2024");
    expect(shownAsOf({ asOf: null, valueParts: null })).toBeNull();
  });
});

describe("ordering firms by a row", () => {
  const firm = (id: number) => ({ id, name: `Firm ${id}`, nativeName: null });
  const cell = (number: number | null) => ({ number }) as never;
  const matrix = {
    firms: [firm(1), firm(2), firm(3), firm(4)],
    dimensions: [{ id: "chips:bestTpp" }, { id: "profile:country" }] as never,
    rows: [
      [cell(4096), cell(null)],
      [cell(null), cell(null)],
      [cell(15832), cell(null)],
      [cell(2048), cell(null)],
    ],
  };

  it("puts the highest first, or the lowest, and firms without a number after them", () => {
    expect(firmsOrderedBy(matrix, [1, 2, 3, 4], "chips:bestTpp", true)).toEqual([3, 1, 4, 2]);
    expect(firmsOrderedBy(matrix, [1, 2, 3, 4], "chips:bestTpp", false)).toEqual([4, 1, 3, 2]);
  });

  it("keeps chosen firms the matrix lacks, at the end", () => {
    expect(firmsOrderedBy(matrix, [9, 1, 2, 3, 4], "chips:bestTpp", true)).toEqual([3, 1, 4, 2, 9]);
  });

  it("writes the vocabulary's word for a cell without a value, as the exports do", () => {
    expect(missingWord({ state: "notRecorded" })).toBe(NOT_RECORDED);
    expect(missingWord({ state: "notApplicable" })).toBe(NOT_APPLICABLE);
    expect(missingWord({ state: "known" })).toBeNull();
    // The generated words are the core's: "not recorded", never "unknown" or "none recorded".
    expect(NOT_RECORDED).toBe("not recorded");
    expect(NOT_APPLICABLE).toBe("n/a");
  });

  it("counts a cell's sources in words, never as a bracketed number", () => {
    expect(cellSourceCount({ sources: [4] })).toBe("1 source");
    expect(cellSourceCount({ sources: [4, 9, 12] })).toBe("3 sources");
    expect(cellSourceCount({ sources: [] })).toBeNull();
    expect(cellSourceCount({ sources: Array.from({ length: 1200 }, (_, i) => i) })).toBe("1,200 sources");
  });
});

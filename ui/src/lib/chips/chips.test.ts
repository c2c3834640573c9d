import { describe, expect, it } from "vitest";
import { NOT_RECORDED, NOT_RECORDED_MARK } from "../vocabulary";
import type { Chip } from "../bindings";
import { describePeak, describeRule, designedElsewhere, formatPeak, purposeLabel, sortChips } from "./chips";

describe("formatPeak", () => {
  it("shows the figure with its bit width", () => {
    expect(formatPeak(376, 16)).toBe("376 @ 16-bit");
    expect(formatPeak(1979, 8)).toBe("1,979 @ 8-bit");
    expect(formatPeak(0.5, 8)).toBe("0.5 @ 8-bit");
  });

  it("omits a bit width not recorded and marks a figure not recorded with the vocabulary's mark", () => {
    expect(formatPeak(256, null)).toBe("256");
    expect(formatPeak(null, 16)).toBe(NOT_RECORDED_MARK);
  });
});

describe("describePeak", () => {
  it("says what the figure means", () => {
    expect(describePeak(376, 16)).toBe("376 dense tera-operations per second at 16-bit precision");
    expect(describePeak(376, null)).toContain(`bit width ${NOT_RECORDED}`);
    expect(describePeak(null, null)).toBe("Peak dense throughput not recorded");
  });
});

describe("describeRule", () => {
  it("gives the rule's condition and calls it an estimate", () => {
    const text = describeRule("3A090.a.1");
    expect(text).toContain("TPP ≥ 4800");
    expect(text).toContain("estimate");
    expect(describeRule("3A090.z.9")).toMatch(/^Meets 3A090\.z\.9: estimate/);
  });
});

describe("purposeLabel, designedElsewhere", () => {
  it("labels purposes", () => {
    expect(purposeLabel("training_and_inference")).toBe("Training and inference");
    expect(purposeLabel(null)).toBeNull();
  });

  it("tells whether another firm designed the chip", () => {
    const chip = { firm: { id: 3, name: "HiSilicon", nativeName: "海思" } };
    expect(designedElsewhere(chip, 3)).toBe(false);
    expect(designedElsewhere(chip, 4)).toBe(true);
  });
});

describe("sortChips", () => {
  function chip(name: string, firm: string, announcedOn: string | null, tpp: number | null, density: number | null): Chip {
    return {
      id: name.length,
      firm: { id: firm.length, name: firm, nativeName: null },
      name,
      purpose: null,
      processNodeNm: null,
      foundry: null,
      announcedOn,
      peakDenseTops: null,
      peakBitWidth: null,
      dieAreaMm2: null,
      memoryGb: null,
      tdpW: null,
      notes: "",
      metrics: { tpp, performanceDensity: density, rulesMet: [], rulesUndetermined: [], rulesSummary: tpp === null ? "" : "none met" },
      sourceIds: [],
    } as Chip;
  }
  const chips = [
    chip("Kunlun II", "Kunlunxin", "2021-08-18", 2048, 4.1),
    chip("Ascend 910B", "Huawei", "2022-03", 6016, null),
    chip("Hanguang 800", "T-Head", "2019", null, null),
    chip("A100", "NVIDIA", "2020-05-14", 4992, 6.04),
  ];
  const names = (list: Chip[]) => list.map((c) => c.name);

  it("orders by name with numbers in number order, and by designer", () => {
    expect(names(sortChips(chips, "name"))).toEqual(["A100", "Ascend 910B", "Hanguang 800", "Kunlun II"]);
    expect(names(sortChips(chips, "designer"))).toEqual(["Ascend 910B", "Kunlun II", "A100", "Hanguang 800"]);
  });

  it("puts the newest and the highest first, and chips without the figure last", () => {
    expect(names(sortChips(chips, "announced"))).toEqual(["Ascend 910B", "Kunlun II", "A100", "Hanguang 800"]);
    expect(names(sortChips(chips, "tpp"))).toEqual(["Ascend 910B", "A100", "Kunlun II", "Hanguang 800"]);
    expect(names(sortChips(chips, "density"))).toEqual(["A100", "Kunlun II", "Ascend 910B", "Hanguang 800"]);
  });
});

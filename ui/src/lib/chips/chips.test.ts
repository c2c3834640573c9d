import { describe, expect, it } from "vitest";
import { describePeak, describeRule, designedElsewhere, formatPeak, purposeLabel } from "./chips";

describe("formatPeak", () => {
  it("shows the figure with its bit width", () => {
    expect(formatPeak(376, 16)).toBe("376 @ 16-bit");
    expect(formatPeak(1979, 8)).toBe("1,979 @ 8-bit");
    expect(formatPeak(0.5, 8)).toBe("0.5 @ 8-bit");
  });

  it("omits an unknown bit width and dashes an unknown figure", () => {
    expect(formatPeak(256, null)).toBe("256");
    expect(formatPeak(null, 16)).toBe("—");
  });
});

describe("describePeak", () => {
  it("says what the figure means", () => {
    expect(describePeak(376, 16)).toBe("376 dense tera-operations per second at 16-bit precision");
    expect(describePeak(376, null)).toContain("unrecorded bit width");
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

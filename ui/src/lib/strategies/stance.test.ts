import { describe, expect, it } from "vitest";
import type { Stance } from "../bindings";
import { STANCES, stanceLabel, stanceRank } from "./stance";

describe("stance", () => {
  it("orders none < exploring < active < leading", () => {
    const shuffled: Stance[] = ["active", "leading", "none", "exploring"];
    const sorted = [...shuffled].sort((a, b) => stanceRank(a) - stanceRank(b));
    expect(sorted).toEqual(["none", "exploring", "active", "leading"]);
    expect(STANCES).toEqual(sorted);
  });

  it("labels every stance", () => {
    expect(STANCES.map(stanceLabel)).toEqual(["None", "Exploring", "Active", "Leading"]);
  });
});

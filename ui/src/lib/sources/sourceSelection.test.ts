import { describe, expect, it } from "vitest";
import type { SourceFilter } from "../bindings";
import { SourceTicks } from "./sourceSelection.svelte";

const filter: SourceFilter = {
  words: "华为",
  importBatch: null,
  kind: "report",
  reliability: null,
  publishedFrom: "Oct 2023",
  publishedTo: null,
  firm: null,
};

describe("SourceTicks", () => {
  it("sends the ids ticked one by one", () => {
    const ticks = new SourceTicks();
    ticks.toggle(3);
    ticks.toggle(9);
    ticks.toggle(3);
    expect(ticks.count(500)).toBe(1);
    expect(ticks.selection(filter)).toEqual({ by: "ids", ids: [9] });
  });

  it("ticks a page, and unticks it when all its rows are ticked", () => {
    const ticks = new SourceTicks();
    ticks.toggle(2);
    ticks.togglePage([1, 2, 3]);
    expect([1, 2, 3].every((id) => ticks.isTicked(id))).toBe(true);
    ticks.togglePage([1, 2, 3]);
    expect(ticks.count(100)).toBe(0);
  });

  it("sends every match as the filter, less the rows unticked since", () => {
    const ticks = new SourceTicks();
    ticks.toggle(7);
    ticks.selectAllMatching();
    ticks.toggle(42);
    expect(ticks.isTicked(7)).toBe(true);
    expect(ticks.isTicked(42)).toBe(false);
    expect(ticks.count(49_021)).toBe(49_020);
    expect(ticks.selection(filter)).toEqual({ by: "matching", filter, except: [42] });
    ticks.clear();
    expect(ticks.count(49_021)).toBe(0);
  });
});

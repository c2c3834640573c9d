import { describe, expect, it } from "vitest";
import type { EventKind, TimelineEntry, TimelineOrigin } from "../bindings";
import { entriesSummary, kindsToLoad } from "./timeline";

const KINDS: EventKind[] = ["regulation", "listing", "launch", "deal", "funding"];

function entry(origin: TimelineOrigin): TimelineEntry {
  return { date: "2023-10", kind: "launch", origin, id: 1, title: "Ascend 910B 昇腾", firms: [], sourceIds: [] };
}

describe("kindsToLoad", () => {
  it("asks for all while nothing is hidden, for the rest once one is, and for nothing when all are", () => {
    expect(kindsToLoad(KINDS, [])).toEqual([]);
    expect(kindsToLoad(KINDS, ["deal"])).toEqual(["regulation", "listing", "launch", "funding"]);
    expect(kindsToLoad(KINDS, KINDS)).toBeNull();
  });
});

describe("entriesSummary", () => {
  it("says what the entries are, so the count agrees with the sidebar's events", () => {
    const entries = [...Array(8).fill(entry("event")), ...Array(3).fill(entry("chip")), entry("listing")];
    expect(entriesSummary(entries)).toBe("12 entries: 8 events, 3 chip announcements, 1 listing");
  });

  it("stays short when every entry is an event, or there are none", () => {
    expect(entriesSummary([entry("event"), entry("event")])).toBe("2 entries");
    expect(entriesSummary([])).toBe("0 entries");
    expect(entriesSummary([entry("chip")])).toBe("1 entry: 1 chip announcement");
  });
});

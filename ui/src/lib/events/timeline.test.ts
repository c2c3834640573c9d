import { describe, expect, it } from "vitest";
import type { EventKind } from "../bindings";
import { entriesSummary, kindsToLoad } from "./timeline";

const KINDS: EventKind[] = ["regulation", "listing", "launch", "deal", "funding"];

function counts(events: number, chips: number, listings: number) {
  return { total: events + chips + listings, events, chips, listings };
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
    expect(entriesSummary(counts(8, 3, 1))).toBe("12 entries: 8 events, 3 chip announcements, 1 listing");
    expect(entriesSummary(counts(2_500, 0, 3))).toBe("2,503 entries: 2,500 events, 3 listings");
  });

  it("stays short when every entry is an event, or there are none", () => {
    expect(entriesSummary(counts(2, 0, 0))).toBe("2 entries");
    expect(entriesSummary(counts(0, 0, 0))).toBe("0 entries");
    expect(entriesSummary(counts(0, 1, 0))).toBe("1 entry: 1 chip announcement");
  });
});

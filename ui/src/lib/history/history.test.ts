import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../bindings";
import { EMPTY_VALUE, fieldLabel, historyRows, shownValue } from "./history";

const entry = (fields: Partial<HistoryEntry>): HistoryEntry => ({
  op: "changed",
  author: "alice",
  at: "2026-12-01T10:00:00Z",
  fields: [],
  onServer: true,
  ...fields,
});

describe("a record's history", () => {
  it("lists the newest change first, with what, who and when", () => {
    const rows = historyRows([
      entry({ op: "created", at: "2026-11-30T09:00:00Z" }),
      entry({ op: "changed", author: "bob", fields: [{ field: "summary", old: "Old", new: "New" }] }),
      entry({ op: "deleted", at: "2026-12-02T08:00:00Z", onServer: false }),
    ]);
    expect(rows.map((r) => r.what)).toEqual(["Deleted", "Changed", "Created"]);
    expect(rows[0]?.onServer).toBe(false);
    expect(rows[1]?.who).toBe("bob");
    expect(rows[1]?.fields).toEqual([{ label: "Summary", old: "Old", new: "New", long: false }]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
  });

  it("shows a blank value as not recorded, and marks long ones to clamp", () => {
    const body = "第一段。\n\nA second paragraph.\n\nA third.\n\nA fourth.";
    const [row] = historyRows([
      entry({
        fields: [
          { field: "native_name", old: "", new: "海思" },
          { field: "body", old: body, new: "short" },
          { field: "website", old: "https://example.org", new: "  " },
        ],
      }),
    ]);
    expect(row?.fields).toEqual([
      { label: "Native name", old: EMPTY_VALUE, new: "海思", long: false },
      { label: "Body", old: body, new: "short", long: true },
      { label: "Website", old: "https://example.org", new: EMPTY_VALUE, long: false },
    ]);
    expect(historyRows([entry({ fields: [{ field: "summary", old: "x".repeat(181), new: "y" }] })])[0]?.fields[0]?.long).toBe(true);
  });

  it("lists fields only for changes (a creation or deletion has none to show)", () => {
    const [row] = historyRows([entry({ op: "created", fields: [{ field: "name", old: "", new: "Huawei" }] })]);
    expect(row?.fields).toEqual([]);
    expect(historyRows([entry({ op: "merged" })])[0]?.what).toBe("Merged");
  });
});

describe("field names", () => {
  it("read as the forms label them", () => {
    expect(fieldLabel("summary")).toBe("Summary");
    expect(fieldLabel("die_area_mm2")).toBe("Die area (mm²)");
    expect(fieldLabel("url")).toBe("URL");
    expect(fieldLabel("peak_dense_tops")).toBe("Peak dense TOPS");
    expect(fieldLabel("some_new_field")).toBe("Some new field");
  });

  it("show values as given, blank ones as not recorded", () => {
    expect(shownValue("Huawei; HiSilicon")).toBe("Huawei; HiSilicon");
    expect(shownValue("")).toBe(EMPTY_VALUE);
    expect(shownValue(null)).toBe(EMPTY_VALUE);
  });
});

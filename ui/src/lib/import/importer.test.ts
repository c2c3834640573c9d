import { describe, expect, it } from "vitest";
import { droppedFile } from "./importer.svelte";

describe("a file dropped on the import", () => {
  it("starts the import with the one file dropped, whatever its name", () => {
    expect(droppedFile(["/home/analyst/Zotero 导出, \"final\".csv"], false)).toEqual({
      path: "/home/analyst/Zotero 导出, \"final\".csv",
    });
    // Excel's "Unicode text" is a .txt file: the core reads what it holds.
    expect(droppedFile(["/tmp/export.txt"], false)).toEqual({ path: "/tmp/export.txt" });
  });

  it("says what to do with several files, none, or a running import", () => {
    expect(droppedFile(["/a.csv", "/b.csv"], false)).toEqual({ problem: "2 files were dropped: drop one file at a time." });
    expect(droppedFile([], false)).toHaveProperty("problem", expect.stringContaining("drop a CSV file"));
    expect(droppedFile(["/a.csv"], true)).toHaveProperty("problem", expect.stringContaining("An import is running"));
  });
});

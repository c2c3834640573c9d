import { describe, expect, it, vi } from "vitest";

const { previewImport } = vi.hoisted(() => ({ previewImport: vi.fn() }));
vi.mock("../api", () => ({ previewImport, runImport: vi.fn(), cancelImport: vi.fn() }));

import { droppedFile, Importer } from "./importer.svelte";

describe("a file dropped on the import", () => {
  it("starts the import with the one file dropped, whatever its name", () => {
    expect(droppedFile(['/home/analyst/Zotero 导出, "final".csv'], false)).toEqual({
      path: '/home/analyst/Zotero 导出, "final".csv',
    });
    // Excel's "Unicode text" is a .txt file: the core reads what it holds.
    expect(droppedFile(["/tmp/export.txt"], false)).toEqual({ path: "/tmp/export.txt" });
  });

  it("says what to do with several files, none, or a running import", () => {
    expect(droppedFile(["/a.csv", "/b.csv"], false)).toEqual({ problem: "2 files were dropped: drop one file at a time." });
    expect(droppedFile([], false)).toHaveProperty("problem", expect.stringContaining("drop a CSV file"));
    expect(droppedFile(["/a.csv"], true)).toHaveProperty("problem", expect.stringContaining("An import is running"));
  });

  it("highlights while files hover, and previews the file dropped from any page", async () => {
    const importer = new Importer();
    previewImport.mockResolvedValue({ mapping: { columns: [] } });
    expect(importer.takeDrag({ kind: "over" })).toBe(false);
    expect(importer.dragging).toBe(true);
    expect(importer.takeDrag({ kind: "leave" })).toBe(false);
    expect(importer.dragging).toBe(false);

    expect(importer.takeDrag({ kind: "drop", paths: ["/a.csv", "/b.csv"] })).toBe(true);
    expect(importer.dropProblem).toMatch(/one file at a time/);
    expect(previewImport).not.toHaveBeenCalled();

    expect(importer.takeDrag({ kind: "drop", paths: ["/home/analyst/导出.csv"] })).toBe(true);
    expect(importer.dropProblem).toBeNull();
    await vi.waitFor(() => expect(importer.step).toBe("preview"));
    expect(importer.path).toBe("/home/analyst/导出.csv");
    expect(previewImport).toHaveBeenCalledWith("/home/analyst/导出.csv", "sources", expect.anything());
  });

  it("leaves a running import alone", () => {
    const importer = new Importer();
    importer.path = "/running.csv";
    importer.step = "importing";
    expect(importer.takeDrag({ kind: "drop", paths: ["/other.csv"] })).toBe(true);
    expect(importer.dropProblem).toMatch(/An import is running/);
    expect(importer.path).toBe("/running.csv");
  });
});

describe("a saved mapping", () => {
  it("reads the file by the mapping chosen, then by the headers again", async () => {
    const importer = new Importer();
    const byPreset = { columns: [{ index: 0, header: "标题", field: "title" }] };
    previewImport.mockReset();
    previewImport.mockResolvedValue({ mapping: byPreset });
    await importer.choose("/home/analyst/中文 list.csv");
    importer.mapping = { columns: [{ index: 0, header: "标题", field: null }] } as never;

    await importer.usePreset('Ministry list "2024"');
    const [, , options] = previewImport.mock.calls.at(-1)!;
    expect(options).toMatchObject({ preset: 'Ministry list "2024"', mapping: null });
    expect(importer.mapping).toEqual(byPreset);

    await importer.usePreset(null);
    expect(previewImport.mock.calls.at(-1)![2]).toMatchObject({ preset: null, mapping: null });
  });
});

import { describe, expect, it, vi } from "vitest";

const { previewImport, runImport, choosePath, saveImportProblems } = vi.hoisted(() => ({
  previewImport: vi.fn(),
  runImport: vi.fn(),
  choosePath: vi.fn(),
  saveImportProblems: vi.fn(),
}));
vi.mock("../api", () => ({ previewImport, runImport, cancelImport: vi.fn(), choosePath, saveImportProblems }));

import type { ImportProgress, ImportReport } from "../bindings";
import { changes } from "../changes.svelte";
import { droppedFile, Importer, progressFraction } from "./importer.svelte";

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
    expect(droppedFile([], false)).toHaveProperty("problem", expect.stringContaining("drop a CSV, RIS, BibTeX or CSL-JSON file"));
    expect(droppedFile(["/a.csv"], true)).toHaveProperty("problem", expect.stringContaining("An import is running"));
  });

  it("highlights while files hover, and previews the file dropped from any page", async () => {
    const importer = new Importer();
    previewImport.mockResolvedValue({ format: "csv", mapping: { columns: [] } });
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
    previewImport.mockResolvedValue({ format: "csv", mapping: byPreset });
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

describe("a citation file (RIS, BibTeX, CSL-JSON)", () => {
  it("is imported with none of a CSV's settings, whatever was chosen before", async () => {
    const importer = new Importer();
    previewImport.mockReset().mockResolvedValue({ format: "bibtex", records: 4, mapping: { columns: [] }, recognized: null });
    runImport.mockReset().mockResolvedValue({ added: 2 });
    await importer.choose("/home/analyst/参考文献 refs.bib");
    expect(importer.citations).toBe(true);
    expect(importer.mapping).toBeNull();
    // Settings a CSV would take are left out of what the core is sent.
    importer.encoding = "gb18030";
    importer.delimiter = "tab";
    importer.preset = "zotero";
    importer.onDuplicate = "fill";
    await importer.runCheck();
    const [path, target, options] = runImport.mock.calls.at(-1)!;
    expect([path, target]).toEqual(["/home/analyst/参考文献 refs.bib", "sources"]);
    expect(options).toEqual({
      encoding: null,
      delimiter: null,
      mapping: null,
      preset: null,
      onDuplicate: "fill",
      strict: false,
      dryRun: true,
      onlyRowsWhere: [],
      lists: [],
      countries: [],
      copyDate: null,
    });
    expect(importer.step).toBe("checked");
  });
});

describe("the file chosen in the system's dialog", () => {
  it("starts over with it, and with nothing when the dialog is closed", async () => {
    const importer = new Importer();
    previewImport.mockReset().mockResolvedValue({ format: "csv", mapping: { columns: [] } });
    importer.dropProblem = "2 files were dropped: drop one file at a time.";
    choosePath.mockResolvedValueOnce(null);
    await importer.chooseFile();
    expect(choosePath).toHaveBeenLastCalledWith("importFile");
    expect(importer.dropProblem).toBeNull();
    expect(previewImport).not.toHaveBeenCalled();

    choosePath.mockResolvedValueOnce("/home/analyst/清单.csv");
    await importer.chooseFile();
    expect(importer.path).toBe("/home/analyst/清单.csv");
    expect(importer.step).toBe("preview");
  });

  it("shows the dialog's failure as the import's error", async () => {
    const importer = new Importer();
    choosePath.mockRejectedValueOnce({ kind: "internal", message: "no dialog here" });
    await importer.chooseFile();
    expect(importer.error).toEqual({ kind: "internal", message: "no dialog here" });
  });
});

describe("an import that finishes", () => {
  it("tells every list to load again, and a failed one does not", async () => {
    const importer = new Importer();
    importer.path = "/a.csv";
    runImport.mockResolvedValueOnce({ added: 3 });
    const before = changes.version;
    await importer.runImport();
    expect(importer.step).toBe("done");
    expect(changes.version).toBe(before + 1);

    runImport.mockRejectedValueOnce({ kind: "cancelled", message: "cancelled" });
    await importer.runImport();
    expect(importer.step).toBe("checked");
    expect(importer.cancelled).toBe(true);
    expect(changes.version).toBe(before + 1);
  });
});

describe("saving a report's problems", () => {
  const report = {
    fileName: "Zotero 导出.v2.csv",
    problems: [{ row: 7, message: "not a date" }],
    rowWarnings: [{ row: 3, column: "kind", value: "organization", message: "Kept the firm" }],
  } as unknown as ImportReport;

  it("offers the file's name, saves the import's problems (else the check's) and says where", async () => {
    const importer = new Importer();
    importer.check = report;
    choosePath.mockResolvedValueOnce("/home/analyst/problems.csv");
    await importer.saveProblems();
    expect(choosePath).toHaveBeenLastCalledWith("saveCsv", "Zotero 导出.v2 - problems.csv");
    expect(saveImportProblems).toHaveBeenLastCalledWith("/home/analyst/problems.csv", report.problems, report.rowWarnings);
    expect(importer.problemsSavedTo).toBe("/home/analyst/problems.csv");

    const imported = { ...report, problems: [], rowWarnings: [] } as unknown as ImportReport;
    importer.report = imported;
    choosePath.mockResolvedValueOnce("/tmp/after.csv");
    await importer.saveProblems();
    expect(saveImportProblems).toHaveBeenLastCalledWith("/tmp/after.csv", [], []);

    importer.reset();
    expect(importer.problemsSavedTo).toBeNull();
  });

  it("writes nothing when the dialog is closed, and shows a failed write as the error", async () => {
    const importer = new Importer();
    importer.check = report;
    saveImportProblems.mockReset();
    choosePath.mockResolvedValueOnce(null);
    await importer.saveProblems();
    expect(saveImportProblems).not.toHaveBeenCalled();
    expect(importer.problemsSavedTo).toBeNull();

    choosePath.mockResolvedValueOnce("/read-only/problems.csv");
    saveImportProblems.mockRejectedValueOnce({ kind: "io", message: "permission denied" });
    await importer.saveProblems();
    expect(importer.error).toEqual({ kind: "io", message: "permission denied" });
    expect(importer.problemsSavedTo).toBeNull();
  });
});

describe("an import's progress", () => {
  it("is the share of the file's bytes read, at most all of it", () => {
    const at = (bytesRead: number, totalBytes: number) => ({ bytesRead, totalBytes }) as ImportProgress;
    expect(progressFraction(null)).toBe(0);
    expect(progressFraction(at(50, 0))).toBe(0);
    expect(progressFraction(at(25, 100))).toBe(0.25);
    expect(progressFraction(at(120, 100))).toBe(1);
  });
});

describe("only rows where", () => {
  it("sends the conditions with a column and a value, trimmed, and a new file starts without any", async () => {
    const importer = new Importer();
    importer.path = "/supply chain.csv";
    previewImport.mockResolvedValue({ mapping: { columns: [] } });
    importer.addCondition();
    importer.setCondition(0, { column: "provider_type", value: " organization " });
    importer.addCondition();
    importer.setCondition(1, { column: "country", test: "is_not" });
    importer.addCondition();
    importer.setCondition(2, { column: "provider_name", test: "is_not", value: "ASML" });
    expect(importer.options(true).onlyRowsWhere).toEqual([
      { column: "provider_type", test: "is", value: "organization" },
      { column: "provider_name", test: "is_not", value: "ASML" },
    ]);
    importer.removeCondition(0);
    expect(importer.options(true).onlyRowsWhere).toEqual([{ column: "provider_name", test: "is_not", value: "ASML" }]);

    await importer.choose("/another.csv");
    expect(importer.conditions).toEqual([]);
    const [, , options] = previewImport.mock.calls.at(-1)!;
    expect(options).toMatchObject({ onlyRowsWhere: [] });
  });

  it("makes the last check stale when a condition changes", () => {
    const importer = new Importer();
    importer.check = { added: 1 } as ImportReport;
    importer.step = "checked";
    importer.addCondition();
    importer.setCondition(0, { column: "provider_type" });
    expect(importer.check).toBeNull();
    expect(importer.step).toBe("preview");
  });
});

import { beforeEach, describe, expect, it, vi } from "vitest";

const { listImportBatches, undoImport } = vi.hoisted(() => ({ listImportBatches: vi.fn(), undoImport: vi.fn() }));
vi.mock("../api", () => ({ listImportBatches, undoImport, toAppError: (thrown: unknown) => thrown }));

import type { ImportBatch } from "../bindings";
import { changes } from "../changes.svelte";
import { ImportHistory } from "./history.svelte";

const batch = { id: 4, fileName: "Zotero 导出.csv", undoneAt: null } as ImportBatch;

describe("undoing an earlier import", () => {
  beforeEach(() => {
    listImportBatches.mockReset().mockResolvedValue([batch]);
    undoImport.mockReset();
  });

  it("says what was removed and emptied, lists the imports again and tells every list", async () => {
    undoImport.mockResolvedValue({ batch: 4, removedSources: 1200, removedFirms: 2, removedChips: 0, revertedFills: 1, editedRemoved: 0 });
    const history = new ImportHistory();
    const before = changes.version;

    await history.undo(batch, false);
    expect(undoImport).toHaveBeenCalledWith(4, false);
    expect(history.message).toBe("Import #4 undone: 1,202 records removed, 1 filled field emptied again.");
    expect(history.confirming).toBeNull();
    expect(changes.version).toBe(before + 1);
    expect(listImportBatches).toHaveBeenCalled();
    expect(history.batches.value).toEqual([batch]);
  });

  it("asks before removing records edited since, and removes them when told to", async () => {
    const edited = "3 sources were edited since this import: undoing removes them too.";
    undoImport.mockRejectedValueOnce({ kind: "conflict", message: edited });
    const history = new ImportHistory();

    await history.undo(batch, false);
    expect(history.confirming).toEqual({ batch, edited });
    expect(history.message).toBeNull();

    undoImport.mockResolvedValueOnce({ batch: 4, removedSources: 1, removedFirms: 0, removedChips: 0, revertedFills: 0, editedRemoved: 3 });
    await history.undo(batch, true);
    expect(undoImport).toHaveBeenLastCalledWith(4, true);
    expect(history.confirming).toBeNull();
    expect(history.message).toBe("Import #4 undone: 1 record removed.");
  });

  it("keeps the import when the user says so, and shows any other refusal as it came", async () => {
    const history = new ImportHistory();
    undoImport.mockRejectedValueOnce({ kind: "conflict", message: "edited since" });
    await history.undo(batch, false);
    history.keep();
    expect(history.confirming).toBeNull();

    // A forced undo that still fails is not asked again.
    undoImport.mockRejectedValueOnce({ kind: "conflict", message: "still edited" });
    await history.undo(batch, true);
    expect(history.confirming).toBeNull();
    expect(history.message).toBe("still edited");

    undoImport.mockRejectedValueOnce({ kind: "notFound", message: "import #4 is not in this workspace" });
    await history.undo(batch, false);
    expect(history.message).toBe("import #4 is not in this workspace");
  });
});

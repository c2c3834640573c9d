import { beforeEach, describe, expect, it, vi } from "vitest";

const { listImportPresets, saveImportPreset } = vi.hoisted(() => ({ listImportPresets: vi.fn(), saveImportPreset: vi.fn() }));
vi.mock("../api", () => ({ listImportPresets, saveImportPreset, toAppError: (thrown: unknown) => thrown }));

import type { Mapping } from "../bindings";
import { ImportPresets } from "./presets.svelte";

const mapping = { columns: [{ index: 0, header: "标题", field: "title" }] } as Mapping;

describe("saved mappings", () => {
  beforeEach(() => {
    listImportPresets.mockReset().mockResolvedValue([]);
    saveImportPreset.mockReset();
  });

  it("lists the mappings saved for the kind of file chosen", async () => {
    const presets = new ImportPresets();
    listImportPresets.mockResolvedValue([{ id: 1, name: "Ministry list", target: "firms" }]);
    await presets.load("firms");
    expect(listImportPresets).toHaveBeenCalledWith("firms");
    expect(presets.list.value).toEqual([{ id: 1, name: "Ministry list", target: "firms" }]);
  });

  it("saves the mapping under the name given, closes the dialog and lists it", async () => {
    const presets = new ImportPresets();
    presets.ask();
    expect(presets.naming).toBe(true);
    saveImportPreset.mockResolvedValue({});

    await presets.save('Ministry list "2024"', "sources", mapping);
    expect(saveImportPreset).toHaveBeenCalledWith('Ministry list "2024"', "sources", mapping);
    expect(presets.naming).toBe(false);
    expect(presets.savedAs).toBe('Ministry list "2024"');
    expect(listImportPresets).toHaveBeenLastCalledWith("sources");
  });

  it("keeps the dialog open with the reason when the name is refused, and forgets it when asked again", async () => {
    const presets = new ImportPresets();
    presets.ask();
    saveImportPreset.mockRejectedValue({ kind: "conflict", message: "A mapping is already called “Zotero”." });

    await presets.save("Zotero", "sources", mapping);
    expect(presets.naming).toBe(true);
    expect(presets.error).toBe("A mapping is already called “Zotero”.");
    expect(presets.savedAs).toBeNull();

    presets.cancel();
    presets.ask();
    expect(presets.error).toBeNull();
  });

  it("saves nothing before the file has a mapping", async () => {
    const presets = new ImportPresets();
    await presets.save("Empty", "sources", null);
    expect(saveImportPreset).not.toHaveBeenCalled();
  });
});

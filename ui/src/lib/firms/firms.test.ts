import { beforeEach, describe, expect, it, vi } from "vitest";
import type { FirmOrder, FirmProfile, FirmSummary } from "../bindings";

const api = vi.hoisted(() => ({
  listFirms: vi.fn<(order: FirmOrder) => Promise<FirmSummary[]>>(),
  loadFirmProfile: vi.fn<(firmId: number) => Promise<FirmProfile>>(),
}));

vi.mock("../api", async (importOriginal) => ({ ...(await importOriginal<object>()), ...api }));
vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn(), isTauri: () => true }));

import { FirmList, FirmProfileState } from "./firms.svelte";

function summary(id: number, name: string, nativeName: string | null = null): FirmSummary {
  return { id, name, nativeName, kind: "company", country: "CN", parent: null, chipCount: 0, assessmentCount: 0, listingCount: 0 };
}

function profile(id: number, name: string, sourceIds: number[] = []): FirmProfile {
  return {
    firm: { id, name, nativeName: null, aliases: [], kind: "company", country: "CN", parent: null, website: null, summary: "", listings: [] },
    subsidiaries: [],
    chips: [],
    assessments: [],
    events: [],
    notes: [],
    sources: sourceIds.map((sourceId) => ({
      id: sourceId, kind: "article", title: `Source ${sourceId}`, authors: null, publisher: null, url: null, doi: null,
      publishedOn: null, accessedOn: null, language: null, reliability: null, credibility: null,
    })),
  };
}

beforeEach(() => {
  api.listFirms.mockReset();
  api.loadFirmProfile.mockReset();
});

describe("FirmList", () => {
  it("loads once and filters by the query", async () => {
    api.listFirms.mockResolvedValue([summary(1, "Baidu", "百度"), summary(2, "Huawei", "华为")]);
    const list = new FirmList();
    list.ensureLoaded();
    list.ensureLoaded();
    await vi.waitFor(() => expect(list.firms.value).toHaveLength(2));
    list.ensureLoaded();
    expect(api.listFirms).toHaveBeenCalledTimes(1);

    list.query = "华为";
    expect(list.visible.map((firm) => firm.name)).toEqual(["Huawei"]);
    list.query = "";
    expect(list.visible).toHaveLength(2);
  });

  it("asks the core for each order: a new column from its natural end, the same column reversed", async () => {
    api.listFirms.mockResolvedValue([summary(1, "Baidu", "百度")]);
    const list = new FirmList();
    list.ensureLoaded();
    list.sortBy("chips");
    list.sortBy("chips");
    list.sortBy("country");
    expect(api.listFirms.mock.calls.map(([order]) => order)).toEqual([
      { sort: "name", descending: false },
      { sort: "chips", descending: true },
      { sort: "chips", descending: false },
      { sort: "country", descending: false },
    ]);
  });

  it("keeps the backend's error for the view to show", async () => {
    api.listFirms.mockRejectedValue({ kind: "internal", message: "database is locked", field: null });
    const list = new FirmList();
    list.ensureLoaded();
    await vi.waitFor(() => expect(list.firms.error?.message).toBe("database is locked"));
    expect(list.visible).toEqual([]);
  });
});

describe("FirmProfileState", () => {
  it("numbers the profile's sources for citation markers", async () => {
    api.loadFirmProfile.mockResolvedValue(profile(1, "Huawei", [30, 10]));
    const state = new FirmProfileState();
    state.open(1);
    await vi.waitFor(() => expect(state.profile.value?.firm.name).toBe("Huawei"));
    expect(state.citation(30)?.number).toBe(1);
    expect(state.citation(10)?.number).toBe(2);
    expect(state.citation(99)).toBeUndefined();
  });

  it("never shows the previous firm while the next one loads, and does not refetch the open firm", async () => {
    api.loadFirmProfile.mockImplementation(async (firmId) => profile(firmId, `Firm ${firmId}`));
    const state = new FirmProfileState();
    state.open(1);
    await vi.waitFor(() => expect(state.profile.value?.firm.id).toBe(1));
    state.highlightedSourceId = 5;

    state.open(1);
    expect(api.loadFirmProfile).toHaveBeenCalledTimes(1);

    state.open(2);
    expect(state.profile.value).toBeUndefined();
    expect(state.highlightedSourceId).toBeNull();
    await vi.waitFor(() => expect(state.profile.value?.firm.id).toBe(2));
  });

  it("shows the firm asked for last when answers arrive out of order", async () => {
    let answerFirst!: (value: FirmProfile) => void;
    api.loadFirmProfile
      .mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)))
      .mockImplementationOnce(async () => profile(2, "Second"));
    const state = new FirmProfileState();
    state.open(1);
    state.open(2);
    await vi.waitFor(() => expect(state.profile.value?.firm.name).toBe("Second"));
    answerFirst(profile(1, "First"));
    await Promise.resolve();
    expect(state.profile.value?.firm.name).toBe("Second");
  });
});

import { describe, expect, it, vi } from "vitest";

vi.mock("../api", () => ({
  toAppError: (thrown: unknown) => thrown,
}));

import { EntityForm } from "./form.svelte";

type Draft = { name: string; aliases: string[] };

function formWith(load: (id: number) => Promise<{ id: number; revision: number; draft: Draft }>) {
  return new EntityForm<Draft>(load, vi.fn());
}

describe("opening a record form", () => {
  it("starts a new record from the blank draft without asking the backend", async () => {
    const load = vi.fn();
    const form = formWith(load);
    expect(form.ready).toBe(false);

    await form.begin(null, () => ({ name: "", aliases: [] }));
    expect(load).not.toHaveBeenCalled();
    expect(form.ready).toBe(true);
    expect(form.id).toBeNull();
    expect(form.draft).toEqual({ name: "", aliases: [] });
    expect(form.dirty).toBe(false);

    form.draft.name = "寒武纪";
    expect(form.dirty).toBe(true);
  });

  it("a record that cannot be loaded ends loading with the backend's error, not 'Loading…' for ever", async () => {
    const gone = { kind: "notFound", message: "no firm with id 7", field: null };
    const form = formWith(vi.fn(() => Promise.reject(gone)));
    await form.begin(7, () => ({ name: "", aliases: [] }));
    expect(form.loading).toBe(false);
    expect(form.ready).toBe(false);
    expect(form.error).toEqual(gone);
  });

  it("loads a saved record, and is not ready while it loads", async () => {
    let answer: (record: { id: number; revision: number; draft: Draft }) => void = () => {};
    const load = vi.fn(() => new Promise<{ id: number; revision: number; draft: Draft }>((resolve) => (answer = resolve)));
    const form = formWith(load);
    const blank = vi.fn(() => ({ name: "", aliases: [] }));

    const opening = form.begin(7, blank);
    expect(form.loading).toBe(true);
    expect(form.ready).toBe(false);
    answer({ id: 7, revision: 3, draft: { name: "Huawei", aliases: ["华为"] } });
    await opening;

    expect(load).toHaveBeenCalledWith(7);
    expect(blank).not.toHaveBeenCalled();
    expect(form.ready).toBe(true);
    expect(form.id).toBe(7);
    expect(form.revision).toBe(3);
    expect(form.draft.aliases).toEqual(["华为"]);
    expect(form.dirty).toBe(false);
  });

  it("keeps the backend's refusal when the record cannot be loaded, and stays not ready", async () => {
    const refusal = { kind: "notFound", message: "firm 9 is not there (moved to the Trash?)" };
    const form = formWith(() => Promise.reject(refusal));

    await form.begin(9, () => ({ name: "", aliases: [] }));
    expect(form.loading).toBe(false);
    expect(form.ready).toBe(false);
    expect(form.error).toEqual(refusal);
  });
});

import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn(), isTauri: () => true }));

import { Resource } from "./resource.svelte";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("Resource", () => {
  it("holds the loaded value and clears loading", async () => {
    const resource = new Resource(async (id: number) => `firm ${id}`);
    const done = resource.load(4);
    expect(resource.loading).toBe(true);
    await done;
    expect(resource.value).toBe("firm 4");
    expect(resource.loading).toBe(false);
    expect(resource.error).toBeNull();
  });

  it("stores failures as AppErrors and never rejects", async () => {
    const resource = new Resource<string>(() => Promise.reject("disk full"));
    await expect(resource.load()).resolves.toBeUndefined();
    expect(resource.error).toEqual({ kind: "internal", message: "disk full", field: null });
    expect(resource.loading).toBe(false);
  });

  it("ignores an older request that answers after a newer one", async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const answers = [first.promise, second.promise];
    const resource = new Resource(() => answers.shift() ?? Promise.reject("unexpected"));

    const firstLoad = resource.load();
    const secondLoad = resource.load();
    second.resolve("Baidu");
    await secondLoad;
    first.resolve("Huawei");
    await firstLoad;

    expect(resource.value).toBe("Baidu");
    expect(resource.loading).toBe(false);
  });

  it("ignores a late failure of a request that clear() abandoned", async () => {
    const pending = deferred<string>();
    const resource = new Resource(() => pending.promise);
    const load = resource.load();
    resource.clear();
    pending.reject({ kind: "notFound", message: "gone", field: null });
    await load;
    expect(resource.error).toBeNull();
    expect(resource.value).toBeUndefined();
    expect(resource.loading).toBe(false);
  });
});

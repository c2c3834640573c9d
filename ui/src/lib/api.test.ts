import { beforeEach, describe, expect, it, vi } from "vitest";

const tauri = vi.hoisted(() => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
}));

vi.mock("@tauri-apps/api/core", () => tauri);

import { isAppError, listFirms, loadFirmProfile, shownMessage, toAppError } from "./api";

beforeEach(() => {
  tauri.invoke.mockReset();
  tauri.isTauri.mockReset();
  tauri.isTauri.mockReturnValue(true);
});

describe("isAppError", () => {
  it("accepts the backend's error shape", () => {
    expect(isAppError({ kind: "notFound", message: "No firm 7", field: null })).toBe(true);
    expect(isAppError({ kind: "invalidInput", message: "Too long", field: "name" })).toBe(true);
    expect(isAppError({ kind: "workspace", message: "Cannot open" })).toBe(true);
  });

  it("keeps a cancel a cancel, not an internal failure", () => {
    const cancelled = { kind: "cancelled", message: "The import was cancelled; nothing was imported.", field: null };
    expect(toAppError(cancelled)).toEqual(cancelled);
  });

  it("rejects everything else", () => {
    expect(isAppError("boom")).toBe(false);
    expect(isAppError(null)).toBe(false);
    expect(isAppError(new Error("boom"))).toBe(false);
    expect(isAppError({ kind: "teapot", message: "short and stout", field: null })).toBe(false);
    expect(isAppError({ kind: "internal", message: 42, field: null })).toBe(false);
    expect(isAppError({ kind: "internal", message: "x", field: 3 })).toBe(false);
  });
});

describe("shownMessage", () => {
  it("drops the field the message starts with, and keeps any other message whole", () => {
    const date = { kind: "invalidInput" as const, message: 'from: From: "x" is not a date', field: "from" };
    expect(shownMessage(date)).toBe('From: "x" is not a date');
    expect(shownMessage({ kind: "internal", message: "from: something", field: null })).toBe("from: something");
    expect(shownMessage({ kind: "invalidInput", message: "Date is required", field: "occurredOn" })).toBe("Date is required");
  });
});

describe("toAppError", () => {
  it("keeps backend errors and fills a missing field with null", () => {
    expect(toAppError({ kind: "workspace", message: "Cannot open /x.sqlite", field: null })).toEqual({
      kind: "workspace",
      message: "Cannot open /x.sqlite",
      field: null,
    });
    expect(toAppError({ kind: "invalidInput", message: "Bad", extra: 1 })).toEqual({
      kind: "invalidInput",
      message: "Bad",
      field: null,
    });
  });

  it("turns strings, Errors and odd values into internal errors", () => {
    expect(toAppError("command list_firms not found")).toEqual({
      kind: "internal",
      message: "command list_firms not found",
      field: null,
    });
    expect(toAppError(new TypeError("x is undefined"))).toEqual({
      kind: "internal",
      message: "x is undefined",
      field: null,
    });
    expect(toAppError({ message: "half an error" })).toEqual({
      kind: "internal",
      message: "half an error",
      field: null,
    });
    expect(toAppError({ code: 5 }).message).toContain('{"code":5}');
    expect(toAppError(undefined)).toEqual({ kind: "internal", message: "Unknown error.", field: null });
    expect(toAppError("")).toEqual({ kind: "internal", message: "Unknown error.", field: null });
    expect(toAppError(42).message).toBe("42");
  });
});

describe("command failures", () => {
  it("reject with the backend's AppError as it is", async () => {
    const error = { kind: "notFound", message: "No firm with id 99.", field: null };
    tauri.invoke.mockRejectedValueOnce(error);
    await expect(loadFirmProfile(99)).rejects.toEqual(error);
  });

  it("reject with an internal AppError when the backend throws a string or an Error", async () => {
    tauri.invoke.mockRejectedValueOnce("database is locked");
    await expect(listFirms()).rejects.toEqual({ kind: "internal", message: "database is locked", field: null });

    tauri.invoke.mockRejectedValueOnce(new Error("IPC failed"));
    await expect(listFirms()).rejects.toEqual({ kind: "internal", message: "IPC failed", field: null });
  });

  it("explain that the backend is missing when not running inside the app", async () => {
    tauri.isTauri.mockReturnValue(false);
    tauri.invoke.mockRejectedValueOnce(new TypeError("Cannot read properties of undefined (reading 'invoke')"));
    const rejection = await listFirms().catch((error: unknown) => error);
    expect(isAppError(rejection)).toBe(true);
    expect(rejection).toMatchObject({ kind: "internal" });
    expect((rejection as { message: string }).message).toMatch(/desktop app/);
  });
});

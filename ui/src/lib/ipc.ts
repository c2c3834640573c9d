// How the UI talks to the backend: `call` invokes one Tauri command and turns
// every failure into an `AppError`, whatever the backend or the IPC layer
// threw, so the UI handles all failures the same way. Only the generated
// wrappers in commands.ts call it; the rest of the UI goes through api.ts.

import { invoke, isTauri } from "@tauri-apps/api/core";
import type { AppError } from "./bindings";
import { ERROR_KINDS } from "./bindings";

/** True when `value` has the shape of the backend's `AppError`. */
export function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.kind === "string" &&
    (ERROR_KINDS as readonly string[]).includes(candidate.kind) &&
    typeof candidate.message === "string" &&
    (candidate.field === null || candidate.field === undefined || typeof candidate.field === "string")
  );
}

/**
 * Turns anything thrown into an `AppError`. Backend errors keep their kind;
 * strings, `Error`s and anything else become kind "internal".
 */
export function toAppError(thrown: unknown): AppError {
  if (isAppError(thrown)) {
    return { kind: thrown.kind, message: thrown.message, field: thrown.field ?? null };
  }
  return { kind: "internal", message: describe(thrown), field: null };
}

/**
 * What to show of an error beside the thing it is about: its message without
 * the "field: " the core puts first ("from: From: \"x\" is not a date …" →
 * "From: \"x\" is not a date …"; the core's date errors start with the label).
 */
export function shownMessage(error: AppError): string {
  const prefix = error.field ? `${error.field}: ` : null;
  return prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

function describe(thrown: unknown): string {
  if (typeof thrown === "string") return thrown.trim() || "Unknown error.";
  if (thrown instanceof Error) return thrown.message.trim() || thrown.name || "Unknown error.";
  if (typeof thrown === "object" && thrown !== null) {
    const message = (thrown as Record<string, unknown>).message;
    if (typeof message === "string" && message.trim() !== "") return message;
    try {
      return `Unexpected error: ${JSON.stringify(thrown)}`;
    } catch {
      return "Unknown error.";
    }
  }
  if (thrown === undefined || thrown === null) return "Unknown error.";
  return String(thrown);
}

const NO_BACKEND: AppError = {
  kind: "internal",
  message:
    "The Chipwatch backend is not reachable. Open the interface through the desktop app, not a plain web browser.",
  field: null,
};

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    if (!isAppError(thrown) && !isTauri()) throw NO_BACKEND;
    throw toAppError(thrown);
  }
}

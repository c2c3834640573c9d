// The one door to the backend. Every Tauri command the UI uses is wrapped here
// with its argument and result types; nothing else in the UI calls `invoke`.
//
// Every failure leaves this module as an `AppError`, whatever the backend or
// the IPC layer threw, so the UI handles all failures the same way.

import { invoke, isTauri } from "@tauri-apps/api/core";
import type {
  AppError,
  ErrorKind,
  FirmProfile,
  FirmSummary,
  WorkspaceInfo,
} from "./bindings";

const ERROR_KINDS: readonly ErrorKind[] = ["workspace", "notFound", "invalidInput", "conflict", "internal"];

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

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    if (!isAppError(thrown) && !isTauri()) throw NO_BACKEND;
    throw toAppError(thrown);
  }
}

/** The open workspace: its file, schema version and how much it holds. */
export function workspaceInfo(): Promise<WorkspaceInfo> {
  return call<WorkspaceInfo>("workspace_info");
}

/** Every firm, sorted by name by the backend. */
export function listFirms(): Promise<FirmSummary[]> {
  return call<FirmSummary[]>("list_firms");
}

/** A firm with everything shown on its profile, and every source those claims cite. */
export function loadFirmProfile(firmId: number): Promise<FirmProfile> {
  return call<FirmProfile>("load_firm_profile", { firmId });
}

// A Tauri command works only when four places agree: the shell registers it
// (generate_handler!), build.rs declares it, the capability allows it, and
// api.ts calls it by the same name. A mismatch fails at run time with "not
// allowed" or "not found"; this test fails first.
import { describe, expect, it } from "vitest";
import apiTs from "./api.ts?raw";
import shellRs from "../../../src-tauri/src/lib.rs?raw";
import buildRs from "../../../src-tauri/build.rs?raw";
import capabilityJson from "../../../src-tauri/capabilities/main.json?raw";

function sorted(names: Iterable<string>): string[] {
  return [...new Set(names)].sort();
}

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  expect(from, `"${start}" not found`).toBeGreaterThanOrEqual(0);
  return text.slice(from + start.length, text.indexOf(end, from));
}

const registered = sorted(between(shellRs, "generate_handler![", "]").match(/\w+/g) ?? []);
const defined = sorted([...shellRs.matchAll(/#\[tauri::command\]\s*(?:pub\s+)?(?:async\s+)?fn\s+(\w+)/g)].map((m) => m[1]!));
const declared = sorted([...between(buildRs, ".commands(&[", "]").matchAll(/"(\w+)"/g)].map((m) => m[1]!));
const allowed = sorted(
  (JSON.parse(capabilityJson) as { permissions: string[] }).permissions
    .filter((p) => p.startsWith("allow-"))
    .map((p) => p.slice("allow-".length).replaceAll("-", "_")),
);
const called = sorted([...apiTs.matchAll(/call<[^(]*>\(\s*"(\w+)"/g)].map((m) => m[1]!));

/** The arguments each shell command takes from the UI, as Tauri names them (camelCase). */
const rustArguments = new Map(
  [...shellRs.matchAll(/#\[tauri::command\]\s*(?:pub\s+)?(?:async\s+)?fn\s+(\w+)\s*\(([^)]*)\)/g)].map((m) => [
    m[1]!,
    sorted(
      [...m[2]!.matchAll(/(\w+)\s*:\s*([^,]+)/g)]
        // Tauri fills these itself; the UI never passes them.
        .filter((p) => !/^(State<|tauri::AppHandle|AppHandle)/.test(p[2]!.trim()))
        .map((p) => p[1]!.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())),
    ),
  ]),
);

/** The argument names api.ts passes to each command. */
const uiArguments = new Map(
  [...apiTs.matchAll(/call<[^(]*>\(\s*"(\w+)"\s*(?:,\s*\{([^}]*)\})?/g)].map((m) => [
    m[1]!,
    sorted((m[2] ?? "").split(",").map((part) => part.split(":")[0]!.trim()).filter(Boolean)),
  ]),
);

describe("the app's commands", () => {
  it("are found in every place, so this test can fail", () => {
    for (const list of [registered, defined, declared, allowed, called]) expect(list.length).toBeGreaterThan(0);
  });

  it("are registered exactly as they are defined in the shell", () => {
    expect(registered).toEqual(defined);
  });

  it("are declared in build.rs and allowed by the capability, no more and no fewer", () => {
    expect(declared).toEqual(registered);
    expect(allowed).toEqual(registered);
  });

  it("are what api.ts calls", () => {
    expect(called).toEqual(registered);
  });

  it("get from api.ts the arguments the shell expects", () => {
    expect(rustArguments.get("load_firm_profile")).toEqual(["firmId"]);
    for (const command of registered) {
      expect(uiArguments.get(command), command).toEqual(rustArguments.get(command));
    }
  });
});

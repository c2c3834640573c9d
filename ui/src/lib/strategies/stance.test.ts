import { describe, expect, it } from "vitest";
import { STANCES } from "../bindings";
import { stanceDescription, stanceLabel } from "./stance";

// Every stance the core sends, generated from model::Stance.
const BACKEND_STANCES = STANCES;

describe("stance pill text", () => {
  it("gives every stance the backend sends a label and a tooltip of its own", () => {
    const labels = BACKEND_STANCES.map(stanceLabel);
    const descriptions = BACKEND_STANCES.map(stanceDescription);
    expect(labels).toEqual(["None", "Exploring", "Active", "Leading"]);
    expect(new Set(descriptions).size).toBe(BACKEND_STANCES.length);
    for (const text of descriptions) expect(text.length).toBeGreaterThan(10);
  });

  it("explains a stance in its tooltip rather than repeating the label", () => {
    for (const stance of BACKEND_STANCES) {
      expect(stanceDescription(stance)).not.toBe(stanceLabel(stance));
    }
  });
});

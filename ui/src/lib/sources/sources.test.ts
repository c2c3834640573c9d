import { describe, expect, it } from "vitest";
import type { Source } from "../bindings";
import { gradeDescription, gradeLabel, numberSources, sourceByline } from "./sources";

function source(id: number, overrides: Partial<Source> = {}): Source {
  return {
    id,
    kind: "article",
    title: `Source ${id}`,
    authors: null,
    publisher: null,
    url: null,
    doi: null,
    publishedOn: null,
    accessedOn: null,
    language: null,
    reliability: null,
    credibility: null,
    ...overrides,
  };
}

describe("numberSources", () => {
  it("numbers sources from 1 in the order given", () => {
    const citations = numberSources([source(40), source(7), source(12)]);
    expect(citations.get(40)?.number).toBe(1);
    expect(citations.get(7)?.number).toBe(2);
    expect(citations.get(12)?.number).toBe(3);
    expect(citations.get(12)?.source.title).toBe("Source 12");
    expect(citations.get(99)).toBeUndefined();
  });

  it("gives a repeated source its first number only", () => {
    const citations = numberSources([source(1), source(2), source(1), source(3)]);
    expect([...citations.values()].map((citation) => citation.number)).toEqual([1, 2, 3]);
    expect(citations.get(3)?.number).toBe(3);
  });
});

describe("gradeLabel", () => {
  it("joins reliability and credibility", () => {
    expect(gradeLabel("B", 2)).toBe("B2");
    expect(gradeLabel(" a ", 1)).toBe("A1");
    expect(gradeLabel("C", null)).toBe("C");
    expect(gradeLabel(null, 3)).toBe("3");
    expect(gradeLabel(null, null)).toBeNull();
    expect(gradeLabel("", null)).toBeNull();
  });
});

describe("gradeDescription", () => {
  it("spells out both halves of the grade", () => {
    expect(gradeDescription("B", 2)).toBe(
      "Source reliability B (usually reliable); information credibility 2 (probably true)",
    );
    expect(gradeDescription(null, 6)).toBe("Information credibility 6 (truth cannot be judged)");
    expect(gradeDescription("Z", null)).toBe("Source reliability Z");
  });
});

describe("sourceByline", () => {
  it("joins what is known and skips what is not", () => {
    expect(
      sourceByline(source(1, { authors: "Gregory C. Allen", publisher: "CSIS", publishedOn: "2023-10" })),
    ).toBe("Gregory C. Allen · CSIS · Oct 2023");
    expect(sourceByline(source(2, { publisher: "新华社" }))).toBe("新华社");
    expect(sourceByline(source(3))).toBe("");
    expect(sourceByline(source(4, { authors: "Epoch AI", publisher: "Epoch AI" }))).toBe("Epoch AI");
  });
});

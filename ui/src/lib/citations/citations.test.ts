import { describe, expect, it } from "vitest";
import type { CitationFormat } from "../bindings";
import { CITATION_FORMATS, citationFileName, sourcesInWords, type FormatChoice } from "./citations";

function formatOf(format: CitationFormat): FormatChoice {
  const choice = CITATION_FORMATS.find((f) => f.format === format);
  if (!choice) throw new Error(`no ${format}`);
  return choice;
}

describe("citation file names", () => {
  const bibtex = formatOf("bibtex");
  const ris = formatOf("ris");
  const csl = formatOf("cslJson");

  it("keeps Chinese, spaces and commas, and adds the format's extension", () => {
    expect(citationFileName("华为, Huawei sources", bibtex)).toBe("华为, Huawei sources.bib");
    expect(citationFileName("Q3 review", ris)).toBe("Q3 review.ris");
    expect(citationFileName("Q3 review", csl)).toBe("Q3 review.json");
  });

  it("replaces what no file system takes, and never names a hidden or empty file", () => {
    expect(citationFileName('a/b\\c:"d"?\n', bibtex)).toBe("a-b-c-d-.bib");
    expect(citationFileName("...", bibtex)).toBe("citations.bib");
    expect(citationFileName("  ", ris)).toBe("citations.ris");
  });
});

describe("which sources, in words", () => {
  it("counts them, and says one source as words", () => {
    expect(sourcesInWords(1, "ticked")).toBe("The one source ticked");
    expect(sourcesInWords(1234, "the filter lets through")).toBe("The 1,234 sources the filter lets through");
  });
});

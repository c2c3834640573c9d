// The citation formats the app offers, each with the file dialog it asks
// through and what reads it, and the file name a dialog suggests.

import type { CitationFormat, PathPurpose } from "../bindings";
import { countLabel } from "../format";

export interface FormatChoice {
  format: CitationFormat;
  label: string;
  extension: string;
  purpose: PathPurpose;
  /** The programs that read it, for the person choosing. */
  readers: string;
}

export const CITATION_FORMATS: readonly FormatChoice[] = [
  { format: "bibtex", label: "BibTeX", extension: "bib", purpose: "saveBibtex", readers: "LaTeX, pandoc, Zotero, JabRef" },
  { format: "ris", label: "RIS", extension: "ris", purpose: "saveRis", readers: "EndNote, Zotero, Mendeley, Word" },
  { format: "cslJson", label: "CSL-JSON", extension: "json", purpose: "saveCslJson", readers: "pandoc, Zotero, citeproc" },
];

/** A file name for `name` (a firm, a comparison) and the format: characters no file system takes become "-". */
export function citationFileName(name: string, choice: FormatChoice): string {
  const base = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-").trim().replace(/^\.+/, "") || "citations";
  return `${base}.${choice.extension}`;
}

/** Which sources an export writes, in words: "The 3 sources ticked", "The one source the filter lets through". */
export function sourcesInWords(count: number, which: string): string {
  return `The ${count === 1 ? "one source" : countLabel(count, "source")} ${which}`;
}

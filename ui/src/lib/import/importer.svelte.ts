// The import wizard's state: the file and how it is read (preview), the
// column mapping, the check (a dry run), the import with its progress, and
// the report. The core does all the reading and checking; this only keeps
// track of where the user is.
import { cancelImport, choosePath, previewImport, runImport, saveImportProblems, type FileDrag } from "../api";
import type {
  AppError,
  DuplicatePolicy,
  ImportField,
  ImportOptions,
  ImportPreview,
  ImportProgress,
  ImportReport,
  ImportTarget,
  Mapping,
  RowTest,
} from "../bindings";
import { changes } from "../changes.svelte";

export type ImportStep = "choose" | "preview" | "checking" | "checked" | "importing" | "done";

export const ENCODINGS = ["utf-8", "utf-16le", "utf-16be", "gb18030", "big5", "shift_jis", "euc-kr", "windows-1252"];

export const FIELD_LABELS: Record<ImportField, string> = {
  title: "Title",
  authors: "Authors",
  publisher: "Publisher / outlet",
  url: "URL",
  doi: "DOI",
  publishedOn: "Published",
  accessedOn: "Accessed",
  language: "Language",
  abstract: "Abstract",
  tags: "Tags",
  kind: "Kind",
  reliability: "Reliability (A–F)",
  credibility: "Credibility (1–6)",
  name: "Name",
  nativeName: "Native name",
  country: "Country",
  aliases: "Aliases",
  firmKind: "Kind of firm",
  website: "Website",
  summary: "Summary",
  parentFirm: "Parent firm",
};

/** The one file a drop brings to the import, or what to tell the user instead. */
/** One "Only rows where" condition as the wizard edits it; sent once it has a column and a value. */
export type RowConditionDraft = { column: string; test: RowTest; value: string };

/** The conditions worth sending: a column chosen and a value typed. */
export function filledConditions(conditions: RowConditionDraft[]): RowConditionDraft[] {
  return conditions.filter((c) => c.column !== "" && c.value.trim() !== "").map((c) => ({ ...c, value: c.value.trim() }));
}

export function droppedFile(paths: string[], running: boolean): { path: string } | { problem: string } {
  if (running) return { problem: "An import is running: drop the file again when it has finished, or cancel it." };
  if (paths.length === 0) return { problem: "Nothing that can be read was dropped: drop a CSV, RIS, BibTeX or CSL-JSON file from your file manager." };
  if (paths.length > 1) return { problem: `${paths.length} files were dropped: drop one file at a time.` };
  return { path: paths[0]! };
}

export class Importer {
  step: ImportStep = $state("choose");
  target: ImportTarget = $state("sources");
  path: string | null = $state(null);
  /** null: detect. */
  encoding: string | null = $state(null);
  delimiter: ImportOptions["delimiter"] = $state(null);
  mapping: Mapping | null = $state(null);
  preset: string | null = $state(null);
  onDuplicate: DuplicatePolicy = $state("skip");
  strict = $state(false);
  /** "Only rows where": rows failing any filled condition are left out and counted. */
  conditions: RowConditionDraft[] = $state([]);
  /** Screening list: lists and countries to import (comma separated; empty: all), the copy's date. */
  lists = $state("");
  countries = $state("");
  copyDate = $state("");
  /** The target the wizard switched to because the file's header said what it is. */
  recognized: ImportTarget | null = $state(null);

  preview: ImportPreview | null = $state.raw(null);
  check: ImportReport | null = $state.raw(null);
  report: ImportReport | null = $state.raw(null);
  progress: ImportProgress | null = $state.raw(null);
  error: AppError | null = $state.raw(null);
  busy = $state(false);
  cancelled = $state(false);
  /** The start of the file has been read for a while now (Cancel stops it). */
  reading = $state(false);
  /** A check or an import is under way: its settings cannot change. */
  readonly running: boolean = $derived(this.step === "checking" || this.step === "importing");
  /** The file is a citation file (RIS, BibTeX, CSL-JSON): no mapping, separator or encoding to choose. */
  readonly citations: boolean = $derived(this.preview !== null && this.preview.format !== "csv");
  /** Where the problems of the last report were saved, for the notice. */
  problemsSavedTo: string | null = $state(null);

  /** Files are being dragged over the window. */
  dragging = $state(false);
  /** The window hears of dropped files (not in a browser preview). */
  dropReady = $state(false);
  /** Why the last drop was not taken, if it was not. */
  dropProblem: string | null = $state(null);

  /**
   * A drag over the window, from any page: a dropped file starts the wizard
   * over with it (except while an import or a check runs). Returns true on a
   * drop, when the Import page should show what became of it.
   */
  takeDrag(drag: FileDrag): boolean {
    this.dragging = drag.kind === "over";
    if (drag.kind !== "drop") return false;
    const file = droppedFile(drag.paths, this.running);
    this.dropProblem = "problem" in file ? file.problem : null;
    if ("path" in file) void this.choose(file.path);
    return true;
  }

  options(dryRun: boolean): ImportOptions {
    // A citation file takes none of a CSV's settings (the core refuses them).
    if (this.citations) {
      return {
        encoding: null,
        delimiter: null,
        mapping: null,
        preset: null,
        onDuplicate: this.onDuplicate,
        strict: this.strict,
        dryRun,
        onlyRowsWhere: [],
        lists: [],
        countries: [],
        copyDate: null,
      };
    }
    return {
      encoding: this.encoding,
      delimiter: this.delimiter,
      mapping: this.mapping ? $state.snapshot(this.mapping) : null,
      preset: this.mapping ? null : this.preset,
      onDuplicate: this.onDuplicate,
      strict: this.strict,
      dryRun,
      onlyRowsWhere: filledConditions($state.snapshot(this.conditions)),
      lists: commaList(this.lists),
      countries: commaList(this.countries),
      copyDate: this.copyDate.trim() === "" ? null : this.copyDate.trim(),
    };
  }

  /** Asks for a file (CSV, RIS, BibTeX, CSL-JSON) in the system's dialog, then starts over with it. */
  async chooseFile(): Promise<void> {
    try {
      this.dropProblem = null;
      const path = await choosePath("importFile");
      if (path !== null) await this.choose(path);
    } catch (error) {
      this.error = error as AppError;
    }
  }

  /** Starts over with a new file: how it is read is detected afresh. */
  async choose(path: string): Promise<void> {
    this.path = path;
    this.encoding = null;
    this.delimiter = null;
    this.mapping = null;
    this.preset = null;
    this.conditions = [];
    this.check = null;
    this.report = null;
    this.problemsSavedTo = null;
    this.recognized = null;
    await this.loadPreview();
  }

  /** Reads the start of the file again with the current settings. */
  async loadPreview(): Promise<void> {
    if (this.path === null) return;
    this.cancelled = false;
    // Said only when the file takes a while, so a quick preview does not flicker.
    const slow = setTimeout(() => (this.reading = true), 300);
    try {
      await this.attempt(async () => {
        this.preview = await previewImport(this.path as string, this.target, this.options(true));
        // A published file Chipwatch knows by its header (the screening list,
        // Epoch's chips) is read as what it is, whatever was chosen.
        const recognized = this.preview.recognized;
        if (recognized !== null && recognized !== this.target) {
          this.target = recognized;
          this.recognized = recognized;
          this.preview = await previewImport(this.path as string, this.target, this.options(true));
        }
        this.mapping = this.preview.format === "csv" ? this.preview.mapping : null;
        this.check = null;
        this.step = "preview";
      });
    } finally {
      clearTimeout(slow);
      this.reading = false;
    }
  }

  /** Reads the file by a saved mapping (null: match the headers afresh). */
  async usePreset(name: string | null): Promise<void> {
    this.preset = name;
    this.mapping = null;
    await this.loadPreview();
  }

  /** Adds an empty "Only rows where" condition (filled in, it is sent with the options). */
  addCondition(): void {
    this.conditions = [...this.conditions, { column: "", test: "is", value: "" }];
  }

  /** Changes a condition; a changed filter makes the last check stale. */
  setCondition(index: number, change: Partial<RowConditionDraft>): void {
    this.conditions = this.conditions.map((c, i) => (i === index ? { ...c, ...change } : c));
    this.check = null;
    if (this.step === "checked") this.step = "preview";
  }

  removeCondition(index: number): void {
    this.conditions = this.conditions.filter((_, i) => i !== index);
    this.check = null;
    if (this.step === "checked") this.step = "preview";
  }

  setField(index: number, field: ImportField | null): void {
    if (!this.mapping) return;
    this.mapping.columns = this.mapping.columns.map((c) => (c.index === index ? { ...c, field } : c));
    this.check = null;
    if (this.step === "checked") this.step = "preview";
  }

  /** A dry run: everything an import does, then rolled back; its report is exact. */
  async runCheck(): Promise<void> {
    this.step = "checking";
    const ok = await this.run(true);
    this.step = ok ? "checked" : "preview";
  }

  async runImport(): Promise<void> {
    this.step = "importing";
    const ok = await this.run(false);
    this.step = ok ? "done" : "checked";
    // The import may finish while another page is shown: the counts and lists
    // everywhere (and the history on the Import page) load again when it does.
    if (ok) changes.bump();
  }

  /** Saves the problems and row warnings of the import's report (or else of the check) to a CSV file the user names. */
  async saveProblems(): Promise<void> {
    const report = this.report ?? this.check;
    if (!report) return;
    try {
      const path = await choosePath("saveCsv", `${report.fileName.replace(/\.[^.]+$/, "")} - problems.csv`);
      if (path === null) return;
      await saveImportProblems(path, report.problems, report.rowWarnings);
      this.problemsSavedTo = path;
    } catch (error) {
      this.error = error as AppError;
    }
  }

  async cancel(): Promise<void> {
    await cancelImport().catch(() => undefined);
  }

  reset(): void {
    this.dropProblem = null;
    this.step = "choose";
    this.path = null;
    this.preview = null;
    this.check = null;
    this.report = null;
    this.progress = null;
    this.error = null;
    this.cancelled = false;
    this.problemsSavedTo = null;
  }

  private async run(dryRun: boolean): Promise<boolean> {
    if (this.path === null) return false;
    this.progress = null;
    this.cancelled = false;
    return this.attempt(async () => {
      const report = await runImport(this.path as string, this.target, this.options(dryRun), (p) => (this.progress = p));
      if (dryRun) this.check = report;
      else this.report = report;
    });
  }

  private async attempt(action: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await action();
      return true;
    } catch (error) {
      const appError = error as AppError;
      // A cancel is the user's choice, not a failure: say so plainly.
      if (appError.kind === "cancelled") this.cancelled = true;
      else this.error = appError;
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** "Entity List, MEU" → ["Entity List", "MEU"]; blanks dropped. */
export function commaList(text: string): string[] {
  return text
    .split(/[,，]/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** Rows per second and seconds left, from two moments of one import. */
export function rate(progress: ImportProgress): { rowsPerSecond: number; secondsLeft: number | null } {
  const seconds = progress.elapsedMs / 1000;
  const rowsPerSecond = seconds > 0 ? progress.rowsRead / seconds : 0;
  const fraction = progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 0;
  const secondsLeft = fraction > 0.02 && seconds > 0.3 ? (seconds / fraction) * (1 - fraction) : null;
  return { rowsPerSecond, secondsLeft };
}

/** How far an import has read its file, from 0 to 1. */
export function progressFraction(progress: ImportProgress | null): number {
  return progress && progress.totalBytes > 0 ? Math.min(1, progress.bytesRead / progress.totalBytes) : 0;
}

/** One wizard for the session: leaving the Import page while a file imports keeps its progress and report. */
export const importer = new Importer();

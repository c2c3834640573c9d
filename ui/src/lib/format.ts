// Pure display helpers. No Svelte, no DOM, no domain types: safe to test alone.
import { NOT_RECORDED, NOT_RECORDED_MARK, SOURCE, SOURCES } from "./vocabulary";

/**
 * The mark for a value not recorded in a dense table or a date (the core's
 * vocabulary: it means nothing else); give its element NOT_RECORDED as title.
 */
export const MISSING = NOT_RECORDED_MARK;

/** "not recorded" → "Not recorded", for a word of the vocabulary that starts a sentence or a label. */
export function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The title of an element showing MISSING for a value not recorded: "not recorded" and why, if said. */
export function notRecordedTitle(why?: string): string {
  return why ? `${NOT_RECORDED}: ${why}` : NOT_RECORDED;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export type PartialDate =
  | { precision: "year"; year: number }
  | { precision: "month"; year: number; month: number }
  | { precision: "day"; year: number; month: number; day: number };

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses a stored partial date: "2023", "2023-10" or "2023-10-17" (the core's
 * stored rule, which DATE_RULE_EXAMPLES holds this to). Returns null for
 * anything else, including impossible months and days. What people type is
 * read by the core (`readDate`, and every save), never here.
 */
export function parsePartialDate(text: string): PartialDate | null {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  if (match[2] === undefined) return { precision: "year", year };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  if (match[3] === undefined) return { precision: "month", year, month };
  const day = Number(match[3]);
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { precision: "day", year, month, day };
}

/**
 * The one way the app shows a date (the core's `PartialDate::shown`, which
 * DATE_DISPLAY_EXAMPLES holds this to, and which every date field reads back):
 * a stored partial date as "2023", "Oct 2023" or "16 May 2019"; a stored
 * timestamp (UTC, "2026-12-01T23:22:55Z" or "2026-12-01 23:22:55") in local
 * time as "1 Dec 2026, 23:22". Missing dates become an em dash; text that is
 * neither is shown as it is, so nothing the analyst entered is hidden.
 */
export function formatDate(text: string | null | undefined, missing = MISSING): string {
  if (text === null || text === undefined || text.trim() === "") return missing;
  const trimmed = text.trim();
  const date = parsePartialDate(trimmed);
  if (date) return showPartialDate(date);
  const moment = parseTimestamp(trimmed);
  if (!moment) return trimmed;
  const day = showPartialDate({
    precision: "day",
    year: moment.getFullYear(),
    month: moment.getMonth() + 1,
    day: moment.getDate(),
  });
  const time = [moment.getHours(), moment.getMinutes()].map((n) => String(n).padStart(2, "0")).join(":");
  return `${day}, ${time}`;
}

function showPartialDate(date: PartialDate): string {
  const year = String(date.year).padStart(4, "0");
  switch (date.precision) {
    case "year":
      return year;
    case "month":
      return `${MONTHS[date.month - 1]} ${year}`;
    case "day":
      return `${date.day} ${MONTHS[date.month - 1]} ${year}`;
  }
}

/** A stored timestamp: date, time to the minute or finer, and "Z", an offset or nothing (UTC). */
function parseTimestamp(text: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?$/i.exec(text);
  // Date() rolls 30 Feb over into March: the day must be one first.
  if (!match?.[1] || parsePartialDate(match[1])?.precision !== "day") return null;
  const moment = new Date(`${match[1]}T${match[2]}${match[3] ?? "Z"}`);
  return Number.isNaN(moment.getTime()) ? null : moment;
}

const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function isNumber(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Formats a figure with thousands separators and at most `maxDecimals`
 * decimals, dropping trailing zeros: 15832 → "15,832", 3.2 → "3.2",
 * 5.923 → "5.92". Missing or non-finite values become an em dash.
 */
export function formatNumber(
  value: number | null | undefined,
  maxDecimals = 0,
  missing = MISSING,
): string {
  if (!isNumber(value)) return missing;
  if (maxDecimals <= 0) return integerFormat.format(value);
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: maxDecimals }).format(value);
}

/** A figure with its unit: (1228, "mm²") → "1,228 mm²". */
export function formatQuantity(
  value: number | null | undefined,
  unit: string,
  maxDecimals = 0,
  missing = MISSING,
): string {
  if (!isNumber(value)) return missing;
  return `${formatNumber(value, maxDecimals)} ${unit}`;
}

/** "12 firms", "1 firm", "0 firms". */
export function countLabel(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}

/** How many sources back a value, in words ("1 source", "3 sources"), never as "[n]" (which is a reference number). */
export function sourceCount(count: number): string {
  return countLabel(count, SOURCE, SOURCES);
}

/** "training_and_inference" → "Training and inference". */
export function humanize(identifier: string): string {
  const words = identifier
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

let regionNames: Intl.DisplayNames | null | undefined;
let languageNames: Intl.DisplayNames | null | undefined;

function displayName(kind: "region" | "language", code: string): string | null {
  try {
    if (kind === "region") {
      regionNames ??= new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
      return regionNames.of(code.toUpperCase()) ?? null;
    }
    languageNames ??= new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });
    return languageNames.of(code) ?? null;
  } catch {
    return null;
  }
}

/** ISO 3166 alpha-2 code → English name ("CN" → "China"); unknown codes come back as given. */
export function countryName(code: string | null | undefined): string | null {
  if (!code || code.trim() === "") return null;
  const trimmed = code.trim();
  return /^[A-Za-z]{2}$/.test(trimmed) ? (displayName("region", trimmed) ?? trimmed) : trimmed;
}

/** BCP 47 language tag → English name ("zh" → "Chinese"); unknown tags come back as given. */
export function languageName(tag: string | null | undefined): string | null {
  if (!tag || tag.trim() === "") return null;
  const trimmed = tag.trim();
  return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(trimmed)
    ? (displayName("language", trimmed) ?? trimmed)
    : trimmed;
}

/**
 * Shortens a file path for narrow places, keeping its last `keep` segments:
 * "/home/ana/.local/share/chipwatch/workspace.sqlite" → "…/chipwatch/workspace.sqlite".
 * Works with "/" and "\" separators. Short paths come back unchanged.
 */
export function shortenPath(path: string, maxLength = 32, keep = 2): string {
  if (path.length <= maxLength) return path;
  const separator = path.includes("\\") && !path.includes("/") ? "\\" : "/";
  const segments = path.split(/[\\/]/).filter((segment) => segment !== "");
  for (let count = Math.min(keep, segments.length); count >= 1; count--) {
    const shortened = `…${separator}${segments.slice(-count).join(separator)}`;
    if (shortened.length <= maxLength) return shortened;
  }
  return truncateMiddle(`…${separator}${segments.at(-1) ?? path}`, maxLength);
}

/** The file a path names, its last segment (Windows or POSIX separators): "/home/a/work.db" → "work.db". */
export function fileNameOf(path: string): string {
  const segments = path.split(/[\\/]/).filter((segment) => segment !== "");
  return segments.at(-1) ?? path;
}

/** "averyveryverylongname.sqlite" → "averyve…me.sqlite" within `maxLength` characters. */
export function truncateMiddle(text: string, maxLength: number): string {
  const characters = Array.from(text);
  if (characters.length <= maxLength) return text;
  if (maxLength <= 1) return "…";
  const keepEnd = Math.floor((maxLength - 1) / 2);
  const keepStart = maxLength - 1 - keepEnd;
  return `${characters.slice(0, keepStart).join("")}…${characters.slice(characters.length - keepEnd).join("")}`;
}

/**
 * Whether a text is long enough to be clamped behind a "Show all" toggle (a
 * note's body, a long summary): more than `characters` characters or `lines` lines.
 */
export function isLongText(text: string, characters = 180, lines = 3): boolean {
  return Array.from(text).length > characters || text.split("\n").length > lines;
}

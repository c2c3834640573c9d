// How a record's history and a conflict's values read. No Svelte, no DOM:
// tested alone. The values come from the core already shown as people read
// them (references by name, lists joined); only the wording is decided here.

import type { HistoryEntry } from "../bindings";
import { humanize, isLongText } from "../format";
import { NOT_RECORDED } from "../vocabulary";

/** What an empty value reads as in History and on the Conflicts page: the vocabulary's word. */
export const EMPTY_VALUE = NOT_RECORDED;

/** Field names (the record views' JSON keys) whose humanized form would read wrongly. */
const FIELD_LABELS: Record<string, string> = {
  url: "URL",
  doi: "DOI",
  native_name: "Native name",
  process_node_nm: "Process node (nm)",
  peak_dense_tops: "Peak dense TOPS",
  peak_bit_width: "Peak bit width",
  die_area_mm2: "Die area (mm²)",
  memory_gb: "Memory (GB)",
  tdp_w: "TDP (W)",
  announced_on: "Announced",
  published_on: "Published",
  accessed_on: "Accessed",
  occurred_on: "Date",
  as_of: "As of",
  original_row: "Original row",
  deleted: "Deleted",
};

/** A record field as History and the Conflicts page name it: "native_name" → "Native name". */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? humanize(field);
}

/** A value as shown: "not recorded" for a blank one, else as the core gave it. */
export function shownValue(value: string | null | undefined): string {
  return value === null || value === undefined || value.trim() === "" ? EMPTY_VALUE : value;
}

const OPS: Record<string, string> = {
  created: "Created",
  changed: "Changed",
  deleted: "Deleted",
  restored: "Restored",
};

/** One entry of the History panel, ready to show. */
export type HistoryRow = {
  key: string;
  what: string;
  who: string;
  at: string;
  onServer: boolean;
  fields: { label: string; old: string; new: string; long: boolean }[];
};

/** The core's history (oldest first) as the panel lists it: newest first, fields named and values shown. */
export function historyRows(entries: readonly HistoryEntry[]): HistoryRow[] {
  return entries
    .map((entry, index) => ({
      key: `${index}:${entry.at}`,
      what: OPS[entry.op] ?? humanize(entry.op),
      who: entry.author,
      at: entry.at,
      onServer: entry.onServer,
      fields: entry.op === "changed"
        ? entry.fields.map((change) => {
            const old = shownValue(change.old);
            const next = shownValue(change.new);
            return { label: fieldLabel(change.field), old, new: next, long: isLongText(old) || isLongText(next) };
          })
        : [],
    }))
    .reverse();
}

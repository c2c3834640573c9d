import type { FirmSummary } from "../bindings";

/**
 * Folds text for matching: Unicode compatibility forms (full-width "ＨＵＡＷＥＩ"
 * → "huawei"), lower case, single spaces.
 */
export function foldForSearch(text: string): string {
  return text.normalize("NFKC").toLocaleLowerCase("en-US").replace(/\s+/g, " ").trim();
}

/**
 * The firms whose name or native name contains every word of `query`,
 * ignoring case: "华为" finds 华为技术有限公司, "hua tech" finds
 * "Huawei Technologies". An empty query keeps every firm. Order is kept.
 */
export function filterFirms<T extends Pick<FirmSummary, "name" | "nativeName">>(
  firms: readonly T[],
  query: string,
): T[] {
  const terms = foldForSearch(query).split(" ").filter((term) => term !== "");
  if (terms.length === 0) return [...firms];
  return firms.filter((firm) => {
    const haystack = foldForSearch(`${firm.name} ${firm.nativeName ?? ""}`);
    return terms.every((term) => haystack.includes(term));
  });
}

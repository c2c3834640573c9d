import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DATE_DISPLAY_EXAMPLES, DATE_RULE_EXAMPLES } from "./bindings";
import {
  countLabel,
  countryName,
  formatNumber,
  formatDate,
  formatQuantity,
  humanize,
  isLongText,
  languageName,
  MISSING,
  parsePartialDate,
  shortenPath,
  fileNameOf,
  truncateMiddle,
} from "./format";

describe("parsePartialDate", () => {
  it("reads year, month and day precision", () => {
    expect(parsePartialDate("2023")).toEqual({ precision: "year", year: 2023 });
    expect(parsePartialDate("2023-10")).toEqual({ precision: "month", year: 2023, month: 10 });
    expect(parsePartialDate("2023-10-17")).toEqual({ precision: "day", year: 2023, month: 10, day: 17 });
  });

  it("rejects impossible months and days, including 29 February outside leap years", () => {
    expect(parsePartialDate("2023-13")).toBeNull();
    expect(parsePartialDate("2023-00")).toBeNull();
    expect(parsePartialDate("2023-04-31")).toBeNull();
    expect(parsePartialDate("2023-02-29")).toBeNull();
    expect(parsePartialDate("2024-02-29")).toEqual({ precision: "day", year: 2024, month: 2, day: 29 });
    expect(parsePartialDate("1900-02-29")).toBeNull();
    expect(parsePartialDate("2000-02-29")).not.toBeNull();
  });

  it("rejects other shapes", () => {
    for (const text of ["", "23", "2023-1", "2023-10-1", "2023/10/17", "17 Oct 2023", "2023-10-17T00:00", "二〇二三"]) {
      expect(parsePartialDate(text), text).toBeNull();
    }
  });
});

describe("formatDate", () => {
  it("writes partial dates the way people do", () => {
    expect(formatDate("2023")).toBe("2023");
    expect(formatDate("2023-10")).toBe("Oct 2023");
    expect(formatDate("2023-10-17")).toBe("17 Oct 2023");
    expect(formatDate("2019-05-16")).toBe("16 May 2019");
    expect(formatDate("2024-01-01")).toBe("1 Jan 2024");
    expect(formatDate("0999")).toBe("0999");
  });

  it("shows every date as the core shows it (generated from crates/core date.rs)", () => {
    expect(DATE_DISPLAY_EXAMPLES.length).toBeGreaterThan(5);
    for (const [stored, shown] of DATE_DISPLAY_EXAMPLES) {
      expect(formatDate(stored), stored).toBe(shown);
    }
  });

  it("shows an em dash, or the given placeholder, for a missing date", () => {
    expect(formatDate(null)).toBe(MISSING);
    expect(formatDate(undefined)).toBe("—");
    expect(formatDate("  ")).toBe("—");
    expect(formatDate(null, "")).toBe("");
  });

  it("shows text that is not a date unchanged rather than hiding it", () => {
    expect(formatDate("2023-13")).toBe("2023-13");
    expect(formatDate("late 2023")).toBe("late 2023");
    expect(formatDate(" 2023-02-30 ")).toBe("2023-02-30");
    expect(formatDate("2023-02-30T10:00:00Z")).toBe("2023-02-30T10:00:00Z");
    expect(formatDate("Oct 2023")).toBe("Oct 2023");
  });

  it("ignores surrounding spaces around a valid date", () => {
    expect(formatDate(" 2023-10 ")).toBe("Oct 2023");
  });

  describe("timestamps, in local time to the minute", () => {
    // Node reads TZ again when it changes: the local time is China's, whatever the machine's.
    beforeAll(() => {
      vi.stubEnv("TZ", "Asia/Shanghai");
    });
    afterAll(() => {
      vi.unstubAllEnvs();
    });

    it("shows a backup's time, not the browser's locale format", () => {
      expect(formatDate("2026-12-01T15:22:55.481Z")).toBe("1 Dec 2026, 23:22");
      expect(formatDate("2026-12-01T15:22:55Z")).toBe("1 Dec 2026, 23:22");
      expect(formatDate("2026-12-01T15:22Z")).toBe("1 Dec 2026, 23:22");
    });

    it("reads a stored timestamp without a zone as UTC, and crosses midnight into the local day", () => {
      expect(formatDate("2024-05-01 09:30:00")).toBe("1 May 2024, 17:30");
      expect(formatDate("2026-11-30T18:05:00Z")).toBe("1 Dec 2026, 02:05");
      expect(formatDate("2026-12-01T07:00:00+08:00")).toBe("1 Dec 2026, 07:00");
    });
  });
});

describe("formatNumber", () => {
  it("groups thousands and drops needless decimals", () => {
    expect(formatNumber(15832)).toBe("15,832");
    expect(formatNumber(1228)).toBe("1,228");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(3.2, 2)).toBe("3.2");
    expect(formatNumber(5.923, 2)).toBe("5.92");
    expect(formatNumber(4800, 2)).toBe("4,800");
    expect(formatNumber(12.96)).toBe("13");
    expect(formatNumber(-1500)).toBe("-1,500");
  });

  it("dashes null, undefined and non-finite values", () => {
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber(undefined)).toBe("—");
    expect(formatNumber(Number.NaN)).toBe("—");
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe("—");
    expect(formatNumber(null, 0, "n/a")).toBe("n/a");
  });
});

describe("formatQuantity", () => {
  it("adds the unit to a formatted figure", () => {
    expect(formatQuantity(1228, "mm²")).toBe("1,228 mm²");
    expect(formatQuantity(7, "nm", 1)).toBe("7 nm");
    expect(formatQuantity(5.5, "nm", 1)).toBe("5.5 nm");
    expect(formatQuantity(64, "GB", 1)).toBe("64 GB");
  });

  it("dashes a missing figure without a stray unit", () => {
    expect(formatQuantity(null, "W")).toBe("—");
  });
});

describe("countLabel, humanize", () => {
  it("picks singular or plural", () => {
    expect(countLabel(1, "firm")).toBe("1 firm");
    expect(countLabel(0, "firm")).toBe("0 firms");
    expect(countLabel(1234, "source")).toBe("1,234 sources");
    expect(countLabel(2, "entity", "entities")).toBe("2 entities");
  });

  it("turns identifiers into labels", () => {
    expect(humanize("training_and_inference")).toBe("Training and inference");
    expect(humanize("notFound")).toBe("Not found");
    expect(humanize("company")).toBe("Company");
  });
});

describe("countryName, languageName", () => {
  it("names ISO codes in English and passes unknown input through", () => {
    expect(countryName("CN")).toBe("China");
    expect(countryName("us")).toBe("United States");
    expect(countryName(null)).toBeNull();
    expect(countryName("Mainland")).toBe("Mainland");
  });

  it("names languages", () => {
    expect(languageName("zh")).toBe("Chinese");
    expect(languageName("en")).toBe("English");
    expect(languageName(null)).toBeNull();
    expect(languageName("中文")).toBe("中文");
  });
});

describe("fileNameOf", () => {
  it("gives the last segment of POSIX and Windows paths", () => {
    expect(fileNameOf("/home/analyst/研究/export controls.db")).toBe("export controls.db");
    expect(fileNameOf("C:\\Users\\wei\\chipwatch.db")).toBe("chipwatch.db");
    expect(fileNameOf("/tmp/dir/")).toBe("dir");
    expect(fileNameOf("plain.db")).toBe("plain.db");
  });
});

describe("shortenPath", () => {
  it("keeps short paths whole", () => {
    expect(shortenPath("/tmp/w.sqlite")).toBe("/tmp/w.sqlite");
  });

  it("keeps the last folders of long paths", () => {
    expect(shortenPath("/home/analyst/.local/share/chipwatch/workspace.sqlite", 32)).toBe(
      "…/chipwatch/workspace.sqlite",
    );
    expect(shortenPath("C:\\Users\\analyst\\AppData\\Roaming\\chipwatch\\workspace.sqlite", 32)).toBe(
      "…\\chipwatch\\workspace.sqlite",
    );
  });

  it("falls back to the file name, then to cutting its middle", () => {
    expect(shortenPath("/home/analyst/a-very-long-folder-name/ws.sqlite", 20)).toBe("…/ws.sqlite");
    const shortened = shortenPath("/data/an-extremely-long-workspace-file-name-华为.sqlite", 20);
    expect(Array.from(shortened)).toHaveLength(20);
    expect(shortened.startsWith("…/")).toBe(true);
    expect(shortened.endsWith(".sqlite")).toBe(true);
  });
});

describe("truncateMiddle", () => {
  it("cuts by characters, not UTF-16 units", () => {
    expect(truncateMiddle("abcdefghij", 5)).toBe("ab…ij");
    expect(truncateMiddle("华为技术有限公司", 5)).toBe("华为…公司");
    expect(truncateMiddle("short", 10)).toBe("short");
  });
});

describe("the partial-date rule", () => {
  it("reads every sample as the core's rule does (generated from crates/core date.rs)", () => {
    expect(DATE_RULE_EXAMPLES.length).toBeGreaterThan(10);
    for (const [text, precision] of DATE_RULE_EXAMPLES) {
      expect(parsePartialDate(text)?.precision ?? null, JSON.stringify(text)).toBe(precision);
    }
  });
});

describe("isLongText", () => {
  it("finds a text long by its characters (not UTF-16 units) or by its lines", () => {
    expect(isLongText("short")).toBe(false);
    expect(isLongText("x".repeat(180))).toBe(false);
    expect(isLongText("x".repeat(181))).toBe(true);
    expect(isLongText("海".repeat(180))).toBe(false);
    expect(isLongText("one\ntwo\nthree")).toBe(false);
    expect(isLongText("one\ntwo\nthree\nfour")).toBe(true);
    expect(isLongText("x".repeat(100), 96, 4)).toBe(true);
  });
});

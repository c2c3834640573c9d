import { describe, expect, it } from "vitest";
import { filterFirms, foldForSearch } from "./filter";

const firms = [
  { id: 1, name: "Alibaba Group", nativeName: "阿里巴巴集团" },
  { id: 2, name: "Baidu", nativeName: "百度" },
  { id: 3, name: "HiSilicon", nativeName: "海思半导体" },
  { id: 4, name: "Huawei Technologies", nativeName: "华为技术有限公司" },
  { id: 5, name: "Semiconductor Manufacturing International Corporation (SMIC)", nativeName: "中芯国际" },
  { id: 6, name: "“Quoted” Lab 🚀", nativeName: null },
];

const names = (query: string) => filterFirms(firms, query).map((firm) => firm.name);

describe("filterFirms", () => {
  it("keeps every firm, in order, for an empty or blank query", () => {
    expect(names("")).toEqual(firms.map((firm) => firm.name));
    expect(names("   ")).toHaveLength(firms.length);
  });

  it("matches Chinese native names, including two-character words", () => {
    expect(names("华为")).toEqual(["Huawei Technologies"]);
    expect(names("中芯")).toEqual(["Semiconductor Manufacturing International Corporation (SMIC)"]);
    expect(names("有限公司")).toEqual(["Huawei Technologies"]);
    expect(names("台积电")).toEqual([]);
  });

  it("matches English names ignoring case", () => {
    expect(names("huawei")).toEqual(["Huawei Technologies"]);
    expect(names("HUAWEI")).toEqual(["Huawei Technologies"]);
    expect(names("smic")).toEqual(["Semiconductor Manufacturing International Corporation (SMIC)"]);
    expect(names("HI")).toEqual(["HiSilicon"]);
    expect(names("i")).toHaveLength(5);
  });

  it("requires every word of the query, in any order", () => {
    expect(names("tech huawei")).toEqual(["Huawei Technologies"]);
    expect(names("huawei baidu")).toEqual([]);
    expect(names("huawei 华为")).toEqual(["Huawei Technologies"]);
  });

  it("matches full-width letters as their plain forms", () => {
    expect(names("ＢＡＩＤＵ")).toEqual(["Baidu"]);
  });

  it("copes with quotes, emoji and missing native names", () => {
    expect(names("“quoted”")).toEqual(["“Quoted” Lab 🚀"]);
    expect(names("🚀")).toEqual(["“Quoted” Lab 🚀"]);
  });

  it("does not modify the list it is given", () => {
    const copy = structuredClone(firms);
    filterFirms(firms, "bai");
    expect(firms).toEqual(copy);
  });
});

describe("foldForSearch", () => {
  it("lower-cases, folds compatibility forms and collapses spaces", () => {
    expect(foldForSearch("  Huawei\t Technologies ")).toBe("huawei technologies");
    expect(foldForSearch("ＳＭＩＣ")).toBe("smic");
    expect(foldForSearch("华为")).toBe("华为");
  });
});

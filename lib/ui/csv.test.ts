import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv";

describe("csvCell", () => {
  it.each(["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])("neutralises formula trigger %j", (v) => {
    expect(csvCell(v).replace(/^"/, "").startsWith("'")).toBe(true);
  });

  it("keeps negative numbers numeric", () => {
    expect(csvCell(-5)).toBe("-5");
  });

  it("quotes commas, quotes and newlines", () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
  });

  it("renders null as empty", () => {
    expect(csvCell(null)).toBe("");
  });
});

describe("toCsv", () => {
  it("joins header and rows with CRLF", () => {
    expect(toCsv(["topic", "n"], [["=evil", 1]])).toBe("topic,n\r\n'=evil,1\r\n");
  });
});

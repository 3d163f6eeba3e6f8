import { describe, expect, it } from "vitest";
import { parseSort, sortRows } from "./sort";

describe("sortRows", () => {
  const rows = [
    { id: "b", lag: 5 },
    { id: "a", lag: null },
    { id: "c", lag: 10 },
  ];

  it("sorts numbers descending with nulls last", () => {
    expect(sortRows(rows, "lag", "desc").map((r) => r.id)).toEqual(["c", "b", "a"]);
    expect(sortRows(rows, "lag", "asc").map((r) => r.id)).toEqual(["b", "c", "a"]);
  });

  it("sorts strings", () => {
    expect(sortRows(rows, "id", "asc").map((r) => r.id)).toEqual(["a", "b", "c"]);
  });
});

describe("parseSort", () => {
  it("falls back on unknown columns and directions", () => {
    expect(parseSort("evil", "sideways", ["lag", "id"], { key: "lag", dir: "desc" })).toEqual({ key: "lag", dir: "desc" });
    expect(parseSort("id", "asc", ["lag", "id"], { key: "lag", dir: "desc" })).toEqual({ key: "id", dir: "asc" });
  });
});

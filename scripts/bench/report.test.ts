import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { below, equal, formatNumber, summarize } from "./report";
import { README_FILE, readmeTable, RESULTS_FILE, withReadmeTable, type BenchResults } from "./results";

describe("summarize", () => {
  it("uses nearest-rank percentiles of measured values", () => {
    const s = summarize([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]);
    expect(s).toMatchObject({ n: 10, min: 1, median: 5, p95: 10, max: 10, mean: 5.5 });
  });

  it("refuses an empty series instead of inventing numbers", () => {
    expect(() => summarize([])).toThrow();
  });
});

describe("goals", () => {
  it("passes below the limit only", () => {
    expect(below("poll", 4_999, 5_000, "ms").pass).toBe(true);
    expect(below("poll", 5_000, 5_000, "ms").pass).toBe(false);
  });

  it("compares request counts exactly", () => {
    expect(equal("requests", 15, 15, "requests").pass).toBe(true);
    expect(equal("requests", 16, 15, "requests")).toMatchObject({ pass: false, actual: "16 requests", target: "== 15 requests" });
  });
});

describe("README performance table", () => {
  it("shows the figures of the committed docs/bench-results.json", () => {
    const results = JSON.parse(readFileSync(RESULTS_FILE, "utf8")) as BenchResults;
    const table = readmeTable(results);
    expect(table).toContain(`${formatNumber(results.pollMedianMs5000)} ms`);
    expect(readFileSync(README_FILE, "utf8")).toContain(table);
  });

  it("shows the store benchmark's figures per database, and says which one was not measured", () => {
    const results = JSON.parse(readFileSync(RESULTS_FILE, "utf8")) as BenchResults;
    const both = readmeTable({ ...results, storeMb5000: { sqlite: { growthPerDay: 75, steadyState: 620 }, postgresql: { growthPerDay: 81, steadyState: 2_100 } } });
    expect(both).toContain("| database growth per day, store benchmark (SQLite / PostgreSQL) | 75 MiB / 81 MiB | ≤ 200 MiB |");
    expect(both).toContain("| database at the retention steady state (SQLite / PostgreSQL) | 620 MiB / 2,100 MiB | ≤ 2,048 MiB |");
    const sqliteOnly = readmeTable({ ...results, storeMb5000: { sqlite: { growthPerDay: 75, steadyState: 620 }, postgresql: null } });
    expect(sqliteOnly).toContain("| 620 MiB / not measured |");
    expect(readmeTable({ ...results, storeMb5000: null })).not.toContain("steady state");
  });

  it("replaces only the generated table", () => {
    const results = JSON.parse(readFileSync(RESULTS_FILE, "utf8")) as BenchResults;
    const readme = `before\n${readmeTable({ ...results, pollMedianMs5000: 1 })}\nafter\n`;
    expect(withReadmeTable(readme, readmeTable(results))).toBe(`before\n${readmeTable(results)}\nafter\n`);
    expect(withReadmeTable("no markers", "table")).toBeNull();
  });
});

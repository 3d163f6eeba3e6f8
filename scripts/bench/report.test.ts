import { describe, expect, it } from "vitest";
import { below, equal, summarize } from "./report";

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

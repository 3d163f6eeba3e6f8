import { describe, expect, it } from "vitest";
import { pickVersion } from "./versions";

describe("pickVersion", () => {
  const broker = { 2: { minVersion: 1, maxVersion: 11 }, 61: { minVersion: 0, maxVersion: 0 }, 9: { minVersion: 1, maxVersion: 5 } };

  it("takes the highest common version", () => {
    expect(pickVersion(2, 2, 9, broker)).toBe(9);
    expect(pickVersion(2, 2, 20, broker)).toBe(11);
    expect(pickVersion(61, 0, 0, broker)).toBe(0);
  });

  it("returns null when the broker lacks the API", () => {
    expect(pickVersion(66, 0, 2, broker)).toBeNull();
  });

  it("returns null when the ranges do not overlap", () => {
    expect(pickVersion(9, 6, 9, broker)).toBeNull();
    expect(pickVersion(2, 0, 0, broker)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { jittered, MAX_BACKOFF_MS, nextPollDelay } from "./schedule";

describe("poll scheduling", () => {
  it("jitters within ±10 % of the interval", () => {
    expect(jittered(15_000, () => 0)).toBe(13_500);
    expect(jittered(15_000, () => 0.5)).toBe(15_000);
    expect(jittered(15_000, () => 0.999999)).toBe(16_500);
    for (let i = 0; i < 1_000; i++) {
      const d = nextPollDelay(15_000, 0, Math.random);
      expect(d).toBeGreaterThanOrEqual(13_500);
      expect(d).toBeLessThanOrEqual(16_500);
    }
  });

  it("doubles per consecutive failure up to five minutes, jitter included", () => {
    const noJitter = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((f) => nextPollDelay(15_000, f, noJitter))).toEqual([
      15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000,
    ]);
    expect(nextPollDelay(15_000, 8, () => 0.999999)).toBe(MAX_BACKOFF_MS);
    expect(nextPollDelay(15_000, 8, () => 0)).toBe(270_000);
  });
});

import { describe, expect, it } from "vitest";
import { HOUR_MS } from "@/lib/time";
import { CHART_BUCKETS, EVERY_POLL_TAIL_MS, EVERY_POLL_WINDOW_MS, chartResolution, thinPolls } from "./downsample";

const POLL = 15_000;

describe("chart resolution", () => {
  it("keeps every poll up to a few hours, and beyond them every poll of the last hour only", () => {
    expect(chartResolution(0, EVERY_POLL_WINDOW_MS)).toEqual({ bucketMs: null, everyPollFrom: 0 });
    const to = 48 * HOUR_MS;
    const r = chartResolution(0, to);
    expect(r.everyPollFrom).toBe(to - EVERY_POLL_TAIL_MS);
    expect(r.bucketMs! * CHART_BUCKETS).toBeGreaterThanOrEqual(to - EVERY_POLL_TAIL_MS);
  });

  it("thins 48 h of polls to each bucket's first, last, lowest and highest, keeping spikes and the last hour whole", () => {
    const to = 48 * HOUR_MS;
    const polls = Array.from({ length: to / POLL + 1 }, (_, i) => ({ at: i * POLL, v: i % 7 }));
    const spikeAt = 20 * HOUR_MS + 7 * POLL;
    polls[spikeAt / POLL].v = 1_000;
    polls[spikeAt / POLL + 3].v = -50;
    const resolution = chartResolution(0, to);
    const kept = thinPolls(polls, resolution, (p) => p.v);
    expect(kept.length).toBeLessThanOrEqual(CHART_BUCKETS * 4 + EVERY_POLL_TAIL_MS / POLL + 4);
    expect(kept.length).toBeLessThan(polls.length / 5);
    // In time order, real polls only.
    expect(kept.every((p, i) => i === 0 || p.at > kept[i - 1].at)).toBe(true);
    expect(kept.every((p) => polls[p.at / POLL] === p)).toBe(true);
    // The extremes survive, and so do the first and last poll of the window.
    expect(Math.max(...kept.map((p) => p.v))).toBe(1_000);
    expect(Math.min(...kept.map((p) => p.v))).toBe(-50);
    expect(kept[0]).toBe(polls[0]);
    expect(kept.at(-1)).toBe(polls.at(-1));
    // Every poll of the last hour.
    expect(kept.filter((p) => p.at >= resolution.everyPollFrom)).toEqual(polls.filter((p) => p.at >= resolution.everyPollFrom));
  });

  it("never picks a poll without a value as an extreme, and leaves a short window alone", () => {
    const polls = Array.from({ length: 100 }, (_, i) => ({ at: i * POLL, v: i === 50 ? null : i }));
    expect(thinPolls(polls, { bucketMs: null, everyPollFrom: 0 }, (p) => p.v)).toBe(polls);
    const kept = thinPolls(polls, { bucketMs: 100 * POLL, everyPollFrom: 100 * POLL }, (p) => p.v);
    expect(kept.map((p) => p.at / POLL)).toEqual([0, 99]);
  });
});

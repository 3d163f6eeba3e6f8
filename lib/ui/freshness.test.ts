import { describe, expect, it } from "vitest";
import { freshness } from "./freshness";

const interval = 15_000;
const now = 1_700_000_000_000;

describe("freshness", () => {
  it("is fresh within three intervals of a complete poll", () => {
    const f = freshness(
      { lastPollAt: now - 20_000, lastPollComplete: true, lastPollError: null, lastSnapshotAt: now - 20_000 },
      interval,
      now,
    );
    expect(f.level).toBe("fresh");
    expect(f.banner).toBeNull();
    expect(f.label).toBe("polled 20 s ago");
  });

  it("is stale beyond three intervals and says why the last attempt failed", () => {
    const f = freshness(
      { lastPollAt: now - 5_000, lastPollComplete: false, lastPollError: "ECONNREFUSED", lastSnapshotAt: now - 46_000 },
      interval,
      now,
    );
    expect(f.level).toBe("stale");
    expect(f.tone).toBe("critical");
    expect(f.banner).toContain("46 s ago");
    expect(f.banner).toContain("ECONNREFUSED");
  });

  it("flags a partial last poll", () => {
    const f = freshness(
      { lastPollAt: now - 1_000, lastPollComplete: false, lastPollError: null, lastSnapshotAt: now - 1_000 },
      interval,
      now,
    );
    expect(f.level).toBe("partial");
    expect(f.banner).toMatch(/partial/);
  });

  it("says why the last poll failed while the last snapshot is still fresh", () => {
    const error = "Cluster prod unreachable: AUTHENTICATION: SASL SCRAM SHA512 authentication failed";
    const f = freshness({ lastPollAt: now - 1_000, lastPollComplete: false, lastPollError: error, lastSnapshotAt: now - 16_000 }, interval, now);
    expect(f.level).toBe("partial");
    expect(f.banner).toBe(`The last poll failed: ${error}. Values below are from the last successful poll.`);
  });

  it("reports a cluster never polled", () => {
    const f = freshness({ lastPollAt: null, lastPollComplete: null, lastPollError: null, lastSnapshotAt: null }, interval, now);
    expect(f.level).toBe("never");
    expect(f.label).toBe("no data yet");
  });
});

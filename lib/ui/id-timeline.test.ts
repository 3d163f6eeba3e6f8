import { describe, expect, it } from "vitest";
import type { IdTimelinePoint } from "./dto";
import { appearanceChart, epochChart, familyIds, idTimelineKind, producerIds, timelineWindow } from "./id-timeline";

const T = Date.UTC(2026, 10, 30, 12, 0, 0);
const point = (at: number, producerId: number | null, epoch: number | null, event = "epoch-bump", transactionalId = "w"): IdTimelinePoint => ({ at, transactionalId, producerId, epoch, event });

describe("id timelines", () => {
  it("charts fencing and fencing fights by epoch, lost fencing by appearances, nothing else", () => {
    const subject = { transactionalId: "w", topic: null, partition: null, groupId: null, brokerId: null, detail: null };
    expect(idTimelineKind({ kind: "fencing-fight", subject })).toBe("epochs");
    expect(idTimelineKind({ kind: "zombie-fenced", subject })).toBe("epochs");
    expect(idTimelineKind({ kind: "lost-fencing", subject })).toBe("appearances");
    expect(idTimelineKind({ kind: "hanging-transaction", subject })).toBe(null);
    expect(idTimelineKind({ kind: "zombie-fenced", subject: { ...subject, transactionalId: null } })).toBe(null);
  });

  it("keeps the epoch points with both values, oldest first, and names the producer ids in order", () => {
    const points = [point(T + 2000, 7, 0, "producer-id-change"), point(T, 5, 3), point(T + 1000, 5, 4), point(T + 500, null, null, "state-change")];
    expect(epochChart(points)).toEqual([
      { at: T, epoch: 3, producerId: 5 },
      { at: T + 1000, epoch: 4, producerId: 5 },
      { at: T + 2000, epoch: 0, producerId: 7 },
    ]);
    expect(producerIds(points)).toEqual([5, 7]);
  });

  it("counts a family's ids as they appear", () => {
    expect(appearanceChart([point(T + 60_000, 2, 0, "first seen", "b"), point(T, 1, 0, "first seen", "a")])).toEqual([
      { at: T, ids: 1 },
      { at: T + 60_000, ids: 2 },
    ]);
    expect(familyIds({ ids: ["a", 3, "b"] })).toEqual(["a", "b"]);
    expect(familyIds(null)).toEqual([]);
  });

  it("windows the timeline from half an hour before opening to ten minutes after resolving, never past now", () => {
    expect(timelineWindow({ firstSeenAt: T, resolvedAt: T + 60_000 }, T + 3_600_000)).toEqual({ from: T - 1_800_000, to: T + 660_000 });
    expect(timelineWindow({ firstSeenAt: T, resolvedAt: null }, T + 5000)).toEqual({ from: T - 1_800_000, to: T + 5000 });
  });
});

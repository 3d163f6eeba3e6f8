// A partial poll is missing evidence, not evidence: through the real fold, detectors and finding lifecycle, a
// STALLED group keeps its finding (same id, so alert links keep working) across polls whose group phases
// failed, and resolves only on a clean poll that shows progress.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { T0, buildGroup, buildPartition, buildSnapshot, buildTopic } from "@/lib/analysis/testing/snapshot-builder";
import type { ClusterSnapshot, PhaseName, PollPhase } from "@/lib/snapshot/types";
import { recordPoll } from "./polls";
import { listFindings } from "./queries";
import { openTestDatabase, type TestDatabase } from "./test-database";

const STEP = 15_000;
const PHASES: PhaseName[] = ["metadata", "configs", "offsets", "logDirs", "groups", "groupOffsets", "transactions", "producers"];

let t: TestDatabase;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(async () => {
  await t.dispose();
});

function phases(at: number, failed: PhaseName | null): PollPhase[] {
  // The collector runs nothing after a failed metadata phase.
  const ran = failed === "metadata" ? ["metadata" as const] : PHASES;
  return ran.map((name) => ({
    name,
    startedAt: at,
    durationMs: 5,
    requests: 1,
    bytesSent: 10,
    bytesReceived: 10,
    errors: name === failed ? [{ brokerId: 1, code: "CONNECTION", message: "Connection error: connect ECONNREFUSED" }] : [],
    unsupported: false,
  }));
}

type Failure = "groups" | "groupOffsets" | "metadata";

/** One poll of a group stuck at offset 200 while committed records keep arriving; `failed` drops what that phase reads. */
function poll(i: number, failed: Failure | null = null, committed = 200): ClusterSnapshot {
  const at = T0 + i * STEP;
  const group = buildGroup("g", failed === "groupOffsets" ? [] : [["in", 0, committed]]);
  return buildSnapshot({
    collectedAt: at,
    complete: failed === null,
    phases: phases(at, failed),
    topics: failed === "metadata" ? [] : [buildTopic("in", [buildPartition(0, { highWatermark: 1000 + i * 10, lastStableOffset: 1000 + i * 10 })])],
    groups: failed === "metadata" || failed === "groups" ? [] : [group],
  });
}

async function runPolls(polls: ClusterSnapshot[], state: { previous: DetectorState | null }) {
  const stalled: boolean[] = [];
  for (const snapshot of polls) {
    const result = runDetectors({ snapshot, previous: state.previous, now: snapshot.collectedAt });
    state.previous = result.state;
    await recordPoll(snapshot, result.findings, { analysisState: result.state }, t.db);
    stalled.push(result.findings.some((f) => f.kind === "eos-lag" && f.evidence.verdict === "STALLED"));
  }
  return stalled;
}

const openLag = async () => (await listFindings({ kind: "eos-lag" }, t.db)).filter((f) => f.resolvedAt === null);
// Before STALLED the group was LAGGING (a finding of its own, resolved when STALLED replaced it).
const resolvedStalls = async () => (await listFindings({ kind: "eos-lag", status: "resolved" }, t.db)).filter((f) => f.subject.detail === "STALLED");

describe.each<Failure>(["groups", "groupOffsets", "metadata"])("a poll whose %s phase failed", (failed) => {
  it("keeps a STALLED finding open under the same id, and a clean poll showing progress resolves it", async () => {
    const state = { previous: null as DetectorState | null };
    // 12 polls of 15 s with the committed offset unchanged: STALLED from the poll where it has been 120 s.
    const before = await runPolls(Array.from({ length: 12 }, (_, i) => poll(i)), state);
    expect(before.indexOf(true)).toBe(8);
    const [finding] = await openLag();
    expect(finding).toMatchObject({ subject: expect.objectContaining({ groupId: "g", detail: "STALLED" }), firstSeenAt: new Date(T0 + 8 * STEP) });

    const during = await runPolls([12, 13, 14].map((i) => poll(i, failed)), state);
    expect(during).toEqual([false, false, false]);
    expect(await openLag()).toEqual([expect.objectContaining({ id: finding.id, resolvedAt: null })]);

    // Back to clean polls, still no progress: the same finding, never resolved in between.
    const after = await runPolls([15, 16].map((i) => poll(i)), state);
    expect(after).toEqual([true, true]);
    const [still] = await openLag();
    expect(still).toMatchObject({ id: finding.id, firstSeenAt: finding.firstSeenAt });
    expect(await resolvedStalls()).toEqual([]);

    // Progress on a partial poll is not seen; on a clean poll it resolves the finding.
    await runPolls([poll(17, failed, 1170)], state);
    expect((await openLag()).map((f) => f.id)).toEqual([finding.id]);
    await runPolls([poll(18, null, 1180)], state);
    expect(await openLag()).toEqual([]);
    expect(await resolvedStalls()).toEqual([expect.objectContaining({ id: finding.id, resolvedAt: new Date(T0 + 18 * STEP) })]);
  });
});

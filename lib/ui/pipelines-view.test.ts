import { describe, expect, it } from "vitest";
import { discoverPipelines, runDetectors, type DetectorState } from "../analysis";
import { coordinatorPartition } from "../analysis/java-hash";
import { DEFAULT_SETTINGS, resolveSettings } from "../analysis/settings";
import { T0, buildGroup, buildSnapshot, buildTransaction, buildUniformTopic } from "../analysis/testing/snapshot-builder";
import { readRecording, recordingPath } from "../analysis/testing/recorded/recording";
import type { StreamsEosInfo, UnstableTransactionalIdInfo } from "../../scripts/scenarios";
import type { ClusterSnapshot } from "../snapshot/types";
import { pipelineCards } from "./pipelines-view";

/** The cards of a recorded scenario's last poll, with the detector state its polls built up. */
function recordedCards<Info extends object>(id: number, name: string) {
  const recording = readRecording<Info>(recordingPath({ id, name }));
  const settings = resolveSettings({ txnBlockedMs: recording.settings.lsoStuckMs ?? DEFAULT_SETTINGS.txnBlockedMs, ...recording.settings });
  let state: DetectorState | null = null;
  for (const s of recording.snapshots) state = runDetectors({ snapshot: s, previous: state, now: s.collectedAt + s.durationMs, settings }).state;
  return { prefix: recording.prefix, info: recording.info, cards: pipelineCards(discoverPipelines(recording.snapshots.at(-1)!, state)) };
}

const checkKeys = (card: { checks: { key: string }[] }) => card.checks.map((c) => c.key);

describe("pipelineCards on recorded scenarios (real 4.4.0 broker)", () => {
  it("Kafka Streams exactly_once_v2: every process UUID of the application is one card, stopped ones listed last as inactive", () => {
    const { prefix, info, cards } = recordedCards<StreamsEosInfo>(15, "streams-eos");
    const mine = cards.filter((c) => c.name.startsWith(prefix));
    expect(mine).toHaveLength(1);
    const [card] = mine;
    expect(card).toMatchObject({ name: `${info.applicationId}-*-*`, application: info.applicationId, kind: "consume-transform-produce", failing: 0 });
    expect(card.instances.map((i) => i.transactionalId).sort()).toEqual([...info.transactionalIds].sort());
    expect(card.activeCount).toBeGreaterThanOrEqual(1);
    // Active instances first, then the inactive ones (issue 9's notion: the instance is gone).
    const flags = card.instances.map((i) => i.inactive);
    expect(flags).toEqual([...flags].sort((a, b) => Number(a) - Number(b)));
    expect(flags).toContain(true);
    expect(checkKeys(card)).toContain("offsetsCommittedInTransaction");
    expect(card.checks.find((c) => c.key === "offsetsCommittedInTransaction")!.ok).toBe(true);
  });

  it("Java consume-transform-produce: the full EOS checklist, offsets committed in the transaction", () => {
    const { prefix, cards } = recordedCards(12, "java-eos-pipeline");
    const [card] = cards.filter((c) => c.name.startsWith(prefix));
    expect(card.kind).toBe("consume-transform-produce");
    expect(card.instances).toHaveLength(1);
    expect(checkKeys(card).sort()).toEqual(["downstreamReadCommitted", "offsetsCommittedInTransaction", "safeMinInsyncReplicas", "stableTransactionalId"]);
    expect(card.failing).toBe(0);
  });

  it("a transactional producer (kafkajs, consumes nothing) gets no input-offsets check and no failure", () => {
    const { prefix, cards } = recordedCards(4, "zombie-fencing");
    const [card] = cards.filter((c) => c.name.startsWith(prefix));
    expect(card.kind).toBe("transactional-producer");
    expect(checkKeys(card)).not.toContain("offsetsCommittedInTransaction");
    expect(card.checks.filter((c) => c.ok === false)).toEqual([]);
  });

  it("ids with a fresh UUID per start: one card of all its instances, the failing stable-id check first, naming them", () => {
    const { prefix, info, cards } = recordedCards<UnstableTransactionalIdInfo>(5, "unstable-transactional-id");
    const mine = cards.filter((c) => c.name.startsWith(prefix));
    expect(mine).toHaveLength(1);
    const [card] = mine;
    expect(card.name).toBe(`${info.transactionalIdPrefix}*`);
    expect(card.instances.map((i) => i.transactionalId).sort()).toEqual([...info.transactionalIds].sort());
    expect(card.checks[0]).toMatchObject({ key: "stableTransactionalId", ok: false });
    for (const i of card.instances.filter((x) => !x.inactive)) expect(card.checks[0].detail).toContain(i.transactionalId);
    expect(card.failing).toBe(1);
  });
});

describe("pipelineCards on built snapshots", () => {
  const OFFSETS = 3;
  function run(polls: ClusterSnapshot[]) {
    let state: DetectorState | null = null;
    for (const s of polls) state = runDetectors({ snapshot: s, previous: state, now: s.collectedAt }).state;
    return pipelineCards(discoverPipelines(polls.at(-1)!, state));
  }
  /** app-0..2 consume `raw` as group "app" and write `out` (min.insync.replicas 1 unless safe) on 3 brokers; `solo` only produces. */
  const poll = (i: number, safe = false) => {
    const t = T0 + i * 15_000;
    const out = buildUniformTopic("out", 1, () => ({ highWatermark: 100 + i, lastStableOffset: 100 + i }), safe ? {} : { "min.insync.replicas": "1" });
    return buildSnapshot({
      collectedAt: t,
      topics: [buildUniformTopic("__consumer_offsets", OFFSETS), buildUniformTopic("raw", 1), out, buildUniformTopic("audit", 1)],
      groups: [buildGroup("app", [["raw", 0, 10 + i]])],
      transactions: [
        ...[0, 1, 2].map((n) =>
          buildTransaction({
            transactionalId: `app-${n}`,
            producerId: 10 + n,
            state: "Ongoing",
            transactionStartTimeMs: t,
            partitions: [{ topic: "out", partition: 0 }, { topic: "__consumer_offsets", partition: coordinatorPartition("app", OFFSETS) }],
          }),
        ),
        buildTransaction({ transactionalId: "solo", producerId: 20, state: "Ongoing", transactionStartTimeMs: t, partitions: [{ topic: "audit", partition: 0 }] }),
      ],
    });
  };

  it("makes one card of app-0..2, lists its instances, and sorts the card failing a check first", () => {
    const cards = run([poll(0), poll(1)]);
    expect(cards.map((c) => c.name)).toEqual(["app-*", "solo"]);
    const [app, solo] = cards;
    expect(app.instances.map((i) => i.transactionalId)).toEqual(["app-0", "app-1", "app-2"]);
    expect(app).toMatchObject({ kind: "consume-transform-produce", groupIds: ["app"], inputTopics: ["raw"], outputTopics: ["out"], activeCount: 3 });
    expect(app.checks[0]).toMatchObject({ key: "safeMinInsyncReplicas", ok: false });
    expect(app.failing).toBe(1);
    expect(solo.kind).toBe("transactional-producer");
    expect(checkKeys(solo)).not.toContain("offsetsCommittedInTransaction");
  });

  it("puts a passing consume-transform-produce card before a producer, and passes every check of a safe pipeline", () => {
    const cards = run([poll(0, true), poll(1, true)]);
    expect(cards.map((c) => [c.name, c.failing])).toEqual([["app-*", 0], ["solo", 0]]);
    expect(cards[0].checks.map((c) => c.ok)).toEqual([true, true, null, true]);
  });
});

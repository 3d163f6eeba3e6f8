// Pipelines: a transactional id, the consumer group whose offsets it commits (its `__consumer_offsets`
// partition hashed back over known group ids, confirmed by the group's offsets moving with its commits),
// the group's input topics and the id's output topics, with an exactly-once checklist. Coordinator state only shows the current transaction's partitions (none once
// it completes), so the links accumulate in DetectorState across polls, and partition producer state (which
// keeps every producer that wrote a partition, `__consumer_offsets` included) supplies them on any poll.
import type { ClusterSnapshot } from "../snapshot/types";
import { findLostFencingFamilies } from "./detectors/lost-fencing";
import { findUncommittedReads } from "./detectors/read-uncommitted";
import { makeFinding, type Finding } from "./findings";
import type { DetectorState } from "./index";
import { groupsByOffsetsPartition, linkedGroups, streamsApplicationId, type GroupLinkKind } from "./links";
import { resolveSettings } from "./settings";
import { CONSUMER_OFFSETS_TOPIC, buildIndex, parseConfigNumber, partitionsByProducerId, type SnapshotIndex } from "./snapshot-index";
import { isInactive } from "./transactional-id-history";

export interface ChecklistItem {
  /** null: not knowable yet (e.g. nobody reads the output). */
  ok: boolean | null;
  detail: string;
}

/**
 * consume-transform-produce: the id commits a group's offsets in its transactions, and the whole EOS checklist
 * applies; transactional-producer: it commits no offsets (nothing consumed, or offsets kept elsewhere), so the
 * input-side check does not.
 */
export type PipelineKind = "consume-transform-produce" | "transactional-producer";

export interface Pipeline {
  transactionalId: string;
  kind: PipelineKind;
  producerId: number;
  producerEpoch: number;
  state: string;
  groupIds: string[];
  /** How the groups were linked: by their offsets moving with its commits, or provisionally by hashing. */
  groupLink: GroupLinkKind;
  /** No transaction for many times its usual interval: its instance is gone; left out of the checks. */
  inactive: boolean;
  inputTopics: string[];
  outputTopics: string[];
  /** Groups that consume the output topics. */
  downstreamGroupIds: string[];
  checklist: {
    stableTransactionalId: ChecklistItem;
    /** Only for consume-transform-produce pipelines. */
    offsetsCommittedInTransaction?: ChecklistItem;
    downstreamReadCommitted: ChecklistItem;
    safeMinInsyncReplicas: ChecklistItem;
  };
}

type PipelineState = Pick<DetectorState, "transactionalIds" | "groups" | "partitions">;

export function discoverPipelines(snapshot: ClusterSnapshot, state: PipelineState | null, now = snapshot.collectedAt): Pipeline[] {
  return pipelinesFor(buildIndex(snapshot, now, resolveSettings()), state);
}

function pipelinesFor(index: SnapshotIndex, state: PipelineState | null): Pipeline[] {
  const ids = state?.transactionalIds ?? {};
  const groupsByPartition = groupsByOffsetsPartition(index.snapshot);
  const lostFencing = new Map(
    findLostFencingFamilies(ids, index.settings.lostFencingMinIds).flatMap((f) => f.members.map((id) => [id, f.family] as const)),
  );
  const written = partitionsByProducerId(index.snapshot);
  const groupTopics = topicsByGroup(index.snapshot);
  const readersByTopic = groupsByTopic(groupTopics);
  const streamsGroups = new Set(index.snapshot.transactions.map((t) => streamsApplicationId(t.transactionalId)));
  // Snapshot order, kept by the downstream lists: one lookup per reader, not a scan of every group per id.
  const groupOrder = new Map(index.snapshot.groups.map((g, i) => [g.groupId, i]));
  const readingPastLso = new Set(
    findUncommittedReads(index, state?.groups ?? {}, state?.partitions ?? {}).map((r) => `${r.groupId}\u0000${r.topic}`),
  );
  return index.snapshot.transactions
    .filter((t) => t.state !== "Dead")
    .map((txn) => {
      const history = ids[txn.transactionalId];
      const touched = [...txn.partitions, ...(written.get(txn.producerId) ?? [])];
      const offsetsPartitions = new Set([
        ...(history?.offsetsPartitions ?? []),
        ...touched.filter((p) => p.topic === CONSUMER_OFFSETS_TOPIC).map((p) => p.partition),
      ]);
      const outputTopics = [
        ...new Set([...(history?.outputTopics ?? []), ...touched.map((p) => p.topic).filter((t) => !t.startsWith("__"))]),
      ].sort();
      const hashed = [...offsetsPartitions].flatMap((p) => groupsByPartition.get(p) ?? []);
      const readsOutput = (groupId: string) => outputTopics.some((t) => groupTopics.get(groupId)?.has(t));
      const { groupIds, link: groupLink } = linkedGroups(history, hashed, (candidates) =>
        inputGroups(candidates, txn.transactionalId, (g) => readsOutput(g) || streamsGroups.has(g)),
      );
      const groupFenced = offsetsPartitions.size > 0;
      const inputTopics = [
        ...new Set(groupIds.flatMap((g) => [...(groupTopics.get(g) ?? [])])),
      ].sort();
      const readers = new Set(outputTopics.flatMap((t) => readersByTopic.get(t) ?? []));
      const downstream = [...readers]
        .flatMap((id) => {
          const i = groupOrder.get(id);
          return i === undefined ? [] : [i];
        })
        .sort((x, y) => x - y)
        .map((i) => index.snapshot.groups[i]);
      const pastLso = downstream.filter((g) => outputTopics.some((t) => readingPastLso.has(`${g.groupId}\u0000${t}`)));
      const unsafeTopics = outputTopics.filter((t) => !safeReplication(index, t));
      const family = lostFencing.get(txn.transactionalId);
      return {
        transactionalId: txn.transactionalId,
        kind: groupFenced ? "consume-transform-produce" : "transactional-producer",
        producerId: txn.producerId,
        producerEpoch: txn.producerEpoch,
        state: txn.state,
        groupIds,
        groupLink,
        inactive: history ? isInactive(history, txn, index.now, index.settings) : false,
        inputTopics,
        outputTopics,
        downstreamGroupIds: downstream.map((g) => g.groupId).sort(),
        checklist: {
          stableTransactionalId: groupFenced
            ? { ok: true, detail: "commits its input offsets in its transactions: the group generation fences zombies (KIP-447), the id need not be stable" }
            : family
              ? { ok: false, detail: `one of several ids of the form "${family}" appearing over time: a new id per start is never fenced` }
              : { ok: true, detail: "no sibling ids with only random parts changing" },
          ...(groupFenced
            ? { offsetsCommittedInTransaction: { ok: true, detail: `commits offsets${groupIds.length ? ` of ${groupIds.join(", ")}` : ""} inside its transactions` } }
            : {}),
          downstreamReadCommitted: !downstream.length
            ? { ok: null, detail: "no consumer group reads the output topics yet" }
            : pastLso.length
              ? { ok: false, detail: `${pastLso.map((g) => g.groupId).join(", ")} read past open transactions (read_uncommitted)` }
              : { ok: true, detail: "no downstream group was seen reading past the LSO (isolation.level itself is not visible)" },
          safeMinInsyncReplicas: !outputTopics.length
            ? { ok: null, detail: "no output topic seen yet" }
            : index.snapshot.brokers.length < 3
              ? { ok: null, detail: "the cluster has fewer than 3 brokers: RF 3 with min.insync.replicas 2 is impossible" }
              : unsafeTopics.length
              ? { ok: false, detail: `${unsafeTopics.join(", ")}: want replication factor ≥ 3 and 2 ≤ min.insync.replicas < RF` }
              : { ok: true, detail: "output topics have RF ≥ 3 and 2 ≤ min.insync.replicas < RF" },
        },
      };
    });
}

/**
 * Several groups can hash to one `__consumer_offsets` partition; a group that reads the pipeline's own
 * output is downstream, not its input, so it is dropped unless nothing else is left. A Kafka Streams id names
 * its group (its application.id), and a group so named by another id's Streams producers is theirs: a Streams
 * app commits every 100 ms, so its offsets move in every gap and evidence alone cannot tell it apart.
 */
function inputGroups(candidates: string[], transactionalId: string, notInput: (groupId: string) => boolean): string[] {
  const application = streamsApplicationId(transactionalId);
  if (application !== null && candidates.includes(application)) return [application];
  const upstream = candidates.filter((g) => !notInput(g));
  return upstream.length ? upstream : candidates;
}

/** Each group's committed topics, built once per snapshot: looked up per id, not scanned (hundreds of ids × groups). */
function topicsByGroup(snapshot: ClusterSnapshot): Map<string, Set<string>> {
  return new Map(snapshot.groups.map((g) => [g.groupId, new Set(g.offsets.map((o) => o.topic))]));
}

/** Topic → the groups committing offsets on it: a pipeline's downstream groups come from its few output topics. */
function groupsByTopic(groupTopics: Map<string, Set<string>>): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const [groupId, topics] of groupTopics) {
    for (const topic of topics) {
      const list = readers.get(topic) ?? [];
      list.push(groupId);
      readers.set(topic, list);
    }
  }
  return readers;
}

function safeReplication(index: SnapshotIndex, topicName: string): boolean {
  const topic = index.topics.get(topicName);
  if (!topic) return true;
  const rf = Math.max(0, ...topic.partitions.map((p) => p.replicas.length));
  const minIsr = parseConfigNumber(topic.configs["min.insync.replicas"]);
  return rf >= 3 && minIsr !== null && minIsr >= 2 && minIsr < rf;
}

/** Findings for consume-transform-produce pipelines (offsets in the transaction) failing a checklist item. */
export function detectPipelineGaps(index: SnapshotIndex, state: PipelineState): Finding[] {
  return pipelinesFor(index, state)
    .filter((p) => p.kind === "consume-transform-produce" && !p.inactive)
    .flatMap((p) => {
      const failed = Object.entries(p.checklist).flatMap(([name, item]) => (item?.ok === false ? [[name, item] as const] : []));
      if (!failed.length) return [];
      return [
        makeFinding({
          kind: "pipeline-checklist",
          severity: "warning",
          cluster: index.snapshot.cluster,
          subject: { transactionalId: p.transactionalId },
          title: `Pipeline ${p.inputTopics.join(", ") || "?"} → ${p.groupIds.join(", ")} → ${p.outputTopics.join(", ") || "?"} (${p.transactionalId}) fails ${failed.length} exactly-once check(s)`,
          evidence: {
            failedChecks: failed.map(([name]) => name),
            groupIds: p.groupIds,
            inputTopics: p.inputTopics,
            outputTopics: p.outputTopics,
            downstreamGroupIds: p.downstreamGroupIds,
          },
          explanation: `End-to-end exactly-once needs every link to hold: ${failed.map(([name, item]) => `${name}: ${item.detail}`).join("; ")}.`,
          remediation: "Fix each failed check; the related findings (lost fencing, read_uncommitted readers, configuration risks) name the exact change.",
        }),
      ];
    });
}

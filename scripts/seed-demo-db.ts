// npm run seed:demo — fills DATABASE_URL with synthetic polls and findings through lib/store, for UI work and
// the Playwright layout/XSS tests. Times are relative to now so the data looks live. Names include hostile
// strings on purpose: Kafka transactional and group ids may contain markup, '/', '#', '?' and spaces.
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { kafkaCommands } from "@/lib/analysis/commands";
import { makeFinding, type Finding } from "@/lib/analysis/findings";
import { coordinatorPartition } from "@/lib/analysis/java-hash";
import {
  buildGroup,
  buildPartition,
  buildProducer,
  buildSnapshot,
  buildTopic,
  buildTransaction,
} from "@/lib/analysis/testing/snapshot-builder";
import { env } from "@/lib/config/env";
import type { ClusterSnapshot, ConsumerGroupState, TopicState, TransactionState } from "@/lib/snapshot/types";
import { closeDatabase, useDatabase } from "@/lib/store/db";
import { migrateDeploy } from "@/lib/store/migrate";
import { recordFailedPoll, recordPoll } from "@/lib/store/polls";
import { listFindings } from "@/lib/store/queries";
import { recordRemediationAttempt, type RemediationAuditEntry } from "@/lib/store/remediation-audit";
import { pruneAndRollup } from "@/lib/store/retention";
import { DEFAULT_RETENTION } from "@/lib/store/types";

import {
  BIDI_GROUP_ID,
  DEMO_CLUSTER as CLUSTER,
  HOSTILE_GROUP_ID,
  HOSTILE_TXN_ID,
  HUNG_TXN_ID,
  PATHY_TXN_ID,
  SHELL_HOSTILE_TXN_ID,
  KIP848_GROUP,
  SHARE_GROUP,
  STALE_CLUSTER,
  STALE_CLUSTER_ERROR,
  STREAMS_APP,
  FENCING_TXN_ID,
  LOST_FENCING_FAMILY,
  EXPORTER_IDS,
  streamsTransactionalId,
} from "./seed-demo-names";
import { DAY_MS } from "@/lib/time";

const POLLS = 80;
const STEP_MS = 15_000;
/** Sparse polls before the dense last 20 minutes, so capacity roll-ups have hours and days to show. */
const HISTORY_DAYS = 3;
const HISTORY_STEP_MS = 20 * 60_000;
const OFFSETS_PARTITIONS = 3;
const ENRICHER_GROUP = "enricher";
const ORDERS_RATES = [40, 10, 10, 8, 12, 10];
const HUNG_PARTITION = 2;

/** Records written since `origin` at `rate`/s with a daily swing of ±50 %, so capacity charts have a shape. */
function offsetAt(rate: number, origin: number, t: number): number {
  const s = (t - origin) / 1000;
  const daySeconds = DAY_MS / 1000;
  return 1_000 + Math.round(rate * (s + (0.5 * daySeconds) / (2 * Math.PI) * (1 - Math.cos((2 * Math.PI * s) / daySeconds))));
}

interface Timeline {
  origin: number;
  /** First of the dense (15 s) polls. */
  denseStart: number;
  /** The on-call walk's findings (fencing fight, lost fencing, low replication) open here: after the time-travel test's instant. */
  walkSince: number;
  /** The hung transaction's first offset is written at this time. */
  hungSince: number;
  /** Only the last few polls see orders-5 lose a replica. */
  shrinkAfter: number;
}

function ordersTopic(t: number, tl: Timeline): TopicState {
  return buildTopic(
    "orders",
    ORDERS_RATES.map((rate, p) => {
      const hw = offsetAt(rate, tl.origin, t);
      const pinned = p === HUNG_PARTITION && t >= tl.hungSince;
      const lso = pinned ? offsetAt(rate, tl.origin, tl.hungSince) : hw;
      return buildPartition(p, {
        leader: (p % 3) + 1,
        replicas: [1, 2, 3],
        isr: p === 5 && t > tl.shrinkAfter ? [1, 2] : [1, 2, 3],
        logStartOffset: 200,
        highWatermark: hw,
        lastStableOffset: lso,
        sizeBytes: hw * 512,
        producers: [
          buildProducer({
            producerId: 4000 + p,
            producerEpoch: 3,
            lastSequence: hw % 1000,
            lastTimestamp: pinned ? tl.hungSince : t - 1000,
            currentTxnStartOffset: pinned ? lso : -1,
          }),
        ],
      });
    }),
    { "min.insync.replicas": "2" },
  );
}

// The on-call walk (issue 13): a Kafka Streams app whose instances make one pipeline card (the first one long
// gone), writing five topics of replication factor 1; an id whose two instances keep fencing each other; and
// an exporter that takes a fresh transactional.id every start (lost fencing).
const STREAMS_TOPICS = ["audit", "invoices", "refunds", "returns", "shipments"].map((t) => `${STREAMS_APP}-${t}`);
/** The first Streams instance stopped this long after the history began; the other two started then. */
const STREAMS_RESTART_MS = 3 * 3_600_000;
/** A new exporter id every this many dense polls. */
const EXPORTER_RESTART_POLLS = 15;
/** Two instances of one id fence each other: the epoch moves every other poll; late on the coordinator hands out a new producer id. */
const FENCING_PRODUCER_IDS = [7000, 7001];

const denseIndex = (t: number, tl: Timeline) => Math.floor((t - tl.denseStart) / STEP_MS);

function walkTopics(t: number, tl: Timeline): TopicState[] {
  return STREAMS_TOPICS.map((name, i) => {
    const hw = offsetAt(1 + i, tl.origin, t);
    return buildTopic(name, [buildPartition(0, { leader: (i % 3) + 1, replicas: [(i % 3) + 1], isr: [(i % 3) + 1], highWatermark: hw, lastStableOffset: hw, sizeBytes: hw * 200 })], {
      "min.insync.replicas": "1",
    });
  });
}

function walkGroups(t: number, tl: Timeline): ConsumerGroupState[] {
  const payments = offsetAt(3, tl.origin, t);
  return [buildGroup(STREAMS_APP, [0, 1, 2].map((p) => ["payments", p, payments - 5] as [string, number, number]))];
}

function walkTransactions(t: number, tl: Timeline): TransactionState[] {
  const offsets = { topic: "__consumer_offsets", partition: coordinatorPartition(STREAMS_APP, OFFSETS_PARTITIONS) };
  const restartAt = tl.origin + STREAMS_RESTART_MS;
  const streams = [0, 1, 2].flatMap((instance) => {
    const running = instance === 0 ? t < restartAt : t >= restartAt;
    if (!running && instance !== 0) return [];
    const topics = instance === 2 ? STREAMS_TOPICS.slice(3) : STREAMS_TOPICS.slice(0, 3);
    return [
      buildTransaction({
        transactionalId: streamsTransactionalId(instance),
        producerId: 8000 + instance,
        producerEpoch: 0,
        state: running ? "Ongoing" : "CompleteCommit",
        transactionStartTimeMs: running ? t - 100 : restartAt - 60_000,
        partitions: running ? [...topics.map((topic) => ({ topic, partition: 0 })), offsets] : [],
      }),
    ];
  });
  const dense = denseIndex(t, tl);
  const fencing =
    dense < 0
      ? []
      : [
          buildTransaction({
            transactionalId: FENCING_TXN_ID,
            producerId: dense >= POLLS - 12 ? FENCING_PRODUCER_IDS[1] : FENCING_PRODUCER_IDS[0],
            producerEpoch: dense >= POLLS - 12 ? Math.floor((dense - (POLLS - 12)) / 2) : 40 + Math.floor(dense / 2),
            state: dense % 2 ? "Ongoing" : "CompleteAbort",
            transactionStartTimeMs: dense % 2 ? t - 500 : t - STEP_MS,
            partitions: dense % 2 ? [{ topic: "payments", partition: 2 }] : [],
          }),
        ];
  const exporters = EXPORTER_IDS.flatMap((_, i) => {
    const startedAt = i * EXPORTER_RESTART_POLLS;
    if (dense < startedAt) return [];
    const current = dense < startedAt + EXPORTER_RESTART_POLLS || i === EXPORTER_IDS.length - 1;
    return [
      buildTransaction({
        transactionalId: EXPORTER_IDS[i],
        producerId: 9000 + i,
        producerEpoch: 0,
        state: current ? "Ongoing" : "CompleteCommit",
        transactionStartTimeMs: current ? t - 300 : tl.denseStart + (startedAt + EXPORTER_RESTART_POLLS) * STEP_MS - 1000,
        partitions: current ? [{ topic: "payments", partition: 0 }] : [],
      }),
    ];
  });
  return [...streams, ...fencing, ...exporters];
}

function walkFindings(t: number, tl: Timeline): Finding[] {
  if (t < tl.walkSince) return [];
  const dense = denseIndex(t, tl);
  const exporterIds = EXPORTER_IDS.filter((_, i) => dense >= i * EXPORTER_RESTART_POLLS);
  return [
    ...STREAMS_TOPICS.map((topic) =>
      makeFinding({
        kind: "config-low-replication",
        severity: "warning",
        cluster: CLUSTER,
        subject: { topic },
        title: `${topic}: transactionally written with replication factor 1`,
        evidence: { replicationFactor: 1, minInsyncReplicas: 1 },
        explanation:
          "Exactly-once output needs committed data and markers to survive a broker loss while writes continue: that takes RF ≥ 3 with min.insync.replicas=2 (KafkaProducer documentation).",
        remediation: "Increase the replication factor to 3 with kafka-reassign-partitions.sh (a reassignment JSON listing three replicas per partition).",
      }),
    ),
    makeFinding({
      kind: "fencing-fight",
      severity: "warning",
      cluster: CLUSTER,
      subject: { transactionalId: FENCING_TXN_ID },
      title: `Fencing fight on transactional id "${FENCING_TXN_ID}": 12 fences in 10 min`,
      evidence: { fences: 12, windowMs: 600_000, producerIds: FENCING_PRODUCER_IDS },
      explanation: "Two live instances share one transactional.id: each InitProducerId fences the other, whose next transaction aborts.",
      remediation: "Find the duplicate deployment (two pods with the same ordinal, a blue/green overlap) and stop one of them.",
    }),
    makeFinding({
      kind: "lost-fencing",
      severity: "warning",
      cluster: CLUSTER,
      subject: { transactionalId: LOST_FENCING_FAMILY },
      title: `${exporterIds.length} transactional ids of the form "${LOST_FENCING_FAMILY}": a fresh transactional.id per start defeats fencing`,
      evidence: { family: LOST_FENCING_FAMILY, ids: exporterIds, distinctIds: exporterIds.length, appearedWhileWatching: exporterIds.length - 1, generatedParts: true },
      explanation: "Each start gets a new id, so InitProducerId never fences the previous instance: a zombie can still commit transactions.",
      remediation: "Derive transactional.id from something stable per logical instance (a StatefulSet ordinal, a fixed per-deployment name).",
    }),
  ];
}

/** payments-writer commits and now and then aborts between polls (capacity's transaction roll-ups); the last poll sees it committed. */
const WRITER_CYCLE = ["CompleteCommit", "Ongoing", "CompleteAbort", "Ongoing", "CompleteCommit", "Ongoing"] as const;

function snapshotAt(t: number, tl: Timeline, partial: boolean, pollsBeforeLast: number): ClusterSnapshot {
  const writerState = WRITER_CYCLE[pollsBeforeLast % WRITER_CYCLE.length];
  const writerOpen = writerState === "Ongoing";
  const orders = ordersTopic(t, tl);
  const hung = t >= tl.hungSince;
  const payments = offsetAt(3, tl.origin, t);
  const lsoOf = (p: number) => orders.partitions[p].lastStableOffset ?? 0;
  return buildSnapshot({
    cluster: CLUSTER,
    clusterId: "demo-cluster-id",
    collectedAt: t,
    durationMs: 380,
    complete: !partial,
    phases: [
      { name: "metadata", startedAt: t, durationMs: 20, requests: 1, bytesSent: 100, bytesReceived: 4000, errors: [], unsupported: false },
      {
        name: "producers",
        startedAt: t + 20,
        durationMs: 120,
        requests: 3,
        bytesSent: 300,
        bytesReceived: 9000,
        errors: partial ? [{ brokerId: 3, code: "TIMEOUT", message: "DescribeProducers timed out after 5000 ms" }] : [],
        unsupported: false,
      },
    ],
    features: { transactionVersion: 2, metadataVersion: 25 },
    topics: [
      orders,
      buildTopic(
        "payments",
        [0, 1, 2].map((p) => buildPartition(p, { highWatermark: payments, lastStableOffset: payments, sizeBytes: payments * 300 })),
        { "min.insync.replicas": "1" },
      ),
      buildTopic("__consumer_offsets", Array.from({ length: OFFSETS_PARTITIONS }, (_, p) => buildPartition(p, { highWatermark: payments, lastStableOffset: payments }))),
      buildTopic("__transaction_state", [0, 1].map((p) => buildPartition(p, { highWatermark: payments, lastStableOffset: payments }))),
      ...walkTopics(t, tl),
    ],
    groups: [
      buildGroup("billing", orders.partitions.map((p) => ["orders", p.partition, lsoOf(p.partition)] as [string, number, number]), {
        members: [
          { memberId: "billing-1", clientId: "billing-app-1", host: "/10.0.0.11", assignment: [0, 1, 2].map((p) => ({ topic: "orders", partition: p })) },
          { memberId: "billing-2", clientId: "billing-app-2", host: "/10.0.0.12", assignment: [3, 4, 5].map((p) => ({ topic: "orders", partition: p })) },
        ],
      }),
      buildGroup("analytics", [0, 1, 2].map((p) => ["payments", p, payments - 300] as [string, number, number])),
      buildGroup(ENRICHER_GROUP, [0, 1, 2].map((p) => ["payments", p, payments] as [string, number, number])),
      // KIP-848: member 1 still owns payments-1, which the new target assignment moves to member 2.
      buildGroup(KIP848_GROUP, [0, 1, 2].map((p) => ["payments", p, payments - 40] as [string, number, number]), {
        type: "consumer",
        state: "Reconciling",
        protocol: "uniform",
        groupEpoch: 12,
        assignmentEpoch: 12,
        members: [
          {
            memberId: "nV3kq0xXT2uF8yJmB1oC4w",
            clientId: "checkout-1",
            host: "/10.0.0.21",
            memberEpoch: 12,
            assignment: [0, 1].map((p) => ({ topic: "payments", partition: p })),
            targetAssignment: [{ topic: "payments", partition: 0 }],
          },
          {
            memberId: "Q9aL2mZ5RkGv7cXwE0pH6g",
            clientId: "checkout-2",
            host: "/10.0.0.22",
            memberEpoch: 11,
            assignment: [{ topic: "payments", partition: 2 }],
            targetAssignment: [1, 2].map((p) => ({ topic: "payments", partition: p })),
          },
        ],
      }),
      // A share group: two consumers share every partition; start offsets and lag instead of committed offsets.
      buildGroup(SHARE_GROUP, [], {
        type: "share",
        protocolType: "share",
        protocol: "simple",
        groupEpoch: 5,
        assignmentEpoch: 5,
        members: ["review-1", "review-2"].map((clientId, i) => ({
          memberId: `share-member-${i}`,
          clientId,
          host: `/10.0.0.3${i}`,
          memberEpoch: 5,
          assignment: [0, 1, 2].map((p) => ({ topic: "payments", partition: p })),
        })),
        shareOffsets: [0, 1, 2].map((p) => ({ topic: "payments", partition: p, startOffset: payments - 25, lag: 25 })),
      }),
      buildGroup(HOSTILE_GROUP_ID, [["payments", 0, payments]], {
        members: [{ memberId: "m-x", clientId: "<b>client</b>", host: "/10.0.0.66", assignment: [{ topic: "payments", partition: 0 }] }],
      }),
      ...walkGroups(t, tl),
    ],
    transactions: [
      buildTransaction({
        transactionalId: HUNG_TXN_ID,
        producerId: 4000 + HUNG_PARTITION,
        producerEpoch: 3,
        state: hung ? "Ongoing" : "CompleteCommit",
        transactionStartTimeMs: hung ? tl.hungSince : -1,
        partitions: hung ? [{ topic: "orders", partition: HUNG_PARTITION }] : [],
      }),
      buildTransaction({
        transactionalId: "payments-writer",
        producerId: 5000,
        producerEpoch: 10,
        state: writerState,
        transactionStartTimeMs: writerOpen ? t - 2_000 : -1,
        partitions: writerOpen ? [{ topic: "payments", partition: 0 }] : [],
      }),
      // A consume-transform-produce pipeline: reads payments as group "enricher", writes orders-3 and commits
      // the group's offsets inside its transaction.
      buildTransaction({
        transactionalId: "enricher-0",
        producerId: 5100,
        producerEpoch: 2,
        state: "Ongoing",
        transactionStartTimeMs: t - 200,
        partitions: [
          { topic: "orders", partition: 3 },
          { topic: "__consumer_offsets", partition: coordinatorPartition(ENRICHER_GROUP, OFFSETS_PARTITIONS) },
        ],
      }),
      buildTransaction({ transactionalId: HOSTILE_TXN_ID, producerId: 6000, producerEpoch: 1, state: "Ongoing", transactionStartTimeMs: t - 5_000, partitions: [{ topic: "payments", partition: 1 }] }),
      buildTransaction({ transactionalId: PATHY_TXN_ID, producerId: 6001, producerEpoch: 0, state: "Empty" }),
      ...walkTransactions(t, tl),
    ],
  });
}

function findingsAt(t: number, tl: Timeline): Finding[] {
  const findings: Finding[] = [
    makeFinding({
      kind: "config-min-isr-one",
      severity: "warning",
      cluster: CLUSTER,
      subject: { topic: "payments", detail: "min.insync.replicas" },
      title: "Topic payments accepts acks=all writes on a single replica (min.insync.replicas=1)",
      evidence: { "min.insync.replicas": 1, replicationFactor: 3 },
      explanation: "With min.insync.replicas=1 an acknowledged transactional write can be lost when its leader fails.",
      remediation: "Raise min.insync.replicas to 2 with the command below.",
      commands: [kafkaCommands.alterTopicConfig("payments", "min.insync.replicas", 2, "Set min.insync.replicas=2 on the topic (a dynamic config: no restart).")],
    }),
    makeFinding({
      kind: "long-transaction",
      severity: "info",
      cluster: CLUSTER,
      subject: { transactionalId: HOSTILE_TXN_ID },
      title: `Transaction ${HOSTILE_TXN_ID} is open`,
      evidence: { openForMs: 5000, transactionalId: HOSTILE_TXN_ID },
      explanation: `Id ${HOSTILE_TXN_ID} "><script>alert(2)</script> is rendered as text.`,
      remediation: "Nothing to do.",
    }),
    makeFinding({
      kind: "long-transaction",
      severity: "info",
      cluster: CLUSTER,
      subject: { transactionalId: SHELL_HOSTILE_TXN_ID },
      title: "Transaction with a shell-hostile id is open",
      evidence: { openForMs: 5000, transactionalId: SHELL_HOSTILE_TXN_ID },
      explanation: "Its id carries a backticked command; it stays text here and one quoted argument in the command below.",
      // Written the way remediation text named commands before they were data: it must stay prose.
      remediation: `Restart the producer with transactional.id="${SHELL_HOSTILE_TXN_ID}", or check it with \`kafka-transactions.sh describe\`.`,
      commands: [
        kafkaCommands.describeTransaction(SHELL_HOSTILE_TXN_ID, "The coordinator's current view of the transaction (state, start time, partitions)."),
        kafkaCommands.abortTransaction({ topic: "payments", partition: 1 }, 1000, "Only if the coordinator no longer tracks it: write its abort marker (brokers ≥ 3.0)."),
      ],
    }),
    makeFinding({
      kind: "lag-concentration",
      severity: "info",
      cluster: CLUSTER,
      subject: { groupId: BIDI_GROUP_ID },
      title: "Lag of a group with a right-to-left override in its id sits on few partitions",
      evidence: { consumable: 500, shareOnTopPartitions: 0.9 },
      explanation: "The group keeps up on most partitions but not on a few.",
      remediation: "Check which member owns those partitions (command below).",
      commands: [kafkaCommands.describeGroupMembers(BIDI_GROUP_ID, "The group's members and the partitions each one owns.")],
    }),
  ];
  if (t >= tl.hungSince + 2 * 60_000) {
    findings.push(
      makeFinding({
        kind: "hanging-transaction",
        severity: "critical",
        cluster: CLUSTER,
        subject: { topic: "orders", partition: HUNG_PARTITION, transactionalId: HUNG_TXN_ID },
        title: "Hanging transaction pins the LSO of orders-2",
        evidence: {
          producerId: 4000 + HUNG_PARTITION,
          producerEpoch: 3,
          currentTxnStartOffset: 1000,
          startOffset: 1000,
          lastStableOffset: 1000,
          highWatermark: 1300,
          openForMs: 600_000,
          transactionTimeoutMs: 60_000,
        },
        explanation:
          "The producer's transaction on orders-2 has been open far longer than its timeout, and the coordinator does not list this partition in the transaction. read_committed consumers cannot read past the LSO until it is aborted.",
        remediation: "Confirm no live producer still owns it, then abort the hanging transaction with the commands below.",
        commands: [
          kafkaCommands.describeTransaction(HUNG_TXN_ID, "Check that the transactional id's current transaction does not include this partition."),
          kafkaCommands.describeProducers({ topic: "orders", partition: HUNG_PARTITION }, "Check that the producer still has a transaction open at this start offset (CurrentTransactionStartOffset)."),
          kafkaCommands.abortTransaction({ topic: "orders", partition: HUNG_PARTITION }, 1000, "Write the abort marker (brokers ≥ 3.0); the LSO then moves past the transaction."),
        ],
      }),
      makeFinding({
        kind: "eos-lag",
        severity: "warning",
        cluster: CLUSTER,
        subject: { groupId: "billing", detail: "TXN_BLOCKED" },
        title: "Consumer group billing is TXN_BLOCKED on 1 partition(s)",
        evidence: { verdict: "TXN_BLOCKED", groupState: "Stable", members: 2, consumable: 0, txnBlocked: 300, partitions: ["orders-2"] },
        explanation: "The group has read everything committed; an open transaction holds the rest back.",
        remediation: "Fix the producer: see the hanging transaction on orders-2.",
      }),
    );
  }
  if (t < tl.shrinkAfter - 2 * 60_000) {
    findings.push(
      makeFinding({
        kind: "hot-partition",
        severity: "info",
        cluster: CLUSTER,
        subject: { topic: "orders", partition: 0 },
        title: "orders-0 receives 4× the topic's median rate",
        evidence: { recordsPerSec: 40, topicMedian: 10 },
        explanation: "Key skew concentrates load on one partition.",
        remediation: "Review the partitioning key.",
      }),
    );
  }
  return [...findings, ...walkFindings(t, tl)];
}

/** Guarded abort attempts on the hanging transaction, one per way an attempt ends short of aborting. */
async function seedAbortAttempts(now: number): Promise<void> {
  const [hanging] = await listFindings({ cluster: CLUSTER, kind: "hanging-transaction" });
  const base: RemediationAuditEntry = {
    at: new Date(now),
    actor: "dana",
    role: "viewer",
    action: "abort-transaction",
    cluster: CLUSTER,
    findingId: hanging.id,
    topic: "orders",
    partition: HUNG_PARTITION,
    transactionalId: HUNG_TXN_ID,
    producerId: 4000 + HUNG_PARTITION,
    producerEpoch: 3,
    coordinatorEpoch: null,
    startOffset: 1000,
    outcome: "refused",
    reason: "forbidden",
    error: "operator role required",
  };
  const attempts: Partial<RemediationAuditEntry>[] = [
    { at: new Date(now - 9 * 60_000) },
    { at: new Date(now - 6 * 60_000), actor: "oncall@example.com", role: "operator", reason: "not-confirmed", error: "type orders-2 to confirm the abort" },
    {
      at: new Date(now - 4 * 60_000),
      actor: "oncall@example.com",
      role: "operator",
      coordinatorEpoch: -1,
      outcome: "failed",
      reason: "broker-error",
      error: "WriteTxnMarkers orders-2: CLUSTER_AUTHORIZATION_FAILED: Cluster authorization failed.",
    },
  ];
  for (const attempt of attempts) await recordRemediationAttempt({ ...base, ...attempt });
}

export async function seedDemoDb(url: string, now = Date.now()): Promise<void> {
  await migrateDeploy(url);
  await useDatabase(url);
  const denseStart = now - (POLLS - 1) * STEP_MS;
  const origin = denseStart - HISTORY_DAYS * DAY_MS;
  const tl: Timeline = { origin, denseStart, walkSince: now - 10 * 60_000, hungSince: now - 40 * STEP_MS, shrinkAfter: now - 10 * STEP_MS };
  const times = [
    ...Array.from({ length: (HISTORY_DAYS * DAY_MS) / HISTORY_STEP_MS }, (_, i) => origin + i * HISTORY_STEP_MS),
    ...Array.from({ length: POLLS }, (_, i) => denseStart + i * STEP_MS),
  ];
  let state: DetectorState | null = null;
  for (const [i, t] of times.entries()) {
    const snapshot = snapshotAt(t, tl, t === now - 2 * STEP_MS, times.length - 1 - i);
    // Detector state (not findings) comes from the real detectors so pipelines and lag see real links;
    // findings are hand-written so tests know exactly what to expect.
    state = runDetectors({ snapshot, previous: state, now: t }).state;
    await recordPoll(snapshot, t >= denseStart ? findingsAt(t, tl) : [], { brokers: ["127.0.0.1:9092"], analysisState: state });
  }
  await pruneAndRollup(new Date(now), { ...DEFAULT_RETENTION, samplesMs: (HISTORY_DAYS + 1) * DAY_MS });
  await seedAbortAttempts(now);
  // A second cluster that stopped answering two hours ago (its credentials were rotated): the stale banner and a
  // failed last poll with the reason, as the poller stores a rejected SASL login.
  const stagingStart = now - 2 * 3_600_000;
  for (let i = 0; i < 3; i++) {
    const t = stagingStart + i * STEP_MS;
    await recordPoll(
      buildSnapshot({ cluster: STALE_CLUSTER, collectedAt: t, topics: [buildTopic("events", [buildPartition(0, { highWatermark: 10 * i, lastStableOffset: 10 * i })])] }),
      [],
    );
  }
  await recordFailedPoll({ cluster: STALE_CLUSTER, startedAt: new Date(now - 60_000), durationMs: 5000, error: STALE_CLUSTER_ERROR });
  await closeDatabase();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = env().DATABASE_URL;
  await seedDemoDb(url);
  console.log(`Seeded ${url}`);
}

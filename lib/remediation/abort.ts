// The guarded abort of a hanging transaction: `kafka-transactions.sh abort` from the finding page, allowed only
// when ALLOW_REMEDIATION=true, for operators, after the operator typed the topic-partition, and only if a
// collection made right before acting still finds the same transaction hanging by the detector's own rule
// (lib/analysis/detectors/hanging-transactions.ts). Every attempt, whatever its outcome, is audited.
import { findHangingTransactions, hangingKey, type HangingTransaction } from "@/lib/analysis/detectors/hanging-transactions";
import { resolveSettings, type DetectorSettings } from "@/lib/analysis/settings";
import { buildIndex, phaseFailed, tpKey, type SnapshotIndex } from "@/lib/analysis/snapshot-index";
import { hasRole, type Identity } from "@/lib/auth/identity";
import { configuredCluster, type ClusterConfig } from "@/lib/config/clusters";
import { env } from "@/lib/config/env";
import { writeAbortMarker, type AbortSpec } from "@/lib/kafka/abort";
import { ClusterCollector } from "@/lib/kafka/collector";
import type { ClusterSnapshot, PhaseName } from "@/lib/snapshot/types";
import type { Db } from "@/lib/store/db";
import { getFinding, type FindingView } from "@/lib/store/queries";
import { recordRemediationAttempt, type RemediationAuditEntry, type RemediationAuditView } from "@/lib/store/remediation-audit";
import { RemediationFailedError, RemediationRefusedError } from "./errors";

export interface AbortInput {
  cluster: string;
  findingId: string;
  /** What the operator typed: must be the finding's `topic-partition`. */
  confirm: string;
  identity: Identity;
}

export interface AbortDependencies {
  allowRemediation: boolean;
  clusterConfig: (name: string) => ClusterConfig | undefined;
  database?: Db;
  now?: () => number;
  /** The detector settings the poller uses (maxTransactionTimeoutMs overrides the brokers' config). */
  settings?: Partial<DetectorSettings>;
}

export interface AbortResult {
  audit: RemediationAuditView;
  /** The transaction as the re-collection found it, which is what was aborted. */
  aborted: AbortSpec & { startOffset: number };
}

/** The running server's wiring: the environment's switch and the configured clusters. */
export function serverAbortDependencies(): AbortDependencies {
  return { allowRemediation: env().ALLOW_REMEDIATION, clusterConfig: configuredCluster };
}

/** The phases whose data the hanging rule reads: any error in them and "still hanging" cannot be told. */
const VERIFYING_PHASES: PhaseName[] = ["metadata", "configs", "producers", "transactions"];

/** The topic-partition the operator must type to confirm. */
export function confirmationText(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Findings whose abort is running in this process, so two operators clicking at once send one marker. */
const abortsInProgress = new Set<string>();

export async function abortHangingTransaction(input: AbortInput, deps: AbortDependencies): Promise<AbortResult> {
  const now = deps.now ?? Date.now;
  const finding = await getFinding(input.findingId, deps.database);
  const entry: RemediationAuditEntry = {
    at: new Date(now()),
    actor: input.identity.user,
    role: input.identity.role,
    action: "abort-transaction",
    cluster: input.cluster,
    findingId: input.findingId,
    ...subjectOf(finding?.cluster === input.cluster ? finding : null),
    coordinatorEpoch: null,
    outcome: "refused",
    reason: null,
    error: null,
  };
  const audit = (fields: Partial<RemediationAuditEntry>) => recordRemediationAttempt({ ...entry, ...fields }, deps.database);

  const claim = `${input.cluster}\u0000${input.findingId}`;
  let claimed = false;
  try {
    const target = checkRequest(input, finding, deps);
    const config = deps.clusterConfig(input.cluster);
    if (!config) throw new RemediationRefusedError("not-found", `cluster ${input.cluster} is not configured`);
    if (abortsInProgress.has(claim)) throw new RemediationRefusedError("in-progress", "another abort of this transaction is running: its outcome will be in the audit log");
    abortsInProgress.add(claim);
    claimed = true;
    const collector = new ClusterCollector(config, { now });
    try {
      const snapshot = await collector.collect();
      const hanging = stillHanging(snapshot, target, now(), resolveSettings(deps.settings));
      const spec: AbortSpec = {
        topic: hanging.topic,
        partition: hanging.partition,
        leaderId: hanging.leaderId,
        producerId: hanging.producerId,
        producerEpoch: hanging.producerEpoch,
        coordinatorEpoch: hanging.coordinatorEpoch,
      };
      Object.assign(entry, { producerEpoch: spec.producerEpoch, coordinatorEpoch: spec.coordinatorEpoch });
      try {
        await writeAbortMarker(collector.protocol, spec);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await audit({ outcome: "failed", reason: "broker-error", error: message });
        throw new RemediationFailedError(`the abort marker was not written: ${message}`);
      }
      return { audit: await audit({ outcome: "aborted" }), aborted: { ...spec, startOffset: hanging.startOffset } };
    } finally {
      await collector.close();
    }
  } catch (error) {
    if (error instanceof RemediationRefusedError) await audit({ outcome: "refused", reason: error.reason, error: error.message });
    throw error;
  } finally {
    if (claimed) abortsInProgress.delete(claim);
  }
}

type Target = Pick<HangingTransaction, "topic" | "partition" | "producerId" | "startOffset">;

function subjectOf(finding: FindingView | null) {
  const number = (v: unknown) => (typeof v === "number" ? v : null);
  return {
    topic: finding?.subject.topic ?? null,
    partition: finding?.subject.partition ?? null,
    transactionalId: finding?.subject.transactionalId ?? null,
    producerId: number(finding?.evidence.producerId),
    producerEpoch: number(finding?.evidence.producerEpoch),
    startOffset: number(finding?.evidence.startOffset),
  };
}

/** The checks that need no Kafka, in the order an operator would fix them. */
function checkRequest(input: AbortInput, finding: FindingView | null, deps: AbortDependencies): Target {
  if (!deps.allowRemediation) throw new RemediationRefusedError("disabled", "remediation is disabled on this server (ALLOW_REMEDIATION=true enables it)");
  if (!hasRole(input.identity, "operator")) throw new RemediationRefusedError("forbidden", "operator role required");
  if (!finding || finding.cluster !== input.cluster) throw new RemediationRefusedError("not-found", `finding ${input.findingId} not found on cluster ${input.cluster}`);
  if (finding.kind !== "hanging-transaction") throw new RemediationRefusedError("not-applicable", `a ${finding.kind} finding has no abort action`);
  if (finding.resolvedAt) throw new RemediationRefusedError("resolved", "the finding is resolved: there is nothing to abort");
  const { topic, partition, producerId, startOffset } = subjectOf(finding);
  if (topic === null || partition === null || producerId === null || startOffset === null) {
    throw new RemediationRefusedError("not-applicable", "the finding does not name a producer id and start offset");
  }
  const expected = confirmationText(topic, partition);
  if (input.confirm.trim() !== expected) throw new RemediationRefusedError("not-confirmed", `type ${expected} to confirm the abort`);
  return { topic, partition, producerId, startOffset };
}

/** The transaction as the fresh collection shows it, if the detector's rule still calls it hanging. */
function stillHanging(snapshot: ClusterSnapshot, target: Target, now: number, settings: DetectorSettings) {
  const failed = VERIFYING_PHASES.filter((p) => phaseFailed(snapshot, p));
  if (failed.length) {
    throw new RemediationRefusedError("unverified", `the check before acting could not read ${failed.join(", ")}: nothing was sent, try again`);
  }
  const index = buildIndex(snapshot, now, settings);
  const found = findHangingTransactions(index).find((h) => hangingKey(h) === hangingKey(target));
  const ref = index.partitions.get(tpKey(target.topic, target.partition));
  const producer = ref?.partition.producers?.find((p) => p.producerId === target.producerId);
  if (!found || !ref || !producer) throw new RemediationRefusedError("not-hanging", whyNotHanging(index, target));
  if (ref.partition.leader < 0) throw new RemediationRefusedError("unverified", `${target.topic}-${target.partition} has no leader right now: try again`);
  return { ...found, leaderId: ref.partition.leader, coordinatorEpoch: producer.coordinatorEpoch };
}

function whyNotHanging(index: SnapshotIndex, target: Target): string {
  const tp = `${target.topic}-${target.partition}`;
  const ref = index.partitions.get(tpKey(target.topic, target.partition));
  if (!ref) return `${tp} does not exist any more`;
  const producer = ref.partition.producers?.find((p) => p.producerId === target.producerId);
  if (!producer || producer.currentTxnStartOffset !== target.startOffset) {
    return `producer ${target.producerId} has no transaction open at offset ${target.startOffset} on ${tp} any more (it was completed or aborted)`;
  }
  const owner = (index.transactionsByProducerId.get(target.producerId) ?? []).find((t) =>
    t.partitions.some((p) => p.topic === target.topic && p.partition === target.partition),
  );
  if (owner) return `the coordinator holds it: transactional id "${owner.transactionalId}" is ${owner.state} with ${tp} in its transaction`;
  return `producer ${target.producerId} wrote to ${tp} within transaction.max.timeout.ms: its transaction can still complete`;
}

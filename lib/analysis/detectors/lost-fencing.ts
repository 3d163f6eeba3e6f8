// Fencing only works when a restarted instance reuses its predecessor's transactional.id. Ids generated
// per start (UUIDs, pod names, timestamps) leave the old instance — a zombie after a network partition or
// a long GC — unfenced: it keeps writing and committing offsets next to its replacement. Ids that commit
// their input offsets in their transactions are fenced by the group generation instead (KIP-447; Kafka
// Streams names them `<application.id>-<process UUID>-<thread>`, new per start): for them what matters is
// more concurrent writers than the group has members on the same output partitions.
import type { ConsumerGroupState, TransactionState } from "../../snapshot/types";
import { makeFinding, type Finding } from "../findings";
import { UUID_PATTERN, groupsByOffsetsPartition, isGroupFenced, linkedGroups } from "../links";
import { CONSUMER_OFFSETS_TOPIC, type SnapshotIndex } from "../snapshot-index";
import type { TransactionalIdHistory } from "../transactional-id-history";

const UUID = new RegExp(UUID_PATTERN, "gi");
// Kubernetes name suffixes use an alphabet without vowels and 0, 1, 3: ReplicaSet hash, then pod suffix.
const K8S_POD_SUFFIX = /-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}(?=$|[-_.:/])/g;
const SEPARATORS = /([-_.:/])/;
const RANDOM = "*";

const isSmallNumber = (token: string) => /^\d{1,9}$/.test(token);
/** Hex runs with a digit, and numbers of 10+ digits (timestamps): generated, never chosen by hand. */
const isGenerated = (token: string) =>
  /^\d{10,}$/.test(token) || (token.length >= 6 && /^[0-9a-f]+$/i.test(token) && /\d/.test(token));

export interface TransactionalIdFamily {
  family: string;
  /** A generated part (UUID, hex run, timestamp, pod hash) was stripped, not just a small number. */
  generated: boolean;
}

/** The id with its random parts (UUIDs, hex runs, numbers, pod hashes) replaced by `*`. */
export function transactionalIdFamily(id: string): string {
  return classifyTransactionalId(id).family;
}

export function classifyTransactionalId(id: string): TransactionalIdFamily {
  let generated = false;
  const stripped = id
    .replace(UUID, () => ((generated = true), RANDOM))
    .replace(K8S_POD_SUFFIX, () => ((generated = true), `-${RANDOM}`));
  const family = stripped
    .split(SEPARATORS)
    .map((token) => {
      if (isGenerated(token)) generated = true;
      return isGenerated(token) || isSmallNumber(token) ? RANDOM : token;
    })
    .join("");
  return { family, generated };
}

/** The coordinator keeps the last transaction's start time after it completes: the id's last activity. */
const lastStart = (h: TransactionalIdHistory) => h.transactionStartTimeMs;

/** A family with nothing but random parts ("*-*") groups unrelated ids. */
export const hasStableText = (family: string) => /[a-z]/i.test(family.replaceAll(RANDOM, ""));

export function detectLostFencing(index: SnapshotIndex, ids: Record<string, TransactionalIdHistory>): Finding[] {
  return [...lostFencingFamilies(index, ids), ...unfencedZombies(index, ids)];
}

function families(ids: Record<string, TransactionalIdHistory>): Map<string, { members: string[]; generated: boolean }> {
  const byFamily = new Map<string, { members: string[]; generated: boolean }>();
  for (const [id, history] of Object.entries(ids)) {
    if (isGroupFenced(history)) continue;
    const { family, generated } = classifyTransactionalId(id);
    if (family === id || !hasStableText(family)) continue;
    const entry = byFamily.get(family) ?? { members: [], generated: false };
    byFamily.set(family, { members: [...entry.members, id], generated: entry.generated || generated });
  }
  return byFamily;
}

export interface LostFencingFamily {
  family: string;
  members: string[];
  firstSeen: number;
  /** Members first seen after the family was: they appeared while we watched. */
  arrivals: string[];
  generated: boolean;
}

export function findLostFencingFamilies(ids: Record<string, TransactionalIdHistory>, minIds: number): LostFencingFamily[] {
  const found: LostFencingFamily[] = [];
  for (const [family, { members, generated }] of families(ids)) {
    if (members.length < minIds) continue;
    const firstSeen = Math.min(...members.map((id) => ids[id].firstSeen));
    // Ids differing only in small numbers may be stable per-instance ids (app-0, app-1, app-2) unless new
    // ones keep appearing while we watch; generated parts (UUIDs, hashes, timestamps) are fresh per start.
    const arrivals = members.filter((id) => ids[id].firstSeen > firstSeen).sort((a, b) => ids[a].firstSeen - ids[b].firstSeen);
    if (generated || arrivals.length) found.push({ family, members, firstSeen, arrivals, generated });
  }
  return found;
}

function lostFencingFamilies(index: SnapshotIndex, ids: Record<string, TransactionalIdHistory>): Finding[] {
  const findings: Finding[] = [];
  for (const { family, members, firstSeen, arrivals, generated } of findLostFencingFamilies(ids, index.settings.lostFencingMinIds)) {
    const newest = [...members].sort((a, b) => lastStart(ids[b]) - lastStart(ids[a]))[0];
    const current = new Set(index.snapshot.transactions.map((t) => t.transactionalId));
    findings.push(
      makeFinding({
        kind: "lost-fencing",
        severity: "warning",
        cluster: index.snapshot.cluster,
        subject: { transactionalId: family },
        title: `${members.length} transactional ids of the form "${family}": a fresh transactional.id per start defeats fencing`,
        evidence: {
          family,
          ids: members.slice(0, 20),
          distinctIds: members.length,
          appearedWhileWatching: arrivals.length,
          generatedParts: generated,
          newestId: arrivals[arrivals.length - 1] ?? newest,
          stillListed: members.filter((id) => current.has(id)).length,
        },
        explanation:
          `${members.length} transactional ids differ only in ${generated ? "generated parts (UUIDs, hashes, timestamps)" : "numbers"}` +
          (arrivals.length ? `, ${arrivals.length} of them appeared since ${new Date(firstSeen).toISOString()}` : "") +
          `. Each start gets a new id, so InitProducerId never fences the previous ` +
          `instance: a zombie (paused, partitioned, or not yet stopped) can still commit transactions — duplicate output ` +
          `and offsets committed twice — and each dead id lingers in __transaction_state until transactional.id.expiration.ms.`,
        remediation:
          `Derive transactional.id from something stable per logical instance (a StatefulSet ordinal, the input ` +
          `partition it owns, a fixed per-deployment name), not from a UUID, hostname hash or timestamp. With Kafka ≥ 2.5 ` +
          `clients, pass consumer.groupMetadata() to sendOffsetsToTransaction so the group generation also fences zombies.`,
      }),
    );
  }
  return findings;
}

/**
 * Members are only counted where the describe shows them: a KIP-848 group read through the classic
 * DescribeGroups is Dead with no members although it runs.
 */
const membershipKnown = (group: ConsumerGroupState) => !(group.members.length === 0 && group.state === "Dead");

function unfencedZombies(index: SnapshotIndex, ids: Record<string, TransactionalIdHistory>): Finding[] {
  const groupsByPartition = groupsByOffsetsPartition(index.snapshot);
  const ongoingByGroup = new Map<string, TransactionState[]>();
  for (const txn of index.snapshot.transactions) {
    if (txn.state !== "Ongoing") continue;
    const hashed = txn.partitions.filter((tp) => tp.topic === CONSUMER_OFFSETS_TOPIC).flatMap((tp) => groupsByPartition.get(tp.partition) ?? []);
    // Only a group the id is known to commit for: sharing a `__consumer_offsets` partition is not enough.
    const { groupIds, link } = linkedGroups(ids[txn.transactionalId], hashed);
    if (link === "ambiguous") continue;
    for (const groupId of groupIds.filter((g) => hashed.includes(g))) {
      ongoingByGroup.set(groupId, [...(ongoingByGroup.get(groupId) ?? []), txn]);
    }
  }
  const findings: Finding[] = [];
  for (const [groupId, txns] of ongoingByGroup) {
    const group = index.snapshot.groups.find((g) => g.groupId === groupId)!;
    if (!membershipKnown(group)) continue;
    // More concurrent writers than group members: at least one writer no longer owns its input.
    if (txns.length < 2 || txns.length <= group.members.length) continue;
    const outputs = txns.map(
      (t) => new Set(t.partitions.filter((tp) => tp.topic !== CONSUMER_OFFSETS_TOPIC).map((tp) => `${tp.topic}-${tp.partition}`)),
    );
    const shared = [...outputs[0]].filter((tp) => outputs.slice(1).some((o) => o.has(tp)));
    if (!shared.length) continue;
    const txnIds = txns.map((t) => t.transactionalId).sort();
    const sameFamily = new Set(txnIds.map(transactionalIdFamily)).size === 1 && txnIds.some((id) => transactionalIdFamily(id) !== id);
    findings.push(
      makeFinding({
        kind: "unfenced-zombie",
        severity: sameFamily ? "critical" : "warning",
        cluster: index.snapshot.cluster,
        subject: { groupId },
        title: `${txns.length} transactional ids write for group ${groupId} at once (${group.members.length} member(s)): suspected unfenced zombie`,
        evidence: {
          transactionalIds: txnIds,
          groupMembers: group.members.length,
          sharedOutputPartitions: shared,
          sameFamily,
          firstSeen: txnIds.map((id) => ids[id]?.firstSeen ?? null).filter((t): t is number => t !== null),
        },
        explanation:
          `Transactions of ${txnIds.join(", ")} are open at the same time, all commit offsets for group ${groupId} and ` +
          `write the same partitions (${shared.join(", ")}), yet the group has only ${group.members.length} member(s). ` +
          `Different transactional ids never fence each other, so an instance that lost its partitions can still commit ` +
          `its transaction: duplicate output.`,
        remediation:
          `Identify the instances behind these ids and stop the one no longer in the group. Use a stable transactional.id ` +
          `per instance and pass consumer.groupMetadata() to sendOffsetsToTransaction so the broker rejects commits from ` +
          `an old group generation.`,
      }),
    );
  }
  return findings;
}

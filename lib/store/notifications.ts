import { bulkInsert, type Columns } from "./bulk";
import { db, type DatabaseKind, type Db, type Prisma } from "./db";
import type { FindingSeverity, FindingTransition, NotificationTransition } from "./types";

// The notification outbox (delivered by lib/notify). recordPoll enqueues one NotificationEvent per finding
// transition in the poll's own transaction; the deliverer later gives each event one NotificationDelivery per
// matching webhook ("fan-out") and works those off with retries. Events and deliveries go with their finding.

const EVENT_COLUMNS: Columns = { findingId: "text", transition: "text", severity: "text", previousSeverity: "text", at: "date" };

/** Inside recordPoll's transaction. A (finding, transition, severity) already enqueued is skipped, not an error. */
export async function enqueueTransitions(
  tx: Prisma.TransactionClient,
  kind: DatabaseKind,
  transitions: readonly FindingTransition[],
  at: Date,
): Promise<void> {
  await bulkInsert(tx, kind, "NotificationEvent", EVENT_COLUMNS, transitions.map((t) => ({ ...t, at })), {
    target: ["findingId", "transition", "severity"],
    update: [],
  });
}

/** What a notification says: the transition and the finding it is about. */
export interface NotificationRecord {
  eventId: number;
  /** The same on every attempt, after restarts too: receivers drop duplicates by it. */
  notificationId: string;
  transition: NotificationTransition;
  severity: FindingSeverity;
  previousSeverity: FindingSeverity | null;
  /** When the poll that saw the transition collected its snapshot. */
  at: Date;
  cluster: string;
  finding: {
    id: string;
    key: string;
    kind: string;
    title: string;
    explanation: string;
    topic: string | null;
    partition: number | null;
    transactionalId: string | null;
    groupId: string | null;
    brokerId: number | null;
    firstSeenAt: Date;
    resolvedAt: Date | null;
  };
}

const EVENT_INCLUDE = { finding: { include: { cluster: { select: { name: true } } } } } as const;
type EventRow = Prisma.NotificationEventGetPayload<{ include: typeof EVENT_INCLUDE }>;

function notificationRecord(row: EventRow): NotificationRecord {
  const f = row.finding;
  return {
    eventId: row.id,
    notificationId: `${row.findingId}.${row.transition}.${row.severity}`,
    transition: row.transition as NotificationTransition,
    severity: row.severity as FindingSeverity,
    previousSeverity: row.previousSeverity as FindingSeverity | null,
    at: row.at,
    cluster: f.cluster.name,
    finding: {
      id: f.id,
      key: f.key,
      kind: f.kind,
      title: f.title,
      explanation: f.explanation,
      topic: f.topic,
      partition: f.partition,
      transactionalId: f.transactionalId,
      groupId: f.groupId,
      brokerId: f.brokerId,
      firstSeenAt: f.firstSeenAt,
      resolvedAt: f.resolvedAt,
    },
  };
}

const FAN_OUT_BATCH = 200;

/**
 * Gives every event not yet fanned out one pending delivery per webhook `route` names for it (none for events
 * older than `maxAgeMs`: news that old is dropped). Each event is fanned out once, also with several replicas.
 * Returns the number of deliveries created.
 */
export async function fanOutNotifications(
  route: (notification: NotificationRecord) => readonly string[],
  options: { now: Date; maxAgeMs: number },
  database: Db = db(),
): Promise<number> {
  const events = await database.notificationEvent.findMany({
    where: { fannedOutAt: null },
    include: EVENT_INCLUDE,
    orderBy: { id: "asc" },
    take: FAN_OUT_BATCH,
  });
  let created = 0;
  for (const row of events) {
    const record = notificationRecord(row);
    const targets = options.now.getTime() - row.at.getTime() > options.maxAgeMs ? [] : route(record);
    created += await database.$transaction(async (tx) => {
      const claimed = await tx.notificationEvent.updateMany({ where: { id: row.id, fannedOutAt: null }, data: { fannedOutAt: options.now } });
      if (claimed.count === 0 || targets.length === 0) return 0;
      const rows = targets.map((target) => ({ eventId: row.id, target, status: "pending", attempts: 0, nextAttemptAt: options.now }));
      return (await tx.notificationDelivery.createMany({ data: rows })).count;
    });
  }
  return created;
}

export interface PendingDelivery {
  id: number;
  target: string;
  attempts: number;
  nextAttemptAt: Date;
  notification: NotificationRecord;
}

/**
 * Deliveries not yet delivered nor given up, oldest event first (due or not: the deliverer keeps their order), of
 * the webhooks `targets` selects (by name, or every name but those listed).
 */
export async function pendingDeliveries(
  targets: { in: string[] } | { notIn: string[] },
  limit: number,
  database: Db = db(),
): Promise<PendingDelivery[]> {
  const rows = await database.notificationDelivery.findMany({
    where: { status: "pending", target: targets },
    include: { event: { include: EVENT_INCLUDE } },
    orderBy: [{ eventId: "asc" }, { id: "asc" }],
    take: limit,
  });
  return rows.map((r) => ({ id: r.id, target: r.target, attempts: r.attempts, nextAttemptAt: r.nextAttemptAt, notification: notificationRecord(r.event) }));
}

/**
 * Takes a delivery for one attempt by moving its next attempt to `leaseUntil`, if nobody moved it since it was
 * read: another replica's deliverer, or a crash mid-attempt, then leaves it to be retried after the lease.
 */
export async function claimDelivery(delivery: Pick<PendingDelivery, "id" | "nextAttemptAt">, leaseUntil: Date, database: Db = db()): Promise<boolean> {
  const claimed = await database.notificationDelivery.updateMany({
    where: { id: delivery.id, status: "pending", nextAttemptAt: delivery.nextAttemptAt },
    data: { nextAttemptAt: leaseUntil },
  });
  return claimed.count === 1;
}

export type DeliveryOutcome =
  | { status: "delivered"; at: Date }
  | { status: "pending"; at: Date; error: string; nextAttemptAt: Date }
  | { status: "failed"; at: Date; error: string };

/** Records one attempt's outcome: delivered, to be retried at nextAttemptAt, or given up. */
export async function recordDeliveryAttempt(id: number, outcome: DeliveryOutcome, database: Db = db()): Promise<void> {
  await database.notificationDelivery.update({
    where: { id },
    data: {
      status: outcome.status,
      attempts: { increment: 1 },
      lastAttemptAt: outcome.at,
      lastError: outcome.status === "delivered" ? null : outcome.error,
      deliveredAt: outcome.status === "delivered" ? outcome.at : null,
      ...(outcome.status === "pending" ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
    },
  });
}

export interface FindingNotification {
  transition: NotificationTransition;
  severity: FindingSeverity;
  at: Date;
  target: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  deliveredAt: Date | null;
  lastError: string | null;
}

/** Every delivery of a finding's notifications, oldest transition first. */
export async function getFindingNotifications(findingId: string, database: Db = db()): Promise<FindingNotification[]> {
  const rows = await database.notificationDelivery.findMany({
    where: { event: { findingId } },
    include: { event: true },
    orderBy: [{ eventId: "asc" }, { target: "asc" }],
  });
  return rows.map((r) => ({
    transition: r.event.transition as NotificationTransition,
    severity: r.event.severity as FindingSeverity,
    at: r.event.at,
    target: r.target,
    status: r.status as FindingNotification["status"],
    attempts: r.attempts,
    deliveredAt: r.deliveredAt,
    lastError: r.lastError,
  }));
}

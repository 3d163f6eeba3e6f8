import { db, type Db } from "./db";

// The remediation audit log: one row per attempt (lib/remediation), written whatever the outcome, read by the
// finding and transaction pages.

export type RemediationOutcome = "aborted" | "refused" | "failed";

export interface RemediationAuditEntry {
  at: Date;
  actor: string;
  role: string;
  action: "abort-transaction";
  cluster: string;
  findingId: string;
  topic: string | null;
  partition: number | null;
  transactionalId: string | null;
  producerId: number | null;
  producerEpoch: number | null;
  coordinatorEpoch: number | null;
  startOffset: number | null;
  outcome: RemediationOutcome;
  reason: string | null;
  error: string | null;
}

export interface RemediationAuditView extends RemediationAuditEntry {
  id: number;
}

const bigint = (n: number | null) => (n === null ? null : BigInt(n));
const number = (n: bigint | null) => (n === null ? null : Number(n));

export async function recordRemediationAttempt(entry: RemediationAuditEntry, database: Db = db()): Promise<RemediationAuditView> {
  const row = await database.remediationAudit.create({
    data: { ...entry, producerId: bigint(entry.producerId), startOffset: bigint(entry.startOffset) },
  });
  return auditView(row);
}

/** Attempts about one finding or one transactional id, newest first. */
export async function listRemediationAudit(
  query: { cluster: string; findingId?: string; transactionalId?: string; limit?: number },
  database: Db = db(),
): Promise<RemediationAuditView[]> {
  const rows = await database.remediationAudit.findMany({
    where: { cluster: query.cluster, findingId: query.findingId, transactionalId: query.transactionalId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: query.limit ?? 200,
  });
  return rows.map(auditView);
}

type Row = Awaited<ReturnType<Db["remediationAudit"]["create"]>>;

function auditView(row: Row): RemediationAuditView {
  return {
    ...row,
    action: row.action as RemediationAuditEntry["action"],
    outcome: row.outcome as RemediationOutcome,
    producerId: number(row.producerId),
    startOffset: number(row.startOffset),
  };
}

// Whole-poll checks on a database a poller wrote, for tests that interrupt it (SIGKILL, faults).
import type { Db } from "@/lib/store/db";
import { getSnapshotAt } from "@/lib/store/history";
import { countPartitions } from "@/lib/store/polls";

export interface HalfWrittenPolls {
  /** Sampled polls without their history block. */
  withoutBlock: number;
  /** Sampled polls whose block does not decode to their own snapshot with their partition count. */
  blockMismatch: number;
  /** A latest snapshot naming a poll that is not stored. */
  danglingLatest: number;
  /** Findings whose last poll is not stored. */
  danglingFindings: number;
}

/** Counts of everything a poll writes in one transaction that is found without the rest: all 0 when whole. */
export async function halfWrittenPolls(db: Db): Promise<HalfWrittenPolls> {
  const count = async (sql: string) => Number((await db.$queryRawUnsafe<{ n: number | bigint }[]>(sql))[0].n);
  const sampled = await db.poll.findMany({
    where: { sampled: true, historyBlock: { isNot: null } },
    select: { id: true, startedAt: true, partitionCount: true, cluster: { select: { name: true } } },
  });
  let blockMismatch = 0;
  for (const poll of sampled) {
    const stored = await getSnapshotAt(poll.cluster.name, poll.startedAt, db).catch(() => null);
    if (stored?.pollId !== poll.id || countPartitions(stored.snapshot) !== poll.partitionCount) blockMismatch++;
  }
  return {
    withoutBlock: await count(
      `SELECT COUNT(*) AS n FROM "Poll" p WHERE p.sampled AND NOT EXISTS (SELECT 1 FROM "HistoryBlock" b WHERE b."pollId" = p.id)`,
    ),
    blockMismatch,
    danglingLatest: await count(`SELECT COUNT(*) AS n FROM "LatestSnapshot" l WHERE NOT EXISTS (SELECT 1 FROM "Poll" p WHERE p.id = l."pollId")`),
    danglingFindings: await count(`SELECT COUNT(*) AS n FROM "Finding" f WHERE NOT EXISTS (SELECT 1 FROM "Poll" p WHERE p.id = f."lastPollId")`),
  };
}

export const WHOLE: HalfWrittenPolls = { withoutBlock: 0, blockMismatch: 0, danglingLatest: 0, danglingFindings: 0 };

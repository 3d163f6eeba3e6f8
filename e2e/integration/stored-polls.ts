// Whole-poll checks on a database a poller wrote, for tests that interrupt it (SIGKILL, faults).
import type { Db } from "@/lib/store/db";

export interface HalfWrittenPolls {
  /** Sampled polls without their snapshot blob. */
  withoutBlob: number;
  /** Sampled polls whose partition samples do not match their partition count. */
  samplesMismatch: number;
  /** A latest snapshot naming a poll that is not stored. */
  danglingLatest: number;
  /** Findings whose last poll is not stored. */
  danglingFindings: number;
}

/** Counts of everything a poll writes in one transaction that is found without the rest: all 0 when whole. */
export async function halfWrittenPolls(db: Db): Promise<HalfWrittenPolls> {
  const count = async (sql: string) => Number((await db.$queryRawUnsafe<{ n: number | bigint }[]>(sql))[0].n);
  return {
    withoutBlob: await count(
      `SELECT COUNT(*) AS n FROM "Poll" p WHERE p.sampled AND NOT EXISTS (SELECT 1 FROM "SnapshotBlob" b WHERE b."pollId" = p.id)`,
    ),
    samplesMismatch: await count(
      `SELECT COUNT(*) AS n FROM "Poll" p WHERE p.sampled AND p."partitionCount" <> (SELECT COUNT(*) FROM "PartitionSample" s WHERE s."pollId" = p.id)`,
    ),
    danglingLatest: await count(`SELECT COUNT(*) AS n FROM "LatestSnapshot" l WHERE NOT EXISTS (SELECT 1 FROM "Poll" p WHERE p.id = l."pollId")`),
    danglingFindings: await count(`SELECT COUNT(*) AS n FROM "Finding" f WHERE NOT EXISTS (SELECT 1 FROM "Poll" p WHERE p.id = f."lastPollId")`),
  };
}

export const WHOLE: HalfWrittenPolls = { withoutBlob: 0, samplesMismatch: 0, danglingLatest: 0, danglingFindings: 0 };

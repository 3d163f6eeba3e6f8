-- AlterTable
ALTER TABLE "Poll" ADD COLUMN     "sampled" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Poll_clusterId_sampled_startedAt_idx" ON "Poll"("clusterId", "sampled", "startedAt");
-- Polls recorded before this column kept their samples.
UPDATE "Poll" SET "sampled" = true WHERE "partitionCount" > 0;

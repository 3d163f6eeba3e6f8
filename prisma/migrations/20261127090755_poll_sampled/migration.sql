-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Poll" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "complete" BOOLEAN NOT NULL,
    "phases" JSONB NOT NULL,
    "requestCount" INTEGER NOT NULL,
    "errorCount" INTEGER NOT NULL,
    "error" TEXT,
    "partitionCount" INTEGER NOT NULL,
    "sampled" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Poll_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Poll" ("clusterId", "complete", "durationMs", "error", "errorCount", "id", "partitionCount", "phases", "requestCount", "startedAt") SELECT "clusterId", "complete", "durationMs", "error", "errorCount", "id", "partitionCount", "phases", "requestCount", "startedAt" FROM "Poll";
DROP TABLE "Poll";
ALTER TABLE "new_Poll" RENAME TO "Poll";
CREATE INDEX "Poll_clusterId_startedAt_idx" ON "Poll"("clusterId", "startedAt");
CREATE INDEX "Poll_clusterId_sampled_startedAt_idx" ON "Poll"("clusterId", "sampled", "startedAt");
CREATE INDEX "Poll_startedAt_idx" ON "Poll"("startedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
-- Polls recorded before this column kept their samples.
UPDATE "Poll" SET "sampled" = true WHERE "partitionCount" > 0;

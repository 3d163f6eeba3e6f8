-- AlterTable
ALTER TABLE "Poll" ADD COLUMN "maxOpenTxnMs" BIGINT;
ALTER TABLE "Poll" ADD COLUMN "openTxnCount" INTEGER;
ALTER TABLE "Poll" ADD COLUMN "sumOpenTxnMs" BIGINT;

-- CreateTable
CREATE TABLE "TransactionRollup" (
    "clusterId" INTEGER NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" DATETIME NOT NULL,
    "observedCommits" INTEGER NOT NULL,
    "observedAborts" INTEGER NOT NULL,
    "activeIds" INTEGER NOT NULL,
    "polls" INTEGER NOT NULL,
    "openSamples" INTEGER NOT NULL,
    "sumOpenMs" BIGINT NOT NULL,
    "maxOpenMs" BIGINT NOT NULL,
    "maxOpenTxns" INTEGER NOT NULL,

    PRIMARY KEY ("clusterId", "granularity", "bucketStart"),
    CONSTRAINT "TransactionRollup_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable
ALTER TABLE "Poll" ADD COLUMN     "maxOpenTxnMs" BIGINT,
ADD COLUMN     "openTxnCount" INTEGER,
ADD COLUMN     "sumOpenTxnMs" BIGINT;

-- CreateTable
CREATE TABLE "TransactionRollup" (
    "clusterId" INTEGER NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "observedCommits" INTEGER NOT NULL,
    "observedAborts" INTEGER NOT NULL,
    "activeIds" INTEGER NOT NULL,
    "polls" INTEGER NOT NULL,
    "openSamples" INTEGER NOT NULL,
    "sumOpenMs" BIGINT NOT NULL,
    "maxOpenMs" BIGINT NOT NULL,
    "maxOpenTxns" INTEGER NOT NULL,

    CONSTRAINT "TransactionRollup_pkey" PRIMARY KEY ("clusterId","granularity","bucketStart")
);

-- AddForeignKey
ALTER TABLE "TransactionRollup" ADD CONSTRAINT "TransactionRollup_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

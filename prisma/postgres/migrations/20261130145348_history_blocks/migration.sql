-- CreateTable
CREATE TABLE "HistoryBlock" (
    "pollId" INTEGER NOT NULL,
    "clusterId" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "keyframe" BOOLEAN NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "HistoryBlock_pkey" PRIMARY KEY ("pollId")
);

-- CreateIndex
CREATE INDEX "HistoryBlock_clusterId_startedAt_idx" ON "HistoryBlock"("clusterId", "startedAt");

-- CreateIndex
CREATE INDEX "HistoryBlock_clusterId_keyframe_startedAt_idx" ON "HistoryBlock"("clusterId", "keyframe", "startedAt");

-- AddForeignKey
ALTER TABLE "HistoryBlock" ADD CONSTRAINT "HistoryBlock_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

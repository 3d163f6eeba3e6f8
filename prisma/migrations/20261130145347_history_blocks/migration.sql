-- CreateTable
CREATE TABLE "HistoryBlock" (
    "pollId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "keyframe" BOOLEAN NOT NULL,
    "data" BLOB NOT NULL,
    CONSTRAINT "HistoryBlock_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "HistoryBlock_clusterId_startedAt_idx" ON "HistoryBlock"("clusterId", "startedAt");

-- CreateIndex
CREATE INDEX "HistoryBlock_clusterId_keyframe_startedAt_idx" ON "HistoryBlock"("clusterId", "keyframe", "startedAt");

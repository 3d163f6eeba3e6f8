-- CreateTable
CREATE TABLE "HistoryHour" (
    "clusterId" INTEGER NOT NULL,
    "topic" TEXT NOT NULL,
    "bucketStart" DATETIME NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("clusterId", "topic", "bucketStart")
);

-- CreateIndex
CREATE INDEX "HistoryHour_bucketStart_idx" ON "HistoryHour"("bucketStart");

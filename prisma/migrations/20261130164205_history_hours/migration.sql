-- CreateTable
CREATE TABLE "HistoryHour" (
    "clusterId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bucketStart" DATETIME NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("clusterId", "kind", "name", "bucketStart")
);

-- CreateIndex
CREATE INDEX "HistoryHour_bucketStart_idx" ON "HistoryHour"("bucketStart");

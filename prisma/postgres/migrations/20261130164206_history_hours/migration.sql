-- CreateTable
CREATE TABLE "HistoryHour" (
    "clusterId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "HistoryHour_pkey" PRIMARY KEY ("clusterId","kind","name","bucketStart")
);

-- CreateIndex
CREATE INDEX "HistoryHour_bucketStart_idx" ON "HistoryHour"("bucketStart");

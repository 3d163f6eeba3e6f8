-- CreateTable
CREATE TABLE "AnalysisState" (
    "clusterId" INTEGER NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "gzip" BYTEA NOT NULL,

    CONSTRAINT "AnalysisState_pkey" PRIMARY KEY ("clusterId")
);

-- AddForeignKey
ALTER TABLE "AnalysisState" ADD CONSTRAINT "AnalysisState_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

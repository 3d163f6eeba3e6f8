-- CreateTable
CREATE TABLE "AnalysisState" (
    "clusterId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "collectedAt" DATETIME NOT NULL,
    "gzip" BLOB NOT NULL,
    CONSTRAINT "AnalysisState_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RemediationAudit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "findingId" TEXT NOT NULL,
    "topic" TEXT,
    "partition" INTEGER,
    "transactionalId" TEXT,
    "producerId" BIGINT,
    "producerEpoch" INTEGER,
    "coordinatorEpoch" INTEGER,
    "startOffset" BIGINT,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "error" TEXT
);

-- CreateIndex
CREATE INDEX "RemediationAudit_cluster_findingId_idx" ON "RemediationAudit"("cluster", "findingId");

-- CreateIndex
CREATE INDEX "RemediationAudit_cluster_transactionalId_idx" ON "RemediationAudit"("cluster", "transactionalId");

-- CreateIndex
CREATE INDEX "RemediationAudit_cluster_at_idx" ON "RemediationAudit"("cluster", "at");

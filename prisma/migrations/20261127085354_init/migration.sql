-- CreateTable
CREATE TABLE "Cluster" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "brokers" TEXT NOT NULL,
    "kafkaClusterId" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Poll" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "complete" BOOLEAN NOT NULL,
    "phases" JSONB NOT NULL,
    "requestCount" INTEGER NOT NULL,
    "errorCount" INTEGER NOT NULL,
    "error" TEXT,
    "partitionCount" INTEGER NOT NULL,
    CONSTRAINT "Poll_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PartitionSample" (
    "pollId" INTEGER NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "logStart" BIGINT,
    "hw" BIGINT,
    "lso" BIGINT,
    "sizeBytes" BIGINT,
    "leader" INTEGER NOT NULL,
    "isrCount" INTEGER NOT NULL,
    "replicaCount" INTEGER NOT NULL,
    "openTxnCount" INTEGER,

    PRIMARY KEY ("pollId", "topic", "partition"),
    CONSTRAINT "PartitionSample_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GroupOffsetSample" (
    "pollId" INTEGER NOT NULL,
    "groupId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "committed" BIGINT NOT NULL,
    "lso" BIGINT,
    "hw" BIGINT,

    PRIMARY KEY ("pollId", "groupId", "topic", "partition"),
    CONSTRAINT "GroupOffsetSample_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SnapshotBlob" (
    "pollId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "gzip" BLOB NOT NULL,
    "rawBytes" INTEGER NOT NULL,
    CONSTRAINT "SnapshotBlob_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LatestSnapshot" (
    "clusterId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pollId" INTEGER NOT NULL,
    "collectedAt" DATETIME NOT NULL,
    "gzip" BLOB NOT NULL,
    CONSTRAINT "LatestSnapshot_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TransactionalIdState" (
    "clusterId" INTEGER NOT NULL,
    "transactionalId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "producerId" BIGINT NOT NULL,
    "producerEpoch" INTEGER NOT NULL,
    "coordinatorId" INTEGER NOT NULL,
    "transactionTimeoutMs" INTEGER NOT NULL,
    "transactionStartTimeMs" BIGINT NOT NULL,
    "partitions" JSONB NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "lastChangedAt" DATETIME NOT NULL,

    PRIMARY KEY ("clusterId", "transactionalId"),
    CONSTRAINT "TransactionalIdState_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TransactionalIdEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "pollId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "transactionalId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT,
    "producerId" BIGINT,
    "epoch" INTEGER,
    "prevProducerId" BIGINT,
    "prevEpoch" INTEGER,
    CONSTRAINT "TransactionalIdEvent_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GroupState" (
    "clusterId" INTEGER NOT NULL,
    "groupId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "protocolType" TEXT NOT NULL,
    "memberCount" INTEGER NOT NULL,
    "coordinatorId" INTEGER,
    "offsets" JSONB NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,

    PRIMARY KEY ("clusterId", "groupId"),
    CONSTRAINT "GroupState_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PartitionRollup" (
    "clusterId" INTEGER NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" DATETIME NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "recordsIn" BIGINT NOT NULL,
    "bytesDelta" BIGINT NOT NULL,
    "maxSizeBytes" BIGINT,
    "maxLsoGap" BIGINT NOT NULL,
    "maxGroupLag" BIGINT NOT NULL,
    "maxOpenTxns" INTEGER NOT NULL,
    "samples" INTEGER NOT NULL,

    PRIMARY KEY ("clusterId", "granularity", "bucketStart", "topic", "partition"),
    CONSTRAINT "PartitionRollup_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TopicRollup" (
    "clusterId" INTEGER NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" DATETIME NOT NULL,
    "topic" TEXT NOT NULL,
    "partitionCount" INTEGER NOT NULL,
    "recordsIn" BIGINT NOT NULL,
    "bytesDelta" BIGINT NOT NULL,
    "maxSizeBytes" BIGINT,
    "maxLsoGap" BIGINT NOT NULL,
    "maxGroupLag" BIGINT NOT NULL,
    "maxOpenTxns" INTEGER NOT NULL,

    PRIMARY KEY ("clusterId", "granularity", "bucketStart", "topic"),
    CONSTRAINT "TopicRollup_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "topic" TEXT,
    "partition" INTEGER,
    "transactionalId" TEXT,
    "groupId" TEXT,
    "title" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "remediation" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "firstPollId" INTEGER NOT NULL,
    "lastPollId" INTEGER NOT NULL,
    CONSTRAINT "Finding_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_name_key" ON "Cluster"("name");

-- CreateIndex
CREATE INDEX "Poll_clusterId_startedAt_idx" ON "Poll"("clusterId", "startedAt");

-- CreateIndex
CREATE INDEX "Poll_startedAt_idx" ON "Poll"("startedAt");

-- CreateIndex
CREATE INDEX "PartitionSample_topic_partition_pollId_idx" ON "PartitionSample"("topic", "partition", "pollId");

-- CreateIndex
CREATE INDEX "GroupOffsetSample_groupId_pollId_idx" ON "GroupOffsetSample"("groupId", "pollId");

-- CreateIndex
CREATE INDEX "TransactionalIdEvent_clusterId_transactionalId_at_idx" ON "TransactionalIdEvent"("clusterId", "transactionalId", "at");

-- CreateIndex
CREATE INDEX "TransactionalIdEvent_clusterId_at_idx" ON "TransactionalIdEvent"("clusterId", "at");

-- CreateIndex
CREATE INDEX "PartitionRollup_clusterId_topic_partition_granularity_bucketStart_idx" ON "PartitionRollup"("clusterId", "topic", "partition", "granularity", "bucketStart");

-- CreateIndex
CREATE INDEX "TopicRollup_clusterId_topic_granularity_bucketStart_idx" ON "TopicRollup"("clusterId", "topic", "granularity", "bucketStart");

-- CreateIndex
CREATE INDEX "Finding_clusterId_resolvedAt_idx" ON "Finding"("clusterId", "resolvedAt");

-- CreateIndex
CREATE INDEX "Finding_clusterId_key_idx" ON "Finding"("clusterId", "key");

-- CreateIndex
CREATE INDEX "Finding_clusterId_lastSeenAt_idx" ON "Finding"("clusterId", "lastSeenAt");

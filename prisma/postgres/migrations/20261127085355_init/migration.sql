-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Cluster" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "brokers" TEXT NOT NULL,
    "kafkaClusterId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Poll" (
    "id" SERIAL NOT NULL,
    "clusterId" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "complete" BOOLEAN NOT NULL,
    "phases" JSONB NOT NULL,
    "requestCount" INTEGER NOT NULL,
    "errorCount" INTEGER NOT NULL,
    "error" TEXT,
    "partitionCount" INTEGER NOT NULL,

    CONSTRAINT "Poll_pkey" PRIMARY KEY ("id")
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

    CONSTRAINT "PartitionSample_pkey" PRIMARY KEY ("pollId","topic","partition")
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

    CONSTRAINT "GroupOffsetSample_pkey" PRIMARY KEY ("pollId","groupId","topic","partition")
);

-- CreateTable
CREATE TABLE "SnapshotBlob" (
    "pollId" INTEGER NOT NULL,
    "gzip" BYTEA NOT NULL,
    "rawBytes" INTEGER NOT NULL,

    CONSTRAINT "SnapshotBlob_pkey" PRIMARY KEY ("pollId")
);

-- CreateTable
CREATE TABLE "LatestSnapshot" (
    "clusterId" INTEGER NOT NULL,
    "pollId" INTEGER NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "gzip" BYTEA NOT NULL,

    CONSTRAINT "LatestSnapshot_pkey" PRIMARY KEY ("clusterId")
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
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "lastChangedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TransactionalIdState_pkey" PRIMARY KEY ("clusterId","transactionalId")
);

-- CreateTable
CREATE TABLE "TransactionalIdEvent" (
    "id" SERIAL NOT NULL,
    "clusterId" INTEGER NOT NULL,
    "pollId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "transactionalId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT,
    "producerId" BIGINT,
    "epoch" INTEGER,
    "prevProducerId" BIGINT,
    "prevEpoch" INTEGER,

    CONSTRAINT "TransactionalIdEvent_pkey" PRIMARY KEY ("id")
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
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GroupState_pkey" PRIMARY KEY ("clusterId","groupId")
);

-- CreateTable
CREATE TABLE "PartitionRollup" (
    "clusterId" INTEGER NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "recordsIn" BIGINT NOT NULL,
    "bytesDelta" BIGINT NOT NULL,
    "maxSizeBytes" BIGINT,
    "maxLsoGap" BIGINT NOT NULL,
    "maxGroupLag" BIGINT NOT NULL,
    "maxOpenTxns" INTEGER NOT NULL,
    "samples" INTEGER NOT NULL,

    CONSTRAINT "PartitionRollup_pkey" PRIMARY KEY ("clusterId","granularity","bucketStart","topic","partition")
);

-- CreateTable
CREATE TABLE "TopicRollup" (
    "clusterId" INTEGER NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "topic" TEXT NOT NULL,
    "partitionCount" INTEGER NOT NULL,
    "recordsIn" BIGINT NOT NULL,
    "bytesDelta" BIGINT NOT NULL,
    "maxSizeBytes" BIGINT,
    "maxLsoGap" BIGINT NOT NULL,
    "maxGroupLag" BIGINT NOT NULL,
    "maxOpenTxns" INTEGER NOT NULL,

    CONSTRAINT "TopicRollup_pkey" PRIMARY KEY ("clusterId","granularity","bucketStart","topic")
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL,
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
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "firstPollId" INTEGER NOT NULL,
    "lastPollId" INTEGER NOT NULL,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "PartitionRollup_clusterId_topic_partition_granularity_bucke_idx" ON "PartitionRollup"("clusterId", "topic", "partition", "granularity", "bucketStart");

-- CreateIndex
CREATE INDEX "TopicRollup_clusterId_topic_granularity_bucketStart_idx" ON "TopicRollup"("clusterId", "topic", "granularity", "bucketStart");

-- CreateIndex
CREATE INDEX "Finding_clusterId_resolvedAt_idx" ON "Finding"("clusterId", "resolvedAt");

-- CreateIndex
CREATE INDEX "Finding_clusterId_key_idx" ON "Finding"("clusterId", "key");

-- CreateIndex
CREATE INDEX "Finding_clusterId_lastSeenAt_idx" ON "Finding"("clusterId", "lastSeenAt");

-- AddForeignKey
ALTER TABLE "Poll" ADD CONSTRAINT "Poll_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartitionSample" ADD CONSTRAINT "PartitionSample_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupOffsetSample" ADD CONSTRAINT "GroupOffsetSample_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SnapshotBlob" ADD CONSTRAINT "SnapshotBlob_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LatestSnapshot" ADD CONSTRAINT "LatestSnapshot_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TransactionalIdState" ADD CONSTRAINT "TransactionalIdState_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TransactionalIdEvent" ADD CONSTRAINT "TransactionalIdEvent_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupState" ADD CONSTRAINT "GroupState_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartitionRollup" ADD CONSTRAINT "PartitionRollup_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicRollup" ADD CONSTRAINT "TopicRollup_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- DropForeignKey
ALTER TABLE "GroupOffsetSample" DROP CONSTRAINT "GroupOffsetSample_pollId_fkey";

-- DropForeignKey
ALTER TABLE "PartitionSample" DROP CONSTRAINT "PartitionSample_pollId_fkey";

-- DropForeignKey
ALTER TABLE "SnapshotBlob" DROP CONSTRAINT "SnapshotBlob_pollId_fkey";

-- DropTable
DROP TABLE "GroupOffsetSample";

-- DropTable
DROP TABLE "PartitionSample";

-- DropTable
DROP TABLE "SnapshotBlob";

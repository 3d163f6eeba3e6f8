-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "GroupOffsetSample";
PRAGMA foreign_keys=on;

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "PartitionSample";
PRAGMA foreign_keys=on;

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "SnapshotBlob";
PRAGMA foreign_keys=on;

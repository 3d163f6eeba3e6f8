// The store's public API: everything else in the app reaches the database through these functions.
export { db, useDatabase, closeDatabase, currentDatabaseUrl, databaseKind, type Db } from "./db";
export { ensureDatabase, migrateDeploy, MigrationError } from "./migrate";
export { recordPoll, recordFailedPoll, ClusterMismatchError, type RecordedPoll, type FailedPollInput } from "./polls";
export * from "./queries";
export { registerClusters } from "./clusters";
export { getCapacityRollups, type CapacityRollups } from "./capacity-rollups";
export { pruneAndRollup, unstoredRollups, type BucketRollup, type PruneReport } from "./retention";
export { pingDatabase } from "./health";
export { createClusterLock, singleProcessLock, type ClusterLock } from "./cluster-lock";
export * from "./types";
export {
  fanOutNotifications,
  pendingDeliveries,
  claimDelivery,
  recordDeliveryAttempt,
  getFindingNotifications,
  type NotificationRecord,
  type PendingDelivery,
  type DeliveryOutcome,
  type FindingNotification,
} from "./notifications";
export * from "./remediation-audit";

export { startPoller, unreachableReason, ClusterUnreachableError, MAX_UNSTORED_POLLS } from "./poller";
export type { Analysis, Poller, PollerLock, PollerLogger, PollerOptions, PollerStore, PolledCluster } from "./poller";
export { jittered, nextPollDelay, MAX_BACKOFF_MS } from "./schedule";

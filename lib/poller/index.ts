export { startPoller, unreachableReason, ClusterUnreachableError } from "./poller";
export type { Analysis, Poller, PollerLock, PollerLogger, PollerOptions, PollerStore, PolledCluster } from "./poller";
export { jittered, nextPollDelay, MAX_BACKOFF_MS } from "./schedule";

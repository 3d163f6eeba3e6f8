// Transaction coordinator states (TransactionState.state) that mean a transaction is in flight.

/** Transactions in these states hold the LSO of the partitions they wrote to. */
export const OPEN_TRANSACTION_STATES: ReadonlySet<string> = new Set(["Ongoing", "PrepareCommit", "PrepareAbort", "PrepareEpochFence"]);

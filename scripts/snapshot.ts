// `npm run snapshot -- --brokers host:port [--json] [--name NAME]`: collect one snapshot and print it.
// Also the way to check connectivity before deploying: exits 1 when the poll is partial, 2 on bad arguments.
import { parseArgs } from "node:util";
import { ConfigError, parseEnv } from "@/lib/config/env";
import { clusterConfig } from "@/lib/config/clusters";
import { collectSnapshot } from "@/lib/kafka/collector";
import { summarizeSnapshot } from "@/lib/snapshot/summary";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      brokers: { type: "string" },
      name: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  let cluster;
  try {
    const env = parseEnv({ ...process.env, KAFKA_BROKERS: values.brokers ?? process.env.KAFKA_BROKERS });
    cluster = clusterConfig({ name: values.name ?? env.KAFKA_CLUSTER_NAME, brokers: env.KAFKA_BROKERS });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    console.error("usage: npm run snapshot -- --brokers host:port[,host:port] [--json] [--name NAME]");
    return 2;
  }
  const snapshot = await collectSnapshot(cluster);
  console.log(values.json ? JSON.stringify(snapshot, null, 2) : summarizeSnapshot(snapshot));
  return snapshot.complete ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

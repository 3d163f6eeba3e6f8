// `npm run snapshot -- [--brokers host:port | --cluster NAME] [--json] [--name NAME]`: collect one snapshot and
// print it. Also the way to check connectivity (and credentials) before deploying: exits 1 when the poll is
// partial or failed, 2 on bad arguments or configuration.
import { parseArgs } from "node:util";
import { CLUSTER_CLI_OPTIONS, clusterForCli, type ClusterConfig } from "@/lib/config/clusters";
import { collectSnapshot } from "@/lib/kafka/collector";
import { summarizeSnapshot } from "@/lib/snapshot/summary";

const USAGE = "usage: npm run snapshot -- [--brokers host:port[,host:port] | --cluster NAME (from CLUSTERS_FILE)] [--json] [--name NAME]";

async function main(): Promise<number> {
  let cluster: ClusterConfig;
  let json: boolean;
  try {
    const { values } = parseArgs({ options: CLUSTER_CLI_OPTIONS });
    cluster = clusterForCli(values);
    json = values.json ?? false;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    return 2;
  }
  const snapshot = await collectSnapshot(cluster);
  console.log(json ? JSON.stringify(snapshot, null, 2) : summarizeSnapshot(snapshot));
  return snapshot.complete ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

import { db, type Db } from "./db";
import { UnknownClusterError } from "./types";

type Tx = Pick<Db, "cluster">;

/** The cluster's row id, created on first sight; the Kafka cluster id and brokers follow the latest poll. */
export async function upsertCluster(
  tx: Tx,
  name: string,
  at: Date,
  details: { kafkaClusterId?: string | null; brokers?: readonly string[] },
): Promise<number> {
  const update = {
    ...(details.kafkaClusterId ? { kafkaClusterId: details.kafkaClusterId } : {}),
    ...(details.brokers ? { brokers: details.brokers.join(",") } : {}),
  };
  const row = await tx.cluster.upsert({
    where: { name },
    create: { name, brokers: details.brokers?.join(",") ?? "", kafkaClusterId: details.kafkaClusterId ?? null, createdAt: at },
    update,
    select: { id: true },
  });
  return row.id;
}

export async function clusterIdOf(tx: Tx, name: string): Promise<number> {
  const row = await tx.cluster.findUnique({ where: { name }, select: { id: true } });
  if (!row) throw new UnknownClusterError(name);
  return row.id;
}

/** Makes configured clusters visible (overview, health) before their first poll has ended. */
export async function registerClusters(
  clusters: readonly { name: string; brokers: readonly string[] }[],
  at: Date,
  database: Db = db(),
): Promise<void> {
  await database.$transaction(async (tx) => {
    for (const c of clusters) await upsertCluster(tx, c.name, at, { brokers: c.brokers });
  });
}

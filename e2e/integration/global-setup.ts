// Downloads the broker jars of every tested Kafka version once, before any integration test file starts a cluster.
import { ensureKafkaJars } from "../../scripts/kafka/jars";
import { ALL_KAFKA_VERSIONS } from "../../scripts/kafka/versions";

export default async function setup(): Promise<void> {
  for (const version of ALL_KAFKA_VERSIONS) await ensureKafkaJars(version);
}

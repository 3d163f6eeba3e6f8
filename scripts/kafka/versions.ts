// The two broker lines the project is tested against: the newest 4.x and the last 3.x, both common in production.
export const KAFKA_VERSIONS = { latest: "4.4.0", legacy: "3.9.2" } as const;

export type KafkaVersion = (typeof KAFKA_VERSIONS)[keyof typeof KAFKA_VERSIONS];

/**
 * The Java client and Streams version the scenario programs use against every broker version: production often runs
 * newer clients against older brokers (a 4.4 client on a 3.9 broker negotiates down, e.g. no transaction version 2).
 */
export const CLIENT_VERSION: KafkaVersion = KAFKA_VERSIONS.latest;

export const ALL_KAFKA_VERSIONS: readonly KafkaVersion[] = Object.values(KAFKA_VERSIONS);

export function isKafkaVersion(value: string): value is KafkaVersion {
  return (ALL_KAFKA_VERSIONS as readonly string[]).includes(value);
}

/** Kafka 4.x logs through log4j 2; 3.x through reload4j (log4j 1.x API). */
export function usesLog4j2(version: KafkaVersion): boolean {
  return Number(version.split(".")[0]) >= 4;
}

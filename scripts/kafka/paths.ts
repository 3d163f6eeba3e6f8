import path from "node:path";
import { fileURLToPath } from "node:url";
import { CLIENT_VERSION, type KafkaVersion } from "./versions";

const here = path.dirname(fileURLToPath(import.meta.url));

export const REPO_ROOT = path.resolve(here, "../..");
/** Git-ignored home of downloaded jars and of running clusters' data. */
export const KAFKA_HOME = path.join(REPO_ROOT, ".kafka");
export const RUN_HOME = path.join(KAFKA_HOME, "run");
export const CONFIG_DIR = path.join(here, "config");
export const WATCHDOG_SCRIPT = path.join(here, "watchdog.mjs");

export function versionHome(version: KafkaVersion): string {
  return path.join(KAFKA_HOME, version);
}

export function libsDir(version: KafkaVersion): string {
  return path.join(versionHome(version), "libs");
}

/** Jars of the Java client and Kafka Streams that the scenario programs in scripts/java run on. */
export function clientHome(): string {
  return path.join(KAFKA_HOME, `clients-${CLIENT_VERSION}`);
}

export function clientLibsDir(): string {
  return path.join(clientHome(), "libs");
}

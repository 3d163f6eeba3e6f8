import path from "node:path";
import { CONFIG_DIR, libsDir } from "./paths";
import { usesLog4j2, type KafkaVersion } from "./versions";

/** JVM flags that route Kafka's logging to stderr at WARN, for whichever logging backend the version ships. */
export function loggingJvmArgs(version: KafkaVersion): string[] {
  return usesLog4j2(version)
    ? [`-Dlog4j2.configurationFile=${path.join(CONFIG_DIR, "log4j2.properties")}`]
    : [`-Dlog4j.configuration=file:${path.join(CONFIG_DIR, "log4j.properties")}`];
}

export function classpath(version: KafkaVersion): string {
  return `${libsDir(version)}/*`;
}

/** Flags for short-lived tool JVMs: they run for a second or two, so start-up time dominates, not peak speed. */
export const SHORT_LIVED_JVM_ARGS = ["-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"];

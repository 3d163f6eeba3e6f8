import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, stat, writeFile, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { clientHome, clientLibsDir, libsDir, versionHome } from "./paths";
import { ALL_KAFKA_VERSIONS, CLIENT_VERSION, isKafkaVersion, usesLog4j2, type KafkaVersion } from "./versions";

const execFileAsync = promisify(execFile);

const LOG4J2_VERSION = "2.24.3";
const SLF4J_VERSION = "1.7.36";
const DEPENDENCY_PLUGIN_VERSION = "3.8.1";
const LOCK_POLL_MS = 250;
const LOCK_WAIT_MS = 15 * 60_000;

export class KafkaToolingMissingError extends Error {
  constructor(missing: string) {
    super(
      `${missing}. The Kafka test harness needs Java 17+ ('java') and Maven ('mvn') to download and run brokers. ` +
        `Install them (e.g. apt-get install openjdk-17-jre-headless maven), or point the dashboard at an ` +
        `existing cluster with KAFKA_BROKERS=host:port instead.`,
    );
    this.name = "KafkaToolingMissingError";
  }
}

export class KafkaJarDownloadError extends Error {
  constructor(label: string, detail: string) {
    super(`Downloading ${label} jars with Maven failed:\n${detail}`);
    this.name = "KafkaJarDownloadError";
  }
}

/** One directory of jars that Maven fills from a generated pom. */
interface LibSet {
  label: string;
  home: string;
  libs: string;
  pom: () => string;
}

function brokerLibSet(version: KafkaVersion): LibSet {
  return { label: `Kafka ${version}`, home: versionHome(version), libs: libsDir(version), pom: () => brokerLibsPom(version) };
}

const CLIENT_LIB_SET: LibSet = {
  label: `Kafka clients and Streams ${CLIENT_VERSION}`,
  home: clientHome(),
  libs: clientLibsDir(),
  pom: () => clientLibsPom(CLIENT_VERSION),
};

function completeMarker(set: LibSet): string {
  return path.join(set.home, "libs.complete");
}

function lockDir(set: LibSet): string {
  return path.join(set.home, "download.lock");
}

function dependency(groupId: string, artifactId: string, v: string): string {
  return `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${v}</version></dependency>`;
}

function libsPom(artifactId: string, dependencies: string[]): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kafka-eos-auditor</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies.join("\n")}
  </dependencies>
  <build><pluginManagement><plugins>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>${DEPENDENCY_PLUGIN_VERSION}</version></plugin>
  </plugins></pluginManagement></build>
</project>
`;
}

/** The broker, the official CLIs, and the SLF4J binding the official tarball adds by hand (without it brokers log nothing). */
export function brokerLibsPom(version: KafkaVersion): string {
  const logging = usesLog4j2(version)
    ? [
        dependency("org.apache.logging.log4j", "log4j-slf4j-impl", LOG4J2_VERSION),
        dependency("org.slf4j", "slf4j-api", SLF4J_VERSION),
      ]
    : [dependency("org.slf4j", "slf4j-reload4j", SLF4J_VERSION)];
  return libsPom(`kafka-broker-libs-${version}`, [
    dependency("org.apache.kafka", "kafka_2.13", version),
    dependency("org.apache.kafka", "kafka-tools", version),
    ...logging,
  ]);
}

/**
 * The official Java client and Kafka Streams for the scenario programs in scripts/java, with slf4j-simple so
 * their warnings reach stderr (without a binding SLF4J drops them silently).
 */
export function clientLibsPom(version: KafkaVersion): string {
  return libsPom(`kafka-client-libs-${version}`, [
    dependency("org.apache.kafka", "kafka-clients", version),
    dependency("org.apache.kafka", "kafka-streams", version),
    dependency("org.slf4j", "slf4j-api", SLF4J_VERSION),
    dependency("org.slf4j", "slf4j-simple", SLF4J_VERSION),
  ]);
}

async function commandOutput(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args);
    return `${stdout}${stderr}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new KafkaToolingMissingError(`'${command}' is not on PATH`);
    throw error;
  }
}

/** Fails with a readable message when java (17+) or mvn is missing, before anything slow happens. */
export async function assertJavaAvailable(): Promise<void> {
  const output = await commandOutput("java", ["-version"]);
  const major = Number(/version "(?:1\.)?(\d+)/.exec(output)?.[1]);
  if (!(major >= 17)) throw new KafkaToolingMissingError(`Java 17+ is required, found: ${output.split("\n")[0]}`);
}

async function assertMavenAvailable(): Promise<void> {
  await commandOutput("mvn", ["-v"]);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** mkdir is atomic, so the lock directory serialises concurrent downloads; a lock left by a dead process is taken over. */
async function withDownloadLock<T>(set: LibSet, work: () => Promise<T>): Promise<T> {
  const lock = lockDir(set);
  const ownerFile = path.join(lock, "owner");
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(ownerFile, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(await readFile(ownerFile, "utf8").catch(() => ""));
      const lockAgeMs = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      // No owner yet can mean the holder is between mkdir and writeFile; only a lasting ownerless lock is stale.
      const stale = owner > 0 ? !isProcessAlive(owner) : lockAgeMs > 10_000;
      if (stale) await rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new KafkaJarDownloadError(set.label, `timed out waiting for lock ${lock}`);
      else await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function downloadLibs(set: LibSet): Promise<void> {
  const home = set.home;
  const staging = path.join(home, `libs.staging-${process.pid}`);
  const pom = path.join(home, "pom.xml");
  await rm(staging, { recursive: true, force: true });
  await writeFile(pom, set.pom());
  try {
    await execFileAsync(
      "mvn",
      ["-B", "-q", "-f", pom, "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${staging}`],
      { maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    await rm(staging, { recursive: true, force: true });
    throw new KafkaJarDownloadError(set.label, `${e.stdout ?? ""}${e.stderr ?? ""}`.trim() || e.message);
  }
  await rm(set.libs, { recursive: true, force: true });
  await rename(staging, set.libs);
}

/**
 * Returns the absolute libs directory (`.kafka/<version>/libs`) holding every jar a broker and the official CLIs need,
 * downloading it through Maven on first use. Safe to call concurrently from several processes.
 */
export function ensureKafkaJars(version: KafkaVersion): Promise<string> {
  return ensureLibs(brokerLibSet(version));
}

/**
 * Returns `.kafka/clients-<CLIENT_VERSION>/libs`: kafka-clients and kafka-streams for the Java scenario programs.
 * One client version serves every broker version, as in production where new clients talk to older brokers.
 */
export function ensureClientJars(): Promise<string> {
  return ensureLibs(CLIENT_LIB_SET);
}

async function ensureLibs(set: LibSet): Promise<string> {
  if (existsSync(completeMarker(set))) return set.libs;
  await assertJavaAvailable();
  await assertMavenAvailable();
  await mkdir(set.home, { recursive: true });
  await withDownloadLock(set, async () => {
    if (existsSync(completeMarker(set))) return;
    await downloadLibs(set);
    await writeFile(completeMarker(set), new Date().toISOString());
  });
  return set.libs;
}

async function main(argv: string[]): Promise<void> {
  const target = argv[0] ?? "all";
  if (target !== "all" && !isKafkaVersion(target)) {
    throw new Error(`usage: tsx scripts/kafka/jars.ts [all|${ALL_KAFKA_VERSIONS.join("|")}]`);
  }
  const versions = target === "all" ? ALL_KAFKA_VERSIONS : [target];
  for (const version of versions) {
    const started = Date.now();
    const libs = await ensureKafkaJars(version);
    console.log(`Kafka ${version}: ${libs} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  if (target === "all") {
    const started = Date.now();
    const libs = await ensureClientJars();
    console.log(`${CLIENT_LIB_SET.label}: ${libs} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}

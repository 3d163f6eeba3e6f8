import { execFile, spawn, type ChildProcess } from "node:child_process";
import { ensureKafkaJars } from "./jars";
import { SHORT_LIVED_JVM_ARGS, classpath, loggingJvmArgs } from "./jvm";
import type { KafkaVersion } from "./versions";

// The official Kafka CLIs, run straight from the downloaded jars (same main classes in 3.9 and 4.x).
// Each call starts a JVM (~1-2 s): batch questions where a single invocation can answer them.

export const KAFKA_CLI_MAIN_CLASSES = {
  transactions: "org.apache.kafka.tools.TransactionsCommand",
  "consumer-groups": "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
  "get-offsets": "org.apache.kafka.tools.GetOffsetShell",
  topics: "org.apache.kafka.tools.TopicCommand",
  "log-dirs": "org.apache.kafka.tools.LogDirsCommand",
  // 4.x only (kafka-groups.sh, kafka-share-groups.sh, kafka-streams-groups.sh):
  groups: "org.apache.kafka.tools.GroupsCommand",
  "share-groups": "org.apache.kafka.tools.consumer.group.ShareGroupCommand",
  "streams-groups": "org.apache.kafka.tools.streams.StreamsGroupCommand",
  configs: "org.apache.kafka.tools.ConfigCommand",
  // 4.x only (3.9 has kafka.admin.AclCommand):
  acls: "org.apache.kafka.tools.AclCommand",
  // Long-running clients, started with spawnKafkaCli:
  "console-consumer": "org.apache.kafka.tools.consumer.ConsoleConsumer",
  "console-share-consumer": "org.apache.kafka.tools.consumer.ConsoleShareConsumer",
} as const;

export type KafkaCliTool = keyof typeof KAFKA_CLI_MAIN_CLASSES;

export interface KafkaCliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface KafkaCliOptions {
  bootstrap: string;
  /** Client properties file (TLS, SASL) passed as `--command-config`, as an operator would for a secured cluster. */
  commandConfig?: string;
  timeoutMs?: number;
}

export class KafkaCliError extends Error {
  constructor(tool: KafkaCliTool, args: string[], result: KafkaCliResult) {
    super(`kafka ${tool} ${args.join(" ")} exited with ${result.exitCode}:\n${result.stderr || result.stdout}`);
    this.name = "KafkaCliError";
  }
}

/** Runs an official CLI with `--bootstrap-server` prepended; logging goes to stderr so stdout stays parseable. */
export async function kafkaCli(
  version: KafkaVersion,
  tool: KafkaCliTool,
  args: string[],
  options: KafkaCliOptions,
): Promise<KafkaCliResult> {
  await ensureKafkaJars(version);
  return new Promise((resolve) => {
    execFile(
      "java",
      cliJavaArgs(version, tool, args, options),
      { timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ stdout, stderr, exitCode: code });
      },
    );
  });
}

function cliJavaArgs(version: KafkaVersion, tool: KafkaCliTool, args: string[], options: KafkaCliOptions): string[] {
  return [
    ...SHORT_LIVED_JVM_ARGS,
    ...loggingJvmArgs(version),
    "-cp",
    classpath(version),
    KAFKA_CLI_MAIN_CLASSES[tool],
    "--bootstrap-server",
    options.bootstrap,
    // Before the arguments: kafka-transactions only takes it ahead of its sub-command.
    ...(options.commandConfig ? ["--command-config", options.commandConfig] : []),
    ...args,
  ];
}

/** A CLI that runs until stopped (console consumers): stdout is collected, stop() ends it and waits for the exit. */
export interface RunningKafkaCli {
  readonly process: ChildProcess;
  /** Everything printed to stdout so far. */
  stdout(): string;
  stop(): Promise<void>;
}

export async function spawnKafkaCli(
  version: KafkaVersion,
  tool: KafkaCliTool,
  args: string[],
  options: KafkaCliOptions,
): Promise<RunningKafkaCli> {
  await ensureKafkaJars(version);
  const child = spawn("java", cliJavaArgs(version, tool, args, options), { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    stdout: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Parses the tables the CLIs print into one object per row, keyed by header. kafka-transactions separates columns
 * with tabs (values may be empty); kafka-consumer-groups pads columns with spaces to the widest value, so each
 * column starts where its header starts. A blank line or a repeated header starts a new table (consumer-groups
 * prints one table per group: 4.x separates them with blank lines, 3.9 does not). Lines before the first header
 * are skipped when `headerStart` is given (e.g. "GROUP"), which tolerates notices printed above a table.
 */
export function parseCliTable(stdout: string, options: { headerStart?: string } = {}): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  let header: string | undefined;
  let columns: { name: string; start: number }[] = [];
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") {
      header = undefined;
      continue;
    }
    const isHeader = options.headerStart ? line.startsWith(options.headerStart) : header === undefined || line === header;
    if (isHeader) {
      header = line;
      columns = [...line.matchAll(/[^\s]+/g)].map((m) => ({ name: m[0], start: m.index! }));
      continue;
    }
    if (header === undefined) continue;
    const values = header.includes("\t")
      ? line.split("\t").map((v) => v.trim())
      : columns.map((column, i) => line.slice(column.start, columns[i + 1]?.start).trim());
    rows.push(Object.fromEntries(columns.map((column, i) => [column.name, values[i] ?? ""])));
  }
  return rows;
}

/** Where a CLI should connect; a KafkaTestCluster is one. `nodes` lets find-hanging ask every broker. */
export interface KafkaCliTarget {
  version: KafkaVersion;
  bootstrap: string;
  /** See KafkaCliOptions.commandConfig. */
  commandConfig?: string;
  nodes?: readonly { nodeId: number }[];
}

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface CliTransactionListing {
  transactionalId: string;
  coordinatorId: number;
  producerId: number;
  state: string;
}

export interface CliTransactionDescription extends CliTransactionListing {
  producerEpoch: number;
  timeoutMs: number;
  currentTransactionStartTimeMs: number | null;
  transactionDurationMs: number | null;
  topicPartitions: TopicPartitionRef[];
}

export interface CliProducerState {
  producerId: number;
  producerEpoch: number;
  latestCoordinatorEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  /** First offset of the producer's open transaction on this partition; null when none is open. */
  currentTransactionStartOffset: number | null;
}

export interface CliHangingTransaction extends TopicPartitionRef {
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  startOffset: number;
  lastTimestamp: number;
  durationMinutes: number;
}

export interface CliGroupOffset extends TopicPartitionRef {
  group: string;
  /** null when the group has no committed offset for the partition ("-"). */
  currentOffset: number | null;
  logEndOffset: number | null;
  lag: number | null;
  consumerId: string | null;
  host: string | null;
  clientId: string | null;
}

export interface CliPartitionOffset extends TopicPartitionRef {
  offset: number;
}

/** The CLIs print "None", "-" or nothing for absent values. */
function optionalNumber(value: string | undefined): number | null {
  if (value === undefined || value === "" || value === "-" || value === "None") return null;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`unexpected number in Kafka CLI output: '${value}'`);
  return parsed;
}

function requiredNumber(value: string | undefined): number {
  const parsed = optionalNumber(value);
  if (parsed === null) throw new Error(`missing number in Kafka CLI output`);
  return parsed;
}

function optionalText(value: string | undefined): string | null {
  return value === undefined || value === "" || value === "-" ? null : value;
}

/** "orders-12" → orders / 12; topic names may themselves contain '-'. */
function parseTopicPartition(text: string): TopicPartitionRef {
  const dash = text.lastIndexOf("-");
  return { topic: text.slice(0, dash), partition: Number(text.slice(dash + 1)) };
}

async function runCli(target: KafkaCliTarget, tool: KafkaCliTool, args: string[]): Promise<string> {
  const result = await kafkaCli(target.version, tool, args, { bootstrap: target.bootstrap, commandConfig: target.commandConfig });
  // Some commands report failures on stdout with exit code 0 (e.g. consumer-groups on an unknown group).
  if (result.exitCode !== 0 || /^Error:/m.test(result.stdout)) throw new KafkaCliError(tool, args, result);
  return result.stdout;
}

/** `kafka-transactions list` */
export async function listTransactions(target: KafkaCliTarget): Promise<CliTransactionListing[]> {
  return parseCliTable(await runCli(target, "transactions", ["list"])).map((row) => ({
    transactionalId: row.TransactionalId,
    coordinatorId: requiredNumber(row.Coordinator),
    producerId: requiredNumber(row.ProducerId),
    state: row.TransactionState,
  }));
}

/** `kafka-transactions describe --transactional-id <id>` */
export async function describeTransaction(target: KafkaCliTarget, transactionalId: string): Promise<CliTransactionDescription> {
  const [row] = parseCliTable(await runCli(target, "transactions", ["describe", "--transactional-id", transactionalId]));
  if (!row) throw new Error(`kafka-transactions describe printed no row for '${transactionalId}'`);
  const startTime = optionalNumber(row.CurrentTransactionStartTimeMs);
  return {
    transactionalId: row.TransactionalId,
    coordinatorId: requiredNumber(row.CoordinatorId),
    producerId: requiredNumber(row.ProducerId),
    producerEpoch: requiredNumber(row.ProducerEpoch),
    state: row.TransactionState,
    timeoutMs: requiredNumber(row.TransactionTimeoutMs),
    currentTransactionStartTimeMs: startTime === null || startTime < 0 ? null : startTime,
    transactionDurationMs: optionalNumber(row.TransactionDurationMs),
    topicPartitions: row.TopicPartitions ? row.TopicPartitions.split(",").map(parseTopicPartition) : [],
  };
}

/** `kafka-transactions describe-producers --topic <t> --partition <p>` (asks the partition leader). */
export async function describeProducers(target: KafkaCliTarget, topic: string, partition: number): Promise<CliProducerState[]> {
  const args = ["describe-producers", "--topic", topic, "--partition", String(partition)];
  return parseCliTable(await runCli(target, "transactions", args)).map((row) => ({
    producerId: requiredNumber(row.ProducerId),
    producerEpoch: requiredNumber(row.ProducerEpoch),
    latestCoordinatorEpoch: requiredNumber(row.LatestCoordinatorEpoch),
    lastSequence: requiredNumber(row.LastSequence),
    lastTimestamp: requiredNumber(row.LastTimestamp),
    currentTransactionStartOffset: optionalNumber(row.CurrentTransactionStartOffset),
  }));
}

/**
 * `kafka-transactions find-hanging`: open transactions on partitions that their coordinator does not know about,
 * older than maxTransactionTimeoutMinutes (CLI default 15). Asks the given broker or topic, else every node of the target.
 */
export async function findHanging(
  target: KafkaCliTarget,
  options: { brokerId?: number; topic?: string; partition?: number; maxTransactionTimeoutMinutes?: number } = {},
): Promise<CliHangingTransaction[]> {
  const common = options.maxTransactionTimeoutMinutes === undefined ? [] : ["--max-transaction-timeout", String(options.maxTransactionTimeoutMinutes)];
  const scopes: string[][] = options.topic
    ? [["--topic", options.topic, ...(options.partition === undefined ? [] : ["--partition", String(options.partition)])]]
    : (options.brokerId !== undefined ? [options.brokerId] : (target.nodes ?? [{ nodeId: 1 }]).map((n) => n.nodeId)).map((id) => [
        "--broker-id",
        String(id),
      ]);
  const outputs = await Promise.all(scopes.map((scope) => runCli(target, "transactions", ["find-hanging", ...scope, ...common])));
  return outputs.flatMap((stdout) =>
    parseCliTable(stdout).map((row) => ({
      topic: row.Topic,
      partition: requiredNumber(row.Partition),
      producerId: requiredNumber(row.ProducerId),
      producerEpoch: requiredNumber(row.ProducerEpoch),
      coordinatorEpoch: requiredNumber(row.CoordinatorEpoch),
      startOffset: requiredNumber(row.StartOffset),
      lastTimestamp: requiredNumber(row.LastTimestamp),
      durationMinutes: requiredNumber(row["Duration(min)"]),
    })),
  );
}

/** `kafka-consumer-groups --describe --group <g>`: committed offsets, log-end offsets and lag per partition. */
export async function describeGroupOffsets(target: KafkaCliTarget, group: string): Promise<CliGroupOffset[]> {
  const stdout = await runCli(target, "consumer-groups", ["--describe", "--group", group]);
  return parseCliTable(stdout, { headerStart: "GROUP" }).map((row) => ({
    group: row.GROUP,
    topic: row.TOPIC,
    partition: requiredNumber(row.PARTITION),
    currentOffset: optionalNumber(row["CURRENT-OFFSET"]),
    logEndOffset: optionalNumber(row["LOG-END-OFFSET"]),
    lag: optionalNumber(row.LAG),
    consumerId: optionalText(row["CONSUMER-ID"]),
    host: optionalText(row.HOST),
    clientId: optionalText(row["CLIENT-ID"]),
  }));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * `kafka-get-offsets`: time -1 = end offsets (high watermark), -2 = log-start offsets. GetOffsetShell has no
 * isolation option (it always reads uncommitted), so read_committed end offsets are derived from official output
 * too: the last stable offset is the high watermark capped by the earliest open transaction's start offset
 * (`describe-producers`, one extra JVM per partition).
 */
export async function getOffsets(
  target: KafkaCliTarget,
  topic: string,
  options: { time: -1 | -2; isolation?: "read_uncommitted" | "read_committed" },
): Promise<CliPartitionOffset[]> {
  const stdout = await runCli(target, "get-offsets", ["--topic", `^${escapeRegex(topic)}$`, "--time", String(options.time)]);
  const offsets = stdout
    .split("\n")
    .map((line) => /^(.+):(\d+):(-?\d+)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === topic)
    .map((m) => ({ topic: m[1], partition: Number(m[2]), offset: Number(m[3]) }))
    .sort((a, b) => a.partition - b.partition);
  if (options.isolation !== "read_committed" || options.time !== -1) return offsets;
  return Promise.all(
    offsets.map(async (entry) => {
      const openStarts = (await describeProducers(target, topic, entry.partition))
        .map((p) => p.currentTransactionStartOffset)
        .filter((offset): offset is number => offset !== null);
      return { ...entry, offset: Math.min(entry.offset, ...openStarts) };
    }),
  );
}

export interface CliListedGroup {
  group: string;
  /** As printed: Classic, Consumer, Share, Streams. */
  type: string;
  protocol: string;
}

/** `kafka-groups --list` (4.x): every group with its type and protocol type. */
export async function listGroupsWithTypes(target: KafkaCliTarget): Promise<CliListedGroup[]> {
  return parseCliTable(await runCli(target, "groups", ["--list"]), { headerStart: "GROUP" }).map((row) => ({
    group: row.GROUP,
    type: row.TYPE,
    protocol: row.PROTOCOL,
  }));
}

export interface CliGroupState {
  group: string;
  coordinatorId: number;
  /** Assignment strategy (consumer groups), assignor (streams groups), or null (share groups print none). */
  assignmentStrategy: string | null;
  state: string;
  /** KIP-848, streams and share groups; null ("-") for classic groups; undefined where the CLI has no such column (3.9). */
  groupEpoch?: number | null;
  assignmentEpoch?: number | null;
  members: number;
}

/** "127.0.0.1:9092  (1)": the table parser splits this header in two ("COORDINATOR", "(ID)"). */
function coordinatorIdOf(row: Record<string, string>): number {
  const match = /\((\d+)\)/.exec(`${row.COORDINATOR ?? ""}${row["(ID)"] ?? ""}`);
  if (!match) throw new Error(`no coordinator id in Kafka CLI output: ${JSON.stringify(row)}`);
  return Number(match[1]);
}

/** The `--state --verbose` table of kafka-consumer-groups or kafka-share-groups, one row per group. */
export function parseGroupStates(stdout: string): CliGroupState[] {
  return parseCliTable(stdout, { headerStart: "GROUP" }).map(groupStateRow);
}

function groupStateRow(row: Record<string, string>): CliGroupState {
  return {
    group: row.GROUP,
    coordinatorId: coordinatorIdOf(row),
    assignmentStrategy: optionalText(row["ASSIGNMENT-STRATEGY"] ?? row.ASSIGNOR),
    state: row.STATE,
    ...("GROUP-EPOCH" in row && {
      groupEpoch: optionalNumber(row["GROUP-EPOCH"]),
      assignmentEpoch: optionalNumber(row["TARGET-ASSIGNMENT-EPOCH"] ?? row["ASSIGNMENT-EPOCH"]),
    }),
    members: requiredNumber(row["#MEMBERS"]),
  };
}

/**
 * The CLIs' assignment column → topic partitions: "orders:0,1;audit:2" (4.x); "-" → none. 3.9 prints
 * "(0,1), (2)", dropping the topic names (it joins the per-topic groups' values only): topic "" there.
 */
function parseAssignment(text: string | undefined): TopicPartitionRef[] {
  if (!text || text === "-") return [];
  const entries = text.includes("(")
    ? [...text.matchAll(/\(([\d,]*)\)/g)].map((m) => ["", m[1]] as const)
    : text.split(";").map((entry) => [entry.slice(0, entry.lastIndexOf(":")), entry.slice(entry.lastIndexOf(":") + 1)] as const);
  return entries.flatMap(([topic, partitions]) =>
    partitions
      .split(",")
      .filter((p) => p !== "")
      .map((p) => ({ topic, partition: Number(p) })),
  );
}

export interface CliGroupMember {
  group: string;
  memberId: string;
  host: string;
  clientId: string;
  partitions: number;
  /** KIP-848 / share member epoch; null for classic members; undefined where the CLI has no such column (3.9). */
  memberEpoch?: number | null;
  assignment: TopicPartitionRef[];
  /** KIP-848 (empty for classic members); undefined where the CLI has no such column (3.9, share groups). */
  targetAssignment?: TopicPartitionRef[];
}

/** The `--members --verbose` table of kafka-consumer-groups or kafka-share-groups. */
export function parseGroupMembers(stdout: string): CliGroupMember[] {
  return parseCliTable(stdout, { headerStart: "GROUP" }).map(groupMemberRow);
}

function groupMemberRow(row: Record<string, string>): CliGroupMember {
  return {
    group: row.GROUP,
    memberId: row["CONSUMER-ID"],
    host: row.HOST,
    clientId: row["CLIENT-ID"],
    partitions: requiredNumber(row["#PARTITIONS"]),
    ...(("CURRENT-EPOCH" in row || "MEMBER-EPOCH" in row) && { memberEpoch: optionalNumber(row["CURRENT-EPOCH"] ?? row["MEMBER-EPOCH"]) }),
    assignment: parseAssignment(row["CURRENT-ASSIGNMENT"] ?? row.ASSIGNMENT),
    ...("TARGET-ASSIGNMENT" in row && { targetAssignment: parseAssignment(row["TARGET-ASSIGNMENT"]) }),
  };
}

/** The CLIs that describe groups with `--state` / `--members` tables of the same shape. */
export type GroupCliTool = "consumer-groups" | "share-groups" | "streams-groups";

/** `kafka-consumer-groups` (or kafka-share-groups, kafka-streams-groups) `--describe --group <g> --state --verbose`. */
export async function describeGroupState(target: KafkaCliTarget, group: string, tool: GroupCliTool = "consumer-groups"): Promise<CliGroupState> {
  const [row] = parseGroupStates(await runCli(target, tool, ["--describe", "--group", group, "--state", "--verbose"]));
  if (!row) throw new Error(`kafka-${tool} --state printed no row for '${group}'`);
  return row;
}

/** `kafka-consumer-groups` (or kafka-share-groups) `--describe --group <g> --members --verbose`: members, epochs, assignments. */
export async function describeGroupMembers(target: KafkaCliTarget, group: string, tool: GroupCliTool = "consumer-groups"): Promise<CliGroupMember[]> {
  return parseGroupMembers(await runCli(target, tool, ["--describe", "--group", group, "--members", "--verbose"]));
}

export interface CliShareGroupOffset extends TopicPartitionRef {
  group: string;
  /** null ("-") while the share partition is not initialized. */
  startOffset: number | null;
  lag: number | null;
}

/** `kafka-share-groups --describe --group <g> --offsets` (4.x): start offset and lag per partition. */
export async function describeShareGroupOffsets(target: KafkaCliTarget, group: string): Promise<CliShareGroupOffset[]> {
  const stdout = await runCli(target, "share-groups", ["--describe", "--group", group, "--offsets"]);
  return parseCliTable(stdout, { headerStart: "GROUP" }).map((row) => ({
    group: row.GROUP,
    topic: row.TOPIC,
    partition: requiredNumber(row.PARTITION),
    startOffset: optionalNumber(row["START-OFFSET"]),
    lag: optionalNumber(row.LAG),
  }));
}

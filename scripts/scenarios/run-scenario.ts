// Runs one scenario of the library against an existing cluster until Ctrl-C, printing its progress every 5 s:
//   npx tsx scripts/scenarios/run-scenario.ts --bootstrap 127.0.0.1:9092 --scenario java-fencing-pair
// (start a local broker with `npx tsx scripts/kafka/run-cluster.ts --version 4.4.0` in another terminal).
import { parseArgs } from "node:util";
import { SCENARIOS } from "./index";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { bootstrap: { type: "string" }, scenario: { type: "string" }, prefix: { type: "string" } } });
  const entry = SCENARIOS.find((s) => s.name === values.scenario || String(s.id) === values.scenario);
  if (!values.bootstrap || !entry) {
    throw new Error(`usage: --bootstrap host:port --scenario <${SCENARIOS.map((s) => s.name).join("|")}>`);
  }
  const running = await entry.run({ brokers: values.bootstrap.split(","), prefix: values.prefix, log: (msg) => console.log(msg) });
  console.log(JSON.stringify({ scenario: entry.name, info: running.info }));
  const timer = setInterval(() => console.log(JSON.stringify({ progress: running.progress() })), 5000);
  const stop = async () => {
    clearInterval(timer);
    await running.stop();
    console.log(JSON.stringify({ stopped: entry.name, progress: running.progress() }));
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});

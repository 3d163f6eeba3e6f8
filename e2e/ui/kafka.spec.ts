// The dashboard over a real broker: a Kafka 4.x broker, a real transactional producer leaving a transaction
// open, and the production collector + detectors writing polls into the database the server reads.
import { existsSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { ClusterCollector } from "@/lib/kafka/collector";
import { closeDatabase, useDatabase } from "@/lib/store/db";
import { recordPoll } from "@/lib/store/polls";
import { startKafka, type KafkaTestCluster } from "../../scripts/kafka/cluster";
import { libsDir } from "../../scripts/kafka/paths";
import { runStuckTransaction, type OpenTransactionInfo, type RunningScenario } from "../../scripts/scenarios";
import { screenshotAtWidths } from "./screenshots";

const CLUSTER = "kafka-live";
const POLL_MS = 2000;
const hasKafka = existsSync(libsDir("4.4.0"));

test.describe("real Kafka: an open transaction pins the LSO", () => {
  test.skip(!hasKafka, "Kafka jars are missing: run npm run kafka:jars");
  test.describe.configure({ timeout: 240_000 });

  let kafka: KafkaTestCluster | undefined;
  let scenario: RunningScenario<OpenTransactionInfo> | undefined;
  let collector: ClusterCollector | undefined;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    kafka = await startKafka({ version: "4.4.0", name: "ui-e2e" });
    scenario = await runStuckTransaction({ brokers: kafka.brokers, prefix: "ui-" });
    collector = new ClusterCollector({ name: CLUSTER, brokers: kafka.brokers, clientId: "ui-e2e", ssl: false });
    await useDatabase(`file:${path.join(process.env.UI_TEST_DB_DIR!, "ui.db")}`);
    // A few polls, as the poller would make them, so the LSO is seen standing still while the HW grows.
    let state: DetectorState | null = null;
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      const snapshot = await collector.collect();
      const analysis = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt + snapshot.durationMs, settings: { lsoStuckMs: 4000 } });
      state = analysis.state;
      await recordPoll(snapshot, analysis.findings, { analysisState: state, sampleEveryMs: 0 });
      await new Promise((r) => setTimeout(r, Math.max(0, POLL_MS - (Date.now() - started))));
    }
  });

  test.afterAll(async () => {
    await scenario?.stop();
    await collector?.close();
    await closeDatabase();
    await kafka?.stop();
  });

  test("the transaction, its pinned partition and the waiting group are shown", async ({ page }) => {
    const info = scenario!.info;
    const c = `/clusters/${CLUSTER}`;
    await screenshotAtWidths(page, `${c}/transactions/${encodeURIComponent(info.transactionalId)}`, "kafka-transaction", async (p) => {
      await expect(p.getByTestId("entity-title")).toHaveText(info.transactionalId);
    });
    await expect(page.getByText("Ongoing").first()).toBeVisible();
    await expect(page.getByRole("link", { name: `${info.topic}-${info.partition}` }).first()).toBeVisible();

    await screenshotAtWidths(page, `${c}/topics/${encodeURIComponent(info.topic)}`, "kafka-topic", async (p) => {
      await expect(p.getByRole("table", { name: /Offsets per partition/ })).toBeVisible();
    });
    const row = page.getByRole("table", { name: /Offsets per partition/ }).getByRole("row").nth(1);
    await expect(row).toContainText(info.transactionalId);
    await expect(row).toContainText(`open txn from ${info.transactionFirstOffset}`);

    await screenshotAtWidths(page, `${c}/groups/${encodeURIComponent(info.groupId)}`, "kafka-group", async (p) => {
      await expect(p.getByTestId("entity-title")).toHaveText(info.groupId);
    });
    await expect(page.getByText("Held by transactions").first()).toBeVisible();

    await screenshotAtWidths(page, c, "kafka-cluster", async (p) => {
      await expect(p.getByRole("table", { name: "Brokers" })).toBeVisible();
    });
    await expect(page.getByRole("table", { name: /open finding/ })).toContainText(info.topic);
  });
});

// A deployment younger than an hour: its samples exist but the hourly job has rolled nothing up yet. The capacity
// page must still show the current hour, marked partial, rolled up from the samples.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { buildPartition, buildSnapshot, buildTopic } from "@/lib/analysis/testing/snapshot-builder";
import { closeDatabase, useDatabase } from "@/lib/store/db";
import { recordPoll } from "@/lib/store/polls";
import { screenshotAtWidths } from "./screenshots";

const CLUSTER = "fresh-install";
const MIN = 60_000;
const HOUR = 60 * MIN;
const POLLS = 6;
// Each poll 5 min apart; clicks-p grows by (p + 1) × 100 records a poll.
const GROWTH = [100, 200, 300];
let firstPollAt = 0;

test.beforeAll(async () => {
  test.setTimeout(5 * MIN);
  await useDatabase(`file:${path.join(process.env.UI_TEST_DB_DIR!, "ui.db")}`);
  // The page loads must fall in the hour the polls end in: close to its end, start in the next one.
  const left = HOUR - (Date.now() % HOUR);
  if (left < 3 * MIN) await new Promise((r) => setTimeout(r, left + 1_000));
  // Within the current hour, so the whole install is the one partial bucket.
  const now = Date.now();
  firstPollAt = Math.max(Math.floor(now / HOUR) * HOUR + 1_000, now - (POLLS - 1) * 5 * MIN);
  const step = (now - firstPollAt) / (POLLS - 1);
  for (let i = 0; i < POLLS; i++) {
    const partitions = GROWTH.map((g, p) => buildPartition(p, { highWatermark: 1_000 + i * g, lastStableOffset: 1_000 + i * g, sizeBytes: (1_000 + i * g) * 100 }));
    await recordPoll(buildSnapshot({ cluster: CLUSTER, collectedAt: Math.round(firstPollAt + i * step), topics: [buildTopic("clicks", partitions)] }), [], {
      sampleEveryMs: 0,
    });
  }
});

test.afterAll(async () => {
  await closeDatabase();
});

test("a fresh install with less than an hour of samples shows the current hour, marked partial", async ({ page, request }) => {
  const c = `/clusters/${CLUSTER}/capacity?range=24h`;
  await screenshotAtWidths(page, c, "capacity-fresh-install", async (p) => {
    await expect(p.getByTestId("capacity-partial")).toBeVisible();
  });
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshotAtWidths(page, c, "capacity-fresh-install-dark", async (p) => {
    await expect(p.getByTestId("capacity-partial")).toBeVisible();
  });
  await expect(page.getByText("No samples in this range yet")).toHaveCount(0);
  await expect(page.getByTestId("capacity-partial")).toContainText("Includes the current hour, not finished");
  const table = page.getByRole("table", { name: /Throughput, skew and exactly-once pressure over the range, including the partial current hour/ });
  // Every record since the first poll: 5 intervals × (100 + 200 + 300).
  await expect(table.getByRole("row", { name: /clicks/ })).toContainText("3,000");

  const capacity = await (await request.get(`/api/clusters/${CLUSTER}/capacity?range=24h`)).json();
  expect(capacity.partial.bucketStart).toBe(Math.floor(capacity.to / HOUR) * HOUR);
  expect(capacity.rows).toEqual([expect.objectContaining({ topic: "clicks", partitionCount: 3, recordsIn: 3_000 })]);
  // 1,000 records on p2 against a mean of 500.
  expect(capacity.rows[0].skew).toBe(1.5);
});

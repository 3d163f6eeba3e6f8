import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO_CLUSTER, HUNG_TXN_ID, KIP848_GROUP, SHARE_GROUP, STALE_CLUSTER, STALE_CLUSTER_ERROR } from "../../scripts/seed-demo-names";
import { SCREENSHOT_DIR, screenshotAtWidths } from "./screenshots";

const c = `/clusters/${DEMO_CLUSTER}`;

test("overview lists clusters with findings by severity and flags the stale one", async ({ page }) => {
  await screenshotAtWidths(page, "/", "overview", async (p) => {
    await expect(p.getByRole("heading", { name: DEMO_CLUSTER })).toBeVisible();
  });
  await expect(page.getByRole("heading", { name: STALE_CLUSTER })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Data is stale" })).toContainText(STALE_CLUSTER);
  await expect(page.getByText("1 critical")).toBeVisible();
});

test("a cluster that rejects the credentials says why on its page", async ({ page }) => {
  await page.goto(`/clusters/${STALE_CLUSTER}`);
  await expect(page.getByRole("alert").filter({ hasText: "Data is stale" })).toContainText(STALE_CLUSTER_ERROR);
});

test("overview with ?at= shows the earlier state under the time-travel banner", async ({ page, request }) => {
  const live = await (await request.get("/api/clusters")).json();
  const lastPoll: number = live.clusters.find((x: { name: string }) => x.name === DEMO_CLUSTER).poll.lastSnapshotAt;
  // Fifteen minutes before the last poll the transaction had not hung yet: no critical finding was open.
  const past = new Date(lastPoll - 15 * 60_000).toISOString();
  await screenshotAtWidths(page, `/?at=${encodeURIComponent(past)}`, "overview-past", async (p) => {
    await expect(p.getByText("Time travel: showing the state")).toBeVisible();
  });
  const card = page.locator("section.card").filter({ has: page.getByRole("heading", { name: DEMO_CLUSTER }) });
  await expect(card.getByText("0 critical")).toBeVisible();
  await expect(card.getByText("1 warning")).toBeVisible();
  const then = await (await request.get(`/api/clusters?at=${encodeURIComponent(past)}`)).json();
  const snapshotThen: number = then.clusters.find((x: { name: string }) => x.name === DEMO_CLUSTER).poll.lastSnapshotAt;
  expect(snapshotThen).toBeLessThanOrEqual(Date.parse(past));
  await expect(card).toContainText(new Date(snapshotThen).toISOString().replace("T", " ").slice(0, 19));
  await page.getByRole("button", { name: "Back to live" }).click();
  await expect(card.getByText("1 critical")).toBeVisible();
});

test("cluster page shows brokers, partition health and open findings", async ({ page }) => {
  await screenshotAtWidths(page, c, "cluster", async (p) => {
    await expect(p.getByRole("table", { name: "Brokers" })).toBeVisible();
  });
  await expect(page.getByRole("link", { name: "Hanging transaction pins the LSO of orders-2" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Partitions needing attention" })).toContainText("under-replicated");
});

test("finding page explains, charts and offers a copyable command", async ({ page }) => {
  await page.goto(c);
  await page.getByRole("link", { name: "Hanging transaction pins the LSO of orders-2" }).click();
  await expect(page).toHaveURL(/\/findings\//);
  const url = page.url();
  await screenshotAtWidths(page, url, "finding", async (p) => {
    await expect(p.getByRole("heading", { name: "What to do" })).toBeVisible();
    await expect(p.locator(".recharts-surface").first()).toBeVisible();
  });
  await expect(page.getByRole("button", { name: "Copy command" })).toHaveCount(3);
  await expect(page.locator("pre").nth(2)).toHaveText("kafka-transactions.sh --bootstrap-server 127.0.0.1:9092 abort --topic=orders --partition 2 --start-offset 1000");
  await expect(page.getByRole("table").filter({ hasText: "currentTxnStartOffset" })).toBeVisible();
});

test("transactions list filters through the URL and links to the detail", async ({ page }) => {
  await screenshotAtWidths(page, `${c}/transactions`, "transactions", async (p) => {
    await expect(p.getByRole("link", { name: HUNG_TXN_ID })).toBeVisible();
  });
  await page.getByLabel("State").selectOption("Ongoing");
  await expect(page).toHaveURL(/state=Ongoing/);
  await expect(page.getByRole("link", { name: "payments-writer" })).toHaveCount(0);
  await page.getByRole("link", { name: HUNG_TXN_ID }).click();
  await expect(page.getByTestId("entity-title")).toHaveText(HUNG_TXN_ID);
  await screenshotAtWidths(page, page.url(), "transaction", async (p) => {
    await expect(p.getByRole("heading", { name: "Groups it blocks" })).toBeVisible();
  });
  await expect(page.getByText("past its timeout")).toBeVisible();
  await expect(page.getByRole("link", { name: "billing" })).toBeVisible();
});

test("groups list and detail split lag into consumable and held by transactions", async ({ page }) => {
  await screenshotAtWidths(page, `${c}/groups`, "groups", async (p) => {
    await expect(p.getByRole("link", { name: "billing" })).toBeVisible();
  });
  await expect(page.getByRole("row").filter({ hasText: "billing" })).toContainText("TXN BLOCKED");
  await screenshotAtWidths(page, `${c}/groups/billing`, "group", async (p) => {
    await expect(p.locator(".recharts-surface").first()).toBeVisible();
  });
  await expect(page.getByRole("table").filter({ hasText: "Committed" })).toContainText("billing-app-1");
});

test("groups of every type: KIP-848 epochs and target assignments, share start offsets and lag", async ({ page }) => {
  await page.goto(`${c}/groups`);
  await expect(page.getByRole("row").filter({ hasText: KIP848_GROUP })).toContainText("consumer");
  await expect(page.getByRole("row").filter({ hasText: KIP848_GROUP })).toContainText("Reconciling");
  await expect(page.getByRole("row").filter({ hasText: SHARE_GROUP })).toContainText("share");
  await page.getByLabel("Type").selectOption("share");
  await expect(page).toHaveURL(/type=share/);
  await expect(page.getByRole("link", { name: KIP848_GROUP })).toHaveCount(0);
  await expect(page.getByRole("row").filter({ hasText: SHARE_GROUP })).toContainText("75");

  await screenshotAtWidths(page, `${c}/groups/${KIP848_GROUP}`, "group-kip848", async (p) => {
    await expect(p.getByRole("status").filter({ hasText: "Reconciling:" })).toBeVisible();
  });
  await expect(page.getByText("consumer group, coordinator 1, epoch 12 (assignment 12)")).toBeVisible();
  const members = page.getByRole("table").filter({ hasText: "Target assignment" });
  await expect(members.getByRole("row").filter({ hasText: "checkout-1" })).toContainText("payments-0, payments-1");
  await expect(members.getByRole("row").filter({ hasText: "checkout-2" })).toContainText("11");

  await screenshotAtWidths(page, `${c}/groups/${SHARE_GROUP}`, "group-share", async (p) => {
    await expect(p.getByRole("heading", { name: /^Share partitions/ })).toBeVisible();
  });
  await expect(page.getByText("Share lag")).toBeVisible();
  const shared = page.getByRole("table").filter({ hasText: "Start offset" });
  await expect(shared.getByRole("row")).toHaveCount(4);
  await expect(shared.getByRole("row").nth(1)).toContainText("review-1, review-2");
  await expect(page.getByRole("table").filter({ hasText: "Committed" })).toHaveCount(0);
});

test("topics list and detail show offsets, HW − LSO and producers", async ({ page }) => {
  await screenshotAtWidths(page, `${c}/topics`, "topics", async (p) => {
    await expect(p.getByRole("link", { name: "orders" })).toBeVisible();
  });
  await screenshotAtWidths(page, `${c}/topics/orders`, "topic", async (p) => {
    await expect(p.locator(".recharts-surface").first()).toBeVisible();
  });
  await expect(page.getByRole("combobox", { name: /^Partition/ })).toHaveValue("2");
  await expect(page.getByRole("link", { name: HUNG_TXN_ID }).first()).toBeVisible();
});

test("48 h charts on the topic and group pages: every poll of the last hour, thinned before it, and say so", async ({ page, request }) => {
  for (const [url, name] of [[`${c}/topics/orders?range=48h`, "topic-48h"], [`${c}/groups/billing?range=48h`, "group-48h"]] as const) {
    await screenshotAtWidths(page, url, name, async (p) => {
      await expect(p.locator(".recharts-surface").first()).toBeVisible();
      await expect(p.getByTestId("chart-resolution")).toContainText("first, last, lowest and highest poll");
    });
  }
  const history = await (await request.get(`/api/clusters/${DEMO_CLUSTER}/topics/orders/history?windowMs=${48 * 3_600_000}&partition=2`)).json();
  expect(history.resolution.bucketMs).toBeGreaterThan(0);
  expect(new Set(history.points.map((p: { partition: number }) => p.partition))).toEqual(new Set([2]));
  // The last hour holds every poll: the same points as a 6 h window, which is never thinned.
  const full = await (await request.get(`/api/clusters/${DEMO_CLUSTER}/topics/orders/history?windowMs=${6 * 3_600_000}&partition=2&to=${new Date(history.to).toISOString()}`)).json();
  expect(full.resolution.bucketMs).toBeNull();
  const since = (points: { at: number }[]) => points.filter((p) => p.at >= history.resolution.everyPollFrom);
  expect(since(full.points).length).toBeGreaterThan(10);
  expect(since(history.points)).toEqual(since(full.points));
  const findings = (await (await request.get(`/api/clusters/${DEMO_CLUSTER}/findings`)).json()).findings as { id: string; kind: string }[];
  await screenshotAtWidths(page, `${c}/findings/${encodeURIComponent(findings.find((f) => f.kind === "hanging-transaction")!.id)}`, "finding-chart", async (p) => {
    await expect(p.locator(".recharts-surface").first()).toBeVisible();
  });
});

test("time travel shows an older poll and keeps ?at= on navigation", async ({ page, request }) => {
  const clusters = await (await request.get("/api/clusters")).json();
  const lastPoll: number = clusters.clusters.find((x: { name: string }) => x.name === DEMO_CLUSTER).poll.lastSnapshotAt;
  const past = new Date(lastPoll - 15 * 60_000).toISOString();
  await page.goto(`${c}/transactions?at=${encodeURIComponent(past)}`);
  await expect(page.getByText("Time travel: showing the state")).toBeVisible();
  // Fifteen minutes before the last poll the writer had no open transaction yet.
  await expect(page.getByRole("row").filter({ hasText: HUNG_TXN_ID })).toContainText("CompleteCommit");
  await page.getByRole("navigation", { name: "Cluster sections" }).getByRole("link", { name: "Groups" }).click();
  await expect(page).toHaveURL(/groups\?at=/);
});

test("unknown cluster and bad input give designed errors", async ({ page, request }) => {
  const missing = await request.get("/api/clusters/nope");
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toEqual({ error: "Unknown cluster: nope" });
  const bad = await request.get(`/api/clusters/${DEMO_CLUSTER}?at=yesterday`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain("ISO 8601");
  await page.goto("/clusters/nope");
  await expect(page.getByText("Unknown cluster: nope")).toBeVisible();
  // Malformed escapes and NUL in a Kafka name: a 4xx with a JSON message, never a 500.
  for (const raw of ["%00%ff", "%ff", "%00", "a%E0%A4%A"]) {
    const answer = await request.get(`/api/clusters/${DEMO_CLUSTER}/transactions/${raw}`);
    expect(answer.status(), raw).toBeGreaterThanOrEqual(400);
    expect(answer.status(), raw).toBeLessThan(500);
    expect(typeof (await answer.json()).error, raw).toBe("string");
  }
  const malformedPage = await page.goto(`/clusters/${DEMO_CLUSTER}/transactions/%ff`);
  expect(malformedPage?.status()).toBe(404);
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok", db: "ok" });
});

test("pipelines link the transactional id to its input group and output topic", async ({ page }) => {
  await screenshotAtWidths(page, `${c}/pipelines`, "pipelines", async (p) => {
    await expect(p.getByRole("region", { name: "Pipeline enricher-0" })).toBeVisible();
  });
  const card = page.getByRole("region", { name: "Pipeline enricher-0" });
  await expect(card.getByRole("link", { name: "enricher", exact: true })).toBeVisible();
  await expect(card).toContainText(/commits offsets of .*enricher inside its transactions/);
});

test("hot partitions show the most skewed partition and a heatmap", async ({ page }) => {
  await screenshotAtWidths(page, `${c}/hot-partitions`, "hot-partitions", async (p) => {
    await expect(p.getByRole("table", { name: /Skew = partition rate/ })).toBeVisible();
  });
  await expect(page.getByRole("table", { name: /Skew = partition rate/ }).getByRole("row").nth(1)).toContainText("orders");
  await expect(page.locator("table.heatmap").first()).toBeVisible();
});

test("a heatmap cell is reachable by keyboard and names its partition, time and rate", async ({ page }) => {
  await page.goto(`${c}/hot-partitions`);
  const card = page.getByTestId("heatmap-card").first();
  const heatmap = card.getByRole("grid");
  // The topic link heading the heatmap's card comes right before its cells in the tab order.
  await card.getByRole("link").first().focus();
  await page.keyboard.press("Tab");
  const first = heatmap.getByRole("gridcell", { name: /^orders-0 at .+ UTC: .+ records\/s/ }).first();
  await expect(first).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(heatmap.getByRole("gridcell", { name: /^orders-1 at / }).first()).toBeFocused();
  // orders-0 runs at four times the others.
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowRight");
  await expect(page.locator(":focus")).toHaveAttribute("aria-label", /^orders-0 at .+: .+ records\/s, [34]\.\d× median$/);
  // Keyboard focus shows a ring (the screenshot is for a human to check it stands out).
  const focused = page.locator(":focus");
  expect(await focused.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
  await heatmap.screenshot({ path: path.join(SCREENSHOT_DIR, "hot-partitions-keyboard-focus.png") });
});

test("config risks are grouped by topic with a copyable fix", async ({ page }) => {
  await screenshotAtWidths(page, `${c}/config`, "config", async (p) => {
    await expect(p.getByRole("region", { name: "Topic payments" })).toBeVisible();
  });
  await expect(page.getByRole("region", { name: "Topic payments" }).locator("pre")).toContainText("min.insync.replicas=2");
});

test("capacity shows roll-ups per topic and exports CSV", async ({ page, request }) => {
  await screenshotAtWidths(page, `${c}/capacity`, "capacity", async (p) => {
    await expect(p.getByRole("table", { name: /Throughput, skew/ })).toContainText("orders");
  });
  await page.getByLabel("Range").selectOption("30d");
  await expect(page).toHaveURL(/range=30d/);
  await expect(page.getByText("daily buckets")).toBeVisible();
  const csv = await request.get(`/api/clusters/${DEMO_CLUSTER}/capacity/csv?range=7d`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const text = await csv.text();
  expect(text.split("\r\n")[0]).toBe(
    "topic,partitions,records_in,avg_records_per_sec,peak_records_per_sec,bytes_in,max_size_bytes,partition_skew,max_hw_minus_lso,max_group_lag,max_open_transactions",
  );
  expect(text).toMatch(/\r\norders,6,\d+/);
});

test("capacity shows observed transaction completions and open durations, and exports them", async ({ page, request }) => {
  const capacity = await (await request.get(`/api/clusters/${DEMO_CLUSTER}/capacity?range=24h`)).json();
  const { observedCommits, observedAborts } = capacity.transactions.summary;
  // The seeded payments-writer commits twice and aborts once every six polls.
  expect(observedCommits).toBeGreaterThan(0);
  expect(observedAborts).toBeGreaterThan(0);
  await page.goto(`${c}/capacity?range=24h`);
  const summary = page.getByRole("table", { name: "Transactions over the range" });
  await expect(summary.getByRole("row", { name: "Observed commits" }).getByRole("cell")).toHaveText(observedCommits.toLocaleString("en-US"));
  await expect(summary.getByRole("row", { name: "Observed aborts" }).getByRole("cell")).toHaveText(observedAborts.toLocaleString("en-US"));
  await expect(page.getByText("read them as a lower bound")).toBeVisible();
  await expect(page.getByRole("figure", { name: "Observed completions per hour" })).toBeVisible();
  await screenshotAtWidths(page, `${c}/capacity?range=24h`, "capacity-transactions", async (p) => {
    await expect(p.getByRole("figure", { name: "Age of open transactions" }).getByRole("application")).toBeVisible();
  });
  const csv = await request.get(`/api/clusters/${DEMO_CLUSTER}/capacity/csv?range=24h&table=transactions`);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe("bucket_start,observed_commits,observed_aborts,transactional_ids_changed,avg_open_ms,max_open_ms,max_open_transactions");
  expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z,\d+,\d+,\d+,\d*,\d*,\d+$/);
  expect(lines.slice(1).reduce((sum, line) => sum + Number(line.split(",")[1]), 0)).toBe(observedCommits);
});

test("dark mode follows the system colour scheme", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshotAtWidths(page, `${c}/topics/orders`, "topic-dark", async (p) => {
    await expect(p.locator(".recharts-surface").first()).toBeVisible();
  });
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe("rgb(13, 17, 23)");
});

test("keyboard users can skip to content and sort a table", async ({ page }) => {
  await page.goto(`${c}/groups`);
  await expect(page.getByRole("link", { name: "billing" })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.getByRole("button", { name: /^Group/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/sort=groupId&dir=desc/);
  await expect(page.getByRole("columnheader", { name: /^Group/ })).toHaveAttribute("aria-sort", "descending");
});

test("the icons are served and linked from every page", async ({ page, request }) => {
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(ico.headers()["content-type"]).toMatch(/icon/);
  const svg = await request.get("/icon.svg");
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  await page.goto(`${c}/findings`);
  await expect(page.locator('head link[rel="icon"][href^="/icon.svg"]')).toHaveCount(1);
});

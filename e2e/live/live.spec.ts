// The dashboard on a real broker: scenarios create the situations, the real poller collects them, and each page
// must show what the broker's state implies. Runs in file order; the last test stops Kafka.
import { expect, test, type Page } from "@playwright/test";
import autocannon from "autocannon";
import { expandFindingGroups } from "../ui/finding-groups";
import { expectReadableHeatmaps } from "../ui/heatmap-layout";
import { WIDTHS, screenshotAtWidths } from "../ui/screenshots";
import { liveEnv } from "./live-env";

const env = liveEnv();
const c = `${env.baseUrl}/clusters/${env.cluster}`;

interface FindingDto {
  id: string;
  title: string;
  kind: string;
  subject: { topic?: string; partition?: number; transactionalId?: string; groupId?: string };
}

async function openFindings(): Promise<FindingDto[]> {
  const response = await fetch(`${env.baseUrl}/api/clusters/${env.cluster}/findings`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { findings: FindingDto[] }).findings;
}

async function waitForFinding(match: (finding: FindingDto) => boolean, timeoutMs = 60_000): Promise<FindingDto> {
  let found: FindingDto | undefined;
  await expect.poll(async () => (found = (await openFindings()).find(match)) !== undefined, { timeout: timeoutMs }).toBe(true);
  return found!;
}

function subjectMatches(actual: FindingDto["subject"], expected: FindingDto["subject"]): boolean {
  return Object.entries(expected).every(([field, want]) => {
    const got = actual[field as keyof FindingDto["subject"]];
    return typeof want === "string" && want.endsWith("*") ? String(got ?? "").startsWith(want.slice(0, -1)) : got === want;
  });
}

async function noScriptRan(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
}

test.beforeEach(async ({ page }) => {
  page.on("dialog", (dialog) => {
    throw new Error(`a script ran: dialog "${dialog.message()}"`);
  });
});

test("a hanging transaction's finding, opened by URL, shows its evidence and the exact abort command", async ({ page }) => {
  const { topic, partition, hangingOffset, producerId } = env.hanging;
  const finding = await waitForFinding((f) => f.kind === "hanging-transaction" && f.subject.topic === topic);
  expect(finding.subject.partition).toBe(partition);

  const url = `${c}/findings/${encodeURIComponent(finding.id)}`;
  await screenshotAtWidths(page, url, "live-hanging-finding", async (p) => {
    await expect(p.getByRole("heading", { name: "What to do" })).toBeVisible();
  });
  await expect(page.locator("pre").filter({ hasText: " abort " })).toContainText(
    `abort --topic=${topic} --partition ${partition} --start-offset ${hangingOffset}`,
  );
  const evidence = page.getByRole("table").filter({ hasText: "startOffset" });
  await expect(evidence.getByRole("row", { name: `startOffset ${hangingOffset}`, exact: true })).toBeVisible();
  await expect(evidence.getByRole("row", { name: `producerId ${producerId}`, exact: true })).toBeVisible();
});

for (const expected of env.expectedFindings) {
  test(`scenario ${expected.scenario}: ${expected.kind} is found and shown on its page`, async ({ page }) => {
    test.setTimeout(300_000);
    const finding = await waitForFinding((f) => f.kind === expected.kind && subjectMatches(f.subject, expected.subject), 240_000);
    const href = `/clusters/${env.cluster}/findings/${encodeURIComponent(finding.id)}`;
    await page.goto(`${c}${expected.page}`);
    if (expected.page === "/findings") await expandFindingGroups(page);
    // Titles carry live figures (rates, ages) that change between polls: the link is matched by its target.
    await expect(page.locator(`a[href="${href}"]`).first()).toBeVisible();
    await page.goto(`${env.baseUrl}${href}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "What is wrong" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "What to do" })).toBeVisible();
  });
}

test("the hot partitions page keeps its heatmaps readable on live data and reads the whale's keys as a heavy key", async ({ page }) => {
  const { topic, hotPartitions } = env.hot;
  const card = page.getByRole("article", { name: `${topic}: partition × time` });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${c}/hot-partitions`);
    await expect(card.locator(".tick").nth(1)).toBeVisible();
    await expectReadableHeatmaps(page);
  }
  const hint = card.getByTestId("partitioner-hint");
  // The whale's keys land on a few partitions; ordinary customers keep every other partition busy.
  await expect(hint).toHaveAttribute("data-kind", "heavy-key");
  for (const p of hotPartitions) await expect(hint).toContainText(`p${p}`);
  await screenshotAtWidths(page, `${c}/hot-partitions`, "live-hot-partitions", async (p) => {
    await expect(p.getByRole("article", { name: `${topic}: partition × time` }).getByTestId("partitioner-hint")).toBeVisible();
  });
});

test("the healthy pipeline is discovered with a passing EOS checklist and no finding of its own", async ({ page }) => {
  const id = env.healthyTransactionalId;
  expect((await openFindings()).filter((f) => f.subject.transactionalId === id && !f.kind.startsWith("config-"))).toEqual([]);
  await screenshotAtWidths(page, `${c}/pipelines`, "live-pipelines", async (p) => {
    await expect(p.getByRole("region", { name: `Pipeline ${id}` })).toBeVisible();
  });
  const checklist = page.getByRole("region", { name: `Pipeline ${id}` }).getByRole("list", { name: "Exactly-once checklist" });
  await expect(checklist.getByText("pass", { exact: true }).first()).toBeVisible();
  await expect(checklist.getByText("fail", { exact: true })).toHaveCount(0);
});

test("fencing and lost fencing get id timelines, and the unstable ids make one pipeline card", async ({ page }) => {
  test.setTimeout(300_000);
  const expected = (kind: string) => env.expectedFindings.find((e) => e.kind === kind)!;
  const fencing = await waitForFinding((f) => f.kind === "fencing-fight" && subjectMatches(f.subject, expected("fencing-fight").subject), 240_000);
  await page.goto(`${c}/findings/${encodeURIComponent(fencing.id)}`);
  const history = page.getByRole("table", { name: /\(producer id, epoch\) after each recorded change/ }).locator("tbody tr");
  await expect.poll(() => history.count()).toBeGreaterThan(1);
  // Within one producer id the epoch only grows: each row is a bump the coordinator made.
  const rows = await history.count();
  const pairs = await history.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td.num")].map((td) => Number(td.textContent))));
  expect(pairs).toHaveLength(rows);
  for (let i = 1; i < pairs.length; i++) if (pairs[i][0] === pairs[i - 1][0]) expect(pairs[i][1]).toBeGreaterThan(pairs[i - 1][1]);
  await expect(page.getByRole("figure", { name: "Producer epoch of the transactional id" }).locator(".recharts-line")).toBeVisible();

  const family = expected("lost-fencing").subject.transactionalId!;
  const lost = await waitForFinding((f) => f.kind === "lost-fencing" && subjectMatches(f.subject, { transactionalId: family }), 240_000);
  await page.goto(`${c}/findings/${encodeURIComponent(lost.id)}`);
  const appeared = page.getByRole("table", { name: /When each id of the family was first seen/ }).locator("tbody tr");
  await expect.poll(() => appeared.count()).toBeGreaterThanOrEqual(3);
  for (const text of await appeared.allTextContents()) expect(text).toContain(family.slice(0, -1));

  await page.goto(`${c}/pipelines`);
  const card = page.getByRole("region", { name: `Pipeline ${lost.subject.transactionalId}` });
  // Counted in the DOM: a card of more than four instances folds its list.
  await expect.poll(() => card.locator(".instance-list li").count()).toBeGreaterThanOrEqual(3);
  await expect(card.getByRole("list", { name: "Exactly-once checklist" }).getByRole("listitem").first()).toContainText("Stable transactional id: fail");
  await expect(card).not.toContainText("Input offsets committed");
});

test("an open transaction is listed with its partition and pinned LSO", async ({ page }) => {
  const { transactionalId, topic, partition } = env.stuck;
  await page.goto(`${c}/transactions`);
  const link = page.getByRole("link", { name: transactionalId, exact: true });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByTestId("entity-title")).toHaveText(transactionalId);
  await expect(page.getByText("Ongoing").first()).toBeVisible();
  await expect(page.getByText(`${topic}-${partition}`).first()).toBeVisible();
  await screenshotAtWidths(page, page.url(), "live-transaction", async (p) => {
    await expect(p.getByTestId("entity-title")).toHaveText(transactionalId);
  });
});

test("a read_committed group one marker behind the HW is OK, not lagging", async ({ page }) => {
  await page.goto(`${c}/groups/${encodeURIComponent(env.lagOfOne.groupId)}`);
  await expect(page.getByTestId("entity-title")).toHaveText(env.lagOfOne.groupId);
  await expect(page.getByText("OK", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("LAGGING", { exact: true })).toHaveCount(0);
  await screenshotAtWidths(page, page.url(), "live-group-lag-of-one", async (p) => {
    await expect(p.getByTestId("entity-title")).toHaveText(env.lagOfOne.groupId);
  });
});

test("transactional and group ids containing HTML render as text", async ({ page }) => {
  await page.goto(`${c}/transactions`);
  const txn = page.getByRole("link", { name: env.hostileTransactionalId });
  await expect(txn).toBeVisible();
  await noScriptRan(page);
  await txn.click();
  await expect(page.getByTestId("entity-title")).toHaveText(env.hostileTransactionalId);
  await noScriptRan(page);

  await page.goto(`${c}/groups`);
  const group = page.getByRole("link", { name: env.hostileGroupId });
  await expect(group).toBeVisible();
  await group.click();
  await expect(page.getByTestId("entity-title")).toHaveText(env.hostileGroupId);
  await noScriptRan(page);
});

test("?at= shows the cluster as it was before a transactional id existed", async ({ page }) => {
  await page.goto(`${c}/transactions`);
  await expect(page.getByRole("link", { name: env.lateTransactionalId, exact: true })).toBeVisible();
  await page.goto(`${c}/transactions?at=${encodeURIComponent(env.beforeLateArrival)}`);
  await expect(page.getByRole("link", { name: env.stuck.transactionalId, exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: env.lateTransactionalId, exact: true })).toHaveCount(0);
});

interface PollCost {
  collectedAt: number;
  requests: number;
}

/** The Kafka requests of the latest poll, from the overview the dashboard shows (one entry per poll). */
async function latestPollCost(): Promise<PollCost> {
  const { overview } = (await (await fetch(`${env.baseUrl}/api/clusters/${env.cluster}`)).json()) as {
    overview: { collectedAt: number; phases: { requests: number }[] };
  };
  return { collectedAt: overview.collectedAt, requests: overview.phases.reduce((sum, p) => sum + p.requests, 0) };
}

/** Distinct polls seen while `during` runs. */
async function pollCostsWhile(during: Promise<unknown>): Promise<PollCost[]> {
  const seen = new Map<number, number>();
  let done = false;
  void during.finally(() => (done = true));
  while (!done) {
    const cost = await latestPollCost();
    seen.set(cost.collectedAt, cost.requests);
    // Twice per interval, so that no poll goes unseen.
    await new Promise((resolve) => setTimeout(resolve, env.pollIntervalMs / 2));
  }
  return [...seen].map(([collectedAt, requests]) => ({ collectedAt, requests }));
}

const VIEWERS = 200;

test("200 viewers for 60 s: no errors, polls keep their pace, and each asks Kafka exactly as much as without them", async () => {
  test.setTimeout(300_000);
  const finding = await waitForFinding((f) => f.kind === "hanging-transaction");
  const id = encodeURIComponent(env.stuck.transactionalId);
  const topic = encodeURIComponent(env.stuck.topic);
  // What the four pages load: their HTML, and the API reads their views make.
  const paths = [
    "/",
    "/api/clusters",
    `/clusters/${env.cluster}/findings/${finding.id}`,
    `/api/clusters/${env.cluster}/findings/${finding.id}`,
    `/clusters/${env.cluster}/transactions/${id}`,
    `/api/clusters/${env.cluster}/transactions/${id}`,
    `/clusters/${env.cluster}/topics/${topic}`,
    `/api/clusters/${env.cluster}/topics/${topic}`,
  ];
  const quiet = await pollCostsWhile(new Promise((resolve) => setTimeout(resolve, 4 * env.pollIntervalMs)));
  const run = new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      {
        url: env.baseUrl,
        connections: VIEWERS,
        // A viewer is an open page, not a client in a tight loop: its views refetch once per poll interval (the
        // header's cluster list and the view's own read, 2 requests per 15 s by default) and it navigates now and
        // then. One request per 4 s per viewer is about twice that: 50 requests/s from 200 viewers.
        overallRate: VIEWERS / 4,
        duration: 60,
        timeout: 30,
        requests: paths.map((path) => ({ method: "GET" as const, path })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
  const [result, loaded] = await Promise.all([run, pollCostsWhile(run)]);
  const { p50, p90, p99, max } = result.latency;
  console.log(
    `load: ${result.requests.total} requests in ${result.duration} s (${Math.round(result.requests.average)}/s), ` +
      `latency p50 ${p50} ms, p90 ${p90} ms, p99 ${p99} ms, max ${max} ms; errors ${result.errors}, timeouts ${result.timeouts}, ` +
      `non-2xx ${result.non2xx}; Kafka requests per poll without viewers ${quiet.map((c) => c.requests).join(", ")}, ` +
      `with them ${loaded.map((c) => c.requests).join(", ")}`,
  );
  expect(result.errors).toBe(0);
  expect(result.timeouts).toBe(0);
  expect(result.non2xx).toBe(0);
  expect(result.requests.total).toBeGreaterThanOrEqual(VIEWERS * 10);
  // The UI never talks to Kafka: polls kept at least half their pace (the poller shares the process with the
  // pages), and each cost what a poll cost before the viewers came.
  expect(loaded.length).toBeGreaterThanOrEqual((60_000 / env.pollIntervalMs) / 2);
  const before = quiet.map((c) => c.requests);
  for (const cost of loaded) {
    expect(cost.requests).toBeGreaterThanOrEqual(Math.min(...before));
    expect(cost.requests).toBeLessThanOrEqual(Math.max(...before));
  }
});

test("the stale banner appears once Kafka stops answering", async ({ page }) => {
  await page.goto(`${env.baseUrl}/`);
  await expect(page.getByRole("alert").filter({ hasText: /stale/i })).toHaveCount(0);
  for (const pid of env.brokerPids) process.kill(pid, "SIGKILL");
  // Stale = no successful poll for three intervals. The open page refetches once per poll interval and
  // re-evaluates its clock, so it must turn stale by itself (a reload raced the client-side fetch: counted 0).
  const banner = page.getByRole("alert").filter({ hasText: /stale/i });
  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(banner).toContainText(/last attempt failed/i);
  await screenshotAtWidths(page, `${env.baseUrl}/`, "live-stale", async (p) => {
    await expect(p.getByRole("alert").filter({ hasText: /stale/i })).toBeVisible();
  });
});

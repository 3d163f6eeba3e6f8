// The on-call walk (issue 13) on seeded data: pipelines without noise, grouped findings, timelines for
// findings about transactional ids, and a finding as an incident report (print and Markdown).
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import type { FindingsDto } from "../../lib/ui/dto";
import { DEMO_CLUSTER, EXPORTER_IDS, FENCING_TXN_ID, HOSTILE_TXN_ID, STREAMS_APP, streamsTransactionalId } from "../../scripts/seed-demo-names";
import { screenshotAtWidths } from "./screenshots";

const c = `/clusters/${DEMO_CLUSTER}`;
const STREAMS_CARD = `Pipeline ${STREAMS_APP}-*-*`;
const LOW_REPLICATION = "5 topics: transactionally written with replication factor 1";

test.beforeEach(async ({ page }) => {
  page.on("dialog", (dialog) => {
    throw new Error(`A script ran: dialog "${dialog.message()}"`);
  });
});

async function findingUrl(page: Page, kind: string, transactionalId?: string): Promise<string> {
  const { findings } = (await (await page.request.get(`/api/clusters/${DEMO_CLUSTER}/findings`)).json()) as FindingsDto;
  const f = findings.find((x) => x.kind === kind && (transactionalId === undefined || x.subject.transactionalId === transactionalId));
  expect(f, `a seeded ${kind} finding`).toBeTruthy();
  return `${c}/findings/${encodeURIComponent(f!.id)}`;
}

/** Both colour schemes at 1280 and 390 px; `name-dark-<width>.png` for the dark ones. */
async function screenshotsLightAndDark(page: Page, url: string, name: string, ready: (p: Page) => Promise<void>) {
  await page.emulateMedia({ colorScheme: "light" });
  await screenshotAtWidths(page, url, name, ready);
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshotAtWidths(page, url, `${name}-dark`, ready);
  await page.emulateMedia({ colorScheme: "light" });
}

test("pipelines: one card per application with its instances, producers without the input check, failing cards first", async ({ page }) => {
  await screenshotsLightAndDark(page, `${c}/pipelines`, "pipelines", async (p) => {
    await expect(p.getByRole("region", { name: STREAMS_CARD })).toBeVisible();
  });
  const streams = page.getByRole("region", { name: STREAMS_CARD });
  await expect(streams).toContainText(`Kafka Streams application ${STREAMS_APP}`);
  await expect(streams).toContainText("2 of 3 instances active");
  const instances = streams.getByRole("list", { name: "Instances" }).getByRole("listitem");
  await expect(instances).toHaveCount(3);
  // Active instances first; the stopped one last, marked inactive (its process is gone).
  await expect(instances.nth(0)).not.toContainText("inactive");
  await expect(instances.nth(2)).toContainText(streamsTransactionalId(0));
  await expect(instances.nth(2)).toContainText("inactive");
  // No card per Streams id.
  await expect(page.getByRole("region", { name: `Pipeline ${streamsTransactionalId(1)}` })).toHaveCount(0);
  const streamsChecks = streams.getByRole("list", { name: "Exactly-once checklist" }).getByRole("listitem");
  await expect(streamsChecks.first()).toContainText("Output replication safe: fail");
  await expect(streams.getByRole("list", { name: "Exactly-once checklist" })).toContainText("Input offsets committed in the transaction: pass");

  // A transactional producer: only the checks that apply to it.
  const producer = page.getByRole("region", { name: "Pipeline payments-writer" });
  await expect(producer).toContainText("transactional producer");
  await expect(producer.getByRole("list", { name: "Exactly-once checklist" })).not.toContainText("Input offsets");
  await expect(producer).not.toContainText("Input groups");
  // The only card failing nothing that consumes comes after every failing card.
  const cards = page.locator("section.card[data-kind]");
  const failing = await cards.evaluateAll((els) => els.map((e) => e.textContent?.includes("failing") ?? false));
  expect(failing.indexOf(false)).toBeGreaterThan(0);
  expect(failing.slice(failing.indexOf(false))).not.toContain(true);
  await expect(page.getByRole("region", { name: "Pipeline enricher-0" })).toContainText("consume-transform-produce");
});

test("findings: alike findings are one expandable row, critical first, and hiding info survives a reload", async ({ page }) => {
  await screenshotsLightAndDark(page, `${c}/findings`, "findings", async (p) => {
    await expect(p.getByRole("button", { name: LOW_REPLICATION })).toBeVisible();
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  const table = page.getByRole("table", { name: /finding\(s\) in \d+ group\(s\)/ });
  await expect(table.locator("tbody tr").first()).toContainText("critical");
  const toggle = page.getByRole("button", { name: LOW_REPLICATION });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  const members = page.locator(`#${await toggle.getAttribute("aria-controls")}`);
  await expect(members).toBeHidden();
  // Keyboard: focus the toggle and press Enter, then Space to fold it again.
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(members.getByRole("link")).toHaveCount(5 * 2);
  await expect(members.getByRole("link", { name: `${STREAMS_APP}-audit: transactionally written with replication factor 1` })).toBeVisible();
  await page.keyboard.press(" ");
  await expect(members).toBeHidden();

  await expect(page.locator("tbody:not([hidden]) .badge-info").first()).toBeVisible();
  // The checkbox mirrors the URL: it turns checked once the URL says so.
  await page.getByLabel("Hide info findings").click();
  await expect(page).toHaveURL(/[?&]info=hide/);
  await expect(page.getByLabel("Hide info findings")).toBeChecked();
  await page.reload();
  await expect(page.getByLabel("Hide info findings")).toBeChecked();
  await expect(page.getByRole("button", { name: LOW_REPLICATION })).toBeVisible();
  await expect(page.locator(".badge-info")).toHaveCount(0);
  await expect(page.getByRole("table")).toContainText("info finding(s) hidden");
  // Existing links keep working: a lone finding's title links to its page.
  await page.getByRole("link", { name: "Hanging transaction pins the LSO of orders-2" }).click();
  await expect(page.getByRole("heading", { name: "What to do" })).toBeVisible();
});

test("a fencing fight charts the (producer id, epoch) history of its id", async ({ page }) => {
  const url = await findingUrl(page, "fencing-fight", FENCING_TXN_ID);
  await screenshotsLightAndDark(page, url, "finding-fencing", async (p) => {
    await expect(p.getByRole("figure", { name: "Producer epoch of the transactional id" }).locator(".recharts-line")).toBeVisible();
  });
  const history = page.getByRole("table", { name: /\(producer id, epoch\) after each recorded change/ });
  const rows = history.locator("tbody tr");
  expect(await rows.count()).toBeGreaterThan(10);
  await expect(rows.first()).toContainText("7000");
  await expect(rows.last()).toContainText("7001");
  await expect(page.getByRole("figure", { name: "Producer epoch of the transactional id" })).toContainText("producer ids 7000 → 7001");
  // Readable at 390 px: the chart fits the viewport.
  await page.setViewportSize({ width: 390, height: 844 });
  const box = await page.getByRole("figure", { name: "Producer epoch of the transactional id" }).boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
});

test("lost fencing shows its ids appearing over time", async ({ page }) => {
  const url = await findingUrl(page, "lost-fencing");
  await screenshotsLightAndDark(page, url, "finding-lost-fencing", async (p) => {
    await expect(p.getByRole("figure", { name: "Transactional ids of the family seen so far" }).locator(".recharts-line")).toBeVisible();
  });
  const rows = page.getByRole("table", { name: /When each id of the family was first seen/ }).locator("tbody tr");
  await expect(rows).toHaveCount(EXPORTER_IDS.length);
  for (const [i, id] of EXPORTER_IDS.entries()) await expect(rows.nth(i)).toContainText(id);
  // The family has no page of its own: its link lists the transactions of the family, and only those.
  await page.locator("p", { hasText: /^Affects:/ }).getByRole("link", { name: /^txn / }).click();
  await expect(page).toHaveURL(/\/transactions\?family=/);
  const listed = page.getByRole("table", { name: /transactional id\(s\)/ }).locator("tbody tr td:first-child");
  await expect(listed).toHaveCount(EXPORTER_IDS.length);
  expect((await listed.allTextContents()).sort()).toEqual([...EXPORTER_IDS].sort());
  await screenshotAtWidths(page, page.url(), "transactions-family", async (p) => {
    await expect(p.getByRole("table", { name: /transactional id\(s\)/ }).locator("tbody tr")).toHaveCount(EXPORTER_IDS.length);
  });
});

test("a finding prints as an incident report: no navigation, charts kept, URL and as-of time in the footer", async ({ page }) => {
  const url = await findingUrl(page, "fencing-fight", FENCING_TXN_ID);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url);
  const chart = page.getByRole("figure", { name: "Producer epoch of the transactional id" });
  await expect(chart.locator(".recharts-line")).toBeVisible();
  const footer = page.getByTestId("print-footer");
  await expect(footer).toBeHidden();
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".app-header")).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toBeHidden();
  await expect(page.locator(".cluster-nav")).toBeHidden();
  // getByRole skips hidden elements: count every button element instead.
  expect(await page.locator("main button").count()).toBeGreaterThan(0);
  for (const button of await page.locator("main button").all()) await expect(button).toBeHidden();
  await expect(footer).toBeVisible();
  await expect(footer).toContainText(new URL(url, page.url()).href);
  await expect(footer).toContainText(/as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  await expect(chart.locator(".recharts-line")).toBeVisible();
  const drawn = await chart.locator(".recharts-wrapper > svg").boundingBox();
  expect(drawn!.width).toBeGreaterThan(600);
  // Evidence and timeline in full: no table is cut by a scroll box.
  const clipped = await page.locator(".table-wrap").evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).overflowX !== "visible").length);
  expect(clipped).toBe(0);
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(20_000);
  await page.emulateMedia({ media: "screen" });
});

test("a finding offers its Markdown summary, hostile names escaped", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { findings } = (await (await page.request.get(`/api/clusters/${DEMO_CLUSTER}/findings`)).json()) as FindingsDto;
  const hostile = findings.find((f) => f.subject.transactionalId === HOSTILE_TXN_ID)!;
  const url = `${c}/findings/${encodeURIComponent(hostile.id)}`;
  await page.goto(url);
  const report = page.getByRole("region", { name: "Incident report" });
  const [download] = await Promise.all([page.waitForEvent("download"), report.getByRole("button", { name: "Download .md" }).click()]);
  expect(download.suggestedFilename()).toBe(`finding-${hostile.id}.md`);
  const markdown = readFileSync((await download.path())!, "utf8");
  expect(markdown.split("\n")[0]).toBe("# Transaction \\<img src\\=x onerror\\=alert\\(1\\)\\> is open");
  expect(markdown).toContain("## Evidence");
  expect(markdown).toContain("## What to do");
  expect(markdown).toContain(`- [This finding](<${new URL(url, page.url()).href}>)`);
  expect(markdown).toContain(`[Transactional id \\<img src\\=x onerror\\=alert\\(1\\)\\>](<${new URL(`${c}/transactions/${encodeURIComponent(HOSTILE_TXN_ID)}`, page.url()).href.replace(/[()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}>)`);
  // Every "<" of the name is escaped; the only bare ones open our own link targets.
  expect(markdown.replace(/\]\(<[^>]*>\)/g, "]")).not.toMatch(/(^|[^\\])</m);
  await report.getByRole("button", { name: "Copy Markdown" }).click();
  await expect(report.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(markdown);
});

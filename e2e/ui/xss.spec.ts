import { expect, test } from "@playwright/test";
import { DEMO_CLUSTER, HOSTILE_GROUP_ID, HOSTILE_TXN_ID, PATHY_TXN_ID } from "../../scripts/seed-demo-names";
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

test("a finding whose text holds markup renders it as text", async ({ page }) => {
  await page.goto(`${c}/findings?severity=info`);
  await page.getByRole("link", { name: `Transaction ${HOSTILE_TXN_ID} is open` }).click();
  await expect(page.getByText('"><script>alert(2)</script> is rendered as text.', { exact: false })).toBeVisible();
  await expectNoInjectedMarkup(page);
});

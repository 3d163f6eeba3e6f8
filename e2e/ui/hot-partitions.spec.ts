import { expect, test } from "@playwright/test";
import { DEMO_CLUSTER } from "../../scripts/seed-demo-names";
import { expectReadableHeatmaps } from "./heatmap-layout";
import { WIDTHS, screenshotAtWidths } from "./screenshots";

const url = `/clusters/${DEMO_CLUSTER}/hot-partitions`;

for (const colorScheme of ["light", "dark"] as const) {
  test(`heatmaps span their cards with readable labels at ${WIDTHS.join(" and ")} px (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(url);
      expect(await expectReadableHeatmaps(page)).toBeGreaterThanOrEqual(2);
    }
    await screenshotAtWidths(page, url, `hot-partitions-${colorScheme}`, async (p) => {
      await expect(p.getByTestId("heatmap-card").first().locator(".tick").first()).toBeVisible();
    });
  });
}

test("each topic shows its partitions' share of the window and a partitioner hint", async ({ page }) => {
  await page.goto(url);
  const orders = page.getByRole("article", { name: "orders: partition × time" });
  // The seeded orders-0 runs at four times each of the other five partitions: 4/9 of the records.
  const shares = orders.getByRole("table", { name: "Share of orders's records over the window" });
  await expect(shares.getByRole("row").nth(1)).toContainText(/^p0\s*44%/);
  await expect(shares.getByRole("row")).toHaveCount(7);
  const hint = orders.getByTestId("partitioner-hint");
  await expect(hint).toHaveAttribute("data-kind", "heavy-key");
  await expect(hint).toContainText("p0 takes 44% of the records, against an even share of 17% per partition");
  // payments' three partitions grow alike.
  await expect(page.getByRole("article", { name: "payments: partition × time" })).toContainText("no sign of a skewed key");
});

test("the skew row is part of the keyboard grid and announces busiest ÷ mean", async ({ page }) => {
  await page.goto(url);
  const card = page.getByRole("article", { name: "orders: partition × time" });
  await card.getByRole("link", { name: "orders" }).focus();
  await page.keyboard.press("Tab");
  await expect(card.getByRole("gridcell", { name: /^orders-0 at / }).first()).toBeFocused();
  for (let i = 0; i < 7; i++) await page.keyboard.press("ArrowDown");
  // Below the six partitions (the last ArrowDown stays put): busiest ÷ mean = 4 / (9/6) ≈ 2.7×.
  await expect(page.locator(":focus")).toHaveAttribute("aria-label", /^orders skew at .+ UTC: busiest partition 2\.\d× the mean$/);
  await page.keyboard.press("End");
  await expect(page.locator(":focus")).toHaveAttribute("data-cell", /^6:\d+$/);
  expect(await page.locator(":focus").evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
});

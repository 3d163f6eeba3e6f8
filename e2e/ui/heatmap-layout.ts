import { expect, type Page } from "@playwright/test";

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * The layout rules of the hot-partitions heatmaps, on whatever data the page shows: each grid spans at least half
 * its card, its caption takes one or two lines, and no two time labels (or row labels) overlap or leave the grid.
 */
export async function expectReadableHeatmaps(page: Page): Promise<number> {
  const cards = page.getByTestId("heatmap-card");
  await expect(cards.first().locator("table.heatmap")).toBeVisible();
  const count = await cards.count();
  for (let i = 0; i < count; i++) {
    const card = cards.nth(i);
    const cardBox = (await card.boundingBox())!;
    const grid = card.locator("table.heatmap");
    const gridBox = (await grid.boundingBox())!;
    expect(gridBox.width, `heatmap ${i} is ${gridBox.width} px wide in a ${cardBox.width} px card`).toBeGreaterThanOrEqual(cardBox.width / 2);

    const caption = grid.locator("caption");
    // Lines of text, counted from the distinct tops of the caption's line boxes (the 1 px hidden help text aside).
    const lines = await caption.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const tops = [...range.getClientRects()].filter((r) => r.width > 1 && r.height > 0).map((r) => r.top).sort((a, b) => a - b);
      // Boxes of one line differ in top by a pixel or two (text against inline elements); lines differ by a line height.
      return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 6).length;
    });
    expect(lines, "caption lines").toBeLessThanOrEqual(2);
    expect(lines, "caption lines").toBeGreaterThanOrEqual(1);

    const ticks = await grid.locator(".tick").evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Box));
    expect(ticks.length, "time labels").toBeGreaterThanOrEqual(2);
    for (const [j, tick] of ticks.entries()) {
      expect(tick.x, `tick ${j} starts inside the grid`).toBeGreaterThanOrEqual(gridBox.x - 0.5);
      expect(tick.x + tick.width, `tick ${j} ends inside the grid`).toBeLessThanOrEqual(gridBox.x + gridBox.width + 0.5);
      if (j > 0) expect(overlaps(ticks[j - 1], tick), `ticks ${j - 1} and ${j} overlap`).toBe(false);
    }
    const rowLabels = await grid.locator("th[scope=row]").evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Box));
    for (let j = 1; j < rowLabels.length; j++) expect(overlaps(rowLabels[j - 1], rowLabels[j]), `row labels ${j - 1} and ${j} overlap`).toBe(false);
  }
  return count;
}

import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

export const SCREENSHOT_DIR = path.resolve("e2e/screenshots");
export const WIDTHS = [1280, 390] as const;

/**
 * Loads `url` at each width, waits for `ready` (the page's data, not a spinner) and saves a full-page PNG
 * as e2e/screenshots/<name>-<width>.png.
 */
export async function screenshotAtWidths(page: Page, url: string, name: string, ready: (page: Page) => Promise<void>): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
    await page.goto(url);
    await ready(page);
    // Charts and late queries settle; a page that keeps a request open must not block the screenshot.
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  }
}

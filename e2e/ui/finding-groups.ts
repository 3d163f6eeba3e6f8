import { expect, type Page } from "@playwright/test";

/** Opens every group of alike findings on a findings list, so each finding's link is visible. */
export async function expandFindingGroups(page: Page): Promise<void> {
  await expect(page.getByRole("table").first()).toBeVisible();
  const collapsed = page.locator('button.group-toggle[aria-expanded="false"]');
  while ((await collapsed.count()) > 0) await collapsed.first().click();
}

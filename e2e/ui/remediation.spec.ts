import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ACTION_HEADER } from "../../lib/auth/action-header";
import { DEMO_CLUSTER, HUNG_TXN_ID } from "../../scripts/seed-demo-names";
import { AUTH_TEST_TOKENS, authTestPorts } from "./auth-servers";
import { screenshotAtWidths } from "./screenshots";

// The guarded abort on the seeded database: the audit log on the finding and transaction pages (main server,
// remediation off: the copyable command only), and the Abort button on the token-mode server, where
// ALLOW_REMEDIATION=true and the seeded cluster points at a closed port (auth-servers.ts).

const c = `/clusters/${DEMO_CLUSTER}`;
const tokenUrl = `http://127.0.0.1:${authTestPorts(Number(process.env.UI_TEST_PORT)).token}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function hangingFindingId(request: APIRequestContext, headers: Record<string, string> = {}): Promise<string> {
  const response = await request.get(`/api/clusters/${DEMO_CLUSTER}/findings`, { headers });
  const { findings } = (await response.json()) as { findings: { id: string; kind: string }[] };
  return findings.find((f) => f.kind === "hanging-transaction")!.id;
}

const auditRows = (page: Page) => page.getByTestId("remediation-audit").locator("tbody tr");

test("remediation off: the finding keeps its copyable abort command and shows the audited attempts", async ({ page, request }) => {
  const url = `${c}/findings/${encodeURIComponent(await hangingFindingId(request))}`;
  await screenshotAtWidths(page, url, "finding-abort-attempts", async (p) => {
    await expect(p.getByRole("heading", { name: "Abort attempts" })).toBeVisible();
  });
  await expect(page.getByTestId("abort-form")).toHaveCount(0);
  await expect(page.locator("pre").nth(2)).toContainText("abort --topic=orders --partition 2 --start-offset 1000");
  await expect(auditRows(page)).toHaveCount(3);
  await expect(auditRows(page).first()).toContainText("failed");
  await expect(auditRows(page).first()).toContainText("CLUSTER_AUTHORIZATION_FAILED");
  await expect(auditRows(page).last()).toContainText("dana (viewer)");
});

test("the transaction page lists the attempts on its transactions, linked to the finding", async ({ page }) => {
  await screenshotAtWidths(page, `${c}/transactions/${encodeURIComponent(HUNG_TXN_ID)}`, "transaction-abort-attempts", async (p) => {
    await expect(p.getByRole("heading", { name: "Abort attempts" })).toBeVisible();
  });
  await expect(auditRows(page)).toHaveCount(3);
  await auditRows(page).first().getByRole("link").click();
  await expect(page).toHaveURL(/\/findings\//);
  await expect(page.getByRole("heading", { name: "Hanging transaction pins the LSO of orders-2" })).toBeVisible();
});

test.describe("ALLOW_REMEDIATION=true (token mode)", () => {
  test.skip(!!process.env.UI_TEST_BASE_URL, "needs the auth-mode servers playwright.config.ts starts");
  test.use({ baseURL: tokenUrl });

  test("an operator confirms by typing the partition; the check before acting refuses and the attempt is audited", async ({ page, request }) => {
    const url = `${c}/findings/${encodeURIComponent(await hangingFindingId(request, bearer(AUTH_TEST_TOKENS.viewer)))}`;
    await page.goto("/login");
    await page.getByLabel("Access token").fill(AUTH_TEST_TOKENS.operator);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("role")).toHaveText("operator");
    await page.goto(url);
    // The three seeded attempts (this file's first test on this server).
    await expect(auditRows(page)).toHaveCount(3);

    const button = page.getByRole("button", { name: "Abort transaction" });
    await expect(button).toBeDisabled();
    await page.getByLabel("Topic-partition").fill("orders-1");
    await expect(button).toBeDisabled();
    await page.getByLabel("Topic-partition").fill("orders-2");
    await button.click();
    await expect(page.getByTestId("abort-form").getByRole("alert")).toContainText("the check before acting could not read metadata");
    await expect(auditRows(page)).toHaveCount(4);
    await expect(auditRows(page).first()).toContainText("operator (operator)");
    await expect(auditRows(page).first()).toContainText("unverified");
    await screenshotAtWidths(page, url, "finding-abort-operator", async (p) => {
      await expect(p.getByTestId("abort-form")).toBeVisible();
      await p.getByLabel("Topic-partition").fill("orders-2");
    });
  });

  test("a viewer sees no Abort button; the API refuses the viewer (audited) and a cross-site request (not)", async ({ page, request }) => {
    const id = await hangingFindingId(request, bearer(AUTH_TEST_TOKENS.viewer));
    const abortUrl = `/api/clusters/${DEMO_CLUSTER}/findings/${encodeURIComponent(id)}/abort`;
    const json = { "content-type": "application/json", [ACTION_HEADER]: "1" };
    const countRows = async () => {
      await page.goto(`${c}/findings/${encodeURIComponent(id)}`);
      await expect(auditRows(page).first()).toBeVisible();
      return auditRows(page).count();
    };
    await page.setExtraHTTPHeaders(bearer(AUTH_TEST_TOKENS.viewer));
    const before = await countRows();
    await expect(page.getByTestId("abort-form")).toHaveCount(0);

    const viewer = await request.post(abortUrl, { headers: { ...bearer(AUTH_TEST_TOKENS.viewer), ...json }, data: { confirm: "orders-2" } });
    expect(viewer.status()).toBe(403);
    expect(await viewer.json()).toEqual({ error: "operator role required", reason: "forbidden" });

    const forged = await request.post(abortUrl, {
      headers: { ...bearer(AUTH_TEST_TOKENS.operator), "content-type": "text/plain", origin: "https://evil.example" },
      data: JSON.stringify({ confirm: "orders-2" }),
    });
    expect(forged.status()).toBe(403);
    expect((await forged.json()).error).toMatch(/^cross-site request refused/);

    const bad = await request.post(abortUrl, { headers: { ...bearer(AUTH_TEST_TOKENS.operator), ...json }, data: "not json" });
    expect(bad.status()).toBe(400);

    expect(await countRows()).toBe(before + 1);
    await expect(auditRows(page).first()).toContainText("viewer (viewer)");
    await expect(auditRows(page).first()).toContainText("forbidden");
  });
});

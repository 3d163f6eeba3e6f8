import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { freeLoopbackPort } from "../../scripts/ports";
import { DEMO_CLUSTER } from "../../scripts/seed-demo-names";
import { AUTH_TEST_GROUPS, AUTH_TEST_TOKENS, BUILD_TIME_SECRETS, authTestPorts } from "./auth-servers";
import { screenshotAtWidths } from "./screenshots";

// Access control on the real build: a token-mode server and a proxy-mode server (playwright.config.ts starts
// both next to the AUTH_MODE=none one), plus servers that must refuse to start.

test.skip(!!process.env.UI_TEST_BASE_URL, "needs the auth-mode servers playwright.config.ts starts");

const ports = authTestPorts(Number(process.env.UI_TEST_PORT));
const tokenUrl = `http://127.0.0.1:${ports.token}`;
const proxyUrl = `http://127.0.0.1:${ports.proxy}`;
const c = `/clusters/${DEMO_CLUSTER}`;

/**
 * Every Content-Security-Policy violation in `page` from now on, as "directive blocked-uri", across
 * navigations (the DOM's securitypolicyviolation event, reported through a binding the policy cannot block).
 */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCspViolation", (v: string) => violations.push(v));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __reportCspViolation(v: string): void }).__reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  return violations;
}

function expectSecurityHeaders(h: Record<string, string>) {
  const csp = h["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("no-referrer");
  expect(h["x-frame-options"]).toBe("DENY");
  return /'nonce-([^']+)'/.exec(csp)![1];
}

async function signIn(page: Page, token: string) {
  await page.getByLabel("Access token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("AUTH_MODE=token", () => {
  test.use({ baseURL: tokenUrl });

  test("a signed-out visit lands on the sign-in page, which renders under the CSP", async ({ page }) => {
    const problems = await watchCsp(page);
    const response = await page.goto(`${c}/transactions`);
    await expect(page).toHaveURL(`${tokenUrl}/login?next=${encodeURIComponent(`${c}/transactions`)}`);
    const nonce = expectSecurityHeaders(response!.headers());
    // Next put this response's nonce on its scripts; an inline script without it would not run.
    const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    expect(new Set(scripts)).toEqual(new Set([nonce]));
    await expect(page.getByTestId("whoami")).toHaveCount(0);
    // The build's static files are open (the sign-in page needs them) and carry the headers too.
    const asset = await page.request.get((await page.locator("script[src]").first().getAttribute("src"))!);
    expect(asset.status()).toBe(200);
    expectSecurityHeaders(asset.headers());
    await screenshotAtWidths(page, "/login", "login", async (p) => {
      await expect(p.getByLabel("Access token")).toBeVisible();
    });
    expect(problems).toEqual([]);

    // The control: injected markup's inline handler is blocked, and the watcher above would have seen it.
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<img src="/nope.png" onerror="window.__injected = 1">'));
    await expect.poll(() => problems).toEqual(["script-src-attr inline"]);
    expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
  });

  test("a wrong token is refused with a message and no cookie", async ({ page, context }) => {
    await page.goto("/login");
    await signIn(page, "not-the-token-at-all");
    await expect(page.getByRole("alert").filter({ hasText: "token" })).toHaveText("That token is not valid. Check it and try again.");
    await expect(page).toHaveURL(/\/login\?error=invalid/);
    expect(await context.cookies()).toEqual([]);
    await screenshotAtWidths(page, page.url(), "login-error", async (p) => {
      await expect(p.getByText("That token is not valid.")).toBeVisible();
    });
  });

  test("a viewer signs in, sees the pages with charts, and signs out", async ({ page, context }) => {
    const problems = await watchCsp(page);
    await page.goto(`${c}/groups`);
    await signIn(page, AUTH_TEST_TOKENS.viewer);
    await expect(page).toHaveURL(`${tokenUrl}${c}/groups`);
    await expect(page.getByTestId("whoami")).toContainText("viewer");
    await expect(page.getByTestId("role")).toHaveText("viewer");
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: "auditor_session", httpOnly: true, sameSite: "Strict", secure: false });
    expect(cookie.expires).toBeGreaterThan(Date.now() / 1000 + 11 * 3600);
    // The cookie holds a signed role and expiry, never the token; nor does the page.
    expect(Buffer.from(cookie.value.split(".")[0], "base64url").toString()).toMatch(/^\{"u":"viewer","r":"viewer","exp":\d+\}$/);
    expect(cookie.value).not.toContain(AUTH_TEST_TOKENS.viewer);
    expect(await page.content()).not.toContain(AUTH_TEST_TOKENS.viewer);

    // Client-side data (React Query) and recharts run under the nonce-only script policy.
    await screenshotAtWidths(page, c, "signed-in", async (p) => {
      await expect(p.getByRole("table", { name: "Brokers" })).toBeVisible();
    });
    await page.goto(`${c}/topics/orders`);
    await expect(page.locator(".recharts-surface").first()).toBeVisible();
    await page.getByRole("navigation", { name: "Cluster sections" }).getByRole("link", { name: "Transactions" }).click();
    await expect(page).toHaveURL(`${tokenUrl}${c}/transactions`);
    await expect(page.getByRole("table").first()).toBeVisible();
    expect(problems).toEqual([]);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${tokenUrl}/login`);
    expect(await context.cookies()).toEqual([]);
    await page.goto(c);
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  test("every section renders under the CSP without a violation", async ({ page }) => {
    const problems = await watchCsp(page);
    await page.goto("/login");
    await signIn(page, AUTH_TEST_TOKENS.viewer);
    await expect(page.getByRole("heading", { name: DEMO_CLUSTER })).toBeVisible();
    for (const section of ["", "/findings", "/transactions", "/groups", "/topics", "/pipelines", "/hot-partitions", "/config", "/capacity"]) {
      await page.goto(`${c}${section}`);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    }
    await page.getByRole("navigation", { name: "Cluster sections" }).getByRole("link", { name: "Findings" }).click();
    await page.getByRole("link", { name: /Hanging transaction pins the LSO/ }).click();
    await expect(page.locator(".recharts-surface").first()).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("an operator's session shows the operator role", async ({ page }) => {
    await page.goto("/login");
    await signIn(page, AUTH_TEST_TOKENS.operator);
    await expect(page).toHaveURL(`${tokenUrl}/`);
    await expect(page.getByTestId("role")).toHaveText("operator");
    await expect(page.getByRole("heading", { name: DEMO_CLUSTER })).toBeVisible();
  });

  test("the API takes a bearer token, answers 401 without one and 403 to a viewer writing", async ({ request }) => {
    const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    const ok = await request.get("/api/clusters", bearer(AUTH_TEST_TOKENS.viewer));
    expect(ok.status()).toBe(200);
    expect((await ok.json()).clusters.map((x: { name: string }) => x.name)).toContain(DEMO_CLUSTER);
    expectSecurityHeaders(ok.headers());

    const anonymous = await request.get("/api/clusters");
    expect(anonymous.status()).toBe(401);
    expect(anonymous.headers()["www-authenticate"]).toMatch(/^Bearer/);
    expect(await anonymous.json()).toEqual({ error: "sign-in required" });
    expectSecurityHeaders(anonymous.headers());
    expect((await request.get(`/api/clusters/${DEMO_CLUSTER}`, bearer("wrong-token-0000000000"))).status()).toBe(401);

    const viewerWrite = await request.post("/api/clusters", bearer(AUTH_TEST_TOKENS.viewer));
    expect(viewerWrite.status()).toBe(403);
    expect(await viewerWrite.json()).toEqual({ error: "operator role required" });
    // An operator passes the gate; the read-only route itself has no POST.
    expect((await request.post("/api/clusters", bearer(AUTH_TEST_TOKENS.operator))).status()).toBe(405);
  });

  test("/api/health stays open and names no cluster", async ({ request }) => {
    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    const body = await health.text();
    expect(JSON.parse(body)).toMatchObject({ status: "ok", db: "ok", clusters: 2 });
    expect(body).not.toContain(DEMO_CLUSTER);
    expectSecurityHeaders(health.headers());
    const live = await request.get("/api/health/live");
    expect(live.status()).toBe(200);
    expect(await live.json()).toEqual({ status: "ok", db: "ok" });
  });
});

test.describe("AUTH_MODE=proxy", () => {
  test.use({ baseURL: proxyUrl });
  const as = (user: string, groups: string) => ({ "x-forwarded-user": user, "x-forwarded-groups": groups, "x-forwarded-email": `${user}@example.com` });

  test("the trusted proxy's user and groups become the identity and role", async ({ browser, request }) => {
    const context = await browser.newContext({ baseURL: proxyUrl, extraHTTPHeaders: as("alice", `staff,${AUTH_TEST_GROUPS.operator}`) });
    const page = await context.newPage();
    const problems = await watchCsp(page);
    await page.goto("/");
    await expect(page.getByTestId("whoami")).toContainText("alice");
    await expect(page.getByTestId("role")).toHaveText("operator");
    await expect(page.getByRole("heading", { name: DEMO_CLUSTER })).toBeVisible();
    expect(problems).toEqual([]);
    await context.close();

    const viewer = await request.get("/api/clusters", { headers: as("bob", AUTH_TEST_GROUPS.viewer) });
    expect(viewer.status()).toBe(200);
    expect((await request.post("/api/clusters", { headers: as("bob", AUTH_TEST_GROUPS.viewer) })).status()).toBe(403);
    const outsider = await request.get("/api/clusters", { headers: as("eve", "marketing") });
    expect(outsider.status()).toBe(403);
  });

  test("without the proxy's headers: 401 for the API, the SSO explanation for pages", async ({ page, request }) => {
    expect((await request.get("/api/clusters")).status()).toBe(401);
    await page.goto(c);
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(page.getByRole("alert").filter({ hasText: "sign-on" })).toContainText("did not carry an identity from it");
  });

  test("identity headers from an address outside AUTH_PROXY_TRUSTED are ignored", async ({ request }) => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === "IPv4")?.address;
    test.skip(!external, "this machine has no non-loopback IPv4 address to arrive from");
    const response = await request.get(`http://${external}:${ports.proxy}/api/clusters`, {
      // The header carrying the socket address is overwritten by the server, whatever the client sends.
      headers: { ...as("mallory", AUTH_TEST_GROUPS.operator), "x-auditor-peer-address": "127.0.0.1", "x-forwarded-for": "127.0.0.1" },
    });
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: "request did not come through the trusted SSO proxy" });
  });
});

test.describe("start-up checks", () => {
  /** Runs `next start` on the e2e build and returns its exit code and output once it exits. */
  async function startExpectingExit(host: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const port = await freeLoopbackPort();
    const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", host], {
      env: { ...process.env, NEXT_DIST_DIR: ".next-e2e", POLLER: "off", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: `file:${process.env.UI_TEST_DB_DIR}/ui.db`, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    // A server that wrongly starts would never exit: stop it so the assertion below reports it.
    const guard = setTimeout(() => child.kill("SIGKILL"), 45_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearTimeout(guard);
    return { code, output };
  }

  test("AUTH_MODE=none on every interface, and token mode without tokens, refuse to start", async () => {
    const none = await startExpectingExit("0.0.0.0", { AUTH_MODE: "none" });
    expect(none.code).not.toBe(0);
    expect(none.output).toContain('AUTH_MODE: "none" lets everyone who can reach the server in, and it listens on 0.0.0.0');
    const token = await startExpectingExit("127.0.0.1", { AUTH_MODE: "token" });
    expect(token.code).not.toBe(0);
    expect(token.output).toContain("AUTH_MODE: token needs AUTH_VIEWER_TOKEN(_SHA256) or AUTH_OPERATOR_TOKEN(_SHA256)");
  });
});

test("no built file holds a secret that was in the build's environment", () => {
  // Playwright's web server built .next-e2e with BUILD_TIME_SECRETS set (playwright.config.ts).
  const files = readdirSync(".next-e2e", { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.parentPath.includes("/cache"));
  expect(files.length).toBeGreaterThan(50);
  const leaks = files.flatMap((e) => {
    const content = readFileSync(path.join(e.parentPath, e.name));
    return Object.entries(BUILD_TIME_SECRETS).filter(([, secret]) => content.includes(secret)).map(([name]) => `${name} in ${path.join(e.parentPath, e.name)}`);
  });
  expect(leaks).toEqual([]);
});

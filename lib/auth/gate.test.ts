import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { parseAuthConfig } from "./config";
import { gate, safeNextPath } from "./gate";
import { handleLogin, handleLogout } from "./login";
import { installPeerCapture, PEER_HEADER } from "./peer";

// The proxy's decisions and the sign-in handlers on constructed requests; e2e/ui/auth.spec.ts runs the same
// through a real server and browser.

installPeerCapture();

const VIEWER = "viewer-token-0123456789";
const config = parseAuthConfig(parseEnv({ AUTH_MODE: "token", AUTH_VIEWER_TOKEN: VIEWER, AUTH_SESSION_SECRET: "x".repeat(32) }), "0.0.0.0");

function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: BodyInit } = {}) {
  return new NextRequest(`http://127.0.0.1:3000${path}`, {
    method: init.method ?? "GET",
    body: init.body,
    headers: { [PEER_HEADER]: "10.9.8.7", ...init.headers },
  });
}

function cspNonce(response: Response): string {
  const csp = response.headers.get("content-security-policy") ?? "";
  return /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1] ?? "";
}

describe("gate", () => {
  it("sends signed-out page requests to the sign-in page, keeping where they were going", () => {
    const response = gate(request("/clusters/prod/transactions?at=2026-01-01T00:00:00Z"), config);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!);
    expect(location.pathname + location.search).toBe(`/login?next=${encodeURIComponent("/clusters/prod/transactions?at=2026-01-01T00:00:00Z")}`);
  });

  it("answers a malformed percent-escape with 400 JSON (API) or 404 (pages), with the security headers", async () => {
    const api = gate(request("/api/clusters/prod/transactions/%00%ff"), config);
    expect(api.status).toBe(400);
    expect(await api.json()).toEqual({ error: "malformed percent-encoding in the URL" });
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
    expect(gate(request("/clusters/prod/transactions/%ff"), config).status).toBe(404);
  });

  it("answers signed-out API requests with 401 JSON", async () => {
    const response = gate(request("/api/clusters"), config);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await response.json()).toEqual({ error: "sign-in required" });
  });

  it("lets a bearer token through and refuses a viewer anything but reads", async () => {
    expect(gate(request("/api/clusters", { headers: { authorization: `Bearer ${VIEWER}` } }), config).headers.get("x-middleware-next")).toBe("1");
    const post = gate(request("/api/clusters", { method: "POST", headers: { authorization: `Bearer ${VIEWER}` } }), config);
    expect(post.status).toBe(403);
    expect(await post.json()).toEqual({ error: "operator role required" });
  });

  it("lets a signed-in viewer's abort reach its handler, which refuses and audits it; signed out it stays 401", () => {
    const abort = "/api/clusters/prod/findings/f1/abort";
    expect(gate(request(abort, { method: "POST", headers: { authorization: `Bearer ${VIEWER}` } }), config).headers.get("x-middleware-next")).toBe("1");
    expect(gate(request(abort, { method: "POST" }), config).status).toBe(401);
    const elsewhere = gate(request("/api/clusters/prod/findings/f1/abort/x", { method: "POST", headers: { authorization: `Bearer ${VIEWER}` } }), config);
    expect(elsewhere.status).toBe(403);
  });

  it("keeps the sign-in page, its handlers, health and static files open", () => {
    for (const path of ["/login", "/api/health", "/api/health/live", "/api/auth/login", "/api/auth/logout", "/favicon.ico", "/icon.svg", "/_next/static/chunks/main.js"]) {
      expect(gate(request(path), config).headers.get("x-middleware-next"), path).toBe("1");
    }
    expect(gate(request("/_next/image?url=%2Fapi%2Fclusters"), config).status).toBe(303);
  });

  it("puts the security headers on every response, with a fresh nonce handed to Next in the request", () => {
    const responses = [gate(request("/"), config), gate(request("/api/clusters"), config), gate(request("/login"), config)];
    for (const response of responses) {
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'(;|$)/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
    }
    const open = responses[2];
    expect(open.headers.get("x-middleware-request-content-security-policy")).toBe(open.headers.get("content-security-policy"));
    expect(new Set(responses.map(cspNonce)).size).toBe(3);
  });

  it("opens /api/metrics, and nothing else, to the scrape token, in every mode", async () => {
    const scrape = "metrics-token-0123456789";
    const bearer = { authorization: `Bearer ${scrape}` };
    const passed = (r: Response) => r.headers.get("x-middleware-next") === "1";
    const withScrape = [
      parseAuthConfig(parseEnv({ AUTH_MODE: "token", AUTH_VIEWER_TOKEN: VIEWER, METRICS_TOKEN: scrape }), "0.0.0.0"),
      parseAuthConfig(parseEnv({ AUTH_MODE: "proxy", AUTH_PROXY_TRUSTED: "10.0.0.1", METRICS_TOKEN: scrape }), "0.0.0.0"),
    ];
    for (const c of withScrape) {
      expect(passed(gate(request("/api/metrics", { headers: bearer }), c)), c.mode).toBe(true);
      expect(gate(request("/api/metrics", { headers: { authorization: `Bearer ${scrape}x` } }), c).status, c.mode).toBe(401);
      expect(gate(request("/api/metrics"), c).status, c.mode).toBe(401);
      for (const other of ["/api/clusters", "/api/metrics/", "/api/metricsx", "/clusters/prod"]) {
        expect(passed(gate(request(other, { headers: bearer }), c)), `${c.mode} ${other}`).toBe(false);
      }
    }
    // Without METRICS_TOKEN the metrics are read like any API route: a viewer token works, nothing else.
    expect(passed(gate(request("/api/metrics", { headers: { authorization: `Bearer ${VIEWER}` } }), config))).toBe(true);
    expect(gate(request("/api/metrics", { headers: bearer }), config).status).toBe(401);
  });

  it("returns only to same-site paths after sign-in", () => {
    expect(safeNextPath("/clusters/a?b=c")).toBe("/clusters/a?b=c");
    for (const bad of ["//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "", null, "/a\r\nSet-Cookie: x=y"]) {
      expect(safeNextPath(bad)).toBe("/");
    }
  });
});

describe("sign-in handlers", () => {
  const form = (fields: Record<string, string>) => ({ method: "POST", body: new URLSearchParams(fields) });

  it("sets an httpOnly, SameSite=Strict session cookie for a valid token and returns to the page asked for", async () => {
    const response = await handleLogin(request("/api/auth/login", form({ token: VIEWER, next: "/clusters/x" })), config);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/clusters/x");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^auditor_session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const session = cookie.split(";")[0].split("=")[1];
    const next = gate(request("/clusters/x", { headers: { cookie: `auditor_session=${session}` } }), config);
    expect(next.headers.get("x-middleware-next")).toBe("1");
  });

  it("marks the cookie Secure over https and never redirects off-site", async () => {
    const response = await handleLogin(
      new NextRequest("https://auditor.example/api/auth/login", { ...form({ token: VIEWER, next: "//evil.example" }), headers: { [PEER_HEADER]: "10.0.0.1" } }),
      config,
    );
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("sends a wrong token back to the form with an error, logs the address but not the token, and throttles", async () => {
    const logged: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => logged.push(args.join(" "));
    try {
      const wrong = await handleLogin(request("/api/auth/login", { ...form({ token: "guess-0001", next: "/x" }), headers: { [PEER_HEADER]: "10.66.0.1" } }), config);
      expect(wrong.status).toBe(303);
      expect(wrong.headers.get("location")).toBe("/login?error=invalid&next=%2Fx");
      expect(wrong.headers.get("set-cookie")).toBeNull();
      for (let i = 0; i < 9; i++) await handleLogin(request("/api/auth/login", { ...form({ token: "guess" }), headers: { [PEER_HEADER]: "10.66.0.1" } }), config);
      const locked = await handleLogin(request("/api/auth/login", { ...form({ token: VIEWER }), headers: { [PEER_HEADER]: "10.66.0.1" } }), config);
      expect(locked.headers.get("location")).toBe("/login?error=throttled&next=%2F");
      expect(locked.headers.get("set-cookie")).toBeNull();
    } finally {
      console.warn = warn;
    }
    expect(logged[0]).toBe("[auth] failed sign-in from 10.66.0.1");
    expect(logged.join("\n")).not.toContain("guess");
    expect(logged.join("\n")).not.toContain(VIEWER);
  });

  it("signs out by expiring the cookie", () => {
    const response = handleLogout(request("/api/auth/logout", { method: "POST" }), config);
    expect(response.headers.get("location")).toBe("/login");
    expect(response.headers.get("set-cookie")).toBe("auditor_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  });
});

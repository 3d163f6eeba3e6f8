import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/config/env";
import { addressIn, isLoopbackHost, listenHost, parseAuthConfig, parseCidrList, type AuthConfig } from "./config";
import { authenticate, roleForGroups, type AuthInput } from "./identity";
import { LOGIN_FAILURE_LIMIT, LoginThrottle } from "./rate-limit";
import { AuthError, checkRole } from "./server";
import { matchToken, sessionKey, sha256Hex, signSession, verifySession } from "./tokens";

const VIEWER = "viewer-token-0123456789";
const OPERATOR = "operator-token-0123456789";

function config(vars: Record<string, string>, host = "0.0.0.0"): AuthConfig {
  return parseAuthConfig(parseEnv(vars), host);
}

function configError(vars: Record<string, string>, host = "0.0.0.0"): string {
  try {
    parseAuthConfig(parseEnv(vars), host);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

const tokenConfig = config({ AUTH_MODE: "token", AUTH_VIEWER_TOKEN: VIEWER, AUTH_OPERATOR_TOKEN_SHA256: sha256Hex(OPERATOR).toString("hex") });
if (tokenConfig.mode !== "token") throw new Error("token mode expected");

function input(headers: Record<string, string>, extra: Partial<AuthInput> = {}): AuthInput {
  const h = new Headers(headers);
  return { headers: h, sessionCookie: undefined, peer: "127.0.0.1", ...extra };
}

describe("tokens", () => {
  it("matches each role's token, plain or given as sha256, and nothing else", () => {
    expect(matchToken(VIEWER, tokenConfig.tokenHashes)).toBe("viewer");
    expect(matchToken(OPERATOR, tokenConfig.tokenHashes)).toBe("operator");
    expect(matchToken(VIEWER.slice(0, -1), tokenConfig.tokenHashes)).toBeNull();
    expect(matchToken(`${VIEWER} `, tokenConfig.tokenHashes)).toBeNull();
    expect(matchToken("", tokenConfig.tokenHashes)).toBeNull();
    expect(matchToken(VIEWER, { viewer: null, operator: tokenConfig.tokenHashes.operator })).toBeNull();
  });

  it("signs sessions that verify until they expire", () => {
    const key = sessionKey("s".repeat(32), tokenConfig.tokenHashes);
    const cookie = signSession({ user: "viewer", role: "viewer", expiresAt: 2_000 }, key);
    expect(verifySession(cookie, key, 1_999)).toEqual({ user: "viewer", role: "viewer", expiresAt: 2_000 });
    expect(verifySession(cookie, key, 2_000)).toBeNull();
  });

  it("rejects tampered, truncated or foreign cookies", () => {
    const key = sessionKey("s".repeat(32), tokenConfig.tokenHashes);
    const cookie = signSession({ user: "viewer", role: "viewer", expiresAt: 2_000 }, key);
    const [payload, mac] = cookie.split(".");
    const promoted = Buffer.from(JSON.stringify({ u: "viewer", r: "operator", exp: 2_000 })).toString("base64url");
    expect(verifySession(`${promoted}.${mac}`, key, 0)).toBeNull();
    const flipped = mac.slice(0, -2) + (mac.at(-2) === "A" ? "B" : "A") + mac.at(-1);
    expect(verifySession(`${payload}.${flipped}`, key, 0)).toBeNull();
    expect(verifySession(payload, key, 0)).toBeNull();
    expect(verifySession(`${cookie}.x`, key, 0)).toBeNull();
    expect(verifySession(`${payload}.`, key, 0)).toBeNull();
    expect(verifySession(cookie, sessionKey("t".repeat(32), tokenConfig.tokenHashes), 0)).toBeNull();
  });

  it("binds the signing key to the tokens (rotation ends sessions) and keeps one random secret per process", () => {
    const rotated = { ...tokenConfig.tokenHashes, viewer: sha256Hex("another-viewer-token") };
    expect(sessionKey("s".repeat(32), rotated).equals(sessionKey("s".repeat(32), tokenConfig.tokenHashes))).toBe(false);
    expect(sessionKey(null, tokenConfig.tokenHashes).equals(sessionKey(null, tokenConfig.tokenHashes))).toBe(true);
    expect(sessionKey(null, tokenConfig.tokenHashes).equals(sessionKey("s".repeat(32), tokenConfig.tokenHashes))).toBe(false);
  });
});

describe("configuration", () => {
  it("refuses AUTH_MODE=none (also the default) unless the server listens on loopback", () => {
    expect(configError({}, "0.0.0.0")).toMatch(/AUTH_MODE: "none" .* listens on 0\.0\.0\.0/);
    expect(configError({ AUTH_MODE: "none" }, "10.1.2.3")).toContain("listens on 10.1.2.3");
    expect(configError({ AUTH_MODE: "none" }, "::")).toContain("listens on ::");
    expect(configError({ AUTH_MODE: "none" }, "kafka-auditor.internal")).toContain("AUTH_MODE");
    for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(config({ AUTH_MODE: "none" }, host)).toEqual({ mode: "none" });
    }
  });

  it("finds the listen host on next start's own command line, else LISTEN_HOST, else every interface", () => {
    const node = ["/usr/bin/node", "/app/node_modules/next/dist/bin/next"];
    expect(listenHost([...node, "start", "-p", "3000", "-H", "127.0.0.1"], undefined)).toBe("127.0.0.1");
    expect(listenHost([...node, "start", "--hostname", "::1"], "0.0.0.0")).toBe("::1");
    expect(listenHost([...node, "start", "--hostname=localhost"], undefined)).toBe("localhost");
    expect(listenHost([...node, "start", "-p", "3000"], "127.0.0.1")).toBe("127.0.0.1");
    expect(listenHost([...node, "start"], undefined)).toBe("0.0.0.0");
    expect(isLoopbackHost("128.0.0.1")).toBe(false);
  });

  it("token mode needs a token per role at most once, long enough, and different per role", () => {
    expect(configError({ AUTH_MODE: "token" })).toContain("needs AUTH_VIEWER_TOKEN");
    expect(configError({ AUTH_MODE: "token", AUTH_VIEWER_TOKEN: VIEWER, AUTH_VIEWER_TOKEN_SHA256: "a".repeat(64) })).toContain("set one of them, not both");
    expect(configError({ AUTH_MODE: "token", AUTH_VIEWER_TOKEN: VIEWER, AUTH_OPERATOR_TOKEN: VIEWER })).toContain("must differ");
    expect(() => parseEnv({ AUTH_MODE: "token", AUTH_VIEWER_TOKEN: "short" })).toThrow(/AUTH_VIEWER_TOKEN: must be at least 16 characters/);
    expect(() => parseEnv({ AUTH_OPERATOR_TOKEN_SHA256: "xyz" })).toThrow(/AUTH_OPERATOR_TOKEN_SHA256: must be 64 hex digits/);
    expect(() => parseEnv({ AUTH_MODE: "basic" })).toThrow(/AUTH_MODE/);
    expect(config({ AUTH_MODE: "token", AUTH_OPERATOR_TOKEN: OPERATOR }).mode).toBe("token");
  });

  it("takes a scrape token, plain or as sha256, in any mode, different from the role tokens", () => {
    const scrape = "metrics-token-0123456789";
    expect(config({ AUTH_MODE: "none", METRICS_TOKEN: scrape }, "127.0.0.1").metricsTokenHash).toEqual(sha256Hex(scrape));
    expect(config({ AUTH_MODE: "none", METRICS_TOKEN_SHA256: sha256Hex(scrape).toString("hex") }, "127.0.0.1").metricsTokenHash).toEqual(sha256Hex(scrape));
    expect(configError({ AUTH_MODE: "token", AUTH_VIEWER_TOKEN: VIEWER, METRICS_TOKEN: VIEWER })).toContain("METRICS_TOKEN must differ");
    expect(configError({ AUTH_MODE: "none", METRICS_TOKEN: scrape, METRICS_TOKEN_SHA256: "a".repeat(64) }, "::1")).toContain(
      "METRICS_TOKEN and METRICS_TOKEN_SHA256: set one of them, not both",
    );
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });

  it("proxy mode needs valid trusted addresses", () => {
    expect(configError({ AUTH_MODE: "proxy" })).toContain("AUTH_PROXY_TRUSTED: AUTH_MODE=proxy needs");
    const message = configError({ AUTH_MODE: "proxy", AUTH_PROXY_TRUSTED: "10.0.0.0/33,proxy.internal,1.2.3.4/8/1,10.0.0.0/x" });
    for (const bad of ["10.0.0.0/33", "proxy.internal", "1.2.3.4/8/1", "10.0.0.0/x"]) expect(message).toContain(`"${bad}" is not an IP address or CIDR range`);
    expect(() => parseEnv({ AUTH_PROXY_USER_HEADER: "x user" })).toThrow(/AUTH_PROXY_USER_HEADER/);
    expect(() => parseEnv({ AUTH_PROXY_LOGOUT_URL: "javascript:alert(1)" })).toThrow(/AUTH_PROXY_LOGOUT_URL/);
    expect(() => parseEnv({ AUTH_PROXY_LOGOUT_URL: "//evil.example/" })).toThrow(/AUTH_PROXY_LOGOUT_URL/);
    expect(parseEnv({ AUTH_PROXY_LOGOUT_URL: "/oauth2/sign_out" }).AUTH_PROXY_LOGOUT_URL).toBe("/oauth2/sign_out");
  });
});

describe("CIDR matching", () => {
  const { list, problems } = parseCidrList(["127.0.0.1", "10.0.0.0/8", "192.168.4.0/22", "fd00::/8", "::1"]);

  it("matches addresses inside the ranges, IPv4-mapped IPv6 included", () => {
    expect(problems).toEqual([]);
    for (const inside of ["127.0.0.1", "10.0.0.0", "10.255.255.255", "192.168.7.254", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "fd12::1", "::1"]) {
      expect(addressIn(list, inside), inside).toBe(true);
    }
  });

  it("refuses everything else, including what is not an address", () => {
    for (const outside of ["127.0.0.2", "11.0.0.1", "9.255.255.255", "192.168.8.1", "fe80::1", "::2", "", "localhost", "10.0.0.1, 1.2.3.4"]) {
      expect(addressIn(list, outside), outside).toBe(false);
    }
  });
});

describe("authenticate", () => {
  const proxyConfig = config({
    AUTH_MODE: "proxy",
    AUTH_PROXY_TRUSTED: "10.0.0.0/8,127.0.0.1",
    AUTH_PROXY_OPERATOR_GROUPS: "kafka-admins,sre",
    AUTH_PROXY_VIEWER_GROUPS: "engineering",
  });

  it("none mode lets loopback clients in as operators and refuses any other address", () => {
    const none = config({ AUTH_MODE: "none" }, "127.0.0.1");
    expect(authenticate(input({}, { peer: "::1" }), none, 0)).toMatchObject({ ok: true, identity: { role: "operator", via: "none" } });
    expect(authenticate(input({}, { peer: "10.0.0.5" }), none, 0)).toMatchObject({ ok: false, status: 403 });
    expect(authenticate(input({}, { peer: null }), none, 0)).toMatchObject({ ok: false, status: 403 });
  });

  it("token mode accepts a bearer token or a session cookie, and a wrong bearer never falls back to the cookie", () => {
    const key = sessionKey(tokenConfig.sessionSecret, tokenConfig.tokenHashes);
    const cookie = signSession({ user: "viewer", role: "viewer", expiresAt: 10_000 }, key);
    expect(authenticate(input({ authorization: `Bearer ${OPERATOR}` }), tokenConfig, 0)).toMatchObject({ ok: true, identity: { role: "operator", via: "bearer" } });
    expect(authenticate(input({ authorization: `bearer ${VIEWER}` }), tokenConfig, 0)).toMatchObject({ ok: true, identity: { role: "viewer" } });
    expect(authenticate(input({ authorization: `Basic ${VIEWER}` }, { sessionCookie: cookie }), tokenConfig, 0)).toMatchObject({ ok: false, status: 401 });
    expect(authenticate(input({ authorization: "Bearer nope" }, { sessionCookie: cookie }), tokenConfig, 0)).toMatchObject({ ok: false, status: 401 });
    expect(authenticate(input({}, { sessionCookie: cookie }), tokenConfig, 9_999)).toMatchObject({ ok: true, identity: { role: "viewer", via: "session" } });
    expect(authenticate(input({}, { sessionCookie: cookie }), tokenConfig, 10_000)).toMatchObject({ ok: false, status: 401 });
    expect(authenticate(input({}), tokenConfig, 0)).toMatchObject({ ok: false, status: 401, reason: "sign-in required" });
  });

  it("proxy mode maps the trusted proxy's user and groups to a role", () => {
    const from = (peer: string, headers: Record<string, string>) => authenticate(input(headers, { peer }), proxyConfig, 0);
    expect(from("10.2.3.4", { "x-forwarded-user": "alice", "x-forwarded-groups": "engineering, sre" })).toEqual({
      ok: true,
      identity: { user: "alice", role: "operator", via: "proxy" },
    });
    expect(from("::ffff:127.0.0.1", { "x-forwarded-user": "bob", "x-forwarded-groups": "engineering" })).toMatchObject({ identity: { user: "bob", role: "viewer" } });
    expect(from("10.2.3.4", { "x-forwarded-email": "carol@example.com", "x-forwarded-groups": "sre" })).toMatchObject({ identity: { user: "carol@example.com", role: "operator" } });
    expect(from("10.2.3.4", { "x-forwarded-user": "dave", "x-forwarded-groups": "marketing" })).toMatchObject({ ok: false, status: 403 });
    expect(from("10.2.3.4", { "x-forwarded-groups": "sre" })).toMatchObject({ ok: false, status: 401 });
  });

  it("proxy mode ignores identity headers from any address outside AUTH_PROXY_TRUSTED", () => {
    const headers = { "x-forwarded-user": "mallory", "x-forwarded-groups": "kafka-admins" };
    expect(authenticate(input(headers, { peer: "192.168.1.9" }), proxyConfig, 0)).toMatchObject({ ok: false, status: 401 });
    expect(authenticate(input(headers, { peer: null }), proxyConfig, 0)).toMatchObject({ ok: false, status: 401 });
  });

  it("reads the header names it is configured with", () => {
    const custom = config({
      AUTH_MODE: "proxy",
      AUTH_PROXY_TRUSTED: "127.0.0.1",
      AUTH_PROXY_USER_HEADER: "X-Auth-Request-User",
      AUTH_PROXY_GROUPS_HEADER: "X-Auth-Request-Groups",
      AUTH_PROXY_OPERATOR_GROUPS: "ops",
    });
    expect(authenticate(input({ "x-auth-request-user": "erin", "x-auth-request-groups": "ops" }), custom, 0)).toMatchObject({ identity: { user: "erin", role: "operator" } });
    expect(authenticate(input({ "x-forwarded-user": "erin", "x-forwarded-groups": "ops" }), custom, 0)).toMatchObject({ ok: false, status: 401 });
  });

  it("grants roles by group: operator groups first, no viewer groups means every proxied user views", () => {
    expect(roleForGroups(["a"], ["ops"], [])).toBe("viewer");
    expect(roleForGroups([], ["ops"], ["eng"])).toBeNull();
    expect(roleForGroups(["eng", "ops"], ["ops"], ["eng"])).toBe("operator");
  });
});

describe("requireRole's check", () => {
  const viewer = { ok: true as const, identity: { user: "v", role: "viewer" as const, via: "session" as const } };
  const operator = { ok: true as const, identity: { user: "o", role: "operator" as const, via: "bearer" as const } };

  it("lets operators do what viewers do, and nothing more to viewers", () => {
    expect(checkRole(viewer, "viewer").user).toBe("v");
    expect(checkRole(operator, "viewer").user).toBe("o");
    expect(checkRole(operator, "operator").user).toBe("o");
    expect(() => checkRole(viewer, "operator")).toThrow(new AuthError(403, "operator role required"));
    expect(() => checkRole({ ok: false, status: 401, reason: "sign-in required" }, "viewer")).toThrow(AuthError);
  });
});

describe("login throttle", () => {
  it("locks an address out after the limit until the window passes, and a success clears it", () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < LOGIN_FAILURE_LIMIT - 1; i++) throttle.recordFailure("10.0.0.1", 1_000);
    expect(throttle.retryAfterMs("10.0.0.1", 1_000)).toBe(0);
    throttle.recordFailure("10.0.0.1", 2_000);
    expect(throttle.retryAfterMs("10.0.0.1", 2_000)).toBe(300_000 - 1_000);
    expect(throttle.retryAfterMs("10.0.0.2", 2_000)).toBe(0);
    expect(throttle.retryAfterMs("10.0.0.1", 301_000)).toBe(0);
    throttle.recordFailure("10.0.0.3", 0);
    throttle.recordSuccess("10.0.0.3");
    for (let i = 0; i < LOGIN_FAILURE_LIMIT - 1; i++) throttle.recordFailure("10.0.0.3", 1);
    expect(throttle.retryAfterMs("10.0.0.3", 1)).toBe(0);
  });
});

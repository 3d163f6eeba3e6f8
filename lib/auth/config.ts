import { BlockList, isIP } from "node:net";
import { ConfigError, env, type Env } from "@/lib/config/env";
import { sha256Hex } from "./tokens";

// The auth settings of lib/config/env.ts checked together: what each mode needs, and `none` only where
// nobody but this machine can connect. Run when the web server starts (instrumentation.ts); the CLIs
// (snapshot, audit, poller) serve nothing and never call it.

export type Role = "viewer" | "operator";
export const ROLES: readonly Role[] = ["viewer", "operator"];

/** The scrape token's sha256 when METRICS_TOKEN(_SHA256) is set: it opens /api/metrics and nothing else. */
export type ScrapeAuth = { metricsTokenHash?: Buffer };

export type AuthConfig = ScrapeAuth &
  (
  | { mode: "none" }
  | {
      mode: "token";
      /** sha256 of each role's token; null when that role has no token. */
      tokenHashes: Record<Role, Buffer | null>;
      sessionSecret: string | null;
      sessionTtlMs: number;
    }
  | {
      mode: "proxy";
      trusted: BlockList;
      trustedText: string[];
      userHeader: string;
      emailHeader: string;
      groupsHeader: string;
      operatorGroups: string[];
      viewerGroups: string[];
      logoutUrl: string | null;
    }
  );

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** True for a name or address that only this machine can connect to (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  return isIP(h) === 4 ? h.startsWith("127.") : h.startsWith("::ffff:127.");
}

/**
 * The host the server binds. `next start` runs in this very process, so its own `-H`/`--hostname` argument is
 * the truth; launchers whose command line this process cannot see (`next dev` forks, a standalone server)
 * declare it in LISTEN_HOST. Neither: Next's default, every interface.
 */
export function listenHost(argv: readonly string[], declared: string | undefined): string {
  const start = argv.findIndex((a) => a === "start" || a === "dev");
  if (start >= 0) {
    for (let i = start + 1; i < argv.length; i++) {
      const arg = argv[i];
      if ((arg === "-H" || arg === "--hostname") && argv[i + 1]) return argv[i + 1];
      const inline = /^--hostname=(.+)$/.exec(arg);
      if (inline) return inline[1];
    }
  }
  return declared ?? "0.0.0.0";
}

/** Parses `10.0.0.0/8,127.0.0.1,::1` into a BlockList (a bare address is a /32 or /128). */
export function parseCidrList(entries: readonly string[]): { list: BlockList; problems: string[] } {
  const list = new BlockList();
  const problems: string[] = [];
  for (const entry of entries) {
    const [address, prefixText, extra] = entry.split("/");
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!family || extra !== undefined || !/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) {
      problems.push(`"${entry}" is not an IP address or CIDR range`);
      continue;
    }
    list.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return { list, problems };
}

/** Whether `address` (as Node reports a socket's remote address) lies in `list`. */
export function addressIn(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}

function tokenHash(plain: string | undefined, hashed: string | undefined, name: string, issues: string[]): Buffer | null {
  if (plain && hashed) issues.push(`${name} and ${name}_SHA256: set one of them, not both`);
  if (plain) return sha256Hex(plain);
  return hashed ? Buffer.from(hashed, "hex") : null;
}

/** Checks the auth settings together; throws ConfigError listing every problem. */
export function parseAuthConfig(env: Env, host: string): AuthConfig {
  const issues: string[] = [];
  let config: AuthConfig;
  if (env.AUTH_MODE === "none") {
    if (!isLoopbackHost(host)) {
      issues.push(
        `AUTH_MODE: "none" lets everyone who can reach the server in, and it listens on ${host}. ` +
          "Set AUTH_MODE=token or AUTH_MODE=proxy, or listen on loopback only (next start -H 127.0.0.1).",
      );
    }
    config = { mode: "none" };
  } else if (env.AUTH_MODE === "token") {
    const tokenHashes = {
      viewer: tokenHash(env.AUTH_VIEWER_TOKEN, env.AUTH_VIEWER_TOKEN_SHA256, "AUTH_VIEWER_TOKEN", issues),
      operator: tokenHash(env.AUTH_OPERATOR_TOKEN, env.AUTH_OPERATOR_TOKEN_SHA256, "AUTH_OPERATOR_TOKEN", issues),
    };
    if (!tokenHashes.viewer && !tokenHashes.operator) {
      issues.push("AUTH_MODE: token needs AUTH_VIEWER_TOKEN(_SHA256) or AUTH_OPERATOR_TOKEN(_SHA256)");
    } else if (tokenHashes.viewer && tokenHashes.operator?.equals(tokenHashes.viewer)) {
      issues.push("AUTH_VIEWER_TOKEN and AUTH_OPERATOR_TOKEN must differ");
    }
    config = { mode: "token", tokenHashes, sessionSecret: env.AUTH_SESSION_SECRET ?? null, sessionTtlMs: env.AUTH_SESSION_TTL_MS };
  } else {
    const trustedText = env.AUTH_PROXY_TRUSTED ?? [];
    const { list, problems } = parseCidrList(trustedText);
    if (trustedText.length === 0) issues.push("AUTH_PROXY_TRUSTED: AUTH_MODE=proxy needs the SSO proxy's addresses (IP or CIDR list)");
    issues.push(...problems.map((p) => `AUTH_PROXY_TRUSTED: ${p}`));
    config = {
      mode: "proxy",
      trusted: list,
      trustedText,
      userHeader: env.AUTH_PROXY_USER_HEADER,
      emailHeader: env.AUTH_PROXY_EMAIL_HEADER,
      groupsHeader: env.AUTH_PROXY_GROUPS_HEADER,
      operatorGroups: env.AUTH_PROXY_OPERATOR_GROUPS,
      viewerGroups: env.AUTH_PROXY_VIEWER_GROUPS,
      logoutUrl: env.AUTH_PROXY_LOGOUT_URL ?? null,
    };
  }
  const metricsTokenHash = tokenHash(env.METRICS_TOKEN, env.METRICS_TOKEN_SHA256, "METRICS_TOKEN", issues);
  if (metricsTokenHash && config.mode === "token" && Object.values(config.tokenHashes).some((h) => h?.equals(metricsTokenHash))) {
    issues.push("METRICS_TOKEN must differ from AUTH_VIEWER_TOKEN and AUTH_OPERATOR_TOKEN");
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return metricsTokenHash ? { ...config, metricsTokenHash } : config;
}

let cached: AuthConfig | undefined;

/** This process's auth settings, checked on first use (instrumentation.ts uses it first, at start-up). */
export function authConfig(): AuthConfig {
  cached ??= parseAuthConfig(env(), listenHost(process.argv, env().LISTEN_HOST));
  return cached;
}

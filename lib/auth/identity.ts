import { addressIn, isLoopbackHost, type AuthConfig, type Role } from "./config";
import { matchToken, sessionKey, tokenMatches, verifySession } from "./tokens";

// Who is asking, from one request: the same function serves the proxy (every request) and requireRole
// (inside route handlers and server actions), so neither trusts a header the other set.

export const SESSION_COOKIE = "auditor_session";
/** The one path the scrape token (METRICS_TOKEN) opens. */
export const METRICS_PATH = "/api/metrics";

export type Identity = { user: string; role: Role; via: "none" | "session" | "bearer" | "proxy" | "scrape" };
export type AuthResult = { ok: true; identity: Identity } | { ok: false; status: 401 | 403; reason: string };

export type AuthInput = {
  headers: { get(name: string): string | null };
  sessionCookie: string | undefined;
  /** The socket's remote address (lib/auth/peer.ts), null when unknown. */
  peer: string | null;
};

const RANK: Record<Role, number> = { viewer: 1, operator: 2 };

export function hasRole(identity: Identity, required: Role): boolean {
  return RANK[identity.role] >= RANK[required];
}

const deny = (status: 401 | 403, reason: string): AuthResult => ({ ok: false, status, reason });

/** The role proxied groups grant: operator groups first; no viewer groups configured means every user views. */
export function roleForGroups(groups: readonly string[], operatorGroups: readonly string[], viewerGroups: readonly string[]): Role | null {
  if (groups.some((g) => operatorGroups.includes(g))) return "operator";
  if (viewerGroups.length === 0 || groups.some((g) => viewerGroups.includes(g))) return "viewer";
  return null;
}

/** The token in `Authorization: Bearer <token>`; null without the header, "" when it is malformed. */
function bearerToken(headers: AuthInput["headers"]): string | null {
  const authorization = headers.get("authorization");
  if (authorization === null) return null;
  return /^Bearer ([\x21-\x7e]+)$/i.exec(authorization.trim())?.[1] ?? "";
}

/**
 * A Prometheus scrape of METRICS_PATH with the scrape token, in every mode: a scraper has no session and does
 * not come through the SSO proxy. Any other path, or no match, leaves the request to `authenticate`.
 */
export function scrapeIdentity(pathname: string, headers: AuthInput["headers"], config: AuthConfig): Identity | null {
  if (pathname !== METRICS_PATH || !config.metricsTokenHash) return null;
  const token = bearerToken(headers);
  return token && tokenMatches(token, config.metricsTokenHash) ? { user: "metrics-scraper", role: "viewer", via: "scrape" } : null;
}

export function authenticate(input: AuthInput, config: AuthConfig, now: number): AuthResult {
  switch (config.mode) {
    case "none":
      // Listening on loopback was checked at start-up; this catches a server bound wider than it said.
      return input.peer && isLoopbackHost(input.peer)
        ? { ok: true, identity: { user: "local", role: "operator", via: "none" } }
        : deny(403, "AUTH_MODE=none serves loopback clients only");
    case "token": {
      const bearer = bearerToken(input.headers);
      if (bearer !== null) {
        const role = bearer ? matchToken(bearer, config.tokenHashes) : null;
        return role ? { ok: true, identity: { user: role, role, via: "bearer" } } : deny(401, "invalid bearer token");
      }
      if (!input.sessionCookie) return deny(401, "sign-in required");
      const session = verifySession(input.sessionCookie, sessionKey(config.sessionSecret, config.tokenHashes), now);
      return session ? { ok: true, identity: { user: session.user, role: session.role, via: "session" } } : deny(401, "session expired or invalid");
    }
    case "proxy": {
      if (!input.peer || !addressIn(config.trusted, input.peer)) return deny(401, "request did not come through the trusted SSO proxy");
      const user = input.headers.get(config.userHeader)?.trim() || input.headers.get(config.emailHeader)?.trim();
      if (!user) return deny(401, `the SSO proxy sent no ${config.userHeader} header`);
      const groups = (input.headers.get(config.groupsHeader) ?? "").split(",").map((g) => g.trim()).filter(Boolean);
      const role = roleForGroups(groups, config.operatorGroups, config.viewerGroups);
      return role ? { ok: true, identity: { user, role, via: "proxy" } } : deny(403, `${user} is in none of AUTH_PROXY_VIEWER_GROUPS or AUTH_PROXY_OPERATOR_GROUPS`);
    }
  }
}

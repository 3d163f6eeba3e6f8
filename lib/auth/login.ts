import { authConfig, type AuthConfig } from "./config";
import { safeNextPath } from "./gate";
import { SESSION_COOKIE } from "./identity";
import { peerAddress } from "./peer";
import { LoginThrottle } from "./rate-limit";
import { matchToken, sessionKey, signSession } from "./tokens";

// The sign-in form's POST (token mode): a correct token becomes a signed session cookie; a wrong one is
// logged (with the client address, never the token) and counted against that address.

const throttle = new LoginThrottle();

/** `location` is always a same-site path (safeNextPath), sent relative so a Host header cannot redirect elsewhere. */
function redirect(location: string, cookie?: string): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  if (cookie) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

function cookieAttributes(request: Request, maxAgeSeconds: number): string {
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export async function handleLogin(request: Request, config: AuthConfig = authConfig()): Promise<Response> {
  if (config.mode !== "token") return Response.json({ error: "sign-in by token is not enabled (AUTH_MODE)" }, { status: 404 });
  const form = await request.formData().catch(() => null);
  const token = form?.get("token");
  const nextField = form?.get("next");
  const next = safeNextPath(typeof nextField === "string" ? nextField : null);
  const back = (error: string) => `/login?${new URLSearchParams({ error, next })}`;
  const peer = peerAddress(request.headers) ?? "unknown";
  const now = Date.now();

  const waitMs = throttle.retryAfterMs(peer, now);
  if (waitMs > 0) {
    console.warn(`[auth] sign-in refused for ${peer}: too many failures, ${Math.ceil(waitMs / 1000)} s left`);
    return redirect(back("throttled"));
  }
  const role = typeof token === "string" && token.length > 0 && token.length <= 4096 ? matchToken(token, config.tokenHashes) : null;
  if (!role) {
    throttle.recordFailure(peer, now);
    console.warn(`[auth] failed sign-in from ${peer}`);
    return redirect(back("invalid"));
  }
  throttle.recordSuccess(peer);
  const ttlMs = config.sessionTtlMs;
  const value = signSession({ user: role, role, expiresAt: now + ttlMs }, sessionKey(config.sessionSecret, config.tokenHashes));
  console.log(`[auth] ${role} signed in from ${peer}`);
  return redirect(next, `${SESSION_COOKIE}=${value}; ${cookieAttributes(request, Math.floor(ttlMs / 1000))}`);
}

export function handleLogout(request: Request, config: AuthConfig = authConfig()): Response {
  const to = config.mode === "token" ? "/login" : "/";
  return redirect(to, `${SESSION_COOKIE}=; ${cookieAttributes(request, 0)}`);
}

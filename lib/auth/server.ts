import { cookies, headers } from "next/headers";
import { authConfig, type Role } from "./config";
import { authenticate, hasRole, SESSION_COOKIE, type AuthResult, type Identity } from "./identity";
import { peerAddress } from "./peer";

// For server components, route handlers and server actions: the identity of the request being served,
// established again from the request itself (never from a header the proxy might not have set).

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

export async function currentAuth(): Promise<AuthResult> {
  const [h, c] = await Promise.all([headers(), cookies()]);
  return authenticate({ headers: h, sessionCookie: c.get(SESSION_COOKIE)?.value, peer: peerAddress(h) }, authConfig(), Date.now());
}

/** The identity in `result` when it has at least `role`; throws AuthError (401 or 403) otherwise. */
export function checkRole(result: AuthResult, role: Role): Identity {
  if (!result.ok) throw new AuthError(result.status, result.reason);
  if (!hasRole(result.identity, role)) throw new AuthError(403, `${role} role required`);
  return result.identity;
}

/**
 * For route handlers and server actions that need a role (remediation needs "operator"): the caller's
 * identity, or AuthError, which app/api/_lib/handler.ts answers as 401/403 JSON.
 */
export async function requireRole(role: Role): Promise<Identity> {
  return checkRole(await currentAuth(), role);
}

import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Role } from "./config";

// Token and session-cookie cryptography. Tokens are compared as sha256 digests with timingSafeEqual, so
// neither the comparison time nor an early exit tells how much of a guess was right.

export function sha256Hex(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Whether `candidate` is the token whose sha256 is `expected`. */
export function tokenMatches(candidate: string, expected: Buffer): boolean {
  return timingSafeEqual(sha256Hex(candidate), expected);
}

/** The role whose token `candidate` is, or null. Both roles are always compared (constant work). */
export function matchToken(candidate: string, hashes: Record<Role, Buffer | null>): Role | null {
  let found: Role | null = null;
  for (const role of ["viewer", "operator"] as const) {
    const expected = hashes[role];
    if (expected && tokenMatches(candidate, expected)) found = role;
  }
  return found;
}

export type Session = { user: string; role: Role; expiresAt: number };

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/**
 * The cookie-signing key: the configured secret (or one random per process, kept on globalThis because the
 * proxy bundle and the route bundles load this module separately) bound to the current tokens, so rotating
 * a token ends every session made with the old ones.
 */
export function sessionKey(secret: string | null, hashes: Record<Role, Buffer | null>): Buffer {
  const holder = globalThis as unknown as { __auditorSessionSecret?: Buffer };
  const base = secret ? Buffer.from(secret, "utf8") : (holder.__auditorSessionSecret ??= randomBytes(32));
  const hmac = createHmac("sha256", base).update("auditor-session-v1");
  for (const h of [hashes.viewer, hashes.operator]) hmac.update(h ?? Buffer.alloc(32));
  return hmac.digest();
}

export function signSession(session: Session, key: Buffer): string {
  const payload = b64(JSON.stringify({ u: session.user, r: session.role, exp: session.expiresAt }));
  return `${payload}.${b64(createHmac("sha256", key).update(payload).digest())}`;
}

/** The session in a cookie value, or null when it is malformed, tampered with or expired. */
export function verifySession(value: string, key: Buffer, now: number): Session | null {
  const [payload, mac, extra] = value.split(".");
  if (!payload || !mac || extra !== undefined) return null;
  const expected = createHmac("sha256", key).update(payload).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const { u, r, exp } = (parsed ?? {}) as { u?: unknown; r?: unknown; exp?: unknown };
  if (typeof u !== "string" || (r !== "viewer" && r !== "operator") || typeof exp !== "number" || exp <= now) return null;
  return { user: u, role: r, expiresAt: exp };
}

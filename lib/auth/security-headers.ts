import { randomBytes } from "node:crypto";

// Headers every response carries. The Content-Security-Policy allows scripts only with this request's nonce
// (Next reads it from the request's CSP header and puts it on its own scripts) and what they load
// ('strict-dynamic'). Inline style *attributes* stay allowed: React and recharts set them (server-rendered
// `style=""`), and they cannot run code; <style> elements still need the nonce.

export function newNonce(): string {
  return randomBytes(18).toString("base64");
}

export function contentSecurityPolicy(nonce: string, opts: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The full set, around a policy from contentSecurityPolicy(). */
export function securityHeaders(csp: string, opts: { https: boolean }): [string, string][] {
  return [
    ["Content-Security-Policy", csp],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "no-referrer"],
    ["X-Frame-Options", "DENY"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ["Cross-Origin-Resource-Policy", "same-origin"],
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"],
    ...(opts.https ? ([["Strict-Transport-Security", "max-age=31536000"]] as [string, string][]) : []),
  ];
}

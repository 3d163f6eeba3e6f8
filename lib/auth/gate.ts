import { NextResponse, type NextRequest } from "next/server";
import { authConfig, type AuthConfig } from "./config";
import { authenticate, hasRole, scrapeIdentity, SESSION_COOKIE } from "./identity";
import { peerAddress } from "./peer";
import { contentSecurityPolicy, newNonce, securityHeaders } from "./security-headers";

// What proxy.ts does to every request: security headers with a fresh CSP nonce on every response, and
// nothing but the sign-in page, its form handlers, the health probes, the icons and the build's static files
// without an identity.

const OPEN_PATHS = new Set(["/login", "/api/health", "/api/health/live", "/api/auth/login", "/api/auth/logout", "/favicon.ico", "/icon.svg"]);
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/**
 * Actions whose handler checks the role itself and audits a refused attempt (lib/remediation): a viewer's
 * attempt must reach it to be recorded. They still need a signed-in user here.
 */
const ROLE_CHECKED_BY_HANDLER = /^\/api\/clusters\/[^/]+\/findings\/[^/]+\/abort$/;

function isOpen(pathname: string, dev: boolean): boolean {
  if (OPEN_PATHS.has(pathname) || pathname.startsWith("/_next/static/")) return true;
  // The dev server's HMR socket and overlay.
  return dev && (pathname.startsWith("/_next/") || pathname.startsWith("/__nextjs"));
}

/** A same-site path to return to after signing in; anything else (other hosts, `//evil`) becomes "/". */
export function safeNextPath(value: string | null | undefined): string {
  return value && /^\/(?![/\\])/.test(value) && !/[\r\n]/.test(value) ? value : "/";
}

function isWellEncoded(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export function gate(request: NextRequest, config: AuthConfig = authConfig()): NextResponse {
  const dev = process.env.NODE_ENV === "development";
  const https = request.nextUrl.protocol === "https:";
  const csp = contentSecurityPolicy(newNonce(), { https, dev });
  const headers = securityHeaders(csp, { https });
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");

  const finish = (response: NextResponse): NextResponse => {
    for (const [name, value] of headers) response.headers.set(name, value);
    return response;
  };

  // Next's router answers a malformed percent-escape in a dynamic segment (e.g. `%ff`) with a bare 500: such a
  // path names nothing, so it is the client's mistake.
  if (!isWellEncoded(pathname)) {
    const message = "malformed percent-encoding in the URL";
    return finish(
      isApi
        ? NextResponse.json({ error: message }, { status: 400, headers: { "cache-control": "no-store" } })
        : new NextResponse(`Not found: ${message}\n`, { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } }),
    );
  }

  if (!isOpen(pathname, dev) && !scrapeIdentity(pathname, request.headers, config)) {
    const result = authenticate(
      { headers: request.headers, sessionCookie: request.cookies.get(SESSION_COOKIE)?.value, peer: peerAddress(request.headers) },
      config,
      Date.now(),
    );
    if (!result.ok) {
      if (isApi) {
        const response = NextResponse.json({ error: result.reason }, { status: result.status, headers: { "cache-control": "no-store" } });
        if (result.status === 401) response.headers.set("WWW-Authenticate", 'Bearer realm="kafka-eos-auditor"');
        return finish(response);
      }
      if (result.status === 403) {
        return finish(new NextResponse(`Forbidden: ${result.reason}\n`, { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } }));
      }
      // Next sends a same-host redirect from the proxy as a relative Location.
      const login = new URL(`/login?${new URLSearchParams({ next: safeNextPath(pathname + search) })}`, request.url);
      return finish(NextResponse.redirect(login, 303));
    }
    // Viewers read: anything that could change state through the API needs an operator.
    if (isApi && !READ_METHODS.has(request.method) && !hasRole(result.identity, "operator") && !ROLE_CHECKED_BY_HANDLER.test(pathname)) {
      return finish(NextResponse.json({ error: "operator role required" }, { status: 403, headers: { "cache-control": "no-store" } }));
    }
  }

  // Next takes the nonce for its own scripts from the request's CSP header.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", csp);
  return finish(NextResponse.next({ request: { headers: requestHeaders } }));
}

// Every API route, every page and the sign-in form, fed generated hostile input: malformed percent-encoding,
// NUL and control characters, 10 kB names, unicode, path traversal, wrong types and impossible dates in every
// query parameter. Requests go out as raw bytes over node:http, because a browser or a URL parser would tidy
// them up first. Each answer must be designed: below 500, a JSON `error` on the API, never a stack trace.
import http from "node:http";
import { expect, test } from "@playwright/test";
import fc from "fast-check";
import { DEMO_CLUSTER, HOSTILE_GROUP_ID, HUNG_TXN_ID, PATHY_TXN_ID } from "../../scripts/seed-demo-names";
import { AUTH_TEST_TOKENS, authTestPorts } from "./auth-servers";

const API_ROUTES = [
  "/api/clusters",
  "/api/health",
  "/api/clusters/{cluster}",
  "/api/clusters/{cluster}/capacity",
  "/api/clusters/{cluster}/capacity/csv",
  "/api/clusters/{cluster}/config",
  "/api/clusters/{cluster}/findings",
  "/api/clusters/{cluster}/findings/{name}",
  "/api/clusters/{cluster}/groups",
  "/api/clusters/{cluster}/groups/{name}",
  "/api/clusters/{cluster}/groups/{name}/history",
  "/api/clusters/{cluster}/hot-partitions",
  "/api/clusters/{cluster}/pipelines",
  "/api/clusters/{cluster}/topics",
  "/api/clusters/{cluster}/topics/{name}",
  "/api/clusters/{cluster}/topics/{name}/history",
  "/api/clusters/{cluster}/transactions",
  "/api/clusters/{cluster}/transactions/{name}",
];
const PAGES = [
  "/",
  "/login",
  "/clusters/{cluster}",
  "/clusters/{cluster}/capacity",
  "/clusters/{cluster}/config",
  "/clusters/{cluster}/findings",
  "/clusters/{cluster}/findings/{name}",
  "/clusters/{cluster}/groups",
  "/clusters/{cluster}/groups/{name}",
  "/clusters/{cluster}/hot-partitions",
  "/clusters/{cluster}/pipelines",
  "/clusters/{cluster}/topics",
  "/clusters/{cluster}/topics/{name}",
  "/clusters/{cluster}/transactions",
  "/clusters/{cluster}/transactions/{name}",
];
const QUERY_KEYS = ["at", "from", "to", "windowMs", "status", "range", "table", "next", "x"];
const API_RUNS = 600;
const PAGE_RUNS = 150;
const LOGIN_RUNS = 150;
const FUZZ_PEER = "127.0.0.2";

/** Percent-escapes no decoder accepts or that decode to something dangerous (ASCII only: raw bytes on the wire). */
const RAW_FRAGMENTS = ["%", "%f", "%ff", "%zz", "%00", "%C0%AF", "%ED%A0%80", "%E0%A4%A", "%2e%2e", "..", "%2F", "%5C", "%0a", "%0d%0a", "%7F", "%25", "+", "~"];
const IMPOSSIBLE_VALUES = ["2026-02-31", "1", "-1", "+275760-09-13T00:00:00Z", "2026-11-30T25:00Z", "1e400", "NaN", "-5", "0", "9007199254740993", "0x10", "[object Object]", "true", "null", "24h", "7d", "all"];

const encoded = (text: string) => encodeURIComponent(text);
/** Any text, well-formed UTF-16 (a lone surrogate cannot be percent-encoded; its raw bytes are in RAW_FRAGMENTS). */
const anyText = fc.string({ unit: "grapheme", maxLength: 40 });
const controlText = fc.array(fc.integer({ min: 0, max: 0x1f }), { minLength: 1, maxLength: 8 }).map((codes) => String.fromCharCode(...codes));
const hostileValue: fc.Arbitrary<string> = fc.oneof(
  anyText.map(encoded),
  controlText.map(encoded),
  fc.constantFrom(...IMPOSSIBLE_VALUES).map(encoded),
  fc.array(fc.oneof(fc.constantFrom(...RAW_FRAGMENTS), fc.stringMatching(/^[A-Za-z0-9._-]{0,6}$/)), { minLength: 1, maxLength: 8 }).map((parts) => parts.join("")),
  fc.constantFrom("a".repeat(10_240), "%ff".repeat(3_000), encoded("\u202Eevil\u0000".repeat(1_000))),
  fc.constantFrom("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "....//", "%c0%ae%c0%ae/"),
);
/** Real names first: a route must also hold up one level deeper, where a known cluster or id gets it there. */
const clusterSegment = fc.oneof({ weight: 3, arbitrary: fc.constant(DEMO_CLUSTER) }, { weight: 2, arbitrary: hostileValue });
const nameSegment = fc.oneof(fc.constantFrom(HUNG_TXN_ID, PATHY_TXN_ID, HOSTILE_GROUP_ID, "1").map(encoded), hostileValue);
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), hostileValue), hostileValue), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}` : ""));

function requestPath(templates: string[]) {
  return fc
    .record({ template: fc.constantFrom(...templates), cluster: clusterSegment, name: nameSegment, query })
    .map(({ template, cluster, name, query: search }) => template.replace("{cluster}", cluster).replace("{name}", name) + search);
}

/** Node's HTTP server refuses a request whose line and headers pass this many bytes, before any app code runs. */
const NODE_MAX_HEADER_BYTES = 16 * 1024;

interface RawAnswer {
  /** 0 when the server reset the connection instead (see raw). */
  status: number;
  contentType: string;
  location: string | undefined;
  setCookie: string[];
  body: string;
}

/**
 * One request with the path sent byte for byte as given. Next answers `//` and `..` in a path with a redirect
 * that repeats the URL in two headers (20 kB for a 10 kB query): read headers as a browser would, not with
 * Node's 16 kB client default.
 */
function raw(
  base: string,
  method: string,
  path: string,
  { headers = {}, body, from }: { headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const options = { host: url.hostname, port: url.port, method, path, headers, localAddress: from, maxHeaderSize: 256 * 1024 };
    const request = http.request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers["content-type"] ?? ""),
          location: response.headers.location,
          setCookie: response.headers["set-cookie"] ?? [],
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      // Over the limit Node writes its 431 and destroys the socket while the rest of the request is still arriving:
      // the kernel answers that data with a reset, which can reach the client before the 431 does (a 68 kB query in
      // CI). That is the same refusal; a reset of any request under the limit is still a failure.
      const overLimit = Buffer.byteLength(`${method} ${path} HTTP/1.1\r\n`) > NODE_MAX_HEADER_BYTES;
      if (overLimit && (error.code === "ECONNRESET" || error.code === "EPIPE")) {
        resolve({ status: 0, contentType: "", location: undefined, setCookie: [], body: "" });
      } else reject(error);
    });
    request.end(body);
  });
}

/** What a leaked server error looks like: a JS stack frame or a path inside the build. */
const STACK_TRACE = /\n\s+at [^\n]+:\d+:\d+|node_modules\/|\.next-e2e\/server|webpack-internal:/;

function expectDesigned(answer: RawAnswer, path: string, api: boolean): void {
  const where = `${answer.status} ${path.slice(0, 300)}`;
  if (answer.status === 0) return; // refused by Node before the app, like a 431 (see raw)
  expect(answer.status, where).toBeGreaterThanOrEqual(200);
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.body, where).not.toMatch(STACK_TRACE);
  if (answer.status >= 300 && answer.status < 400) {
    // Path normalisation may redirect, but only to a path on this origin (`//host` would leave it).
    expect(answer.location, where).toMatch(/^\/(?![/\\])/);
  }
  // 431: over NODE_MAX_HEADER_BYTES.
  if (api && answer.status >= 400 && answer.status !== 431) {
    expect(answer.contentType, where).toContain("application/json");
    expect(typeof (JSON.parse(answer.body) as { error?: unknown }).error, where).toBe("string");
  }
}

test.describe.configure({ timeout: 300_000 });

test("every API route answers generated hostile paths and queries with a designed 4xx or a valid answer", async ({ baseURL }) => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(requestPath(API_ROUTES), async (path) => {
      const answer = await raw(baseURL!, "GET", path);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      // `..` segments can climb out of /api (to a page's not-found): the API's JSON rules hold where the path lands.
      expectDesigned(answer, path, new URL(path, baseURL).pathname.startsWith("/api/"));
    }),
    { numRuns: API_RUNS },
  );
  console.log(`API fuzz: ${API_RUNS} requests, status counts ${JSON.stringify(Object.fromEntries(statuses))}`);
  // The generator must reach the routes' own validation, not only the router's 404.
  expect(statuses.get(400) ?? 0).toBeGreaterThan(API_RUNS / 10);
  expect(statuses.get(200) ?? 0).toBeGreaterThan(API_RUNS / 20);
});

test("every page answers generated hostile paths and queries without a server error", async ({ baseURL }) => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(requestPath(PAGES), async (path) => {
      const answer = await raw(baseURL!, "GET", path);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expectDesigned(answer, path, false);
    }),
    { numRuns: PAGE_RUNS },
  );
  console.log(`page fuzz: ${PAGE_RUNS} requests, status counts ${JSON.stringify(Object.fromEntries(statuses))}`);
  expect(statuses.get(200) ?? 0).toBeGreaterThan(PAGE_RUNS / 10);
});

test("sign-in refuses generated bodies and never signs in", async ({ baseURL }) => {
  const tokenServer = `http://127.0.0.1:${authTestPorts(Number(new URL(baseURL!).port)).token}`;
  const body = fc.oneof(
    anyText,
    fc.json(),
    fc.record({ token: fc.oneof(anyText, fc.constant("a".repeat(10_240)), fc.constant(`${AUTH_TEST_TOKENS.viewer}\u0000`)) }).map((v) => JSON.stringify(v)),
    fc.record({ token: anyText, next: hostileValue }).map((v) => new URLSearchParams(v).toString()),
  );
  const contentType = fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "");
  await fc.assert(
    fc.asyncProperty(body, contentType, async (payload, type) => {
      const headers: Record<string, string> = { origin: tokenServer, ...(type ? { "content-type": type } : {}) };
      // From its own loopback address: the failed sign-ins lock out that address, not the other specs' 127.0.0.1.
      const answer = await raw(tokenServer, "POST", "/api/auth/login", { headers, body: payload, from: FUZZ_PEER });
      const where = `${answer.status} ${type} ${payload.slice(0, 200)}`;
      // A redirect back to the form is how a browser's form post is refused; it sets no session.
      expect(answer.status, where).toBe(303);
      expect(answer.setCookie, where).toEqual([]);
      expect(answer.body, where).not.toMatch(STACK_TRACE);
    }),
    { numRuns: LOGIN_RUNS },
  );
  console.log(`sign-in fuzz: ${LOGIN_RUNS} posts`);
});

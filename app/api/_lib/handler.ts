import { NextResponse } from "next/server";
import { z, ZodError, type ZodType } from "zod";
import { checkActionRequest } from "@/lib/auth/csrf";
import { AuthError } from "@/lib/auth/server";
import { RemediationFailedError, RemediationRefusedError } from "@/lib/remediation/errors";
import { UnknownClusterError } from "@/lib/store/types";
import { parseIsoInstant } from "@/lib/ui/iso-date";
import { BadRequestError, NotFoundError } from "@/lib/ui/server/errors";

// Every API route goes through `handle`: params and query are zod-parsed, and errors are mapped to JSON
// exactly once here. A client never sees a stack trace; the server log does.

export function errorResponse(error: unknown): NextResponse {
  if (error instanceof ZodError) {
    const message = error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
    return NextResponse.json({ error: message }, { status: 400 });
  }
  // A malformed percent-escape in the path or query (e.g. `%ff`) is the client's mistake.
  if (error instanceof URIError) return NextResponse.json({ error: "malformed percent-encoding in the URL" }, { status: 400 });
  if (error instanceof AuthError) return NextResponse.json({ error: error.message }, { status: error.status });
  if (error instanceof BadRequestError) return NextResponse.json({ error: error.message }, { status: 400 });
  if (error instanceof RemediationRefusedError) {
    return NextResponse.json({ error: error.message, reason: error.reason }, { status: error.status });
  }
  if (error instanceof RemediationFailedError) return NextResponse.json({ error: error.message }, { status: error.status });
  if (error instanceof NotFoundError || error instanceof UnknownClusterError) {
    return NextResponse.json({ error: error.message }, { status: 404 });
  }
  console.error("API error:", error);
  return NextResponse.json({ error: "Internal server error" }, { status: 500 });
}

const NO_STORE = { "cache-control": "no-store" };

type RouteHandler = (request: Request, context: { params?: Promise<unknown> }) => Promise<Response>;

/** Whatever the handler throws becomes its designed answer (errorResponse), never a bare 500. */
function answering(handler: RouteHandler): RouteHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

const parseParams = async <P extends ZodType>(schema: P, context: { params?: Promise<unknown> }): Promise<z.infer<P>> =>
  schema.parse((await context?.params) ?? {});

function route<P extends ZodType, Q extends ZodType, R>(
  schemas: { params: P; query: Q },
  run: (params: z.infer<P>, query: z.infer<Q>) => Promise<R>,
  respond: (result: R) => Response,
) {
  return answering(async (request, context) => {
    const params = await parseParams(schemas.params, context);
    const query = schemas.query.parse(Object.fromEntries(new URL(request.url).searchParams));
    return respond(await run(params, query));
  });
}

export function handle<P extends ZodType, Q extends ZodType>(
  schemas: { params: P; query: Q },
  run: (params: z.infer<P>, query: z.infer<Q>) => Promise<unknown>,
) {
  return route(schemas, run, (result) => NextResponse.json(result, { headers: NO_STORE }));
}

/** `handle` for a route whose body is text in its own content type (e.g. the Prometheus exposition format). */
export function handleText<P extends ZodType, Q extends ZodType>(
  schemas: { params: P; query: Q },
  run: (params: z.infer<P>, query: z.infer<Q>) => Promise<{ contentType: string; body: string }>,
) {
  return route(schemas, run, ({ contentType, body }) => new Response(body, { headers: { "content-type": contentType, ...NO_STORE } }));
}

/**
 * A state-changing action (POST): CSRF-checked (lib/auth/csrf.ts), then params and the JSON body zod-parsed;
 * errors are mapped as for `handle`.
 */
export function handleAction<P extends ZodType, B extends ZodType>(
  schemas: { params: P; body: B },
  run: (params: z.infer<P>, body: z.infer<B>) => Promise<unknown>,
) {
  return answering(async (request, context) => {
    checkActionRequest(request);
    const params = await parseParams(schemas.params, context);
    const body = schemas.body.parse(await request.json().catch(() => null));
    return NextResponse.json(await run(params, body), { headers: NO_STORE });
  });
}

/** Kafka names arrive as single path segments; the router has already decoded them. */
const name = z
  .string()
  .min(1)
  .max(512)
  // No Kafka client can send NUL in a name a store could hold (PostgreSQL text refuses it): it names nothing here.
  .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

export const clusterParams = z.object({ cluster: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "not a valid cluster name") });
export const entityParams = {
  finding: clusterParams.extend({ id: z.string().min(1).max(200) }),
  findingKey: clusterParams.extend({ key: z.string().min(1).max(200) }),
  transaction: clusterParams.extend({ transactionalId: name }),
  topic: clusterParams.extend({ topic: name }),
  group: clusterParams.extend({ group: name }),
};

const isoDate = z.string().transform((s, ctx) => {
  const instant = parseIsoInstant(s);
  if (!instant) ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date-time (e.g. 2026-11-30T03:00:00Z) of a real day" });
  return instant ?? z.NEVER;
});

export const atQuery = z.object({ at: isoDate.optional() });
export const rangeQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  windowMs: z.coerce.number().int().positive().optional(),
});
/** A topic chart: one partition's offsets (all partitions without it). */
export const topicRangeQuery = rangeQuery.extend({ partition: z.coerce.number().int().min(0).optional() });
export const emptyQuery = z.object({});
/** Metrics describe the latest poll only: Prometheus keeps the history, so `?at=` is refused rather than ignored. */
export const metricsQuery = z.object({
  at: z.undefined({ error: "time travel (?at=) does not apply to metrics: query Prometheus for past values" }).optional(),
});
export const emptyParams = z.object({});

export const capacityQuery = z.object({ range: z.enum(["24h", "7d", "30d", "90d"]).default("7d") });
/** The CSV export has one table per file: topics (one row per topic) or transactions (one row per bucket). */
export const capacityCsvQuery = capacityQuery.extend({ table: z.enum(["topics", "transactions"]).default("topics") });

/** The guarded abort: the operator types the finding's topic-partition. */
export const abortBody = z.object({ confirm: z.string().max(600) });

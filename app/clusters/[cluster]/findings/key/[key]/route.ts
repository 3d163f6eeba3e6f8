import { newestFindingWithKey } from "@/lib/ui/server/loaders";
import { paths } from "@/lib/ui/urls";
import { entityParams } from "../../../../../api/_lib/handler";

// The stable link alerts carry (docs/metrics.md): a finding key names a condition across its occurrences, so it
// lands on the newest finding with that key, open or resolved. A route handler, not a page: a page streams its
// shell before the store answers and could then only redirect or 404 inside a 200 response.

const notFound = () =>
  new Response("Not found: no finding with this key is kept for this cluster (resolved findings are kept 90 days).\n", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

export async function GET(_request: Request, context: { params: Promise<unknown> }): Promise<Response> {
  const parsed = entityParams.findingKey.safeParse(await context.params);
  if (!parsed.success) return notFound();
  const { cluster, key } = parsed.data;
  const id = await newestFindingWithKey(cluster, key);
  if (!id) return notFound();
  // A relative Location: the dashboard's own address behind a proxy is the browser's, not this server's.
  return new Response(null, { status: 307, headers: { location: paths.finding(cluster, id), "cache-control": "no-store" } });
}

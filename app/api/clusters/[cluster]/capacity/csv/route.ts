import { toCsv } from "@/lib/ui/csv";
import { capacityCsv } from "@/lib/ui/section-views";
import { loadCapacity } from "@/lib/ui/server/loaders";
import { capacityCsvQuery, clusterParams, errorResponse } from "../../../../_lib/handler";

/** Capacity summary (per topic, or transactions per bucket) as CSV for spreadsheets; cells are neutralised against formula injection. */
export async function GET(request: Request, context: { params: Promise<unknown> }): Promise<Response> {
  try {
    const { cluster } = clusterParams.parse(await context.params);
    const { range, table } = capacityCsvQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
    const { header, rows } = capacityCsv(await loadCapacity(cluster, range), table);
    return new Response(toCsv(header, rows), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="capacity-${cluster}-${range}${table === "transactions" ? "-transactions" : ""}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

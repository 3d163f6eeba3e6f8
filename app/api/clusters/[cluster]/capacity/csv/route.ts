import { toCsv } from "@/lib/ui/csv";
import { CAPACITY_CSV_HEADER, capacityCsvRows } from "@/lib/ui/section-views";
import { loadCapacity } from "@/lib/ui/server/loaders";
import { capacityQuery, clusterParams, errorResponse } from "../../../../_lib/handler";

/** Capacity summary as CSV for spreadsheets; cells are neutralised against formula injection. */
export async function GET(request: Request, context: { params: Promise<unknown> }): Promise<Response> {
  try {
    const { cluster } = clusterParams.parse(await context.params);
    const { range } = capacityQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
    const capacity = await loadCapacity(cluster, range);
    return new Response(toCsv(CAPACITY_CSV_HEADER, capacityCsvRows(capacity.rows)), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="capacity-${cluster}-${range}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

import { loadMetrics } from "@/lib/ui/server/loaders";
import { emptyParams, handleText, metricsQuery } from "../_lib/handler";

export const GET = handleText({ params: emptyParams, query: metricsQuery }, () => loadMetrics());

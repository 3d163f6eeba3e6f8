import { loadCapacity } from "@/lib/ui/server/loaders";
import { capacityQuery, clusterParams, handle } from "../../../_lib/handler";

export const GET = handle({ params: clusterParams, query: capacityQuery }, (p, q) => loadCapacity(p.cluster, q.range));

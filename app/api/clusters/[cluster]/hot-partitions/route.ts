import { loadHotPartitions } from "@/lib/ui/server/loaders";
import { atQuery, clusterParams, handle, rangeQuery } from "../../../_lib/handler";

const query = atQuery.extend({ windowMs: rangeQuery.shape.windowMs });

export const GET = handle({ params: clusterParams, query }, (p, q) => loadHotPartitions(p.cluster, q.at, q.windowMs));

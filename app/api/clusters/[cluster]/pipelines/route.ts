import { loadPipelines } from "@/lib/ui/server/loaders";
import { atQuery, clusterParams, handle } from "../../../_lib/handler";

export const GET = handle({ params: clusterParams, query: atQuery }, (p, q) => loadPipelines(p.cluster, q.at));

import { loadClusters } from "@/lib/ui/server/loaders";
import { atQuery, emptyParams, handle } from "../_lib/handler";

export const GET = handle({ params: emptyParams, query: atQuery }, (_, q) => loadClusters(q.at));

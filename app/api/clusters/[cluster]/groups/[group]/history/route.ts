import { loadGroupHistory } from "@/lib/ui/server/loaders";
import { entityParams, handle, rangeQuery } from "../../../../../_lib/handler";

export const GET = handle({ params: entityParams.group, query: rangeQuery }, (p, q) => loadGroupHistory(p.cluster, p.group, q));

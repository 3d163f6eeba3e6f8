import { loadGroup } from "@/lib/ui/server/loaders";
import { atQuery, entityParams, handle } from "../../../../_lib/handler";

export const GET = handle({ params: entityParams.group, query: atQuery }, (p, q) => loadGroup(p.cluster, p.group, q.at));

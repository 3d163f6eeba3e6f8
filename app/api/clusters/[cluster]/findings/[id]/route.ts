import { loadFinding } from "@/lib/ui/server/loaders";
import { emptyQuery, entityParams, handle } from "../../../../_lib/handler";

export const GET = handle({ params: entityParams.finding, query: emptyQuery }, (p) => loadFinding(p.cluster, p.id));

import { loadClusters } from "@/lib/ui/server/loaders";
import { emptyParams, emptyQuery, handle } from "../_lib/handler";

export const GET = handle({ params: emptyParams, query: emptyQuery }, () => loadClusters());

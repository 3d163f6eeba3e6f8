import { loadTopicHistory } from "@/lib/ui/server/loaders";
import { entityParams, handle, rangeQuery } from "../../../../../_lib/handler";

export const GET = handle({ params: entityParams.topic, query: rangeQuery }, (p, q) => loadTopicHistory(p.cluster, p.topic, q));

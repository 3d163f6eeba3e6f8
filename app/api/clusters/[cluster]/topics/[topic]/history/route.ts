import { loadTopicHistory } from "@/lib/ui/server/loaders";
import { entityParams, handle, topicRangeQuery } from "../../../../../_lib/handler";

export const GET = handle({ params: entityParams.topic, query: topicRangeQuery }, (p, q) => loadTopicHistory(p.cluster, p.topic, q));

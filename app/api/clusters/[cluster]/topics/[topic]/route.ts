import { loadTopic } from "@/lib/ui/server/loaders";
import { atQuery, entityParams, handle } from "../../../../_lib/handler";

export const GET = handle({ params: entityParams.topic, query: atQuery }, (p, q) => loadTopic(p.cluster, p.topic, q.at));

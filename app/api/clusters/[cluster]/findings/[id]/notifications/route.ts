import { loadFindingNotifications } from "@/lib/ui/server/notifications";
import { emptyQuery, entityParams, handle } from "../../../../../_lib/handler";

export const GET = handle({ params: entityParams.finding, query: emptyQuery }, (p) => loadFindingNotifications(p.cluster, p.id));

import { loadTransaction } from "@/lib/ui/server/loaders";
import { atQuery, entityParams, handle } from "../../../../_lib/handler";

export const GET = handle({ params: entityParams.transaction, query: atQuery }, (p, q) =>
  loadTransaction(p.cluster, p.transactionalId, q.at),
);

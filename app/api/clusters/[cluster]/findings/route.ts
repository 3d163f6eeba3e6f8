import { z } from "zod";
import { loadFindings } from "@/lib/ui/server/loaders";
import { atQuery, clusterParams, handle } from "../../../_lib/handler";

const query = atQuery.extend({ status: z.enum(["open", "all"]).default("open") });

export const GET = handle({ params: clusterParams, query }, (p, q) => loadFindings(p.cluster, q.at, q.status));

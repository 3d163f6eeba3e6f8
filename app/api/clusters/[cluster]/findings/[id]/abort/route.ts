import { abortFinding } from "@/lib/remediation/server";
import { abortBody, entityParams, handleAction } from "../../../../../_lib/handler";

export const dynamic = "force-dynamic";
export const POST = handleAction({ params: entityParams.finding, body: abortBody }, (p, body) => abortFinding(p.cluster, p.id, body.confirm));

import { NotFoundError } from "@/lib/ui/server/errors";
import { errorResponse } from "../_lib/handler";

// An /api path no route matches gets a JSON 404 like every other API error, not the HTML not-found page.
const noSuchEndpoint = async (): Promise<Response> => errorResponse(new NotFoundError("No such API endpoint"));

export const dynamic = "force-dynamic";
export { noSuchEndpoint as GET, noSuchEndpoint as POST, noSuchEndpoint as PUT, noSuchEndpoint as PATCH, noSuchEndpoint as DELETE };

import { ACTION_HEADER } from "./action-header";
import { AuthError } from "./server";

// Cross-site request forgery guard for state-changing API actions, on top of the SameSite=Strict session
// cookie: the request must be one a cross-site page cannot send without a CORS preflight (which this server
// never grants), i.e. a JSON body with our own header, and a browser's Origin / Sec-Fetch-Site must say
// same origin. Bearer-token clients (curl, scripts) send neither Origin nor Sec-Fetch-Site and pass.

export function checkActionRequest(request: Request): void {
  const refuse = (why: string) => {
    throw new AuthError(403, `cross-site request refused: ${why}`);
  };
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) refuse("the body must be application/json");
  if (request.headers.get(ACTION_HEADER) !== "1") refuse(`the ${ACTION_HEADER}: 1 header is missing`);
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") refuse(`Sec-Fetch-Site is ${site}`);
  const origin = request.headers.get("origin");
  if (origin !== null) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      refuse("malformed Origin");
    }
    if (originHost !== request.headers.get("host")) refuse("Origin is another site");
  }
}

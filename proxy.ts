import { NextResponse, type NextRequest } from "next/server";

// Runs before Next's router, which answers a malformed percent-escape in a dynamic segment (e.g. `%ff`) with a
// bare 500: such a path names nothing, so it is the client's mistake.
export function proxy(request: NextRequest): NextResponse {
  if (!isWellEncoded(request.nextUrl.pathname)) {
    if (request.nextUrl.pathname.startsWith("/api/")) {
      return NextResponse.json({ error: "malformed percent-encoding in the URL" }, { status: 400 });
    }
    return new NextResponse("Not found: malformed percent-encoding in the URL", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  return NextResponse.next();
}

function isWellEncoded(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

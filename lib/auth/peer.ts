import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

// Next 16's proxy (middleware) and route handlers never see the socket: NextRequest has no `ip`, and the
// x-forwarded-for Next adds is only a default that any client can preset. Node publishes every incoming
// request on the `http.server.request.start` diagnostics channel before the server's request listener (Next)
// runs, so a subscriber can stamp the real remote address into a header, overwriting whatever the client sent.

export const PEER_HEADER = "x-auditor-peer-address";

type Holder = { __auditorPeerCapture?: boolean };

/** Call once per process before requests are served (instrumentation.ts). */
export function installPeerCapture(): void {
  const holder = globalThis as Holder;
  if (holder.__auditorPeerCapture) return;
  holder.__auditorPeerCapture = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = socket.remoteAddress ?? "";
  });
}

/** The connection's remote address, or null when it is unknown (capture not installed: trust nothing). */
export function peerAddress(headers: { get(name: string): string | null }): string | null {
  if (!(globalThis as Holder).__auditorPeerCapture) return null;
  return headers.get(PEER_HEADER) || null;
}

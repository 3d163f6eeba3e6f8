// A webhook receiver for tests: a real HTTP server on 127.0.0.1 that records every request and answers as the
// test says (a status, or no answer at all).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  receivedAt: number;
  /** The status answered; null while (or if never) answered. */
  status: number | null;
}

export type ReceiverAnswer = { status: number; body?: string; headers?: Record<string, string> } | "hang";

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Decides each answer; the default accepts everything with 200. */
  answer: (request: ReceivedRequest, index: number) => ReceiverAnswer;
  /** Requests left unanswered so far. */
  hanging(): number;
  /** Bodies of the requests answered 2xx. */
  accepted(): unknown[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = "/hook"): Promise<WebhookReceiver> {
  const sockets = new Set<Socket>();
  const held: ServerResponse[] = [];
  const receiver: WebhookReceiver = {
    url: "",
    requests: [],
    answer: () => ({ status: 200, body: "ok" }),
    hanging: () => held.filter((r) => !r.writableEnded && !r.destroyed).length,
    accepted: () => receiver.requests.filter((r) => r.status !== null && r.status >= 200 && r.status < 300).map((r) => r.body),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      const request: ReceivedRequest = { path: req.url ?? "", headers: req.headers, body, receivedAt: Date.now(), status: null };
      receiver.requests.push(request);
      const answer = receiver.answer(request, receiver.requests.length - 1);
      if (answer === "hang") {
        held.push(res);
        return;
      }
      request.status = answer.status;
      res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
      res.end(answer.body ?? "");
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}

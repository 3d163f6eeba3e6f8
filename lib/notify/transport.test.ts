import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freeLoopbackPort } from "../../scripts/ports";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";
import { postWebhook, WebhookError, WebhookHttpError, WebhookNetworkError, WebhookTimeoutError } from "./transport";

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver("/services/T0/B0/secret-part");
});
afterEach(async () => {
  await receiver.close();
});

const request = (timeoutMs = 5000) => ({ url: receiver.url, body: { hello: "world" }, idempotencyKey: "abc.opened.critical", timeoutMs });

async function failure(promise: Promise<unknown>): Promise<WebhookError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookError);
    // The URL (a secret for Slack) is never part of an error.
    expect((error as Error).message).not.toContain("secret-part");
    return error as WebhookError;
  }
  throw new Error("expected a WebhookError");
}

describe("postWebhook", () => {
  it("POSTs the JSON body with the idempotency key", async () => {
    await postWebhook(request());
    expect(receiver.requests).toHaveLength(1);
    const [received] = receiver.requests;
    expect(received.path).toBe("/services/T0/B0/secret-part");
    expect(received.body).toEqual({ hello: "world" });
    expect(received.headers["content-type"]).toBe("application/json");
    expect(received.headers["idempotency-key"]).toBe("abc.opened.critical");
  });

  it("a 5xx, 429 or 408 answer is worth retrying, other 4xx and 3xx are not", async () => {
    receiver.answer = () => ({ status: 500, body: "database\n  down" });
    const server = await failure(postWebhook(request()));
    expect(server).toBeInstanceOf(WebhookHttpError);
    expect(server).toMatchObject({ status: 500, retryable: true, message: "HTTP 500: database down", retryAfterMs: null });

    receiver.answer = () => ({ status: 429, headers: { "retry-after": "7" } });
    expect(await failure(postWebhook(request()))).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 });
    receiver.answer = () => ({ status: 408 });
    expect(await failure(postWebhook(request()))).toMatchObject({ retryable: true });

    receiver.answer = () => ({ status: 404, body: "no_service" });
    expect(await failure(postWebhook(request()))).toMatchObject({ status: 404, retryable: false, message: "HTTP 404: no_service" });
    receiver.answer = () => ({ status: 302, headers: { location: "http://127.0.0.1:1/elsewhere" } });
    expect(await failure(postWebhook(request()))).toMatchObject({ status: 302, retryable: false });
    expect(receiver.requests).toHaveLength(5);
  });

  it("gives up on a receiver that does not answer within the timeout", async () => {
    receiver.answer = () => "hang";
    const started = performance.now();
    const error = await failure(postWebhook(request(300)));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(WebhookTimeoutError);
    expect(error.retryable).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(5000);
  });

  it("a closed port is a retryable network error", async () => {
    const port = await freeLoopbackPort();
    const error = await failure(postWebhook({ ...request(), url: `http://127.0.0.1:${port}/services/T0/B0/secret-part` }));
    expect(error).toBeInstanceOf(WebhookNetworkError);
    expect(error).toMatchObject({ retryable: true, message: "network error: ECONNREFUSED" });
  });
});

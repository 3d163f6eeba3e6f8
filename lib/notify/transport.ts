// A thin HTTP POST for webhooks: JSON in, success or a typed error out. Error messages never contain the URL
// (a Slack webhook URL is a secret); they name the status, the timeout or the network error code.

export class WebhookError extends Error {
  constructor(
    message: string,
    /** Worth another attempt: timeouts, network errors, 408/425/429 and 5xx answers. */
    readonly retryable: boolean,
    /** The receiver's Retry-After, when it sent one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "WebhookError";
  }
}

export class WebhookHttpError extends WebhookError {
  constructor(readonly status: number, detail: string, retryAfterMs: number | null) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ""}`, status === 408 || status === 425 || status === 429 || status >= 500, retryAfterMs);
    this.name = "WebhookHttpError";
  }
}

export class WebhookTimeoutError extends WebhookError {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`, true);
    this.name = "WebhookTimeoutError";
  }
}

export class WebhookNetworkError extends WebhookError {
  constructor(code: string) {
    super(`network error: ${code}`, true);
    this.name = "WebhookNetworkError";
  }
}

export interface WebhookRequest {
  url: string;
  body: unknown;
  /** Sent as the Idempotency-Key header. */
  idempotencyKey: string;
  timeoutMs: number;
}

/** Delivers one request; throws a WebhookError unless the receiver answered 2xx. */
export type WebhookSender = (request: WebhookRequest) => Promise<void>;

const MAX_DETAIL_CHARS = 200;

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  if (typeof cause?.code === "string") return cause.code;
  return (error as Error)?.name ?? "unknown";
}

export const postWebhook: WebhookSender = async ({ url, body, idempotencyKey, timeoutMs }) => {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": idempotencyKey, "user-agent": "kafka-eos-auditor" },
      body: JSON.stringify(body),
      // A redirect would resend the body somewhere the configuration does not name.
      redirect: "manual",
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw new WebhookTimeoutError(timeoutMs);
    throw new WebhookNetworkError(networkCode(error));
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    if (signal.aborted) throw new WebhookTimeoutError(timeoutMs);
    text = "";
  }
  if (response.status >= 200 && response.status < 300) return;
  const detail = text.replace(/\s+/g, " ").trim().slice(0, MAX_DETAIL_CHARS);
  throw new WebhookHttpError(response.status, detail, retryAfterMs(response.headers.get("retry-after")));
};

import type { PhaseError, PhaseName, PollPhase } from "@/lib/snapshot/types";
import { KafkaProtocolError, TrafficMeter, UnsupportedApiError } from "../protocol";

/** Records one poll phase: duration, traffic and every error, without ever letting an error escape. */
export class PhaseContext {
  readonly meter = new TrafficMeter();
  readonly errors: PhaseError[] = [];
  unsupported = false;

  fail(brokerId: number | null, error: unknown): void {
    if (error instanceof UnsupportedApiError) this.unsupported = true;
    this.errors.push({ brokerId, code: errorCode(error), message: errorMessage(error) });
  }
}

export async function runPhase<T>(
  phases: PollPhase[],
  name: PhaseName,
  now: () => number,
  body: (ctx: PhaseContext) => Promise<T>,
): Promise<T | undefined> {
  const ctx = new PhaseContext();
  const startedAt = now();
  let result: T | undefined;
  try {
    result = await body(ctx);
  } catch (error) {
    ctx.fail(null, error);
  }
  phases.push({
    name,
    startedAt,
    durationMs: now() - startedAt,
    requests: ctx.meter.requests,
    bytesSent: ctx.meter.bytesSent,
    bytesReceived: ctx.meter.bytesReceived,
    errors: ctx.errors,
    unsupported: ctx.unsupported,
  });
  return result;
}

/** Kafka's error name when there is one, else a transport class: TIMEOUT, CONNECTION, UNSUPPORTED, ERROR. */
export function errorCode(error: unknown): string {
  if (error instanceof KafkaProtocolError) return error.errorName;
  if (error instanceof UnsupportedApiError) return "UNSUPPORTED_VERSION";
  const e = error as { name?: string; type?: string };
  if (e?.name === "KafkaJSProtocolError" && e.type) return e.type;
  if (e?.name === "KafkaJSRequestTimeoutError") return "TIMEOUT";
  if (e?.name === "KafkaJSConnectionError" || e?.name === "KafkaJSConnectionClosedError") return "CONNECTION";
  if (e?.name === "KafkaJSNumberOfRetriesExceeded" || e?.name === "KafkaJSBrokerNotFound") return "CONNECTION";
  return "ERROR";
}

function errorMessage(error: unknown): string {
  const e = error as { message?: string; originalError?: { message?: string } };
  const cause = e?.originalError?.message;
  return cause && cause !== e.message ? `${e.message} (${cause})` : (e?.message ?? String(error));
}

/** Errors worth one retry after a metadata refresh: moved leaders or coordinators, loading, transport. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof KafkaProtocolError) return error.retriable || error.invalidMetadata;
  if (error instanceof UnsupportedApiError) return false;
  const code = errorCode(error);
  return code === "TIMEOUT" || code === "CONNECTION" || (error as { retriable?: boolean })?.retriable === true;
}

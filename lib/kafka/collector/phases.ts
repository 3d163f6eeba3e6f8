import type { PhaseError, PhaseName, PollPhase } from "@/lib/snapshot/types";
import { KafkaProtocolError, TrafficMeter, UnsupportedApiError } from "../protocol";
import { missingAclText, requiredAcl } from "./acls";

/** Records one poll phase: duration, traffic and every error, without ever letting an error escape. */
export class PhaseContext {
  readonly meter = new TrafficMeter();
  readonly errors: PhaseError[] = [];
  unsupported = false;

  constructor(readonly phase: PhaseName) {}

  fail(brokerId: number | null, error: unknown): void {
    if (error instanceof UnsupportedApiError) this.unsupported = true;
    const code = errorCode(error);
    const acl = requiredAcl(this.phase, code);
    const message = errorMessage(error);
    this.errors.push({ brokerId, code, message: acl ? `${message} — ${missingAclText(acl)}` : message });
  }
}

export async function runPhase<T>(
  phases: PollPhase[],
  name: PhaseName,
  now: () => number,
  body: (ctx: PhaseContext) => Promise<T>,
): Promise<T | undefined> {
  const ctx = new PhaseContext(name);
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

// Node's TLS failures (error.code of the socket error kafkajs wraps), each with what it means for whoever fixes it.
const TLS_FAILURES: { test: RegExp; meaning: string }[] = [
  { test: /^CERT_HAS_EXPIRED$/, meaning: "the broker's certificate has expired" },
  { test: /^CERT_NOT_YET_VALID$/, meaning: "the broker's certificate is not valid yet" },
  {
    test: /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?)$/,
    meaning: "the broker's certificate is not signed by a trusted CA (check security.tls.ca)",
  },
  { test: /^ERR_TLS_CERT_ALTNAME_INVALID$/, meaning: "the broker's certificate does not name this host (check security.tls.servername)" },
  {
    test: /^ERR_SSL_(SSLV3_ALERT_BAD_CERTIFICATE|TLSV13_ALERT_CERTIFICATE_REQUIRED|TLSV1_ALERT_UNKNOWN_CA|SSLV3_ALERT_CERTIFICATE_UNKNOWN)$/,
    meaning: "the broker rejected the client certificate: none was sent or the broker does not trust it (check security.tls.cert/key)",
  },
  { test: /^(ERR_SSL_WRONG_VERSION_NUMBER|ECONNRESET_TLS)$/, meaning: "the listener does not speak TLS" },
];

/** Node's error code of a kafkajs connection failure, tagged when it happened before the TLS handshake finished. */
function socketErrorCode(error: unknown): string | undefined {
  const e = error as { name?: string; code?: string; message?: string; cause?: unknown };
  if (e?.name === "KafkaJSNumberOfRetriesExceeded" && e.cause) return socketErrorCode(e.cause);
  if (e?.name !== "KafkaJSConnectionError") return undefined;
  // Node's code for a socket closed mid-handshake is a bare ECONNRESET; its message is what tells them apart.
  if (e.code === "ECONNRESET" && /before secure TLS connection/.test(e.message ?? "")) return "ECONNRESET_TLS";
  return e.code;
}

function tlsFailure(error: unknown): string | undefined {
  const code = socketErrorCode(error);
  return code === undefined ? undefined : TLS_FAILURES.find((f) => f.test.test(code))?.meaning;
}

/**
 * Kafka's error name when there is one, else a class: AUTHENTICATION (SASL), TLS, TIMEOUT, CONNECTION,
 * UNSUPPORTED_VERSION, ERROR.
 */
export function errorCode(error: unknown): string {
  if (error instanceof KafkaProtocolError) return error.errorName;
  if (error instanceof UnsupportedApiError) return "UNSUPPORTED_VERSION";
  const e = error as { name?: string; type?: string };
  if (e?.name === "KafkaJSSASLAuthenticationError") return "AUTHENTICATION";
  if (tlsFailure(error)) return "TLS";
  if (e?.name === "KafkaJSProtocolError" && e.type) return e.type;
  if (e?.name === "KafkaJSRequestTimeoutError") return "TIMEOUT";
  if (e?.name === "KafkaJSConnectionError" || e?.name === "KafkaJSConnectionClosedError") return "CONNECTION";
  if (e?.name === "KafkaJSNumberOfRetriesExceeded" || e?.name === "KafkaJSBrokerNotFound") return "CONNECTION";
  return "ERROR";
}

function errorMessage(error: unknown): string {
  const e = error as { message?: string; originalError?: { message?: string } };
  const cause = e?.originalError?.message;
  const message = cause && cause !== e.message ? `${e.message} (${cause})` : (e?.message ?? String(error));
  const tls = tlsFailure(error);
  // OpenSSL's own text for an alert is a one-line dump of internals: the meaning says it better.
  return tls ? `TLS handshake failed: ${tls}${/SSL routines/.test(message) ? "" : ` (${message})`}` : message;
}

/** Errors worth one retry after a metadata refresh: moved leaders or coordinators, loading, transport. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof KafkaProtocolError) return error.retriable || error.invalidMetadata;
  if (error instanceof UnsupportedApiError) return false;
  const code = errorCode(error);
  // Credentials and certificates do not get better within a poll (kafkajs marks these connection errors retriable).
  if (code === "AUTHENTICATION" || code === "TLS") return false;
  return code === "TIMEOUT" || code === "CONNECTION" || (error as { retriable?: boolean })?.retriable === true;
}

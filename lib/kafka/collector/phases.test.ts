import * as kafkajs from "kafkajs";
import { describe, expect, it } from "vitest";
import type { PollPhase } from "@/lib/snapshot/types";
import { KafkaProtocolError } from "../protocol";
import { errorCode, isRetriable, PhaseContext, runPhase } from "./phases";

// Error shapes as kafkajs 2.2.4 raises them on a real broker (see e2e/integration/security.test.ts). Its type
// declarations omit the closed-connection class and the SASL error's message argument.
const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } = kafkajs;
type ErrorClass = new (message: string) => Error;
const KafkaJSSASLAuthenticationError = kafkajs.KafkaJSSASLAuthenticationError as unknown as ErrorClass;
const KafkaJSConnectionClosedError = (kafkajs as unknown as Record<string, ErrorClass>).KafkaJSConnectionClosedError;
const tls = (code: string, message: string) => new KafkaJSConnectionError(`Connection error: ${message}`, { broker: "h:1", code });

async function phaseError(error: unknown) {
  const phases: PollPhase[] = [];
  await runPhase(phases, "metadata", () => 0, async () => {
    throw error;
  });
  return phases[0].errors[0];
}

describe("poll error classification", () => {
  it("names SASL failures AUTHENTICATION and does not retry them", async () => {
    const error = new KafkaJSSASLAuthenticationError(
      "SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256",
    );
    expect(errorCode(error)).toBe("AUTHENTICATION");
    expect(isRetriable(error)).toBe(false);
    expect((await phaseError(error)).message).toBe(error.message);
  });

  it.each([
    ["CERT_HAS_EXPIRED", "certificate has expired", "TLS handshake failed: the broker's certificate has expired (Connection error: certificate has expired)"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate", "TLS handshake failed: the broker's certificate is not signed by a trusted CA (check security.tls.ca) (Connection error: unable to verify the first certificate)"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames", "TLS handshake failed: the broker's certificate does not name this host (check security.tls.servername) (Connection error: Hostname/IP does not match certificate's altnames)"],
    ["ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE", "805C82CC3C7F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate", "TLS handshake failed: the broker rejected the client certificate: none was sent or the broker does not trust it (check security.tls.cert/key)"],
    ["ECONNRESET", "Client network socket disconnected before secure TLS connection was established", "TLS handshake failed: the listener does not speak TLS (Connection error: Client network socket disconnected before secure TLS connection was established)"],
  ])("names the TLS failure %s and says what it means", async (code, message, expected) => {
    const error = tls(code, message);
    expect(errorCode(error)).toBe("TLS");
    expect(isRetriable(error)).toBe(false);
    expect(await phaseError(error)).toEqual({ brokerId: null, code: "TLS", message: expected });
    // kafkajs wraps the last attempt's error when its own retries run out.
    expect(errorCode(new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 1, retryTime: 100 }))).toBe("TLS");
  });

  it("keeps plain connection failures retriable CONNECTION errors", () => {
    const refused = new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" });
    const reset = new KafkaJSConnectionError("Connection error: read ECONNRESET", { code: "ECONNRESET" });
    for (const error of [refused, reset, new KafkaJSConnectionClosedError("Closed connection")]) {
      expect(errorCode(error)).toBe("CONNECTION");
      expect(isRetriable(error)).toBe(true);
    }
  });
});

describe("authorization errors name the missing ACL", () => {
  const failed = (phase: PollPhase["name"], code: number, context: string) => {
    const ctx = new PhaseContext(phase);
    ctx.fail(1, new KafkaProtocolError(code, context));
    return ctx.errors[0];
  };

  it("per phase and resource: the operation that phase's request needs", () => {
    expect(failed("transactions", 53, "DescribeTransactions tx").message).toContain("missing ACL: Describe on TransactionalId");
    expect(failed("groups", 30, "DescribeGroups g").message).toContain("missing ACL: Describe on Group");
    expect(failed("logDirs", 31, "DescribeLogDirs").message).toContain("missing ACL: Describe on Cluster");
    expect(failed("configs", 31, "DescribeConfigs broker 1").message).toContain("missing ACL: DescribeConfigs on Cluster");
    expect(failed("configs", 29, "DescribeConfigs orders").message).toContain("missing ACL: DescribeConfigs on Topic");
    expect(failed("producers", 29, "DescribeProducers orders-0")).toMatchObject({
      code: "TOPIC_AUTHORIZATION_FAILED",
      message: expect.stringMatching(/^DescribeProducers orders-0: TOPIC_AUTHORIZATION_FAILED: .* — missing ACL: Read on Topic .*--operation Read --topic '\*'/),
    });
  });

  it("other errors stay as Kafka says them", () => {
    expect(failed("groups", 16, "DescribeGroups g").message).not.toContain("ACL");
  });
});

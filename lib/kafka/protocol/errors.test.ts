import { describe, expect, it } from "vitest";
import { allKafkaErrors, KafkaProtocolError, kafkaError, kafkaErrorByName, throwIfError } from "./errors";

describe("Kafka error table", () => {
  it.each([
    [-1, "UNKNOWN_SERVER_ERROR", false],
    [0, "NONE", false],
    [3, "UNKNOWN_TOPIC_OR_PARTITION", true],
    [6, "NOT_LEADER_OR_FOLLOWER", true],
    [14, "COORDINATOR_LOAD_IN_PROGRESS", true],
    [15, "COORDINATOR_NOT_AVAILABLE", true],
    [16, "NOT_COORDINATOR", true],
    [35, "UNSUPPORTED_VERSION", false],
    [47, "INVALID_PRODUCER_EPOCH", false],
    [48, "INVALID_TXN_STATE", false],
    [51, "CONCURRENT_TRANSACTIONS", true],
    [88, "UNSTABLE_OFFSET_COMMIT", true],
    [90, "PRODUCER_FENCED", false],
    [105, "TRANSACTIONAL_ID_NOT_FOUND", false],
    [136, "CONTROLLER_ID_NOT_REGISTERED", false],
  ])("code %i is %s (retriable %s)", (code, name, retriable) => {
    const info = kafkaError(code);
    expect(info.name).toBe(name);
    expect(info.retriable).toBe(retriable);
    expect(info.message.length).toBeGreaterThan(0);
    expect(kafkaErrorByName(name)?.code).toBe(code);
  });

  it("flags metadata errors that call for a refresh", () => {
    expect(kafkaError(6).invalidMetadata).toBe(true);
    expect(kafkaError(16).invalidMetadata).toBe(false);
  });

  it("covers every code from -1 to the newest without gaps or duplicate names", () => {
    const codes = allKafkaErrors().map((e) => e.code);
    expect(codes).toEqual(Array.from({ length: codes.length }, (_, i) => i - 1));
    expect(codes.at(-1)).toBeGreaterThanOrEqual(136);
    expect(new Set(allKafkaErrors().map((e) => e.name)).size).toBe(codes.length);
  });

  it("names codes newer than the table instead of failing", () => {
    expect(kafkaError(9999)).toMatchObject({ code: 9999, name: "UNKNOWN_ERROR_9999", retriable: false });
  });
});

describe("KafkaProtocolError", () => {
  it("carries code, Kafka name and retriability", () => {
    const error = new KafkaProtocolError(16, "DescribeTransactions txn-a");
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "KafkaProtocolError", code: 16, errorName: "NOT_COORDINATOR", retriable: true });
    expect(error.message).toBe("DescribeTransactions txn-a: NOT_COORDINATOR: This is not the correct coordinator.");
  });

  it("prefers the broker's own error message", () => {
    expect(new KafkaProtocolError(3, undefined, "topic t is gone").message).toBe("UNKNOWN_TOPIC_OR_PARTITION: topic t is gone");
  });

  it("throwIfError throws only for non-zero codes", () => {
    expect(() => throwIfError(0)).not.toThrow();
    expect(() => throwIfError(105, "txn x")).toThrow(KafkaProtocolError);
  });
});

import { describe, expect, it } from "vitest";
import { coordinatorPartition, javaStringHashCode, kafkaAbs } from "./java-hash";

// Expected values printed by jshell (`"...".hashCode()` and Kafka's Utils.abs(h) % 50) on this machine.
describe("javaStringHashCode", () => {
  it.each([
    ["abc", 96354],
    ["", 0],
    ["my-app-txn", 718159261],
    ["orders-processor", 633927594],
    ["polygenelubricants", -2147483648],
    ["héllo-€", 289801325],
    ["😀group", -1231696132],
    ["transfer-app-0_1", -1917634988],
  ])("hashes %j like Java", (input, expected) => {
    expect(javaStringHashCode(input)).toBe(expected);
  });
});

describe("kafkaAbs", () => {
  it("maps Integer.MIN_VALUE to 0 and is Math.abs otherwise", () => {
    expect(kafkaAbs(-2147483648)).toBe(0);
    expect(kafkaAbs(-5)).toBe(5);
    expect(kafkaAbs(7)).toBe(7);
  });
});

describe("coordinatorPartition", () => {
  it.each([
    ["abc", 4],
    ["my-app-txn", 11],
    ["orders-processor", 44],
    ["polygenelubricants", 0],
    ["GydZG_", 0],
    ["payments-group", 3],
    ["eos-consumer", 16],
    ["héllo-€", 25],
    // Negative hashes: Utils.abs differs from `h & 0x7fffffff` (which would give 16 and 10).
    ["😀group", 32],
    ["transfer-app-0_1", 38],
  ])("places %j on partition %i of 50", (id, expected) => {
    expect(coordinatorPartition(id, 50)).toBe(expected);
  });

  it("rejects a non-positive partition count", () => {
    expect(() => coordinatorPartition("x", 0)).toThrow(RangeError);
  });
});

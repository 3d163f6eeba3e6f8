import { describe, expect, it } from "vitest";
import { decodeMemberAssignment } from "./kafkajsBrokerApis";
import { hex, utf8Hex } from "./testBytes";

describe("decodeMemberAssignment", () => {
  it("flattens topics and partitions of a ConsumerProtocolAssignment, ignoring user data", () => {
    const bytes = hex(
      "0001", // version 1
      "00000002",
      "0001", utf8Hex("a"), "00000002 00000000 00000003",
      "0001", utf8Hex("b"), "00000000",
      "00000002 abcd", // user data
    );
    expect(decodeMemberAssignment(bytes)).toEqual([
      { topic: "a", partition: 0 },
      { topic: "a", partition: 3 },
    ]);
  });

  it("treats missing bytes as no assignment", () => {
    expect(decodeMemberAssignment(null)).toEqual([]);
    expect(decodeMemberAssignment(Buffer.alloc(0))).toEqual([]);
  });
});

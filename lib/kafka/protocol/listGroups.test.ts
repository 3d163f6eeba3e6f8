import { describe, expect, it } from "vitest";
import { decodeListGroupsResponse, encodeListGroupsRequest } from "./listGroups";
import { hex, utf8Hex } from "./testBytes";

describe("ListGroups request", () => {
  it("v5: states and types filters (empty = all), flexible", () => {
    expect(encodeListGroupsRequest(5)).toEqual(hex("00", "01", "01", "00"));
    expect(encodeListGroupsRequest(5, { statesFilter: ["Stable"], typesFilter: ["consumer", "share"] })).toEqual(
      hex("00", "02", "07", utf8Hex("Stable"), "03", "09", utf8Hex("consumer"), "06", utf8Hex("share"), "00"),
    );
  });

  it("v4 has no types filter; v3 no filter at all; v0-2 an empty body", () => {
    expect(encodeListGroupsRequest(4, { typesFilter: ["share"] })).toEqual(hex("00", "01", "00"));
    expect(encodeListGroupsRequest(3)).toEqual(hex("00", "00"));
    expect(encodeListGroupsRequest(2)).toEqual(hex(""));
  });
});

describe("ListGroups response", () => {
  it("v5: state and type per group", () => {
    const payload = hex(
      "00", "00000000", "0000",
      "03",
      "03", utf8Hex("g1"), "09", utf8Hex("consumer"), "07", utf8Hex("Stable"), "09", utf8Hex("consumer"), "00",
      "03", utf8Hex("s1"), "06", utf8Hex("share"), "06", utf8Hex("Empty"), "06", utf8Hex("share"), "00",
      "00",
    );
    expect(decodeListGroupsResponse(5, payload)).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [
        { groupId: "g1", protocolType: "consumer", groupState: "Stable", groupType: "consumer" },
        { groupId: "s1", protocolType: "share", groupState: "Empty", groupType: "share" },
      ],
    });
  });

  it("v4: state but no type", () => {
    const payload = hex("00", "00000005", "0000", "02", "03", utf8Hex("g1"), "01", "06", utf8Hex("Empty"), "00", "00");
    expect(decodeListGroupsResponse(4, payload).groups).toEqual([{ groupId: "g1", protocolType: "", groupState: "Empty", groupType: null }]);
  });

  it("v0: classic strings and arrays, no throttle time", () => {
    const payload = hex("000f", "00000001", "0002", utf8Hex("g1"), "0007", utf8Hex("connect"));
    expect(decodeListGroupsResponse(0, payload)).toEqual({
      throttleTimeMs: 0,
      errorCode: 15,
      groups: [{ groupId: "g1", protocolType: "connect", groupState: null, groupType: null }],
    });
  });
});

import { describe, expect, it } from "vitest";
import { decodeApiVersionsResponse, encodeApiVersionsRequest } from "./apiVersions";
import { hex, utf8Hex } from "./testBytes";

describe("ApiVersions request", () => {
  it("v3: client software name and version as compact strings", () => {
    expect(encodeApiVersionsRequest(3, { clientSoftwareName: "a", clientSoftwareVersion: "1.0" })).toEqual(
      hex("00", "02", utf8Hex("a"), "04", utf8Hex("1.0"), "00"),
    );
  });
});

describe("ApiVersions response", () => {
  it("v3: no header tags; reads API ranges and the feature tagged fields, skipping unknown tags", () => {
    const supported = hex("02", "11", utf8Hex("metadata.version"), "0001", "0019", "00").toString("hex");
    const finalized = hex(
      "03",
      "14", utf8Hex("transaction.version"), "0002", "0002", "00", // max 2, min 2
      "11", utf8Hex("metadata.version"), "0016", "0001", "00", // max 22, min 1
    ).toString("hex");
    const tag = (n: number, body: string) => n.toString(16).padStart(2, "0") + (body.length / 2).toString(16).padStart(2, "0") + body;
    const payload = hex(
      "0000", // error code, directly: ApiVersions responses keep header v0
      "03", "0002 0001 000b 00", "003d 0000 0000 00",
      "00000000",
      "04", tag(0, supported), tag(1, "000000000000002a"), tag(2, finalized), tag(3, "01"),
    );
    expect(decodeApiVersionsResponse(3, payload)).toEqual({
      errorCode: 0,
      apiVersions: { 2: { minVersion: 1, maxVersion: 11 }, 61: { minVersion: 0, maxVersion: 0 } },
      throttleTimeMs: 0,
      supportedFeatures: { "metadata.version": { minVersion: 1, maxVersion: 25 } },
      finalizedFeaturesEpoch: 42,
      finalizedFeatures: {
        "transaction.version": { minVersion: 2, maxVersion: 2 },
        "metadata.version": { minVersion: 1, maxVersion: 22 },
      },
    });
  });

  it("without feature tags: empty features and epoch -1", () => {
    const payload = hex("0000", "01", "00000000", "00");
    expect(decodeApiVersionsResponse(4, payload)).toMatchObject({ finalizedFeatures: {}, finalizedFeaturesEpoch: -1, apiVersions: {} });
  });
});

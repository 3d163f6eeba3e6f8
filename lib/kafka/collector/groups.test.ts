import { describe, expect, it } from "vitest";
import { UnsupportedApiError, type ProtocolClient } from "../protocol";
import { auditedGroupType, collectGroups } from "./groups";
import { PhaseContext } from "./phases";

describe("auditedGroupType", () => {
  it("ListGroups v5: the broker's type; classic groups only when they are consumers", () => {
    expect(auditedGroupType({ groupType: "consumer", protocolType: "consumer" })).toBe("consumer");
    expect(auditedGroupType({ groupType: "share", protocolType: "share" })).toBe("share");
    expect(auditedGroupType({ groupType: "streams", protocolType: "streams" })).toBe("streams");
    expect(auditedGroupType({ groupType: "classic", protocolType: "consumer" })).toBe("classic");
    expect(auditedGroupType({ groupType: "classic", protocolType: "" })).toBe("classic"); // offset-only (Flink, Spark)
    expect(auditedGroupType({ groupType: "classic", protocolType: "connect" })).toBeNull();
    expect(auditedGroupType({ groupType: "Consumer", protocolType: "consumer" })).toBe("consumer");
    expect(auditedGroupType({ groupType: "future-type", protocolType: "x" })).toBeNull();
  });

  it("older ListGroups: classic unless the protocol type names another type", () => {
    expect(auditedGroupType({ groupType: null, protocolType: "consumer" })).toBe("classic");
    expect(auditedGroupType({ groupType: null, protocolType: "share" })).toBe("share");
    expect(auditedGroupType({ groupType: null, protocolType: "connect" })).toBeNull();
  });
});

describe("collectGroups on a broker without a type's describe API", () => {
  it("keeps the listed groups with their listed state and marks the phase unsupported", async () => {
    const calls: string[] = [];
    // A 4.0-like broker: lists a share group but speaks only ShareGroupDescribe v0, which we do not implement.
    const client = {
      async call(nodeId: number, api: { apiName: string }) {
        calls.push(api.apiName);
        if (api.apiName === "ListGroups") {
          return {
            version: 5,
            response: { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: "s", protocolType: "share", groupState: "Stable", groupType: "share" }] },
          };
        }
        throw new UnsupportedApiError(api.apiName, nodeId);
      },
    } as unknown as ProtocolClient;
    const ctx = new PhaseContext("groups");
    const groups = await collectGroups(client, ctx, [1]);
    expect(groups).toEqual([{ groupId: "s", type: "share", state: "Stable", protocolType: "share", protocol: "", coordinatorId: 1, members: [], offsets: [] }]);
    expect(calls).toEqual(["ListGroups", "ShareGroupDescribe"]);
    expect(ctx.unsupported).toBe(true);
    expect(ctx.errors.map((e) => e.code)).toEqual(["UNSUPPORTED_VERSION"]);
  });
});

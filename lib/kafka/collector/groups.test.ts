import { describe, expect, it } from "vitest";
import { auditedGroupType } from "./groups";

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

import { describe, expect, it } from "vitest";
import type { ConsumerGroupState } from "@/lib/snapshot/types";
import { KafkaProtocolError, UnsupportedApiError, type OffsetFetchPartition, type OffsetFetchTopic, type ProtocolClient } from "../protocol";
import { attachGroupOffsets, auditedGroupType, collectGroupOffsets, collectGroups, committedOffsets, GroupListings, type CoordinatorOffsets } from "./groups";
import { Coordinators } from "./coordinators";
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
    const groups = await collectGroups(client, ctx, [1], new Coordinators([]));
    expect(groups).toEqual([{ groupId: "s", type: "share", state: "Stable", protocolType: "share", protocol: "", coordinatorId: 1, members: [], offsets: [] }]);
    expect(calls).toEqual(["ListGroups", "ShareGroupDescribe"]);
    expect(ctx.unsupported).toBe(true);
    expect(ctx.errors.map((e) => e.code)).toEqual(["UNSUPPORTED_VERSION"]);
  });
});

describe("committedOffsets", () => {
  const partition = (p: number, committedOffset = 10 + p, errorCode = 0): OffsetFetchPartition => ({
    partition: p,
    committedOffset,
    committedLeaderEpoch: 0,
    metadata: "",
    errorCode,
  });
  const byName = (name: string, partitions: OffsetFetchPartition[]): OffsetFetchTopic => ({ name, topicId: null, partitions });
  const byId = (topicId: string, partitions: OffsetFetchPartition[]): OffsetFetchTopic => ({ name: null, topicId, partitions });

  it("orders offsets as sorting them all by topic, then partition, would; drops errors, unset and unnamed ones", () => {
    const names = new Map([
      ["id-old", "orders"],
      ["id-new", "orders"],
      ["id-b", "B-topic"],
    ]);
    const answer = [
      byName("payments", [partition(3), partition(0), partition(2, -1), partition(1, 5, 3)]),
      byId("id-new", [partition(4), partition(0)]),
      byId("id-gone", [partition(0)]),
      byId("id-b", [partition(0), partition(1)]),
      byId("id-old", [partition(2)]),
      byName("a.topic", [partition(0)]),
    ];
    const reference = answer
      .flatMap((t) => {
        const topic = t.name ?? names.get(t.topicId);
        if (topic === undefined) return [];
        return t.partitions
          .filter((p) => p.errorCode === 0 && p.committedOffset >= 0)
          .map((p) => ({ topic, partition: p.partition, offset: p.committedOffset, metadata: p.metadata }));
      })
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const offsets = committedOffsets(answer, names);
    expect(offsets).toEqual(reference);
    expect(offsets.map((o) => `${o.topic}-${o.partition}`)).toEqual([
      "a.topic-0",
      "B-topic-0",
      "B-topic-1",
      "orders-0",
      "orders-2",
      "orders-4",
      "payments-0",
      "payments-3",
    ]);
  });
});

describe("group offsets asked beside the describes", () => {
  const listGroups = {
    version: 5,
    response: { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: "g", protocolType: "consumer", groupState: "Stable", groupType: "consumer" }] },
  };
  const offsetFetch = {
    version: 9,
    response: {
      throttleTimeMs: 0,
      groups: [{ groupId: "g", errorCode: 0, topics: [{ name: "t", topicId: null, partitions: [{ partition: 0, committedOffset: 7, committedLeaderEpoch: 0, metadata: "", errorCode: 0 }] }] }],
    },
  };

  it("sends a coordinator's OffsetFetch once it has listed its groups and the partitions' offsets are read, before its describe answers", async () => {
    const calls: string[] = [];
    let answerDescribe: () => void = () => {};
    let offsetsAreRead: () => void = () => {};
    const offsetsRead = new Promise<void>((resolve) => (offsetsAreRead = resolve));
    const client = {
      async apiVersions() {
        return { 9: [0, 9] };
      },
      async call(_nodeId: number, api: { apiName: string }) {
        calls.push(api.apiName);
        if (api.apiName === "ListGroups") return listGroups;
        if (api.apiName === "OffsetFetch") return offsetFetch;
        await new Promise<void>((resolve) => (answerDescribe = resolve));
        return { version: 0, response: { throttleTimeMs: 0, groups: [] } };
      },
    } as unknown as ProtocolClient;
    const listings = new GroupListings([1]);
    const groupsCtx = new PhaseContext("groups");
    const offsetsCtx = new PhaseContext("groupOffsets");
    const groups = collectGroups(client, groupsCtx, [1], new Coordinators([]), listings).finally(() => listings.close());
    const read = collectGroupOffsets(client, offsetsCtx, listings, offsetsRead);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(["ListGroups", "ConsumerGroupDescribe"]);
    offsetsAreRead();
    const answers = await read;
    expect(calls).toEqual(["ListGroups", "ConsumerGroupDescribe", "OffsetFetch"]);
    expect(answers.get(1)?.committed.get("g")).toEqual([{ topic: "t", partition: 0, offset: 7, metadata: "" }]);
    answerDescribe();
    await groups;
    expect(offsetsCtx.errors).toEqual([]);
  });

  it("reads nothing for a coordinator that never listed", async () => {
    const client = {
      async call() {
        throw new KafkaProtocolError(29, "ListGroups");
      },
    } as unknown as ProtocolClient;
    const listings = new GroupListings([1]);
    const groups = collectGroups(client, new PhaseContext("groups"), [1], new Coordinators([]), listings).finally(() => listings.close());
    const answers = await collectGroupOffsets(client, new PhaseContext("groupOffsets"), listings, Promise.resolve());
    expect(await groups).toEqual([]);
    expect(answers.get(1)).toEqual({ committed: new Map(), share: new Map() });
  });
});

describe("attachGroupOffsets", () => {
  const group = (groupId: string, type: ConsumerGroupState["type"], coordinatorId: number | null = 1): ConsumerGroupState => ({
    groupId,
    type,
    state: "Stable",
    protocolType: "consumer",
    protocol: "",
    coordinatorId,
    members: [],
    offsets: [],
  });
  const committed = [{ topic: "t", partition: 0, offset: 3, metadata: "" }];
  const shared = [{ topic: "t", partition: 0, startOffset: 1, lag: 2 }];

  it("gives each group its coordinator's answer; errors and groups its read did not ask for make the phase partial", () => {
    const answers: CoordinatorOffsets = { committed: new Map(), share: new Map() };
    answers.committed.set("ok", committed).set("denied", new KafkaProtocolError(30, "OffsetFetch denied"));
    answers.share.set("s", shared).set("gone", null);
    const read = new Map([[1, answers]]);
    const groups = [group("ok", "classic"), group("denied", "consumer"), group("late", "streams"), group("s", "share"), group("gone", "share"), group("elsewhere", "classic", 2)];
    const ctx = new PhaseContext("groupOffsets");
    attachGroupOffsets(ctx, groups, read);
    expect(groups.map((g) => [g.groupId, g.offsets, g.shareOffsets])).toEqual([
      ["ok", committed, undefined],
      ["denied", [], undefined],
      ["late", [], undefined],
      ["s", [], shared],
      ["gone", [], undefined],
      ["elsewhere", [], undefined],
    ]);
    expect(ctx.errors.map((e) => [e.brokerId, e.message])).toEqual([
      [1, expect.stringContaining("OffsetFetch denied")],
      [1, "group late was listed after its coordinator's offsets were read"],
    ]);
  });
});

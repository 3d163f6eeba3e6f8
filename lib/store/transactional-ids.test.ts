import { describe, expect, it } from "vitest";
import { fixtureTransaction } from "./test-fixtures";
import { diffTransactionalIds, type KnownTransactionalId } from "./transactional-ids";

const known = (id: string, state: string, producerId: number, producerEpoch: number): KnownTransactionalId => ({
  transactionalId: id,
  state,
  producerId,
  producerEpoch,
});

describe("diffTransactionalIds", () => {
  it("reports a new id as appeared", () => {
    const events = diffTransactionalIds([], [fixtureTransaction({ transactionalId: "a", state: "Ongoing", producerId: 7, producerEpoch: 2 })], true);
    expect(events).toEqual([
      { transactionalId: "a", kind: "appeared", fromState: null, toState: "Ongoing", producerId: 7, epoch: 2, prevProducerId: null, prevEpoch: null },
    ]);
  });

  it("reports an epoch bump and a state change of the same poll as two events", () => {
    const events = diffTransactionalIds(
      [known("a", "Ongoing", 7, 2)],
      [fixtureTransaction({ transactionalId: "a", state: "CompleteAbort", producerId: 7, producerEpoch: 3 })],
      true,
    );
    expect(events.map((e) => [e.kind, e.prevEpoch, e.epoch, e.fromState, e.toState])).toEqual([
      ["epoch-bump", 2, 3, "Ongoing", "CompleteAbort"],
      ["state-change", 2, 3, "Ongoing", "CompleteAbort"],
    ]);
  });

  it("reports a producer id rotation instead of an epoch bump", () => {
    const events = diffTransactionalIds(
      [known("a", "Empty", 7, 32766)],
      [fixtureTransaction({ transactionalId: "a", state: "Empty", producerId: 8, producerEpoch: 0 })],
      true,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "producer-id-change", prevProducerId: 7, prevEpoch: 32766, producerId: 8, epoch: 0 });
  });

  it("reports nothing for an unchanged id", () => {
    expect(diffTransactionalIds([known("a", "Empty", 7, 1)], [fixtureTransaction({ transactionalId: "a", state: "Empty", producerId: 7, producerEpoch: 1 })], true)).toEqual([]);
  });

  it("reports missing ids as disappeared only when the listing is complete", () => {
    expect(diffTransactionalIds([known("gone", "Empty", 9, 4)], [], true)).toEqual([
      { transactionalId: "gone", kind: "disappeared", fromState: "Empty", toState: null, producerId: null, epoch: null, prevProducerId: 9, prevEpoch: 4 },
    ]);
    expect(diffTransactionalIds([known("gone", "Empty", 9, 4)], [], false)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { Round3Inputs } from "./floor";

describe("the poll floor's third round", () => {
  const inputs = () => {
    const r = new Round3Inputs({ topics: [{ name: "orders", topicId: "id-orders" }, { name: "payments", topicId: "id-payments" }] }, [7]);
    r.lastStableOffsets(1, {
      topics: [
        { name: "orders", partitions: [{ partition: 0, errorCode: 0, offset: 100 }, { partition: 1, errorCode: 0, offset: 500 }] },
        { name: "payments", partitions: [{ partition: 0, errorCode: 0, offset: 10 }] },
      ],
    });
    r.lastStableOffsets(2, { topics: [{ name: "orders", partitions: [{ partition: 2, errorCode: 0, offset: 40 }] }] });
    return r;
  };

  it("reads the gaps the collector checks: 1 to 64 offsets short of the LSO, a partition once per Fetch", () => {
    const r = inputs();
    const committed = (topics: { name: string | null; topicId: string | null; partitions: [number, number][] }[]) => ({
      groups: [{ topics: topics.map((t) => ({ ...t, partitions: t.partitions.map(([partition, committedOffset]) => ({ partition, committedOffset, errorCode: 0 })) })) }],
    });
    r.committed(committed([{ name: "orders", topicId: null, partitions: [[0, 99], [1, 400], [2, 40]] }]));
    r.committed(committed([{ name: null, topicId: "id-orders", partitions: [[0, 98], [2, 39]] }]));
    r.committed(committed([{ name: "orders", topicId: null, partitions: [[0, 99]] }, { name: null, topicId: "id-gone", partitions: [[0, 1]] }]));
    r.committed(committed([{ name: "payments", topicId: null, partitions: [[0, -1]] }]));
    const reads = r.gapReads();
    const part = (partition: number, offset: number) => ({ partition, fetchOffset: String(offset), maxBytes: 64 * 1024 });
    // orders-1 is 100 short (over 64), orders-2 at 40 is caught up, payments-0 has no committed offset.
    expect(reads.get(1)).toEqual([[{ topic: "orders", partitions: [part(0, 99)] }], [{ topic: "orders", partitions: [part(0, 98)] }]]);
    expect(reads.get(2)).toEqual([[{ topic: "orders", partitions: [part(2, 39)] }]]);
  });

  it("brackets the partitions a listed transactional producer writes, per leader", () => {
    const r = inputs();
    r.producers(1, {
      topics: [
        { name: "orders", partitions: [{ partition: 0, activeProducers: [{ producerId: 7 }] }, { partition: 1, activeProducers: [{ producerId: 8 }] }] },
        { name: "payments", partitions: [{ partition: 0, activeProducers: [{ producerId: 8 }, { producerId: 7 }] }] },
      ],
    });
    expect(r.bracketPartitions()).toEqual(new Map([[1, new Map([["orders", [0]], ["payments", [0]]])]]));
  });
});

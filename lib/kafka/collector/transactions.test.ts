import { describe, expect, it } from "vitest";
import type { ProtocolClient } from "../protocol";
import { Coordinators } from "./coordinators";
import { PhaseContext } from "./phases";
import { collectTransactions } from "./transactions";

describe("collectTransactions while a coordinator moves", () => {
  it("keeps one answer for an id two brokers list, describes it once, and marks the phase partial", async () => {
    const described: [number, string[]][] = [];
    const client = {
      async call(nodeId: number, api: { apiName: string }, request: { transactionalIds?: string[] }) {
        if (api.apiName === "ListTransactions") {
          return { version: 0, response: { throttleTimeMs: 0, errorCode: 0, unknownStateFilters: [], transactions: [{ transactionalId: "t", producerId: 7, state: "Ongoing" }] } };
        }
        described.push([nodeId, request.transactionalIds ?? []]);
        const transactions = (request.transactionalIds ?? []).map((transactionalId) => ({
          errorCode: 0,
          transactionalId,
          state: "Ongoing",
          transactionTimeoutMs: 60_000,
          transactionStartTimeMs: 1,
          producerId: 7,
          producerEpoch: 0,
          topics: [],
        }));
        return { version: 0, response: { throttleTimeMs: 0, transactions } };
      },
    } as unknown as ProtocolClient;
    const ctx = new PhaseContext("transactions");
    // Metadata without the internal topic cannot say which broker leads the id's partition.
    const transactions = await collectTransactions(client, ctx, [1, 2], [], new Coordinators([]));
    expect(transactions.map((t) => t.transactionalId)).toEqual(["t"]);
    expect(described).toHaveLength(1);
    expect(ctx.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^transactional id t listed by brokers [12] and [12] \(coordinator moving\)$/)]);
  });
});

import { describe, expect, it } from "vitest";
import { brokerOnLane, type InternalBroker } from "./kafkajsAdapter";

/** kafkajs's ConnectionPool and Broker shapes (src/network/connectionPool.js, src/broker/index.js), recording what is sent where. */
function fakeBroker() {
  const sent: string[] = [];
  const connection = (index: number) => ({ send: async (r: { request: { apiName: string } }) => (sent.push(`${index}:${r.request.apiName}`), Buffer.alloc(0)) });
  const pool = {
    pool: [connection(0), connection(1)],
    destroyed: 0,
    async getConnection(this: { pool: ReturnType<typeof connection>[] }, index: number) {
      return this.pool[index];
    },
    async send(this: { pool: ReturnType<typeof connection>[] }, r: { request: { apiKey: number; apiName: string } }) {
      return this.pool[r.request.apiKey === 1 ? 1 : 0].send(r);
    },
    async destroy(this: { destroyed: number }) {
      this.destroyed += 1;
    },
  };
  const broker = {
    nodeId: 1,
    versions: null,
    connectionPool: pool,
    async disconnect(this: InternalBroker) {
      await (this.connectionPool as unknown as { destroy(): Promise<void> }).destroy();
    },
    // kafkajs's Broker methods send through `this.connectionPool.send`.
    async describeConfigs(this: InternalBroker) {
      return this.connectionPool.send({ request: { apiKey: 32, apiName: "DescribeConfigs" } } as never);
    },
    async fetch(this: InternalBroker) {
      return this.connectionPool.send({ request: { apiKey: 1, apiName: "Fetch" } } as never);
    },
  };
  return { broker, pool, sent };
}

describe("brokerOnLane", () => {
  it("sends kafkajs's own requests over the lane's connection, whatever kafkajs would pick", async () => {
    const { broker, sent } = fakeBroker();
    await broker.describeConfigs.call(brokerOnLane(broker as unknown as InternalBroker, "bulk"));
    await broker.fetch.call(brokerOnLane(broker as unknown as InternalBroker, "main"));
    await broker.describeConfigs.call(broker as unknown as InternalBroker);
    expect(sent).toEqual(["1:DescribeConfigs", "0:Fetch", "0:DescribeConfigs"]);
  });

  it("is a view: disconnecting through it destroys the broker's own pool", async () => {
    const { broker, pool } = fakeBroker();
    const view = brokerOnLane(broker as unknown as InternalBroker, "bulk");
    await view.disconnect();
    expect(pool.destroyed).toBe(1);
    expect(view.nodeId).toBe(1);
    expect(broker.connectionPool).toBe(pool);
  });
});

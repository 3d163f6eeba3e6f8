// Scenario 9: risky topic configuration on a 3-broker cluster. Three topics, each with one pitfall:
// RF 3 with min.insync.replicas=1 (an acks=all write can live on one replica), retention.bytes below
// segment.bytes (retention cannot act until the segment rolls), and unclean leader election (acknowledged
// data and transaction markers can be truncated). A transactional writer keeps each topic in use.
import { createTopics, inTransaction, orderMessage, startScenario, transactionalProducer, type Scenario } from "./support";

export interface RiskyConfigsOptions {
  replicationFactor: number;
  tickMs: number;
}

export interface RiskyTopic {
  topic: string;
  /** The risky settings, exactly as created. */
  configs: Record<string, string>;
}

export interface RiskyConfigsInfo {
  minIsrOne: RiskyTopic;
  retentionBelowSegment: RiskyTopic;
  uncleanElection: RiskyTopic;
  replicationFactor: number;
  transactionalId: string;
}

const defaults: RiskyConfigsOptions = { replicationFactor: 3, tickMs: 1000 };

const MIB = 1024 * 1024;

export const runRiskyConfigs: Scenario<RiskyConfigsOptions, RiskyConfigsInfo> = (ctx, opts) =>
  startScenario(ctx, "risky-configs", async ({ name, kafka, cleanup, every }) => {
    const options = { ...defaults, ...opts };
    const info: RiskyConfigsInfo = {
      minIsrOne: { topic: name("payments"), configs: { "min.insync.replicas": "1" } },
      retentionBelowSegment: {
        topic: name("audit-log"),
        configs: { "retention.bytes": String(10 * MIB), "segment.bytes": String(100 * MIB) },
      },
      uncleanElection: { topic: name("ledger"), configs: { "unclean.leader.election.enable": "true" } },
      replicationFactor: options.replicationFactor,
      transactionalId: name("risky-writer"),
    };
    const risky = [info.minIsrOne, info.retentionBelowSegment, info.uncleanElection];
    await createTopics(
      kafka,
      risky.map(({ topic, configs }) => ({ topic, replicationFactor: options.replicationFactor, configs })),
    );

    const counters = { transactionsCommitted: 0 };
    const writer = cleanup.client("transactional writer", transactionalProducer(kafka, info.transactionalId));
    await writer.connect();
    every("transactional writes", options.tickMs, async () => {
      await inTransaction(writer, async (transaction) => {
        const message = orderMessage(counters.transactionsCommitted);
        await transaction.sendBatch({ topicMessages: risky.map(({ topic }) => ({ topic, messages: [message] })) });
      });
      counters.transactionsCommitted += 1;
    });

    return { info, progress: () => ({ ...counters }) };
  });

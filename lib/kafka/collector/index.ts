import type { ClusterConfig } from "@/lib/config/clusters";
import type { ClusterSnapshot, PollPhase } from "@/lib/snapshot/types";
import { createKafka, DEFAULT_TIMEOUTS, type ConnectionTimeouts } from "../client";
import { ProtocolClient } from "../protocol";
import { featuresOrNull, fetchConfigs, fetchFeatures, fetchMetadata } from "./metadata";
import { attachGroupOffsets, checkMarkerGaps, collectGroupOffsets, collectGroups, DEFAULT_MARKER_CHECK_MAX_GAP, GroupListings } from "./groups";
import { Coordinators } from "./coordinators";
import { collectLogDirs, collectOffsets, readTransactionBracket } from "./offsets";
import { runPhase } from "./phases";
import { collectProducers, collectTransactions } from "./transactions";

export interface CollectorOptions {
  now?: () => number;
  timeouts?: ConnectionTimeouts;
  /** Gaps up to this many offsets between a committed offset and the LSO are read to spot marker-only gaps. */
  markerCheckMaxGap?: number;
}

/**
 * Collects complete snapshots of one cluster. Keeps its broker connections between polls; never throws from
 * collect(): an unreachable cluster yields a snapshot marked incomplete with the errors of each phase.
 */
export class ClusterCollector {
  private readonly client: ProtocolClient;
  private readonly now: () => number;
  private connected = false;

  constructor(
    private readonly cluster: ClusterConfig,
    private readonly options: CollectorOptions = {},
  ) {
    this.client = ProtocolClient.fromKafka(createKafka(cluster, options.timeouts ?? DEFAULT_TIMEOUTS));
    this.now = options.now ?? Date.now;
  }

  async collect(): Promise<ClusterSnapshot> {
    const collectedAt = this.now();
    const phases: PollPhase[] = [];
    const snapshot: ClusterSnapshot = {
      cluster: this.cluster.name,
      clusterId: null,
      controllerId: null,
      collectedAt,
      durationMs: 0,
      complete: false,
      phases,
      brokers: [],
      features: { transactionVersion: 0, metadataVersion: null },
      brokerConfigs: [],
      topics: [],
      groups: [],
      transactions: [],
    };

    const metadata = await runPhase(phases, "metadata", this.now, async (ctx) => {
      if (this.connected) {
        // kafkajs's broker list (what its connections use) is refreshed beside the poll, never in its path: against
        // a frozen broker that refresh waits out a request timeout of its own, and our Metadata request below
        // another, doubling the poll. A broker id the list lacks is refreshed on use anyway (ProtocolClient.broker);
        // kafkajs shares one refresh between concurrent callers.
        void this.client.refreshBrokersIfStale().catch(() => undefined);
      } else {
        // kafkajs's connect throws on any partition without a leader, as while a broker is down: with brokers
        // known, our own Metadata request below is the judge.
        await this.client.connect().catch((error: unknown) => {
          if (this.client.nodeIds().length === 0) throw error;
        });
        this.connected = true;
      }
      // Feature levels asked beside the Metadata request, of the broker it goes to first, rather than a round trip
      // after it; only if that fails are they asked as before, of the brokers Metadata lists, failures recorded.
      const early = featuresOrNull(this.client, ctx, this.client.nodeIds()[0]);
      const md = await fetchMetadata(this.client, ctx);
      const features = (await early) ?? (await fetchFeatures(this.client, ctx, md.brokers.map((b) => b.nodeId)));
      return { ...md, features };
    });

    if (metadata) {
      Object.assign(snapshot, {
        clusterId: metadata.clusterId,
        controllerId: metadata.controllerId,
        brokers: metadata.brokers,
        features: metadata.features,
        topics: metadata.topics,
      });
      const brokerIds = metadata.brokers.map((b) => b.nodeId);
      const { topics } = snapshot;
      // Phases touch disjoint parts of the snapshot and different APIs: run them side by side, except for one
      // chain: offsets, then the partitions' producer state, then the coordinators' view, bracketed by reads of the
      // offsets where transactional producers write. A transaction that completes between the producer and
      // coordinator reads shows as completed, never as an open one its coordinator does not know; and the
      // bracket's growth bounds the transactions an id can have ended between two polls. Committed offsets are
      // read after the offsets (and checked against their LSO).
      // All phases' requests to a broker share its one connection, which the broker answers strictly in the
      // order sent: phases start in the order their requests should be served, the chain first, and the
      // producer state is sent right behind the offsets (pipelined, no round trip between) and still read after
      // them. Only a retried request (a moved leader) can fall out of that order.
      const coordinators = new Coordinators(topics);
      const offsets = runPhase(phases, "offsets", this.now, (ctx) => collectOffsets(this.client, ctx, topics));
      const producers = runPhase(phases, "producers", this.now, (ctx) => collectProducers(this.client, ctx, topics));
      const transactions = Promise.all([offsets, producers]).then(() =>
        runPhase(phases, "transactions", this.now, (ctx) =>
          collectTransactions(this.client, ctx, brokerIds, topics, coordinators, (when, producerIds) =>
            readTransactionBracket(this.client, ctx, topics, when, producerIds),
          ),
        ),
      );
      // A coordinator's groups' offsets are asked as soon as it has listed them, beside their describes.
      const listings = new GroupListings(brokerIds);
      const groups = runPhase(phases, "groups", this.now, (ctx) => collectGroups(this.client, ctx, brokerIds, coordinators, listings)).then((listed) => {
        listings.close();
        snapshot.groups = listed ?? [];
      });
      const groupOffsets = runPhase(phases, "groupOffsets", this.now, async (ctx) => {
        const read = await collectGroupOffsets(this.client, ctx, listings, offsets);
        await groups;
        attachGroupOffsets(ctx, snapshot.groups, read);
        await checkMarkerGaps(this.client, ctx, topics, snapshot.groups, this.options.markerCheckMaxGap ?? DEFAULT_MARKER_CHECK_MAX_GAP);
      });
      // Let the requests above reach the wire (they are written once their encoding microtasks run) before the
      // other phases build theirs: the broker serves the offsets meanwhile, the head of the longest chain.
      await new Promise((resolve) => setImmediate(resolve));
      const configs = runPhase(phases, "configs", this.now, (ctx) => fetchConfigs(this.client, ctx, topics, brokerIds, metadata.controllerId));
      const logDirs = runPhase(phases, "logDirs", this.now, (ctx) => collectLogDirs(this.client, ctx, topics));
      const [brokerConfigs, collectedTransactions] = await Promise.all([configs, transactions, logDirs, groupOffsets]);
      snapshot.brokerConfigs = brokerConfigs ?? [];
      snapshot.transactions = collectedTransactions ?? [];
    }

    if (!metadata && this.cluster.ssl === false) {
      // What a TLS listener does to a plaintext client: hang up without a word. Say what that usually means.
      for (const e of phases[0].errors) {
        if (e.code === "CONNECTION" && e.message === "Closed connection") {
          e.message = "Closed connection: the broker hung up before answering (a TLS listener does this to a client without security.tls)";
        }
      }
    }
    snapshot.durationMs = this.now() - collectedAt;
    snapshot.complete = metadata !== undefined && phases.every((p) => p.errors.length === 0);
    phases.sort((a, b) => a.startedAt - b.startedAt || a.name.localeCompare(b.name));
    return snapshot;
  }

  /** This collector's connections, for a request that must follow a collection (the guarded abort). */
  get protocol(): ProtocolClient {
    return this.client;
  }

  async close(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.client.disconnect().catch(() => undefined);
  }
}

/** One snapshot with a fresh connection: for the CLI and tests. */
export async function collectSnapshot(cluster: ClusterConfig, options?: CollectorOptions): Promise<ClusterSnapshot> {
  const collector = new ClusterCollector(cluster, options);
  try {
    return await collector.collect();
  } finally {
    await collector.close();
  }
}

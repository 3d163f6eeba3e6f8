import type { ClusterSnapshot } from "./types";

/** A few lines a person can read to see what one poll saw and whether it was complete. */
export function summarizeSnapshot(s: ClusterSnapshot): string {
  const partitions = s.topics.reduce((n, t) => n + t.partitions.length, 0);
  const openTxns = s.transactions.filter((t) => t.state === "Ongoing").length;
  const pinned = s.topics.flatMap((t) =>
    t.partitions
      .filter((p) => p.lastStableOffset !== null && p.highWatermark !== null && p.lastStableOffset < p.highWatermark)
      .map((p) => `${t.name}-${p.partition} (HW-LSO ${p.highWatermark! - p.lastStableOffset!})`),
  );
  const requests = s.phases.reduce((n, p) => n + p.requests, 0);
  const lines = [
    `cluster ${s.cluster} (id ${s.clusterId ?? "?"}), controller ${s.controllerId ?? "?"}, transaction.version ${s.features.transactionVersion}`,
    `poll ${new Date(s.collectedAt).toISOString()}: ${s.complete ? "complete" : s.brokers.length ? "PARTIAL" : "FAILED (no broker answered)"} in ${s.durationMs} ms, ${requests} requests`,
    `brokers ${s.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(", ") || "none"}`,
    `topics ${s.topics.length}, partitions ${partitions}, groups ${s.groups.length}, transactional ids ${s.transactions.length} (${openTxns} ongoing)`,
  ];
  if (pinned.length) lines.push(`partitions held back by open transactions: ${pinned.slice(0, 10).join(", ")}${pinned.length > 10 ? ", ..." : ""}`);
  for (const phase of s.phases) {
    const status = phase.unsupported ? "unsupported" : phase.errors.length ? `${phase.errors.length} error(s)` : "ok";
    lines.push(`  ${phase.name.padEnd(13)} ${String(phase.durationMs).padStart(6)} ms  ${String(phase.requests).padStart(4)} req  ${status}`);
    for (const e of phase.errors.slice(0, 3)) lines.push(`    broker ${e.brokerId ?? "-"}: ${e.code} ${e.message}`);
  }
  return lines.join("\n");
}

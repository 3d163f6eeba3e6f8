import type { LagVerdict, Severity } from "@/lib/ui/dto";

type Tone = "ok" | "info" | "warning" | "critical" | "neutral";

export function Badge({ tone, children }: { tone: Tone; children: React.ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={severity}>{severity}</Badge>;
}

const VERDICT_TONE: Record<LagVerdict, Tone> = {
  OK: "ok",
  EXTERNAL: "neutral",
  LAGGING: "warning",
  STALLED: "critical",
  STOPPED: "critical",
  REWIND: "warning",
  TXN_BLOCKED: "warning",
};

export function VerdictBadge({ verdict }: { verdict: LagVerdict | null }) {
  if (!verdict) return <Badge tone="neutral">unknown</Badge>;
  return <Badge tone={VERDICT_TONE[verdict]}>{verdict.replace("_", " ")}</Badge>;
}

const TXN_TONE: Record<string, Tone> = {
  Ongoing: "info",
  PrepareCommit: "warning",
  PrepareAbort: "warning",
  PrepareEpochFence: "critical",
  CompleteCommit: "ok",
  CompleteAbort: "neutral",
  Empty: "neutral",
  Dead: "neutral",
};

export function TxnStateBadge({ state }: { state: string }) {
  return <Badge tone={TXN_TONE[state] ?? "neutral"}>{state}</Badge>;
}

/** The group protocol: classic (JoinGroup/SyncGroup), consumer (KIP-848), streams (KIP-1071) or share (KIP-932). */
export function GroupTypeBadge({ type }: { type: string }) {
  return <Badge tone={type === "classic" ? "neutral" : "info"}>{type}</Badge>;
}

// Transitional states of every group type read as info: members are being (re)assigned, which is routine.
const GROUP_STATE_TONE: Record<string, Tone> = {
  Stable: "ok",
  Empty: "neutral",
  Dead: "neutral",
  Unknown: "warning",
  NotReady: "warning",
};

export function GroupStateBadge({ state }: { state: string }) {
  return <Badge tone={GROUP_STATE_TONE[state] ?? "info"}>{state}</Badge>;
}

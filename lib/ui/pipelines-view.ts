// Pipeline cards: the ids of one family (`app-<uuid>`, Streams' `<application.id>-<process UUID>-<thread>`,
// `app-0..n`) are instances of one application, so they make one card listing them, with the checklist judged
// over the instances still running. Cards failing a check come first.
import { classifyTransactionalId, hasStableText } from "../analysis/detectors/lost-fencing";
import { streamsApplicationId, type GroupLinkKind } from "../analysis/links";
import type { ChecklistItem, Pipeline, PipelineKind } from "../analysis/pipelines";

export type CheckKey = keyof Pipeline["checklist"];

export const CHECK_LABELS: Record<CheckKey, string> = {
  stableTransactionalId: "Stable transactional id",
  offsetsCommittedInTransaction: "Input offsets committed in the transaction",
  downstreamReadCommitted: "Downstream reads committed only",
  safeMinInsyncReplicas: "Output replication safe",
};
const CHECK_ORDER = Object.keys(CHECK_LABELS) as CheckKey[];

export interface PipelineInstance {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  state: string;
  inactive: boolean;
}

export interface CardCheck extends ChecklistItem {
  key: CheckKey;
  label: string;
}

export interface PipelineCard {
  /** The family pattern (`app-*`), or the id itself when it has no siblings. */
  name: string;
  /** The Streams application.id when every instance is one of its producers. */
  application: string | null;
  kind: PipelineKind;
  /** Active first. */
  instances: PipelineInstance[];
  activeCount: number;
  groupIds: string[];
  groupLink: GroupLinkKind;
  inputTopics: string[];
  outputTopics: string[];
  downstreamGroupIds: string[];
  /** Failing first; only the checks that apply to the kind. */
  checks: CardCheck[];
  failing: number;
}

/** Ids differing only in generated parts or small numbers share a family; an all-random id stands alone. */
function familyOf(transactionalId: string): string {
  const { family } = classifyTransactionalId(transactionalId);
  return hasStableText(family) ? family : transactionalId;
}

const union = (lists: string[][]) => [...new Set(lists.flat())].sort();
const byName = new Intl.Collator("en", { numeric: true }).compare;

const LINK_RANK: GroupLinkKind[] = ["ambiguous", "provisional", "proven", "none"];
const OK_RANK = (ok: boolean | null) => (ok === false ? 0 : ok === null ? 1 : 2);

/** An instance of a consume-transform-produce family not yet seen committing offsets (e.g. it stopped first). */
const OFFSETS_NOT_SEEN: ChecklistItem = { ok: null, detail: "no __consumer_offsets partition seen in its transactions yet" };

/** The worst verdict over the instances; a failure names the instances failing when there are several. */
function mergeCheck(key: CheckKey, kind: PipelineKind, members: Pipeline[]): CardCheck | null {
  const itemOf = (p: Pipeline) =>
    p.checklist[key] ?? (key === "offsetsCommittedInTransaction" && kind === "consume-transform-produce" ? OFFSETS_NOT_SEEN : null);
  const items = members.flatMap((p) => {
    const item = itemOf(p);
    return item ? [{ id: p.transactionalId, item }] : [];
  });
  if (!items.length) return null;
  const worst = Math.min(...items.map(({ item }) => OK_RANK(item.ok)));
  const matching = items.filter(({ item }) => OK_RANK(item.ok) === worst);
  // Instances failing for the same reason share one sentence naming them.
  const idsByDetail = new Map<string, string[]>();
  for (const { id, item } of matching) idsByDetail.set(item.detail, [...(idsByDetail.get(item.detail) ?? []), id]);
  const detail = [...idsByDetail]
    .map(([text, ids]) => (members.length > 1 && worst === 0 ? `${ids.join(", ")}: ${text}` : text))
    .join("; ");
  return { key, label: CHECK_LABELS[key], ok: matching[0].item.ok, detail };
}

function card(name: string, members: Pipeline[]): PipelineCard {
  // One instance seen committing offsets makes the family a consume-transform-produce application.
  const kind: PipelineKind = members.some((p) => p.kind === "consume-transform-produce") ? "consume-transform-produce" : "transactional-producer";
  const active = members.filter((p) => !p.inactive);
  // Instances whose process is gone are left out of the checks, unless nothing else is left.
  const judged = active.length ? active : members;
  const checks = CHECK_ORDER.flatMap((key) => mergeCheck(key, kind, judged) ?? []).sort((a, b) => Number(a.ok !== false) - Number(b.ok !== false));
  const applications = new Set(members.map((p) => streamsApplicationId(p.transactionalId)));
  const [application] = applications;
  return {
    name: members.length === 1 ? members[0].transactionalId : name,
    application: applications.size === 1 ? (application ?? null) : null,
    kind,
    instances: members
      .map(({ transactionalId, producerId, producerEpoch, state, inactive }) => ({ transactionalId, producerId, producerEpoch, state, inactive }))
      .sort((a, b) => Number(a.inactive) - Number(b.inactive) || byName(a.transactionalId, b.transactionalId)),
    activeCount: active.length,
    groupIds: union(members.map((p) => p.groupIds)),
    groupLink: LINK_RANK.find((link) => members.some((p) => p.groupLink === link)) ?? "none",
    inputTopics: union(members.map((p) => p.inputTopics)),
    outputTopics: union(members.map((p) => p.outputTopics)),
    downstreamGroupIds: union(members.map((p) => p.downstreamGroupIds)),
    checks,
    failing: checks.filter((c) => c.ok === false).length,
  };
}

export function pipelineCards(pipelines: Pipeline[]): PipelineCard[] {
  const families = new Map<string, Pipeline[]>();
  for (const p of pipelines) {
    const name = familyOf(p.transactionalId);
    families.set(name, [...(families.get(name) ?? []), p]);
  }
  return [...families]
    .map(([name, members]) => card(name, members))
    .sort(
      (a, b) =>
        b.failing - a.failing ||
        Number(a.activeCount === 0) - Number(b.activeCount === 0) ||
        Number(a.kind !== "consume-transform-produce") - Number(b.kind !== "consume-transform-produce") ||
        byName(a.name, b.name),
    );
}

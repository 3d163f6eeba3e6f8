"use client";

import { AtLink } from "../_components/links";
import { Badge, TxnStateBadge } from "../_components/badges";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import type { ChecklistItem } from "@/lib/analysis/pipelines";
import { formatTimestamp } from "@/lib/ui/format";
import { usePipelinesQuery } from "@/lib/ui/hooks";
import { pipelineCards, type PipelineCard } from "@/lib/ui/pipelines-view";
import { paths } from "@/lib/ui/urls";

function Check({ item }: { item: ChecklistItem }) {
  return (
    <>
      {item.ok === true ? <Badge tone="ok">pass</Badge> : item.ok === false ? <Badge tone="critical">fail</Badge> : <Badge tone="neutral">unknown</Badge>}{" "}
      <span className="subtle">{item.detail}</span>
    </>
  );
}

function Names({ names, href }: { names: string[]; href: (n: string) => string }) {
  if (names.length === 0) return <span className="subtle">none seen</span>;
  return (
    <>
      {names.map((n) => (
        <span key={n} className="name-chip">
          <AtLink href={href(n)}>{n}</AtLink>
        </span>
      ))}
    </>
  );
}

const KIND_LABEL: Record<PipelineCard["kind"], string> = {
  "consume-transform-produce": "consume-transform-produce",
  "transactional-producer": "transactional producer",
};

function Instances({ cluster, card }: { cluster: string; card: PipelineCard }) {
  return (
    <ul className="instance-list" aria-label="Instances">
      {card.instances.map((i) => (
        <li key={i.transactionalId}>
          <span className="mono name">
            <AtLink href={paths.transaction(cluster, i.transactionalId)}>{i.transactionalId}</AtLink>
          </span>{" "}
          <TxnStateBadge state={i.state} /> {i.inactive ? <Badge tone="neutral">inactive</Badge> : <Badge tone="ok">active</Badge>}{" "}
          <span className="subtle mono">
            pid {i.producerId} · epoch {i.producerEpoch}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Card({ cluster, card }: { cluster: string; card: PipelineCard }) {
  const single = card.instances.length === 1 ? card.instances[0] : null;
  return (
    <section className="card" aria-label={`Pipeline ${card.name}`} data-kind={card.kind}>
      <h2 style={{ fontSize: "1rem", display: "flex", gap: "0.5rem", alignItems: "center", flexWrap: "wrap" }}>
        <span className="mono name">{single ? <AtLink href={paths.transaction(cluster, single.transactionalId)}>{card.name}</AtLink> : card.name}</span>
        {single ? <TxnStateBadge state={single.state} /> : null}
        {single?.inactive ? <Badge tone="neutral">inactive</Badge> : null}
        {card.failing ? <Badge tone="critical">{card.failing} failing</Badge> : null}
      </h2>
      <p className="subtle" style={{ margin: "0 0 0.5rem" }}>
        {KIND_LABEL[card.kind]}
        {card.application ? ` · Kafka Streams application ${card.application}` : ""}
        {single ? "" : ` · ${card.activeCount} of ${card.instances.length} instances active`}
      </p>
      <dl className="kv">
        {card.kind === "consume-transform-produce" ? (
          <>
            <dt>Input groups</dt>
            <dd>
              <Names names={card.groupIds} href={(g) => paths.group(cluster, g)} />
              {card.groupLink === "ambiguous" ? <span className="subtle"> (ambiguous: these groups share its offsets partition and commit alongside it)</span> : null}
              {card.groupLink === "provisional" ? <span className="subtle"> (by offsets partition only, not yet confirmed)</span> : null}
            </dd>
            <dt>Input topics</dt>
            <dd>
              <Names names={card.inputTopics} href={(t) => paths.topic(cluster, t)} />
            </dd>
          </>
        ) : null}
        <dt>Output topics</dt>
        <dd>
          <Names names={card.outputTopics} href={(t) => paths.topic(cluster, t)} />
        </dd>
        <dt>Downstream groups</dt>
        <dd>
          <Names names={card.downstreamGroupIds} href={(g) => paths.group(cluster, g)} />
        </dd>
      </dl>
      {single ? null : (
        <details open={card.instances.length <= 4}>
          <summary>
            {card.instances.length} instances ({card.activeCount} active)
          </summary>
          <Instances cluster={cluster} card={card} />
        </details>
      )}
      <ul style={{ listStyle: "none", padding: 0, margin: "0.6rem 0 0" }} aria-label="Exactly-once checklist">
        {card.checks.map((c) => (
          <li key={c.key} style={{ marginBottom: "0.3rem" }}>
            <strong style={{ fontWeight: 600 }}>{c.label}:</strong> <Check item={c} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function PipelinesView({ cluster }: { cluster: string }) {
  const { at } = useUrlState();
  const query = usePipelinesQuery(cluster, at);
  return (
    <>
      <div className="page-head">
        <h1>Pipelines</h1>
        <span className="subtle">Consume-transform-produce chains and transactional producers, one card per application; failing checks first</span>
      </div>
      <QueryView query={query} loadingLabel="Loading pipelines…">
        {(d) => (
          <>
            {!d.withHistory ? (
              <p className="banner banner-info">Built from the poll at {formatTimestamp(d.collectedAt)} alone: links learnt over earlier polls are only available for the live view.</p>
            ) : null}
            {d.pipelines.length === 0 ? (
              <EmptyState title="No transactional producers">No pipeline writes with transactions on this cluster.</EmptyState>
            ) : (
              <div className="cluster-cards">
                {pipelineCards(d.pipelines).map((c) => (
                  <Card key={`${c.kind}:${c.name}`} cluster={cluster} card={c} />
                ))}
              </div>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}

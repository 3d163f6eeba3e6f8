"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { paths, withQuery, type ClusterSection } from "@/lib/ui/urls";
import { useUrlState } from "./url-state";

const SECTIONS: { section: ClusterSection | null; label: string }[] = [
  { section: null, label: "Health" },
  { section: "findings", label: "Findings" },
  { section: "transactions", label: "Transactions" },
  { section: "groups", label: "Groups" },
  { section: "topics", label: "Topics" },
  { section: "pipelines", label: "Pipelines" },
  { section: "hot-partitions", label: "Hot partitions" },
  { section: "config", label: "Config risks" },
  { section: "capacity", label: "Capacity" },
];

export function ClusterNav({ cluster }: { cluster: string }) {
  const pathname = usePathname();
  const { at } = useUrlState();
  const base = paths.cluster(cluster);
  return (
    <nav className="cluster-nav" aria-label="Cluster sections">
      {SECTIONS.map(({ section, label }) => {
        const href = section ? paths.section(cluster, section) : base;
        const active = section ? pathname.startsWith(href) : pathname === base;
        return (
          <Link key={label} href={withQuery(href, { at })} prefetch={false} aria-current={active ? "page" : undefined}>
            {label}
          </Link>
        );
      })}
    </nav>
  );
}

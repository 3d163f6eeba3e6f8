import { segment } from "../../_components/params";
import { ClusterView } from "../../_views/ClusterView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  const p = await params;
  return { title: `${segment(p.cluster)}` };
}

export default async function ClusterPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <ClusterView cluster={segment(cluster)} />;
}

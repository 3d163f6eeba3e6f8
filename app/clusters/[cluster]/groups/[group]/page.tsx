import { segment } from "../../../../_components/params";
import { GroupView } from "../../../../_views/GroupView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string; group: string }> }): Promise<Metadata> {
  const p = await params;
  return { title: `${segment(p.group)} · group · ${segment(p.cluster)}` };
}

export default async function GroupPage({ params }: { params: Promise<{ cluster: string; group: string }> }) {
  const { cluster, group } = await params;
  return <GroupView cluster={segment(cluster)} groupId={segment(group)} />;
}

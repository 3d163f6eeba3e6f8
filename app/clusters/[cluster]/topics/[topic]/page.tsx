import { segment } from "../../../../_components/params";
import { TopicView } from "../../../../_views/TopicView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string; topic: string }> }): Promise<Metadata> {
  const p = await params;
  return { title: `${segment(p.topic)} · topic · ${segment(p.cluster)}` };
}

export default async function TopicPage({ params }: { params: Promise<{ cluster: string; topic: string }> }) {
  const { cluster, topic } = await params;
  return <TopicView cluster={segment(cluster)} topic={segment(topic)} />;
}

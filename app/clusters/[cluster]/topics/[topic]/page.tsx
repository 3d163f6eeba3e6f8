import { segment } from "../../../../_components/params";
import { TopicView } from "../../../../_views/TopicView";

export default async function TopicPage({ params }: { params: Promise<{ cluster: string; topic: string }> }) {
  const { cluster, topic } = await params;
  return <TopicView cluster={segment(cluster)} topic={segment(topic)} />;
}

import { segment } from "../../../_components/params";
import { TopicsView } from "../../../_views/TopicsView";

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <TopicsView cluster={segment(cluster)} />;
}

import { segment } from "../../../../_components/params";
import { FindingView } from "../../../../_views/FindingView";

export default async function FindingPage({ params }: { params: Promise<{ cluster: string; id: string }> }) {
  const { cluster, id } = await params;
  return <FindingView cluster={segment(cluster)} id={segment(id)} />;
}

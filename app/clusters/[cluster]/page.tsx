import { segment } from "../../_components/params";
import { ClusterView } from "../../_views/ClusterView";

export default async function ClusterPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <ClusterView cluster={segment(cluster)} />;
}

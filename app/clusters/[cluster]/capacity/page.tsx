import { segment } from "../../../_components/params";
import { CapacityView } from "../../../_views/CapacityView";

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <CapacityView cluster={segment(cluster)} />;
}

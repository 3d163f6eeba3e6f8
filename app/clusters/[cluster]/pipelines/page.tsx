import { segment } from "../../../_components/params";
import { PipelinesView } from "../../../_views/PipelinesView";

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <PipelinesView cluster={segment(cluster)} />;
}

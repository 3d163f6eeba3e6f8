import { segment } from "../../../_components/params";
import { HotPartitionsView } from "../../../_views/HotPartitionsView";

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <HotPartitionsView cluster={segment(cluster)} />;
}

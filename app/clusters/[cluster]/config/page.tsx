import { segment } from "../../../_components/params";
import { ConfigView } from "../../../_views/ConfigView";

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <ConfigView cluster={segment(cluster)} />;
}

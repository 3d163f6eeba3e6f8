import { segment } from "../../../_components/params";
import { FindingsView } from "../../../_views/FindingsView";

export default async function FindingsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <FindingsView cluster={segment(cluster)} />;
}

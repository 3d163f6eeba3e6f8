import { segment } from "../../../_components/params";
import { GroupsView } from "../../../_views/GroupsView";

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <GroupsView cluster={segment(cluster)} />;
}

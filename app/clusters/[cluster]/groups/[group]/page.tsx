import { segment } from "../../../../_components/params";
import { GroupView } from "../../../../_views/GroupView";

export default async function GroupPage({ params }: { params: Promise<{ cluster: string; group: string }> }) {
  const { cluster, group } = await params;
  return <GroupView cluster={segment(cluster)} groupId={segment(group)} />;
}

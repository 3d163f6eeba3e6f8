import { segment } from "../../../_components/params";
import { GroupsView } from "../../../_views/GroupsView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  return { title: `Consumer groups · ${segment((await params).cluster)}` };
}

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <GroupsView cluster={segment(cluster)} />;
}

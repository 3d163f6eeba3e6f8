import { segment } from "../../../_components/params";
import { TopicsView } from "../../../_views/TopicsView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  return { title: `Topics · ${segment((await params).cluster)}` };
}

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <TopicsView cluster={segment(cluster)} />;
}

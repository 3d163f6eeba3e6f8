import { segment } from "../../../_components/params";
import { HotPartitionsView } from "../../../_views/HotPartitionsView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  return { title: `Hot partitions · ${segment((await params).cluster)}` };
}

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <HotPartitionsView cluster={segment(cluster)} />;
}

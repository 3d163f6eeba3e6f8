import { segment } from "../../../_components/params";
import { CapacityView } from "../../../_views/CapacityView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  return { title: `Capacity · ${segment((await params).cluster)}` };
}

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <CapacityView cluster={segment(cluster)} />;
}

import { segment } from "../../../_components/params";
import { ConfigView } from "../../../_views/ConfigView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  return { title: `Config risks · ${segment((await params).cluster)}` };
}

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <ConfigView cluster={segment(cluster)} />;
}

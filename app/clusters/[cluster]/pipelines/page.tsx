import { segment } from "../../../_components/params";
import { PipelinesView } from "../../../_views/PipelinesView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  return { title: `Pipelines · ${segment((await params).cluster)}` };
}

export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <PipelinesView cluster={segment(cluster)} />;
}

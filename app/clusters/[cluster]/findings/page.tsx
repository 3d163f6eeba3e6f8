import { segment } from "../../../_components/params";
import { FindingsView } from "../../../_views/FindingsView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  return { title: `Findings · ${segment((await params).cluster)}` };
}

export default async function FindingsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <FindingsView cluster={segment(cluster)} />;
}

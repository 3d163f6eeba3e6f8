import { canAbortFromDashboard } from "@/lib/remediation/permission";
import { segment } from "../../../../_components/params";
import { FindingView } from "../../../../_views/FindingView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string; id: string }> }): Promise<Metadata> {
  const p = await params;
  return { title: `Finding · ${segment(p.cluster)}` };
}

export default async function FindingPage({ params }: { params: Promise<{ cluster: string; id: string }> }) {
  const { cluster, id } = await params;
  return <FindingView cluster={segment(cluster)} id={segment(id)} canAbort={await canAbortFromDashboard()} />;
}

import { segment } from "../../../../_components/params";
import { TransactionView } from "../../../../_views/TransactionView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string; transactionalId: string }> }): Promise<Metadata> {
  const p = await params;
  return { title: `${segment(p.transactionalId)} · transaction · ${segment(p.cluster)}` };
}

export default async function TransactionPage({ params }: { params: Promise<{ cluster: string; transactionalId: string }> }) {
  const { cluster, transactionalId } = await params;
  return <TransactionView cluster={segment(cluster)} transactionalId={segment(transactionalId)} />;
}

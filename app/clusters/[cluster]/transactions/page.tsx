import { segment } from "../../../_components/params";
import { TransactionsView } from "../../../_views/TransactionsView";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  return { title: `Transactions · ${segment((await params).cluster)}` };
}

export default async function TransactionsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <TransactionsView cluster={segment(cluster)} />;
}

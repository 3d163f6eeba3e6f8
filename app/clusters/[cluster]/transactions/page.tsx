import { segment } from "../../../_components/params";
import { TransactionsView } from "../../../_views/TransactionsView";

export default async function TransactionsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <TransactionsView cluster={segment(cluster)} />;
}

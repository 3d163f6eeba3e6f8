import { segment } from "../../../../_components/params";
import { TransactionView } from "../../../../_views/TransactionView";

export default async function TransactionPage({ params }: { params: Promise<{ cluster: string; transactionalId: string }> }) {
  const { cluster, transactionalId } = await params;
  return <TransactionView cluster={segment(cluster)} transactionalId={segment(transactionalId)} />;
}

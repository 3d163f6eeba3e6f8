import { notFound, redirect } from "next/navigation";
import { newestFindingWithKey } from "@/lib/ui/server/loaders";
import { paths } from "@/lib/ui/urls";
import { segment } from "../../../../../_components/params";

// The stable link alerts carry (docs/metrics.md): a finding key names a condition across its occurrences, so it
// lands on the newest finding with that key, open or resolved; a key the store does not know is not found.
export default async function FindingByKeyPage({ params }: { params: Promise<{ cluster: string; key: string }> }) {
  const p = await params;
  const cluster = segment(p.cluster);
  const key = segment(p.key);
  const id = await newestFindingWithKey(cluster, key);
  if (!id) notFound();
  redirect(paths.finding(cluster, id));
}

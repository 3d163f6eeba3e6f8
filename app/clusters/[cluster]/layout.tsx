import { segment } from "../../_components/params";
import type { ReactNode } from "react";
import { ClusterNav } from "../../_components/ClusterNav";

export default async function ClusterLayout({ params, children }: { params: Promise<{ cluster: string }>; children: ReactNode }) {
  const { cluster } = await params;
  return (
    <>
      <ClusterNav cluster={segment(cluster)} />
      {children}
    </>
  );
}

"use client";

import Link from "next/link";
import type { Identity } from "@/lib/auth/identity";
import { useParams, usePathname, useRouter } from "next/navigation";
import type { ClustersDto } from "@/lib/ui/dto";
import { formatTimestamp } from "@/lib/ui/format";
import { freshness, type Freshness } from "@/lib/ui/freshness";
import { useClustersQuery } from "@/lib/ui/hooks";
import { paths, withQuery } from "@/lib/ui/urls";
import { TimeTravel } from "./TimeTravel";
import { useNow } from "./use-now";
import { useUrlState } from "./url-state";

function ClusterSwitcher({ data, current }: { data: ClustersDto | undefined; current: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const { at } = useUrlState();
  const onChange = (name: string) => {
    if (!name) return router.push(withQuery(paths.overview(), { at }));
    // Keep the section (topics, groups, ...) but not the entity: it may not exist on the other cluster.
    const section = pathname.split("/")[3];
    const base = paths.cluster(name);
    router.push(withQuery(section ? `${base}/${section}` : base, { at }));
  };
  return (
    <label className="field" style={{ flexDirection: "row", alignItems: "center", gap: "0.4rem" }}>
      <span>Cluster</span>
      <select value={current ?? ""} onChange={(e) => onChange(e.target.value)} aria-label="Cluster">
        <option value="">All clusters</option>
        {(data?.clusters ?? []).map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
        {current && data && !data.clusters.some((c) => c.name === current) ? <option value={current}>{current}</option> : null}
      </select>
    </label>
  );
}

function FreshnessIndicator({ f, lastSnapshotAt, name }: { f: Freshness; lastSnapshotAt: number | null; name: string | null }) {
  return (
    <span className="freshness" title={lastSnapshotAt ? `Last successful poll: ${formatTimestamp(lastSnapshotAt)}` : undefined}>
      <span className={`dot dot-${f.tone}`} aria-hidden="true" />
      <span data-testid="freshness">
        {name ? `${name}: ` : ""}
        {f.label}
      </span>
    </span>
  );
}

export type SignedIn = Identity & { mode: "none" | "token" | "proxy"; logoutUrl: string | null };

function WhoAmI({ signedIn }: { signedIn: SignedIn }) {
  if (signedIn.mode === "none") return <span className="whoami" data-testid="whoami">Sign-in off (this machine only)</span>;
  return (
    <span className="whoami" data-testid="whoami">
      <span>
        {/* A token names only its role; an SSO user has a name of their own. */}
        {signedIn.user === signedIn.role ? (
          "Signed in as "
        ) : (
          <>
            <strong>{signedIn.user}</strong> ·{" "}
          </>
        )}
        <strong data-testid="role">{signedIn.role}</strong>
      </span>
      {signedIn.via === "session" ? (
        <form method="post" action="/api/auth/logout">
          <button type="submit" className="btn-link">
            Sign out
          </button>
        </form>
      ) : signedIn.logoutUrl ? (
        <a href={signedIn.logoutUrl}>Sign out</a>
      ) : null}
    </span>
  );
}

export function AppHeader({ signedIn }: { signedIn: SignedIn }) {
  const params = useParams<{ cluster?: string }>();
  const current = params.cluster ? decodeURIComponent(params.cluster) : null;
  const clusters = useClustersQuery();
  const now = useNow();
  const { at, set } = useUrlState();

  const shown = clusters.data?.clusters.filter((c) => !current || c.name === current) ?? [];
  const statuses = shown.map((c) => ({ name: c.name, f: freshness(c.poll, c.pollIntervalMs, now), lastSnapshotAt: c.poll.lastSnapshotAt }));
  const worst =
    statuses.find((s) => s.f.tone === "critical") ??
    statuses.find((s) => s.f.tone === "unknown") ??
    statuses.find((s) => s.f.tone === "warning") ??
    statuses[0];

  return (
    <>
      <header className="app-header">
        <Link href={withQuery(paths.overview(), { at })} className="brand">
          Kafka EOS Auditor
        </Link>
        <div className="header-controls">
          <ClusterSwitcher data={clusters.data} current={current} />
          <TimeTravel />
        </div>
        <span className="header-spacer" />
        {worst ? <FreshnessIndicator f={worst.f} lastSnapshotAt={worst.lastSnapshotAt} name={current ? null : worst.name} /> : null}
        {clusters.isError && !clusters.data ? <span className="freshness">status unavailable</span> : null}
        <WhoAmI signedIn={signedIn} />
      </header>
      {at ? (
        <div className="banner banner-info" role="status">
          Time travel: showing the state as of the last poll at or before <strong>{formatTimestamp(Date.parse(at))}</strong>.{" "}
          <button type="button" className="btn-link" onClick={() => set({ at: null })}>
            Back to live
          </button>
        </div>
      ) : null}
      {statuses
        .filter((s) => s.f.banner)
        .map((s) => (
          <div key={s.name} className={`banner banner-${s.f.tone === "critical" ? "critical" : "warning"}`} role="alert">
            {shown.length > 1 || !current ? <strong>{s.name}: </strong> : null}
            {s.f.banner}
          </div>
        ))}
    </>
  );
}

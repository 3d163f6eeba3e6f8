"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { withQuery } from "@/lib/ui/urls";
import { useUrlState } from "./url-state";

/**
 * A link that carries the current `?at=` along, so time travel survives drilling down. No prefetch: a table
 * of a thousand transactional ids must not render a thousand pages in the background.
 */
export function AtLink({ href, children, className }: { href: string; children: ReactNode; className?: string }) {
  const { at } = useUrlState();
  return (
    <Link href={withQuery(href, { at })} className={className} prefetch={false}>
      {children}
    </Link>
  );
}

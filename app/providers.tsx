"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ApiError } from "@/lib/ui/api-client";
import { PollIntervalContext } from "@/lib/ui/hooks";

function makeQueryClient(pollIntervalMs: number): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data changes once per poll: refetching sooner only loads the database.
        staleTime: Math.max(1000, pollIntervalMs / 2),
        // A 404 (mistyped or expired link) will not heal by retrying.
        retry: (failureCount, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
        refetchOnWindowFocus: true,
      },
    },
  });
}

export function Providers({ pollIntervalMs, children }: { pollIntervalMs: number; children: ReactNode }) {
  const [client] = useState(() => makeQueryClient(pollIntervalMs));
  return (
    <PollIntervalContext.Provider value={pollIntervalMs}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </PollIntervalContext.Provider>
  );
}

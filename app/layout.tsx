import type { Metadata, Viewport } from "next";
import { Suspense, type ReactNode } from "react";
import { env } from "@/lib/config/env";
import { AppHeader } from "./_components/AppHeader";
import { Providers } from "./providers";
import "./globals.css";

// Every page shows live data and reads the runtime poll interval: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Kafka EOS Auditor", template: "%s · Kafka EOS Auditor" },
  description: "Audits Kafka exactly-once pipelines: hung transactions, fencing, EOS-aware lag, config risks.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Providers pollIntervalMs={env().POLL_INTERVAL_MS}>
          <Suspense fallback={<header className="app-header" />}>
            <AppHeader />
          </Suspense>
          <main id="main">
            <Suspense fallback={null}>{children}</Suspense>
          </main>
        </Providers>
      </body>
    </html>
  );
}

import type { Metadata, Viewport } from "next";
import { Suspense, type ReactNode } from "react";
import { authConfig } from "@/lib/auth/config";
import { currentAuth } from "@/lib/auth/server";
import { env } from "@/lib/config/env";
import { AppHeader, type SignedIn } from "./_components/AppHeader";
import { Providers } from "./providers";
import "./globals.css";

// Every page shows live data and reads the runtime poll interval: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Kafka EOS Auditor", template: "%s · Kafka EOS Auditor" },
  description: "Audits Kafka exactly-once pipelines: hung transactions, fencing, EOS-aware lag, config risks.",
  icons: { icon: [{ url: "/favicon.ico", sizes: "32x32" }, { url: "/icon.svg", type: "image/svg+xml" }] },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const auth = await currentAuth();
  const config = authConfig();
  const signedIn: SignedIn | null = auth.ok
    ? { ...auth.identity, mode: config.mode, logoutUrl: config.mode === "proxy" ? config.logoutUrl : null }
    : null;
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Providers pollIntervalMs={env().POLL_INTERVAL_MS}>
          {signedIn ? (
            <Suspense fallback={<header className="app-header" />}>
              <AppHeader signedIn={signedIn} />
            </Suspense>
          ) : (
            // Signed out (the sign-in page): no cluster controls, they would only fetch 401s.
            <header className="app-header">
              <span className="brand">Kafka EOS Auditor</span>
            </header>
          )}
          <main id="main">
            <Suspense fallback={null}>{children}</Suspense>
          </main>
        </Providers>
      </body>
    </html>
  );
}

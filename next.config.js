/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Server-only packages with native bindings or dynamic requires stay out of the bundle.
  serverExternalPackages: ["kafkajs", "better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "prom-client"],
  poweredByHeader: false,
  // The Playwright suite builds into its own directory so it never races a developer's `next build`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;

import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      // Kafka names are untrusted: nothing may bypass React's escaping.
      "react/no-danger": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // Outside React code a function named use… (e.g. the store's useDatabase) is not a hook.
    files: ["scripts/**", "e2e/**", "lib/**"],
    ignores: ["lib/ui/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  globalIgnores([".next/**", ".next-e2e/**", "node_modules/**", ".kafka/**", "data/**", "lib/generated/**", "test-results/**", "playwright-report/**", "e2e/screenshots/**", "next-env.d.ts"]),
]);

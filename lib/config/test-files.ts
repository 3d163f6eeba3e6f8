// Helpers for configuration tests: a temp directory per test for config and secret files, and the message of
// the ConfigError a load throws.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect } from "vitest";
import { ConfigError } from "./env";

/** A fresh directory per test: `dir.path`, and `dir.write(name, text)` returning the file's path. */
export function useConfigDir(prefix: string): { readonly path: string; write(name: string, text: string): string } {
  let current: string | undefined;
  beforeEach(() => {
    current = mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => {
    if (current) rmSync(current, { recursive: true, force: true });
    current = undefined;
  });
  const dir = {
    get path() {
      if (!current) throw new Error("the config directory exists only inside a test");
      return current;
    },
    write(name: string, text: string) {
      const file = path.join(dir.path, name);
      writeFileSync(file, text);
      return file;
    },
  };
  return dir;
}

/** The ConfigError's message, or a failure when nothing was thrown. */
export function configProblems(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

import { describe, expect, it } from "vitest";
import type { PhaseName } from "../snapshot/types";
import { canResolve } from "./finding-phases";
import { buildSnapshot } from "./testing/snapshot-builder";

const PHASES: PhaseName[] = ["metadata", "configs", "offsets", "logDirs", "groups", "groupOffsets", "transactions", "producers"];

/** A partial poll whose only failure is in `failed`. */
const partial = (failed: PhaseName) =>
  buildSnapshot({
    complete: false,
    phases: PHASES.map((name) => ({
      name,
      startedAt: 0,
      durationMs: 1,
      requests: 1,
      bytesSent: 1,
      bytesReceived: 1,
      errors: name === failed ? [{ brokerId: 1, code: "TIMEOUT", message: "timed out" }] : [],
      unsupported: false,
    })),
  });

describe("canResolve", () => {
  it("keeps low replication open while the phases that say a topic is transactional failed", () => {
    expect(canResolve(partial("transactions"), "config-low-replication")).toBe(false);
    expect(canResolve(partial("producers"), "config-low-replication")).toBe(false);
    expect(canResolve(partial("groups"), "config-low-replication")).toBe(true);
    // A topic's min.insync.replicas is known from its configs alone.
    expect(canResolve(partial("transactions"), "config-min-isr-one")).toBe(true);
  });

  it("resolves nothing of an unknown kind", () => {
    expect(canResolve(buildSnapshot(), "no-such-kind")).toBe(false);
  });
});

import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Integration files run on two workers. A clean clone has no timing cache, so vitest would order them by file
// size; starting the longest files first (their wall time in a clean-clone CI run, 2 cores) lets both workers
// finish close together. Files not listed (each under a minute) keep vitest's own order after these.
const MEASURED_SECONDS: Record<string, number> = {
  "detection/java-scenarios.test.ts": 840,
  "scenarios/java-clients.test.ts": 423,
  "collector.test.ts": 172,
  "remediation/abort.test.ts": 150,
  "security.test.ts": 141,
  "group-types.test.ts": 137,
  "kafkajs-compat.test.ts": 128,
  "harness.test.ts": 112,
  "postgres-failover.test.ts": 90,
  "scenarios/single-node.test.ts": 88,
  "detection/scenarios.test.ts": 86,
  "metrics.test.ts": 78,
  "acls.test.ts": 67,
};

const INTEGRATION_DIR = path.join("e2e", "integration");

function measuredSeconds(spec: TestSpecification): number {
  const relative = path.relative(path.join(spec.project.config.root, INTEGRATION_DIR), spec.moduleId);
  return MEASURED_SECONDS[relative.split(path.sep).join("/")] ?? 0;
}

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => measuredSeconds(b.spec) - measuredSeconds(a.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}

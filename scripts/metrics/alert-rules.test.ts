import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// The shipped alert rules, checked and unit-tested by Prometheus's own promtool (Debian package `prometheus`;
// .ci/run installs it) on series recorded from real scenarios (record-alert-series.ts).

const run = promisify(execFile);
const RULES = path.join(process.cwd(), "deploy/prometheus/alerts.yml");
const TESTS = path.join(process.cwd(), "deploy/prometheus/tests/alerts.test.yml");

async function promtool(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run("promtool", args, { timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === "ENOENT") {
      throw new Error("promtool is not installed: `apt-get install -y prometheus` (Debian) provides /usr/bin/promtool; .ci/run installs it");
    }
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("deploy/prometheus/alerts.yml", () => {
  it("passes promtool check rules", async () => {
    const { code, output } = await promtool(["check", "rules", RULES]);
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
    expect(code).toBe(0);
  });

  it("fires as expected on the recorded series (promtool test rules)", async () => {
    const { code, output } = await promtool(["test", "rules", TESTS]);
    expect(output, output).toMatch(/SUCCESS/);
    expect(code).toBe(0);
  });

  it("is tested for every rule, with each firing at least once", () => {
    const rules = (parse(readFileSync(RULES, "utf8")) as { groups: { rules: { alert: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert));
    const tests = parse(readFileSync(TESTS, "utf8")) as { tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] };
    const cases = tests.tests.flatMap((t) => t.alert_rule_test);
    const firing = new Set(cases.filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname));
    // Down (no metrics at all) cannot be recorded from a running auditor: it is checked to stay silent.
    expect(rules.filter((r) => !firing.has(r))).toEqual(["KafkaEosAuditorDown"]);
    expect(new Set(cases.map((c) => c.alertname))).toEqual(new Set(rules));
  });
});

import { describe, expect, it } from "vitest";
import { makeFinding, type Severity } from "./findings";
import { exitCodeFor, formatFindings } from "./report";

const finding = (severity: Severity, title = "t") =>
  makeFinding({
    kind: "stuck-lso",
    severity,
    cluster: "c",
    subject: { topic: title },
    title,
    evidence: { lastStableOffset: 5, groups: ["a", "b"] },
    explanation: "because",
    remediation: "do this",
  });

describe("exitCodeFor", () => {
  it("returns 2 for critical, 1 for warning, 0 below the threshold", () => {
    expect(exitCodeFor([finding("info"), finding("critical")], "warning")).toBe(2);
    expect(exitCodeFor([finding("info"), finding("warning")], "warning")).toBe(1);
    expect(exitCodeFor([finding("warning")], "critical")).toBe(0);
    expect(exitCodeFor([finding("info")], "info")).toBe(1);
    expect(exitCodeFor([], "info")).toBe(0);
  });
});

describe("formatFindings", () => {
  it("lists findings most severe first with evidence, explanation and fix", () => {
    const text = formatFindings([finding("info", "minor"), finding("critical", "major")]);
    expect(text.split("\n")[0]).toBe("2 finding(s): 1 critical, 0 warning, 1 info");
    expect(text.indexOf("CRITICAL major")).toBeLessThan(text.indexOf("INFO     minor"));
    expect(text).toContain("evidence: lastStableOffset=5 groups=[a, b]");
    expect(text).toContain("fix:      do this");
  });

  it("says so when there is nothing", () => {
    expect(formatFindings([])).toBe("No findings.");
  });
});

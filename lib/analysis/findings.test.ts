import { describe, expect, it } from "vitest";
import { findingKey, makeFinding, maxSeverity } from "./findings";

describe("findingKey", () => {
  it("is stable and URL-safe", () => {
    const a = findingKey("prod", "stuck-lso", { topic: "orders", partition: 3 });
    expect(a).toBe(findingKey("prod", "stuck-lso", { partition: 3, topic: "orders" }));
    expect(a).toMatch(/^stuck-lso-[0-9a-z]{11}$/);
    expect(encodeURIComponent(a)).toBe(a);
  });

  it("differs by cluster, kind and every subject field", () => {
    const base = findingKey("prod", "stuck-lso", { topic: "orders", partition: 3 });
    const variants = [
      findingKey("dev", "stuck-lso", { topic: "orders", partition: 3 }),
      findingKey("prod", "hanging-transaction", { topic: "orders", partition: 3 }),
      findingKey("prod", "stuck-lso", { topic: "orders", partition: 4 }),
      findingKey("prod", "stuck-lso", { topic: "orders3", partition: undefined }),
      findingKey("prod", "stuck-lso", { topic: "orders", partition: 3, detail: "x" }),
    ];
    expect(new Set([base, ...variants]).size).toBe(6);
  });
});

describe("makeFinding / maxSeverity", () => {
  it("derives the key from the subject", () => {
    const f = makeFinding({
      kind: "eos-lag",
      severity: "info",
      cluster: "c",
      subject: { groupId: "g" },
      title: "t",
      evidence: {},
      explanation: "e",
      remediation: "r",
    });
    expect(f.key).toBe(findingKey("c", "eos-lag", { groupId: "g" }));
  });

  it("picks the more severe", () => {
    expect(maxSeverity("info", "critical")).toBe("critical");
    expect(maxSeverity("warning", "info")).toBe("warning");
  });
});

import { describe, expect, it } from "vitest";
import type { FindingNotificationDto } from "./dto";
import { notificationSummary } from "./notification-view";

const base: FindingNotificationDto = {
  target: "slack-oncall",
  transition: "opened",
  severity: "critical",
  status: "delivered",
  attempts: 1,
  deliveredAt: Date.UTC(2026, 10, 30, 11, 53, 31),
  lastError: null,
};

describe("notificationSummary", () => {
  it("says where each transition went and how it went", () => {
    expect(notificationSummary(base)).toBe("slack-oncall: opened, delivered 2026-11-30 11:53:31 UTC");
    expect(notificationSummary({ ...base, transition: "escalated", attempts: 3 })).toBe(
      "slack-oncall: escalated to critical, delivered 2026-11-30 11:53:31 UTC after 3 attempts",
    );
    expect(notificationSummary({ ...base, status: "pending", attempts: 0, deliveredAt: null })).toBe("slack-oncall: opened, sending");
    expect(notificationSummary({ ...base, transition: "resolved", status: "pending", attempts: 1, deliveredAt: null, lastError: "HTTP 503: maintenance" })).toBe(
      "slack-oncall: resolved, retrying after 1 failed attempt (HTTP 503: maintenance)",
    );
    expect(notificationSummary({ ...base, status: "failed", attempts: 10, deliveredAt: null, lastError: "no answer within 10000 ms" })).toBe(
      "slack-oncall: opened, not delivered: gave up after 10 attempts (no answer within 10000 ms)",
    );
  });
});

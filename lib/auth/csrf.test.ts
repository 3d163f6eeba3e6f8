import { describe, expect, it } from "vitest";
import { ACTION_HEADER } from "./action-header";
import { checkActionRequest } from "./csrf";

const action = (headers: Record<string, string>) =>
  new Request("http://auditor.internal:3000/api/clusters/prod/findings/f1/abort", {
    method: "POST",
    headers: { host: "auditor.internal:3000", ...headers },
    body: "{}",
  });
const json = { "content-type": "application/json", [ACTION_HEADER]: "1" };

describe("checkActionRequest", () => {
  it("accepts a same-origin JSON request with the action header, and a script's (no Origin)", () => {
    expect(() => checkActionRequest(action({ ...json, origin: "http://auditor.internal:3000", "sec-fetch-site": "same-origin" }))).not.toThrow();
    expect(() => checkActionRequest(action({ ...json, "content-type": "application/json; charset=utf-8" }))).not.toThrow();
  });

  it("refuses what a cross-site form or fetch can send", () => {
    const cases: Record<string, string>[] = [
      { "content-type": "text/plain", [ACTION_HEADER]: "1" },
      { "content-type": "application/x-www-form-urlencoded" },
      { "content-type": "application/json" },
      { ...json, origin: "https://evil.example" },
      { ...json, origin: "null" },
      { ...json, "sec-fetch-site": "cross-site" },
      { ...json, "sec-fetch-site": "same-site" },
    ];
    for (const headers of cases) expect(() => checkActionRequest(action(headers)), JSON.stringify(headers)).toThrow(/cross-site request refused/);
  });
});

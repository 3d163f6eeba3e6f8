import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, SETTING_KEYS, resolveSettings, settingFlag, settingsFromFlags, settingsUsage } from "./settings";

describe("detector settings as command-line flags", () => {
  it("has one flag per setting, durations in seconds", () => {
    expect(SETTING_KEYS).toEqual(Object.keys(DEFAULT_SETTINGS));
    expect(settingFlag("lsoStuckMs")).toEqual({ flag: "lso-stuck", seconds: true });
    expect(settingFlag("txnBlockedMs")).toEqual({ flag: "txn-blocked", seconds: true });
    expect(settingFlag("fenceFightCount")).toEqual({ flag: "fence-fight-count", seconds: false });
    const flags = SETTING_KEYS.map((k) => settingFlag(k).flag);
    expect(new Set(flags).size).toBe(SETTING_KEYS.length);
    for (const flag of flags) expect(settingsUsage()).toContain(`--${flag} `);
  });

  it("parses every given flag and nothing else, and rejects bad values by name", () => {
    expect(settingsFromFlags({ "lso-stuck": "90", "txn-blocked": "12.5", "fence-fight-count": "5", json: true })).toEqual({
      lsoStuckMs: 90_000,
      txnBlockedMs: 12_500,
      fenceFightCount: 5,
    });
    expect(settingsFromFlags({})).toEqual({});
    expect(() => settingsFromFlags({ stopped: "soon" })).toThrow("--stopped must be a non-negative number of seconds");
    expect(() => settingsFromFlags({ "hot-share": "-1" })).toThrow("--hot-share must be a non-negative number");
    expect(() => settingsFromFlags({ "lag-samples": "" })).toThrow("--lag-samples");
  });
});

describe("resolveSettings", () => {
  it("keeps a sample more than the polls a hot broker must last, whatever rateSamples says", () => {
    expect(resolveSettings({ hotPersistentPolls: 8 }).rateSamples).toBe(9);
    expect(resolveSettings({ rateSamples: 2 }).rateSamples).toBe(DEFAULT_SETTINGS.hotPersistentPolls + 1);
    expect(resolveSettings({ rateSamples: 12 }).rateSamples).toBe(12);
  });
});

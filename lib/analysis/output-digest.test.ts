// Guards the detectors' output across refactorings done for speed (issue 12): every recorded scenario is
// replayed through runDetectors, with its scaled thresholds and with the defaults, and a digest of every poll's
// findings, next state and derived figures must equal the one committed in output-digests.json. The state is
// handed on as the store hands it on (through JSON), so a fold that edits its previous state in place, or that
// depends on a value JSON would drop, changes the digest too. A deliberate change of detector output updates the
// file with `npx vitest run --project unit lib/analysis/output-digest.test.ts -u`.
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runDetectors, type DetectorState } from "./index";
import { DEFAULT_SETTINGS, resolveSettings } from "./settings";
import { readRecording } from "./testing/recorded/recording";

const RECORDED = fileURLToPath(new URL("./testing/recorded/", import.meta.url));

function digest(file: string, at: "recorded" | "default"): string {
  const recording = readRecording(RECORDED + file);
  // As recorded.test.ts replays them: recordings older than txnBlockedMs timed TXN_BLOCKED with lsoStuckMs.
  const settings =
    at === "default"
      ? DEFAULT_SETTINGS
      : resolveSettings({ txnBlockedMs: recording.settings.lsoStuckMs ?? DEFAULT_SETTINGS.txnBlockedMs, ...recording.settings });
  const hash = createHash("sha256");
  let previous: DetectorState | null = null;
  for (const snapshot of recording.snapshots) {
    const result = runDetectors({ snapshot, previous, now: snapshot.collectedAt + snapshot.durationMs, settings });
    const serialised = JSON.stringify(result);
    hash.update(serialised);
    previous = (JSON.parse(serialised) as typeof result).state;
  }
  return hash.digest("hex");
}

describe("detector output on the recorded scenarios", () => {
  it("is unchanged: findings, state and derived figures of every poll", async () => {
    const files = readdirSync(RECORDED).filter((f) => f.endsWith(".json.gz")).sort();
    expect(files.length).toBeGreaterThan(10);
    const digests = Object.fromEntries(files.flatMap((f) => [[`${f} recorded`, digest(f, "recorded")], [`${f} default`, digest(f, "default")]]));
    await expect(`${JSON.stringify(digests, null, 2)}\n`).toMatchFileSnapshot("./testing/recorded/output-digests.json");
  });
});

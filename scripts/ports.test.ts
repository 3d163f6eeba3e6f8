import { execFile, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { candidateRange, claimPort, ephemeralRange, freeLoopbackPorts, reservationFile, reservationOwner } from "./ports";

const run = promisify(execFile);

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "0"]);
  return child.pid!;
}

describe("candidateRange", () => {
  it("takes the larger side of the ephemeral range", () => {
    expect(candidateRange([32_768, 60_999])).toEqual([20_000, 32_767]);
    expect(candidateRange([10_000, 30_000])).toEqual([30_001, 65_535]);
  });

  it("refuses when neither side has room", () => {
    expect(() => candidateRange([1_024, 65_000])).toThrow("no 1000 ports outside the ephemeral range 1024-65000");
  });
});

describe("freeLoopbackPorts", () => {
  it("hands out distinct ports outside the ephemeral range, reserved for this process", async () => {
    const [low, high] = ephemeralRange();
    const ports = await freeLoopbackPorts(20);
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port < low || port > high).toBe(true);
      expect(reservationOwner(port)).toBe(process.pid);
    }
  });

  it("never hands the same port to two processes asking at once", async () => {
    const script = `import("./scripts/ports.ts").then(async (m) => console.log(JSON.stringify(await m.freeLoopbackPorts(200))))`;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => run("node_modules/.bin/tsx", ["-e", script], { cwd: process.cwd() })),
    );
    const ports = answers.flatMap((a) => JSON.parse(a.stdout) as number[]);
    expect(ports).toHaveLength(800);
    expect(new Set(ports).size).toBe(800);
  });

  it("takes over a port whose owner died, never one whose owner lives", async () => {
    const [port, other] = await freeLoopbackPorts(2);
    writeFileSync(reservationFile(port), String(deadPid()));
    writeFileSync(reservationFile(other), String(process.ppid));
    expect(claimPort(port)).toBe(true);
    expect(reservationOwner(port)).toBe(process.pid);
    expect(claimPort(other)).toBe(false);
    expect(reservationOwner(other)).toBe(process.ppid);
  });
});

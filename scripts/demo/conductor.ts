import type { ScenarioEntry } from "../scenarios";
import type { RunningScenario, ScenarioContext } from "../scenarios/support";

// Scenarios that create a moment (a stuck transaction, a fencing round, a restart with a fresh id) are re-run
// on a cadence so the dashboard always has something fresh to find; the steady ones run once for good.
const RERUN_EVERY_MS: Record<string, number> = {
  "stuck-transaction": 4 * 60_000,
  "zombie-fencing": 5 * 60_000,
  "unstable-transactional-id": 6 * 60_000,
  "read-uncommitted-group": 4 * 60_000,
  "lag-of-one": 10 * 60_000,
};

export class ScenarioConductor {
  private readonly running = new Map<number, RunningScenario>();
  private readonly timers: NodeJS.Timeout[] = [];
  private round = 0;
  private stopped = false;

  constructor(
    private readonly scenarios: readonly ScenarioEntry[],
    private readonly ctx: ScenarioContext & { log: (msg: string) => void },
  ) {}

  start(): void {
    for (const scenario of this.scenarios) {
      void this.launch(scenario);
      const every = RERUN_EVERY_MS[scenario.name];
      if (every) this.timers.push(setInterval(() => void this.relaunch(scenario), every));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.running.values()].map((r) => r.stop()));
    this.running.clear();
  }

  private async relaunch(scenario: ScenarioEntry): Promise<void> {
    const previous = this.running.get(scenario.id);
    this.running.delete(scenario.id);
    await previous?.stop().catch(() => undefined);
    await this.launch(scenario);
  }

  private async launch(scenario: ScenarioEntry): Promise<void> {
    if (this.stopped) return;
    this.round += 1;
    try {
      // A new prefix per launch: each run creates its own topics, groups and ids, like a new deployment would.
      const running = await scenario.run({ ...this.ctx, prefix: `demo${this.round}-` });
      if (this.stopped) return void (await running.stop());
      this.running.set(scenario.id, running);
      this.ctx.log(`scenario ${scenario.id} ${scenario.name}: ${scenario.description}`);
    } catch (error) {
      this.ctx.log(`scenario ${scenario.id} ${scenario.name} failed: ${error instanceof Error ? error.message : error}`);
    }
  }
}

// Failed sign-ins per client address: after LIMIT failures in WINDOW_MS the address must wait out the window.
// In memory, per process: it slows a guesser down; the token's length is what makes guessing hopeless.

const LIMIT = 10;
const WINDOW_MS = 5 * 60_000;
const MAX_TRACKED = 10_000;

type Entry = { failures: number; resetAt: number };

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  /** Milliseconds until `address` may try again, or 0. */
  retryAfterMs(address: string, now: number): number {
    const entry = this.entries.get(address);
    if (!entry || entry.resetAt <= now) return 0;
    return entry.failures >= LIMIT ? entry.resetAt - now : 0;
  }

  recordFailure(address: string, now: number): void {
    const entry = this.entries.get(address);
    if (entry && entry.resetAt > now) {
      entry.failures++;
      return;
    }
    if (this.entries.size >= MAX_TRACKED) {
      for (const [key, e] of this.entries) if (e.resetAt <= now) this.entries.delete(key);
      if (this.entries.size >= MAX_TRACKED) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(address, { failures: 1, resetAt: now + WINDOW_MS });
  }

  recordSuccess(address: string): void {
    this.entries.delete(address);
  }
}

export const LOGIN_FAILURE_LIMIT = LIMIT;

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"): the
 * n-th retry waits a uniformly random time in [0, min(cap, base * 2^n)]. A fleet of sites that lost
 * the NOC together (a broker restart, a regional outage) then comes back spread out, not in a herd.
 */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

export interface Backoff {
  /** The wait before the next attempt; each call doubles the ceiling, up to the cap (or `capMs`). */
  next(capMs?: number): number;
  /** After a connection that worked: start again from the base. */
  reset(): void;
  readonly attempts: number;
}

export function createBackoff(options: BackoffOptions, random: () => number): Backoff {
  let attempts = 0;
  return {
    next(capMs = options.capMs) {
      const ceiling = Math.min(capMs, options.baseMs * 2 ** Math.min(attempts, 30));
      attempts += 1;
      return Math.round(random() * ceiling);
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}

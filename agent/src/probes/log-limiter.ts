import type { Clock } from '../clock.js';

/**
 * Lets one log line per key through per interval, so a target that fails every minute logs once a
 * quarter hour, not 96 times a day. Bounded: at most `maxKeys` keys are remembered (oldest forgotten).
 */
export function createLogLimiter(clock: Clock, intervalMs: number, maxKeys = 256) {
  const lastMs = new Map<string, number>();
  return {
    /** True when a line for `key` may be logged now (and records that it was). */
    allow(key: string): boolean {
      const now = clock.monotonicMs();
      const last = lastMs.get(key);
      if (last !== undefined && now - last < intervalMs) return false;
      lastMs.delete(key);
      lastMs.set(key, now);
      if (lastMs.size > maxKeys) {
        const oldest = lastMs.keys().next().value;
        if (oldest !== undefined) lastMs.delete(oldest);
      }
      return true;
    },
  };
}
export type LogLimiter = ReturnType<typeof createLogLimiter>;

import type { Clock } from '../clock.js';

/**
 * Lets one log line per key through per interval, so a target that fails every minute logs once a
 * quarter hour, not 96 times a day, and a Pi's SD card is not filled with the same line for months.
 * Bounded: at most `maxKeys` keys are remembered (the longest unused forgotten first).
 */
export interface LogLimiter {
  /**
   * Null while `key` is held back (its `weight` is added to what is held back); otherwise the line
   * may be logged now, and this returns what was held back since its last line (0 for the first).
   */
  admit(key: string, weight?: number): number | null;
}

export function createLogLimiter(clock: Clock, intervalMs: number, maxKeys = 256): LogLimiter {
  const byKey = new Map<string, { loggedAtMs: number; heldBack: number }>();
  return {
    admit(key, weight = 1) {
      const nowMs = clock.monotonicMs();
      const entry = byKey.get(key);
      if (entry !== undefined && nowMs - entry.loggedAtMs < intervalMs) {
        entry.heldBack += weight;
        return null;
      }
      byKey.delete(key);
      byKey.set(key, { loggedAtMs: nowMs, heldBack: 0 });
      if (byKey.size > maxKeys) {
        const oldest = byKey.keys().next().value;
        if (oldest !== undefined) byKey.delete(oldest);
      }
      return entry?.heldBack ?? 0;
    },
  };
}

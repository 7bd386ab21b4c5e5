import type { Logger } from '@pantau/shared';
import type { Clock } from '../clock.js';

/**
 * Rate-limits a probe's failure lines: a failure is logged when its code changes, then at most once
 * per `everyMs` while it lasts; the first success after it is logged once. A site with no router
 * must not write a line a minute for months on a Pi's SD card.
 */
export interface FailureLog {
  failed(code: string, message: string): void;
  succeeded(): void;
}

export function createFailureLog(log: Logger, clock: Clock, everyMs = 15 * 60_000): FailureLog {
  let current: { code: string; loggedAtMs: number; repeats: number } | null = null;
  return {
    failed(code, message) {
      const nowMs = clock.monotonicMs();
      if (current !== null && current.code === code && nowMs - current.loggedAtMs < everyMs) {
        current.repeats += 1;
        return;
      }
      const suppressed = current?.code === code ? current.repeats : 0;
      log.warn({ event: 'probe_failed', code, suppressed }, message);
      current = { code, loggedAtMs: nowMs, repeats: 0 };
    },
    succeeded() {
      if (current === null) return;
      log.info({ event: 'probe_recovered', after: current.code }, 'probe works again');
      current = null;
    },
  };
}

/** Logs a warning per event at most once per `everyMs`, adding up the counts it held back. */
export function createWarnLimiter(
  log: Logger,
  clock: Clock,
  everyMs = 15 * 60_000,
): (event: string, count: number, message: string) => void {
  const pending = new Map<string, { loggedAtMs: number; heldBack: number }>();
  return (event, count, message) => {
    const nowMs = clock.monotonicMs();
    const entry = pending.get(event);
    if (entry !== undefined && nowMs - entry.loggedAtMs < everyMs) {
      entry.heldBack += count;
      return;
    }
    log.warn({ event, count: count + (entry?.heldBack ?? 0) }, message);
    pending.set(event, { loggedAtMs: nowMs, heldBack: 0 });
  };
}

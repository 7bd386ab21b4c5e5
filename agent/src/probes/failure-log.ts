import type { Logger } from '@pantau/shared';
import type { Clock } from '../clock.js';
import { createLogLimiter } from './log-limiter.js';

/** A probe failure log line at most once per code per interval. */
export const PROBE_FAILURE_LOG_INTERVAL_MS = 15 * 60_000;

/**
 * A probe's failure lines: each code is logged at most once per `everyMs` while it lasts, with how
 * many were held back; the first success after a failure is logged once.
 */
export interface FailureLog {
  failed(code: string, message: string): void;
  succeeded(): void;
}

export function createFailureLog(log: Logger, clock: Clock, everyMs = PROBE_FAILURE_LOG_INTERVAL_MS): FailureLog {
  const limiter = createLogLimiter(clock, everyMs);
  let failing: string | null = null;
  return {
    failed(code, message) {
      failing = code;
      const suppressed = limiter.admit(code);
      if (suppressed !== null) log.warn({ event: 'probe_failed', code, suppressed }, message);
    },
    succeeded() {
      if (failing === null) return;
      log.info({ event: 'probe_recovered', after: failing }, 'probe works again');
      failing = null;
    },
  };
}

/** Logs a warning per event at most once per `everyMs`, adding up the counts it held back. */
export function createWarnLimiter(
  log: Logger,
  clock: Clock,
  everyMs = PROBE_FAILURE_LOG_INTERVAL_MS,
): (event: string, count: number, message: string) => void {
  const limiter = createLogLimiter(clock, everyMs);
  return (event, count, message) => {
    const heldBack = limiter.admit(event, count);
    if (heldBack !== null) log.warn({ event, count: count + heldBack }, message);
  };
}

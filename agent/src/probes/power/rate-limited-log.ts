import type { Logger } from '@pantau/shared';
import type { Clock } from '../../clock.js';

/**
 * Logs a failure at most once per code per interval. A site with an unplugged charger would
 * otherwise write the same line every cycle and fill the Pi's SD card; the next line for that code
 * says how many were held back.
 */
export function createRateLimitedLog(log: Logger, clock: Clock, intervalMs: number) {
  const lastByCode = new Map<string, { atMs: number; suppressed: number }>();
  return {
    warn(code: string, message: string, fields: Record<string, unknown> = {}): void {
      const nowMs = clock.monotonicMs();
      const last = lastByCode.get(code);
      if (last !== undefined && nowMs - last.atMs < intervalMs) {
        last.suppressed += 1;
        return;
      }
      log.warn({ ...fields, event: 'power_read_failed', code, suppressed: last?.suppressed ?? 0 }, message);
      lastByCode.set(code, { atMs: nowMs, suppressed: 0 });
    },
  };
}
export type RateLimitedLog = ReturnType<typeof createRateLimitedLog>;

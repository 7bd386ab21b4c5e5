import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../agent/src/clock.js';
import { createCronCalendar } from '../../../../agent/src/schedule/calendar.js';
import { captureLogger } from '../../../helpers/fakes.js';

const DAY = 86_400_000;

/**
 * node-cron reads the real Date and sets real timers, so these tests fake both (vitest's fake
 * timers) and step the system time alone, which moves the wall clock and not the monotonic one.
 */
describe('calendar jobs through a clock step', () => {
  const consoleCalls: unknown[][] = [];
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'],
    });
    vi.setSystemTime(new Date(2026, 2, 1, 12, 0, 0));
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleCalls.push(args);
      });
    }
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    consoleCalls.length = 0;
  });

  for (const [name, stepMs] of [
    ['forward by 400 days', 400 * DAY],
    ['back by 400 days', -400 * DAY],
  ] as const) {
    it(`runs the nightly job on the next nights after a step ${name}, with at most one log line`, async () => {
      const { log, lines } = captureLogger('info');
      const calendar = createCronCalendar({ clock: systemClock, log });
      const runs: Date[] = [];
      const stop = calendar.schedule('0 0 3 * * *', async () => {
        runs.push(new Date());
      });
      await vi.advanceTimersByTimeAsync(30_000);
      vi.setSystemTime(Date.now() + stepMs);
      await vi.advanceTimersByTimeAsync(2 * DAY);
      stop();
      // Each of the two nights after the step, at 03:00 on the new clock.
      expect(runs.map((d) => d.getHours())).toEqual([3, 3]);
      expect(runs.every((d) => Math.abs(d.getTime() - (Date.now() - 2 * DAY)) < 2 * DAY)).toBe(true);
      // Nothing on the console; what node-cron or the calendar has to say is one JSON line at most.
      expect(consoleCalls).toEqual([]);
      expect(lines.filter((l) => l.module === 'calendar').length).toBeLessThanOrEqual(1);
    });
  }
});

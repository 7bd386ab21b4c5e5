import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../agent/src/clock.js';
import { createCalendar } from '../../../../agent/src/schedule/calendar.js';
import { createCronCalendar } from '../../../../agent/src/schedule/cron-calendar.js';
import { nextLocalMinute } from '../../../../agent/src/schedule/daily.js';
import { captureLogger, FakeClock } from '../../../helpers/fakes.js';

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

  for (const [name, stepMs, kind] of [
    ['forward by 400 days', 400 * DAY, 'cron'],
    ['back by 400 days', -400 * DAY, 'cron'],
    ['forward by 400 days', 400 * DAY, 'daily'],
    ['back by 400 days', -400 * DAY, 'daily'],
  ] as const) {
    it(`runs the nightly job (${kind}) on the next nights after a step ${name}, with at most one log line`, async () => {
      const { log, lines } = captureLogger('info');
      const runs: Date[] = [];
      const job = async () => {
        runs.push(new Date());
      };
      const stop =
        kind === 'cron'
          ? createCronCalendar({ clock: systemClock, log }).schedule('0 0 3 * * *', job)
          : createCalendar({ clock: systemClock, log }).schedule({ kind: 'daily', minuteOfDay: 3 * 60 }, job);
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

describe('a daily calendar job on the injected clock', () => {
  const at = (ms: number) => {
    const d = new Date(ms);
    return `${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
  };

  it('runs once a day at its local minute, never before, and not after it is stopped', async () => {
    const clock = new FakeClock(new Date(2027, 0, 15, 8, 0, 0).getTime());
    const runs: number[] = [];
    const stop = createCalendar({ clock, log: captureLogger().log }).schedule(
      { kind: 'daily', minuteOfDay: 3 * 60 + 17 },
      async () => {
        runs.push(clock.nowMs());
      },
    );
    clock.advance(19 * 3_600_000 + 16 * 60_000);
    await Promise.resolve();
    expect(runs).toEqual([]);
    for (let minute = 0; minute < 3 * 24 * 60; minute += 1) {
      clock.advance(60_000);
      await Promise.resolve();
    }
    expect(runs.map(at)).toEqual(['3:17:00', '3:17:00', '3:17:00']);
    expect(new Set(runs.map((ms) => new Date(ms).getDate())).size).toBe(3);
    stop();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(2 * DAY);
    expect(runs).toHaveLength(3);
  });

  it('logs a slot the wall clock stepped over instead of running it late', async () => {
    const clock = new FakeClock(new Date(2027, 0, 15, 2, 0, 0).getTime());
    const { log, lines } = captureLogger('info');
    const runs: number[] = [];
    const stop = createCalendar({ clock, log }).schedule({ kind: 'daily', minuteOfDay: 3 * 60 }, async () => {
      runs.push(clock.nowMs());
    });
    clock.advance(30_000);
    clock.stepWall(9 * 3_600_000);
    clock.advance(60_000);
    await Promise.resolve();
    expect(runs).toEqual([]);
    expect(lines.filter((l) => l.event === 'calendar_missed')).toHaveLength(1);
    clock.advance(DAY);
    await Promise.resolve();
    expect(runs.map(at)).toEqual(['3:00:00']);
    stop();
  });

  it('skips a day whose job still runs from the day before', async () => {
    const clock = new FakeClock(new Date(2027, 0, 15, 12, 0, 0).getTime());
    const { log, lines } = captureLogger('info');
    let started = 0;
    const stop = createCalendar({ clock, log }).schedule({ kind: 'daily', minuteOfDay: 0 }, () => {
      started += 1;
      return new Promise<void>(() => {});
    });
    clock.advance(2 * DAY);
    await Promise.resolve();
    expect(started).toBe(1);
    expect(lines.filter((l) => l.event === 'calendar_overlap')).toHaveLength(1);
    stop();
  });

  it('finds the next local minute across a day boundary', () => {
    const now = new Date(2027, 0, 15, 23, 59, 30).getTime();
    expect(nextLocalMinute(now, 0)).toBe(new Date(2027, 0, 16, 0, 0, 0).getTime());
    expect(nextLocalMinute(now, 23 * 60 + 59)).toBe(new Date(2027, 0, 16, 23, 59, 0).getTime());
    expect(nextLocalMinute(new Date(2027, 0, 15, 3, 0, 0).getTime(), 180)).toBe(
      new Date(2027, 0, 16, 3, 0, 0).getTime(),
    );
  });
});

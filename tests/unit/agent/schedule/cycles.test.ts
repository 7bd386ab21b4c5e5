import { describe, expect, it } from 'vitest';
import { type CycleTick, createCycleScheduler } from '../../../../agent/src/schedule/cycles.js';
import { captureLogger, FakeClock } from '../../../helpers/fakes.js';

const MINUTE = 60_000;
const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** A scheduler on a fake clock whose runs are recorded with the wall and monotonic time they started. */
function scheduled(options: { trusted: boolean; wallMs?: number; runMs?: number }) {
  const clock = new FakeClock(options.wallMs ?? 1_800_000_020_500);
  const { log, lines } = captureLogger('info');
  const runs: { wallMs: number; monoMs: number; tick: CycleTick }[] = [];
  let finishRun = () => {};
  const schedule = createCycleScheduler(MINUTE, {
    clock,
    log,
    wallClockTrusted: async () => options.trusted,
  });
  const stop = schedule.start(async (tick) => {
    runs.push({ wallMs: clock.nowMs(), monoMs: clock.monotonicMs(), tick });
    if (options.runMs !== undefined) {
      await new Promise<void>((resolve) => {
        finishRun = resolve;
      });
    }
  });
  /** Moves the clock a minute at a time, letting promises settle in between. */
  const minutes = async (n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(MINUTE);
      await flush();
    }
  };
  return { clock, lines, runs, stop, minutes, finish: () => finishRun() };
}

describe('the sample cycle schedule', () => {
  it('falls on the minute while the wall clock is synchronised', async () => {
    const { runs, minutes, stop } = scheduled({ trusted: true });
    await flush();
    await minutes(3);
    expect(runs.map((r) => r.wallMs % MINUTE)).toEqual([0, 0, 0]);
    stop();
  });

  it('keeps one interval on the monotonic clock while the wall clock is not trusted', async () => {
    const { clock, runs, minutes, stop } = scheduled({ trusted: false });
    await flush();
    await minutes(3);
    // The first within the interval (at the next minute, 39.5 s on); then one interval apart,
    // whatever the wall clock does.
    expect(runs.map((r) => r.monoMs)).toEqual([1000 + 39_500, 1000 + 39_500 + MINUTE, 1000 + 39_500 + 2 * MINUTE]);
    clock.stepWall(20_000);
    await minutes(1);
    expect(runs.at(-1)?.monoMs).toBe(1000 + 39_500 + 3 * MINUTE);
    stop();
  });

  for (const [name, stepMs] of [
    ['forward by two days', 2 * 86_400_000],
    ['back by two minutes', -2 * MINUTE],
    ['back by a year', -365 * 86_400_000],
  ] as const) {
    it(`goes on through a clock step ${name}: one cycle differs at most, logged once, seen in wall time`, async () => {
      const { clock, runs, lines, minutes, stop } = scheduled({ trusted: true });
      await flush();
      await minutes(3);
      clock.advance(20_000);
      clock.stepWall(stepMs);
      await minutes(10);
      stop();
      // Every monotonic minute after the step still has its sample: none stops, none is replayed.
      const after = runs.filter((r) => r.monoMs > 1000 + 3 * MINUTE + 20_000);
      expect(after.length).toBeGreaterThanOrEqual(9);
      expect(after.length).toBeLessThanOrEqual(11);
      const gaps = runs.slice(1).map((r, i) => r.monoMs - (runs[i]?.monoMs ?? 0));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * MINUTE);
      // Back on the minute of the new wall clock from the first cycle after the step on.
      expect(after.slice(1).every((r) => r.wallMs % MINUTE === 0)).toBe(true);
      const steps = lines.filter((l) => l.event === 'clock_step');
      expect(steps).toHaveLength(1);
      expect(Math.abs((steps[0]?.stepMs as number) - stepMs)).toBeLessThan(1000);
      // No slot is counted as skipped: the time passed is the monotonic time, not the step.
      expect(runs.every((r) => r.tick.skippedCycles === 0)).toBe(true);
    });
  }

  it('skips the slots a cycle overruns, and tells the next cycle how many, in one log line', async () => {
    const { runs, lines, minutes, finish, stop } = scheduled({ trusted: false, runMs: 1 });
    await flush();
    await minutes(1);
    expect(runs).toHaveLength(1);
    // The first cycle hangs (a silent serial port) for two more slots.
    await minutes(2);
    expect(runs).toHaveLength(1);
    finish();
    await flush();
    await minutes(1);
    expect(runs.map((r) => r.tick.skippedCycles)).toEqual([0, 2]);
    finish();
    expect(lines.filter((l) => l.event === 'cycle_late')).toMatchObject([{ skippedCycles: 2 }]);
    stop();
  });

  it('counts the slots lost to a held event loop, and how late the cycle started', async () => {
    // Started on a minute: the first slot is a whole interval on.
    const { clock, runs, lines, minutes, stop } = scheduled({ trusted: false, wallMs: 1_800_000_000_000 });
    await flush();
    await minutes(1);
    clock.stall(2 * MINUTE + 30_000);
    clock.advance(0);
    await flush();
    expect(runs.map((r) => r.tick)).toEqual([
      { skippedCycles: 0, lateMs: 0 },
      { skippedCycles: 1, lateMs: 30_000 },
    ]);
    expect(lines.filter((l) => l.event === 'cycle_late')).toHaveLength(1);
    stop();
  });
});

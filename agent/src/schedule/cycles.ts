import { guard, type Logger } from '@pantau/shared';
import type { Clock } from '../clock.js';
import { watchClockSteps } from './clock-steps.js';

/** What the schedule tells a cycle about its own timing. */
export interface CycleTick {
  /** Slots since the previous cycle that had no cycle (the previous one still ran, or the loop was held). */
  readonly skippedCycles: number;
  /** How long after its slot this cycle started, when later than the tolerance; else 0. */
  readonly lateMs: number;
}

export const ON_TIME: CycleTick = { skippedCycles: 0, lateMs: 0 };

/** Fires the sample cycle, one run at a time; the returned function stops it. */
export interface CycleSchedule {
  start(run: (tick: CycleTick) => Promise<void>): () => void;
}

export interface CycleSchedulerDeps {
  readonly clock: Clock;
  /** Whether the wall clock is synchronised (NTP); only then do slots fall on its boundaries. */
  readonly wallClockTrusted: () => Promise<boolean>;
  readonly log: Logger;
}

/**
 * How far from its slot a cycle may start and still count as on time, and how close two slots may
 * come: a quarter of the interval, at most 2 s.
 */
export function slotToleranceMs(intervalMs: number): number {
  return Math.min(intervalMs / 4, 2000);
}

/**
 * The sample cycle every `intervalMs`, timed on the monotonic clock, so a step of the wall clock
 * (NTP after a boot without a clock battery) can neither stop sampling nor replay missed slots.
 * While the wall clock is synchronised the slots fall on its multiples of the interval (every
 * minute at :00), as a cron schedule would; a step then costs at most one shorter or longer cycle,
 * and is logged once. A slot that comes while the previous cycle still runs is skipped, and the
 * next cycle is told how many were.
 */
export function createCycleScheduler(intervalMs: number, deps: CycleSchedulerDeps): CycleSchedule {
  const { clock, log } = deps;
  const toleranceMs = slotToleranceMs(intervalMs);
  return {
    start(run) {
      const steps = watchClockSteps(clock);
      let stopped = false;
      let trusted = false;
      let cancelTimer = () => {};
      let slotMonoMs = 0;
      let inFlight = false;
      let skipped = 0;

      /** The next slot after now: on the wall clock's grid when trusted, else one interval on from the last. */
      function nextSlotDelayMs(fromSlotMonoMs: number | null): number {
        const nowMonoMs = clock.monotonicMs();
        let delayMs: number;
        // The first slot is at the wall clock's next boundary whatever its trust: it only has to
        // come within one interval.
        if (trusted || fromSlotMonoMs === null) delayMs = intervalMs - mod(clock.nowMs(), intervalMs);
        else delayMs = intervalMs - mod(nowMonoMs - fromSlotMonoMs, intervalMs);
        // Two slots never come closer than the tolerance: a slot that close is dropped, and
        // counted if a late cycle is the reason.
        if (delayMs < toleranceMs) {
          if (fromSlotMonoMs !== null && nowMonoMs - fromSlotMonoMs > toleranceMs) skipped += 1;
          delayMs += intervalMs;
        }
        return delayMs;
      }

      function arm(delayMs: number): void {
        if (stopped) return;
        cancelTimer();
        slotMonoMs = clock.monotonicMs() + delayMs;
        cancelTimer = clock.setTimer(delayMs, fire);
      }

      function refreshTrust(): void {
        void deps
          .wallClockTrusted()
          .catch(() => false)
          .then((now) => {
            const gained = now && !trusted;
            trusted = now;
            // The clock just became trustworthy: move the pending slot onto its grid.
            if (gained && !inFlight && !stopped) arm(nextSlotDelayMs(null));
          });
      }

      function fire(): void {
        if (stopped) return;
        const slot = slotMonoMs;
        const lateMs = Math.max(0, clock.monotonicMs() - slot);
        const stepMs = steps.check();
        if (stepMs !== null) {
          log.warn(
            { event: 'clock_step', stepMs, wallMs: Math.round(clock.nowMs()) },
            'the wall clock was stepped: sampling goes on by the monotonic clock',
          );
        }
        // Slots the loop was held past (a blocked event loop) are lost, and counted.
        const passed = Math.floor(lateMs / intervalMs);
        skipped += passed;
        if (inFlight) skipped += 1;
        else {
          const tick: CycleTick = {
            skippedCycles: skipped,
            lateMs: lateMs % intervalMs > toleranceMs ? Math.round(lateMs % intervalMs) : 0,
          };
          skipped = 0;
          if (tick.skippedCycles > 0 || tick.lateMs > 0) {
            log.warn({ event: 'cycle_late', ...tick }, 'the sample cycle is late or skipped slots');
          }
          inFlight = true;
          void guard(log, 'cycle', () => run(tick))().finally(() => {
            inFlight = false;
          });
        }
        arm(nextSlotDelayMs(slot + passed * intervalMs));
        refreshTrust();
      }

      arm(nextSlotDelayMs(null));
      refreshTrust();
      return () => {
        stopped = true;
        cancelTimer();
      };
    },
  };
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

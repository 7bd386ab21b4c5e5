import type { Clock } from '../clock.js';

/**
 * A wall clock that moves more (or less) than the monotonic clock between two looks has been
 * stepped: NTP setting a Pi's clock after a boot without a clock battery, by minutes or years.
 * Steps under the tolerance (NTP slews those) go unnoticed.
 */
export interface ClockSteps {
  /** The step since the last look (positive: the wall clock jumped ahead), or null for none. */
  check(): number | null;
}

export const CLOCK_STEP_TOLERANCE_MS = 1000;

export function watchClockSteps(clock: Clock, toleranceMs = CLOCK_STEP_TOLERANCE_MS): ClockSteps {
  let wallMs = clock.nowMs();
  let monoMs = clock.monotonicMs();
  return {
    check() {
      const nowWallMs = clock.nowMs();
      const nowMonoMs = clock.monotonicMs();
      const stepMs = nowWallMs - wallMs - (nowMonoMs - monoMs);
      wallMs = nowWallMs;
      monoMs = nowMonoMs;
      return Math.abs(stepMs) > toleranceMs ? Math.round(stepMs) : null;
    },
  };
}

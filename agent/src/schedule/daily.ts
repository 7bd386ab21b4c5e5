import { guard, type Logger } from '@pantau/shared';
import type { Clock } from '../clock.js';

/** How often a daily job looks at the wall clock (it may be stepped at any time). */
const CHECK_MS = 60_000;
/** A slot first seen later than this (a forward step of the clock, a stalled loop) is missed, not run. */
const LATE_MS = 5 * 60_000;

/**
 * Runs `job` once a day at `minuteOfDay` local time, on the injected clock. The wall clock is read
 * at least every minute, so a step either way is seen within one: a slot stepped over is logged as
 * missed (a Pi's clock set years ahead at boot must not start a test at noon), and a step back
 * schedules the next slot from the new time. A run still going when the next is due is skipped.
 */
export function scheduleDaily(
  minuteOfDay: number,
  job: () => Promise<void>,
  deps: { readonly clock: Clock; readonly log: Logger },
): () => void {
  const { clock, log } = deps;
  let dueMs = nextLocalMinute(clock.nowMs(), minuteOfDay);
  let running = false;
  let stopped = false;
  let cancel = () => {};

  const check = guard(log, 'calendar_daily', () => {
    const nowMs = clock.nowMs();
    const next = nextLocalMinute(nowMs, minuteOfDay);
    if (nowMs >= dueMs) {
      if (nowMs - dueMs > LATE_MS) {
        log.warn({ event: 'calendar_missed', minuteOfDay, lateMs: nowMs - dueMs }, 'a daily slot was missed');
      } else if (running) {
        log.warn({ event: 'calendar_overlap', minuteOfDay }, 'a calendar job still ran when next due: skipped');
      } else {
        running = true;
        void guard(log, 'calendar_job', job)().finally(() => {
          running = false;
        });
      }
      dueMs = next;
    } else if (next < dueMs) {
      log.info({ event: 'calendar_rescheduled', minuteOfDay }, 'the wall clock was stepped back');
      dueMs = next;
    }
    arm();
  });

  function arm(): void {
    if (stopped) return;
    cancel = clock.setTimer(Math.min(CHECK_MS, Math.max(0, dueMs - clock.nowMs())), () => void check());
  }

  arm();
  return () => {
    stopped = true;
    cancel();
  };
}

/** The first time after `nowMs` that the local clock shows `minuteOfDay` (0-1439) at second 0. */
export function nextLocalMinute(nowMs: number, minuteOfDay: number): number {
  const hour = Math.floor(minuteOfDay / 60);
  const minute = minuteOfDay % 60;
  const at = new Date(nowMs);
  at.setHours(hour, minute, 0, 0);
  if (at.getTime() <= nowMs) {
    at.setDate(at.getDate() + 1);
    at.setHours(hour, minute, 0, 0);
  }
  return at.getTime();
}

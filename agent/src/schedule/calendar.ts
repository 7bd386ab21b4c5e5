import { guard, type Logger } from '@pantau/shared';
import type { Clock } from '../clock.js';
import { scheduleDaily } from './daily.js';

/** When a calendar job runs: once a day at a local minute, or on a node-cron expression (seconds first). */
export type CalendarWhen =
  | { readonly kind: 'daily'; readonly minuteOfDay: number }
  | { readonly kind: 'cron'; readonly expression: string };

/** Runs a job on a calendar; the returned function stops it. */
export interface Scheduler {
  schedule(when: CalendarWhen, job: () => Promise<void>): () => void;
}

/**
 * Calendar jobs (the nightly speed test). A daily job is a plain timer on the injected clock; only
 * a configured cron expression loads node-cron, whose wall-clock reading through
 * `Intl.DateTimeFormat` keeps megabytes of ICU data resident (docs/host.md), so an agent without
 * one never pays for it.
 */
export function createCalendar(deps: { readonly clock: Clock; readonly log: Logger }): Scheduler {
  const log = deps.log.child({ module: 'calendar' });
  return {
    schedule(when, job) {
      if (when.kind === 'daily') return scheduleDaily(when.minuteOfDay, job, { clock: deps.clock, log });
      let stop: (() => void) | null = null;
      let stopped = false;
      void guard(log, 'calendar_cron_load', async () => {
        const { createCronCalendar } = await import('./cron-calendar.js');
        if (!stopped) stop = createCronCalendar(deps).schedule(when.expression, job);
      })();
      return () => {
        stopped = true;
        stop?.();
      };
    },
  };
}

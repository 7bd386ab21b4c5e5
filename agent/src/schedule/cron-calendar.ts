import { guard, type Logger } from '@pantau/shared';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import { watchClockSteps } from './clock-steps.js';

/** Runs a job on a node-cron expression (seconds first); the returned function stops it. */
export interface CronScheduler {
  schedule(expression: string, job: () => Promise<void>): () => void;
}

/** How often a calendar looks for a step of the wall clock. */
const STEP_CHECK_MS = 60_000;

/**
 * Calendar jobs on a configured cron expression, through node-cron (loaded only then), which reads the wall clock: a run
 * still going when the next is due is skipped, not stacked. node-cron replays a forward step of
 * the wall clock as one missed slot after another, and waits out a backward one; so a calendar
 * watches for steps on the monotonic clock and, at one, schedules its jobs again from the new
 * time. Slots missed all the same (a step before the watch saw it, a blocked loop) are logged as
 * one JSON line, as is everything node-cron says.
 */
export function createCronCalendar(deps: { readonly clock: Clock; readonly log: Logger }): CronScheduler {
  const { clock, log } = deps;
  const cronLog = log.child({ module: 'calendar' });
  const logger = {
    info: (message: string) => cronLog.info({ event: 'node_cron' }, message),
    warn: (message: string) => cronLog.warn({ event: 'node_cron' }, message),
    error: (message: string | Error, err?: Error) => cronLog.error({ event: 'node_cron', err }, String(message)),
    debug: (message: string | Error) => cronLog.debug({ event: 'node_cron' }, String(message)),
  };
  return {
    schedule(expression, job) {
      const steps = watchClockSteps(clock);
      let missed = 0;
      const create = (): ScheduledTask => {
        const task = cron.schedule(expression, job, { noOverlap: true, logger });
        task.on('execution:missed', () => {
          // node-cron reports each missed slot on its own, all at once: one line says how many.
          if (missed++ === 0) {
            queueMicrotask(() => {
              cronLog.warn({ event: 'calendar_missed', expression, missed }, 'calendar slots were missed');
              missed = 0;
            });
          }
        });
        task.on('execution:overlap', () => {
          cronLog.warn({ event: 'calendar_overlap', expression }, 'a calendar job still ran when next due: skipped');
        });
        return task;
      };
      let task = create();
      let cancelWatch = () => {};
      const watch = guard(log, 'calendar_watch', () => {
        const stepMs = steps.check();
        if (stepMs !== null) {
          cronLog.info({ event: 'calendar_rescheduled', expression, stepMs }, 'the wall clock was stepped');
          void task.destroy();
          task = create();
        }
        cancelWatch = clock.setTimer(STEP_CHECK_MS, watch);
      });
      cancelWatch = clock.setTimer(STEP_CHECK_MS, watch);
      return () => {
        cancelWatch();
        void task.destroy();
      };
    },
  };
}

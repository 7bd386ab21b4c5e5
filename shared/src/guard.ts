import type { Logger } from 'pino';

/**
 * Wraps a background callback (timer, cron job, MQTT handler) so that a failure is logged with its
 * event and the process carries on. The wrapped function returns a promise that never rejects, so a
 * caller may await it (node-cron does, to skip overlapping runs). Every background callback goes
 * through this.
 */
export function guard<Args extends unknown[]>(
  log: Logger,
  event: string,
  fn: (...args: Args) => unknown,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    try {
      await fn(...args);
    } catch (error) {
      log.error({ event, err: error }, 'background task failed');
    }
  };
}

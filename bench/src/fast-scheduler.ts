import type { Scheduler } from '@pantau/agent';

/**
 * Fires the agent's sampling job (the one scheduled with `sampleExpression`) every `intervalMs`
 * (node-cron's finest step is one second), skipping a tick while the previous run is still going,
 * as node-cron's noOverlap does. Stops after `maxRuns`, then calls `onDone`. Any other job (the
 * speed test's night-window cron) is accepted and never run.
 */
export function fastScheduler(
  sampleExpression: string,
  intervalMs: number,
  maxRuns: number,
  onRunDone: (run: number) => void,
  onDone: () => void,
): Scheduler {
  return {
    schedule(expression, job) {
      if (expression !== sampleExpression) return () => {};
      let runs = 0;
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        if (runs >= maxRuns) {
          clearInterval(timer);
          onDone();
          return;
        }
        busy = true;
        runs += 1;
        const run = runs;
        void job().finally(() => {
          busy = false;
          onRunDone(run);
        });
      }, intervalMs);
      return () => clearInterval(timer);
    },
  };
}

import type { Scheduler } from '@pantau/agent';

/**
 * Fires the agent's job every `intervalMs` regardless of its cron expression (node-cron's finest
 * step is one second), skipping a tick while the previous run is still going, as node-cron's
 * noOverlap does. Stops after `maxRuns`, then calls `onDone`.
 */
export function fastScheduler(
  intervalMs: number,
  maxRuns: number,
  onRunDone: (run: number) => void,
  onDone: () => void,
): Scheduler {
  return {
    schedule(_expression, job) {
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

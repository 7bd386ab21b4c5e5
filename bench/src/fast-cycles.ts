import type { CycleSchedule } from '@pantau/agent';

/**
 * Fires the agent's sample cycle every `intervalMs` (the agent's own schedule counts whole
 * seconds), skipping a tick while the previous run is still going, as the agent's does. Stops
 * after `maxRuns`, then calls `onDone`.
 */
export function fastCycles(
  intervalMs: number,
  maxRuns: number,
  onRunDone: (run: number) => void,
  onDone: () => void,
): CycleSchedule {
  return {
    start(job) {
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

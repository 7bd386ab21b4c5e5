import type { CycleSchedule } from '@pantau/agent';

/**
 * The agent's own cycle schedule, counted: after `maxRuns` runs it stops and calls `onDone`;
 * `onRunDone` hears each run's end.
 */
export function countedCycles(
  schedule: CycleSchedule,
  maxRuns: number,
  onRunDone: (run: number) => void,
  onDone: () => void,
): CycleSchedule {
  return {
    start(job) {
      let runs = 0;
      const stop = schedule.start(async (tick) => {
        if (runs >= maxRuns) {
          stop();
          onDone();
          return;
        }
        runs += 1;
        const run = runs;
        try {
          await job(tick);
        } finally {
          onRunDone(run);
        }
      });
      return stop;
    },
  };
}

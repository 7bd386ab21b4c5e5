import cron from 'node-cron';

/** Runs a job on a calendar (a node-cron expression, seconds first); the returned function stops it. */
export interface Scheduler {
  schedule(expression: string, job: () => Promise<void>): () => void;
}

/** node-cron with a seconds field; a run still going when the next is due is skipped, not stacked. */
export const cronScheduler: Scheduler = {
  schedule(expression, job) {
    const task = cron.schedule(expression, job, { noOverlap: true });
    return () => {
      void task.destroy();
    };
  },
};

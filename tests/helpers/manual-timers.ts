/** Timers a test fires by hand: each job kept under its interval, run when the test says. */
export function manualTimers() {
  const jobs: { ms: number; fn: () => void }[] = [];
  return {
    every: (ms: number, fn: () => void) => {
      const job = { ms, fn };
      jobs.push(job);
      return () => jobs.splice(jobs.indexOf(job), 1);
    },
    fire: (ms: number) => {
      for (const j of jobs.filter((x) => x.ms === ms)) j.fn();
    },
    count: () => jobs.length,
  };
}

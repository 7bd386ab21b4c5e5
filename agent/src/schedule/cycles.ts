import { cronForInterval } from '../config/cron.js';
import { cronScheduler } from './calendar.js';

/** Fires the sample cycle, one run at a time; the returned function stops it. */
export interface CycleSchedule {
  start(run: () => Promise<void>): () => void;
}

/** Every `intervalSec` on wall-clock boundaries, through node-cron. */
export function cronCycles(intervalSec: number): CycleSchedule {
  return { start: (run) => cronScheduler.schedule(cronForInterval(intervalSec), run) };
}

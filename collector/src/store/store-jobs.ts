import { guard, type Logger, MS_PER_DAY } from '@pantau/shared';
import type { CollectorConfig } from '../config/schema.js';
import type { Store } from './store.js';

export interface StoreJobDeps {
  readonly store: Store;
  readonly nowMs: () => number;
  readonly log: Logger;
  readonly every: (ms: number, fn: () => void) => () => void;
}

/**
 * The store's background work: recompute the roll-ups of site-days touched by new or late data,
 * and delete raw samples past retention. Each run is guarded and skipped while the previous one
 * still runs. Returns a function that stops both.
 */
export function startStoreJobs(config: Pick<CollectorConfig, 'retention' | 'rollups'>, deps: StoreJobDeps): () => void {
  const log = deps.log.child({ module: 'store-jobs' });
  const single = (event: string, fn: () => Promise<void>) => {
    let running = false;
    const guarded = guard(log, event, fn);
    return () => {
      if (running) return;
      running = true;
      void guarded().finally(() => {
        running = false;
      });
    };
  };
  const stopRollups = deps.every(
    config.rollups.intervalSec * 1000,
    single('rollups', async () => {
      const done = await deps.store.refreshRollups(config.rollups.maxDaysPerRun);
      if (done > 0) log.debug({ event: 'rollups_refreshed', siteDays: done }, 'roll-ups refreshed');
    }),
  );
  const stopPrune = deps.every(
    config.retention.pruneIntervalSec * 1000,
    single('retention', async () => {
      const beforeMs = deps.nowMs() - config.retention.rawDays * MS_PER_DAY;
      const deleted = await deps.store.pruneSamples(beforeMs);
      log.info({ event: 'retention_pruned', deleted, beforeMs }, 'deleted raw samples past retention');
    }),
  );
  return () => {
    stopRollups();
    stopPrune();
  };
}

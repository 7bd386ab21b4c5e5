import { guard, type Logger, MS_PER_DAY } from '@pantau/shared';
import type { CollectorConfig } from '../config/schema.js';
import type { MaintenanceStore } from './store.js';

export interface StoreJobDeps {
  readonly store: MaintenanceStore;
  readonly nowMs: () => number;
  readonly log: Logger;
  readonly every: (ms: number, fn: () => void) => () => void;
}

/**
 * The store's background work: recompute the roll-ups of site-days touched by new or late data,
 * and delete raw samples past retention. Each run is guarded and skipped while the previous one
 * still runs. Returns a function that stops both and resolves once a run in progress has finished
 * (so the store is not closed under it).
 */
export function startStoreJobs(
  config: Pick<CollectorConfig, 'retention' | 'rollups'>,
  deps: StoreJobDeps,
): () => Promise<void> {
  const log = deps.log.child({ module: 'store-jobs' });
  const running = new Set<Promise<void>>();
  const single = (event: string, fn: () => Promise<void>) => {
    let current: Promise<void> | null = null;
    const guarded = guard(log, event, fn);
    return () => {
      if (current !== null) return;
      const run = guarded().finally(() => {
        current = null;
        running.delete(run);
      });
      current = run;
      running.add(run);
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
  return async () => {
    stopRollups();
    stopPrune();
    await Promise.all(running);
  };
}

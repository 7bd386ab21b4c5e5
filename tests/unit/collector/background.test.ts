import { join } from 'node:path';
import { createGroupCommitter, openSqliteStore, type Store, startStoreJobs } from '@pantau/collector';
import { MS_PER_DAY } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { batch, DAY0, insert, synced } from '../../contract/store-fixtures.js';
import { silentLogger } from '../../helpers/fakes.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const fresh = () => openSqliteStore(join(dirs.make('bg'), 'db.sqlite'));

describe('group commit', () => {
  it('commits what arrives before the deferred flush in one transaction, each caller gets its result', async () => {
    const store = fresh();
    const groups: number[] = [];
    let flush: (() => void) | undefined;
    const committer = createGroupCommitter(
      {
        insertBatches: (items) => {
          groups.push(items.length);
          return store.insertBatches(items);
        },
      },
      3,
      (fn) => {
        flush = fn;
      },
    );
    const results = [
      committer.insert({ batch: batch('s1', [synced(1, 1)]), receivedMs: DAY0 }),
      committer.insert({ batch: batch('s1', [synced(1, 1)]), receivedMs: DAY0 }),
      committer.insert({ batch: batch('s2', [synced(1, 1)]), receivedMs: DAY0 }),
      committer.insert({ batch: batch('s3', [synced(1, 1)]), receivedMs: DAY0 }),
    ];
    // The fourth waits for the deferred flush: the first three filled a group.
    flush?.();
    expect(await Promise.all(results)).toEqual([
      { inserted: 1, duplicates: 0 },
      { inserted: 0, duplicates: 1 },
      { inserted: 1, duplicates: 0 },
      { inserted: 1, duplicates: 0 },
    ]);
    expect(groups).toEqual([3, 1]);
    await store.close();
  });

  it('fails every caller of a failed group, so none is acknowledged', async () => {
    const committer = createGroupCommitter(
      { insertBatches: async () => Promise.reject(new Error('disk full')) },
      10,
      (fn) => fn(),
    );
    await expect(committer.insert({ batch: batch('s1', [synced(1, 1)]), receivedMs: DAY0 })).rejects.toThrow(
      'disk full',
    );
  });
});

describe('store jobs', () => {
  it('refresh roll-ups and prune past retention on their timers, and stop', async () => {
    const store: Store = fresh();
    const timers = new Map<number, () => void>();
    const now = DAY0 + 100 * MS_PER_DAY;
    const stop = startStoreJobs(
      { retention: { rawDays: 90, pruneIntervalSec: 3600 }, rollups: { intervalSec: 10, maxDaysPerRun: 100 } },
      {
        store,
        nowMs: () => now,
        log: silentLogger(),
        every: (ms, fn) => {
          timers.set(ms, fn);
          return () => timers.delete(ms);
        },
      },
    );
    await insert(store, batch('s1', [synced(1, 1), synced(2, 2)]), DAY0 + MS_PER_DAY);
    timers.get(10_000)?.();
    await new Promise((r) => setImmediate(r));
    expect(await store.rollups('s1', 'day', DAY0, DAY0 + MS_PER_DAY)).toHaveLength(1);
    timers.get(3_600_000)?.();
    await new Promise((r) => setImmediate(r));
    // The site's latest sample stays (it holds the figures `sites` shows).
    expect((await store.listSamples('s1')).map((s) => s.seq)).toEqual([2]);
    expect(await store.rollups('s1', 'day', DAY0, DAY0 + MS_PER_DAY)).toHaveLength(1);
    await stop();
    expect(timers.size).toBe(0);
    await store.close();
  });
});

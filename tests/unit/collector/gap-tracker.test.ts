import { join } from 'node:path';
import { createGapTracker, openSqliteStore, type Store } from '@pantau/collector';
import { decodePayload, type ResendRequest } from '@pantau/shared';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batch, DAY0, insert, synced } from '../../contract/store-fixtures.js';
import { silentLogger } from '../../helpers/fakes.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

describe('gap tracker', () => {
  let store: Store;
  let now: number;
  let sent: { topic: string; request: ResendRequest }[];
  let failPublish: boolean;
  const tracker = () =>
    createGapTracker(
      {
        topicRoot: 'pantau/v1',
        graceMs: 60_000,
        retryMs: 300_000,
        maxAttempts: 2,
        maxRangesPerSite: 10,
        maxSitesPerScan: 100,
        maxTrackedSites: 2,
      },
      {
        store,
        nowMs: () => now,
        log: silentLogger(),
        publish: async (topic, payload) => {
          if (failPublish) throw new Error('offline');
          const decoded = decodePayload('resend', payload);
          if (!decoded.ok) throw new Error(decoded.message);
          sent.push({ topic, request: decoded.value });
        },
      },
    );
  beforeEach(() => {
    store = openSqliteStore(join(dirs.make('gaps'), 'db.sqlite'));
    now = DAY0;
    sent = [];
    failPublish = false;
  });
  afterEach(() => store.close());

  it('asks for a hole after the grace period, retries a bounded number of times, then gives up', async () => {
    const gaps = tracker();
    await insert(store, batch('s1', [synced(1, 1), synced(5, 5)]), DAY0);
    gaps.noteSite('s1');
    await gaps.scan();
    expect(sent).toEqual([]);
    now += 60_000;
    await gaps.scan();
    expect(sent).toMatchObject([
      { topic: 'pantau/v1/site/s1/resend', request: { siteId: 's1', fromSeq: 2, toSeq: 4, requestedAtMs: now } },
    ]);
    now += 100_000;
    await gaps.scan();
    expect(sent).toHaveLength(1);
    now += 300_000;
    await gaps.scan();
    expect(sent).toHaveLength(2);
    now += 300_000;
    await gaps.scan();
    expect(sent).toHaveLength(2);
    expect(gaps.stats()).toMatchObject({ requestsSent: 2, openRanges: 0, givenUpRanges: 1 });
    expect((await store.counters()).resendRequests).toBe(2);
  });

  it('records each request it sends in the store, so the samples that fill the hole count as recovered', async () => {
    const gaps = tracker();
    await insert(store, batch('s1', [synced(1, 1), synced(5, 5)]), DAY0);
    gaps.noteSite('s1');
    await gaps.scan();
    now += 60_000;
    await gaps.scan();
    expect(sent).toHaveLength(1);
    await insert(store, batch('s1', [synced(2, 2), synced(3, 3), synced(4, 4), synced(6, 6)]), now);
    expect(await store.counters()).toMatchObject({ resendRequests: 1, recoveredSamples: 3 });
  });

  it('forgets a hole once it is filled, and stops asking for what the site says is gone', async () => {
    const gaps = tracker();
    await insert(store, batch('s1', [synced(1, 1), synced(5, 5), synced(9, 9)]), DAY0);
    gaps.noteSite('s1');
    await gaps.scan();
    expect(gaps.stats().openRanges).toBe(2);
    await insert(store, batch('s1', [synced(2, 2), synced(3, 3), synced(4, 4)]), DAY0);
    await gaps.onReply({ v: 1, requestId: 'r', siteId: 's1', resentSamples: 0, gone: [{ fromSeq: 6, toSeq: 8 }] });
    await gaps.scan();
    now += 60_000;
    await gaps.scan();
    expect(sent).toEqual([]);
    expect(gaps.stats()).toMatchObject({ openRanges: 0, givenUpRanges: 0, goneSeqs: 3 });
  });

  it('counts a failed publish and tries again after the retry interval; bounds the sites it tracks', async () => {
    const gaps = tracker();
    await insert(store, batch('s1', [synced(1, 1), synced(3, 3)]), DAY0);
    failPublish = true;
    gaps.noteSite('s1');
    gaps.noteSite('s2');
    gaps.noteSite('s3');
    await gaps.scan();
    now += 60_000;
    await gaps.scan();
    expect(gaps.stats()).toMatchObject({ publishFailures: 1, requestsSent: 0, droppedSites: 1 });
    // Not sent, so not recorded.
    expect((await store.counters()).resendRequests).toBe(0);
    failPublish = false;
    now += 300_000;
    await gaps.scan();
    expect(sent.map((s) => [s.request.fromSeq, s.request.toSeq])).toEqual([[2, 2]]);
  });
});

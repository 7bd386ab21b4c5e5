import type { Store } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { DAY0, freshStoreEachTest, insert, seqBatch } from './store-fixtures.js';

/** The gaps role (GapStore): holes, resend requests, ranges a site declared gone. */
export function gapStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`GapStore contract: ${name}`, () => {
    let store: Store;
    freshStoreEachTest(open, (s) => {
      store = s;
    });

    it('knows the received ranges and the holes, and stops listing holes the site says are gone', async () => {
      await insert(store, seqBatch('s1', [0, 1, 2, 5, 6, 9, 20]), DAY0);
      expect(await store.receivedRanges('s1')).toEqual([
        { fromSeq: 0, toSeq: 2 },
        { fromSeq: 5, toSeq: 6 },
        { fromSeq: 9, toSeq: 9 },
        { fromSeq: 20, toSeq: 20 },
      ]);
      expect(await store.missingRanges('s1', 10)).toEqual([
        { fromSeq: 3, toSeq: 4 },
        { fromSeq: 7, toSeq: 8 },
        { fromSeq: 10, toSeq: 19 },
      ]);
      expect(await store.missingRanges('s1', 1)).toEqual([{ fromSeq: 3, toSeq: 4 }]);
      await store.markGone('s1', [
        { fromSeq: 3, toSeq: 4 },
        { fromSeq: 10, toSeq: 14 },
      ]);
      expect(await store.missingRanges('s1', 10)).toEqual([
        { fromSeq: 7, toSeq: 8 },
        { fromSeq: 15, toSeq: 19 },
      ]);
      await insert(store, seqBatch('s1', [7, 8]), DAY0);
      expect(await store.missingRanges('s1', 10)).toEqual([{ fromSeq: 15, toSeq: 19 }]);
      expect(await store.missingRanges('nobody', 10)).toEqual([]);
    });

    it('looks for holes only near the latest seqs, so a scan stays bounded', async () => {
      await insert(store, seqBatch('s1', [0, 1, 5, 40_000, 40_002]), DAY0);
      // 1..4 is far behind the window; the hole that reaches into it is still seen.
      expect(await store.missingRanges('s1', 10)).toEqual([
        { fromSeq: 6, toSeq: 39_999 },
        { fromSeq: 40_001, toSeq: 40_001 },
      ]);
    });

    it('counts the sequence numbers declared gone once, however often a site repeats them', async () => {
      await store.markGone('s1', [
        { fromSeq: 3, toSeq: 4 },
        { fromSeq: 10, toSeq: 14 },
      ]);
      await store.markGone('s1', [{ fromSeq: 10, toSeq: 14 }]);
      await store.markGone('s1', []);
      expect((await store.counters()).goneSeqs).toBe(7);
    });

    it('counts each resend request recorded', async () => {
      await store.recordResendRequest('s1', { fromSeq: 1, toSeq: 4 }, DAY0);
      await store.recordResendRequest('s2', { fromSeq: 1, toSeq: 4 }, DAY0);
      expect((await store.counters()).resendRequests).toBe(2);
    });
  });
}

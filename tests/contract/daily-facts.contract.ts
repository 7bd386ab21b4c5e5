import type { Store } from '@pantau/collector';
import { MS_PER_DAY } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { batch, DAY0, freshStoreEachTest, insert, synced } from './store-fixtures.js';

/** The daily facts role (DailyFactsSource): the daily roll-ups as the underused judgement reads them. */
export function dailyFactsContract(name: string, open: () => Promise<Store>): void {
  describe(`DailyFactsSource contract: ${name}`, () => {
    let store: Store;
    freshStoreEachTest(open, (s) => {
      store = s;
    });

    it("reads each site-day's online and active minutes, client bytes, clients and completeness", async () => {
      const usage = (m: number) => ({
        usage: { rxBytes: 60_000, txBytes: 10_000, agentRxBytes: 1000, agentTxBytes: 1000 },
        clients: { clientsInterval: m % 4 },
      });
      // Day 0: minutes 0-9 with seq 0-9; day 1: seqs 12-13 (10 and 11 missing).
      const day0 = Array.from({ length: 10 }, (_, m) => synced(m, m, { probes: usage(m) }));
      const day1 = [12, 13].map((seq) => synced(seq, 24 * 60 + seq, { probes: usage(seq) }));
      await insert(store, batch('kutim-a', [...day0, ...day1]), DAY0 + 2 * MS_PER_DAY);
      await insert(store, batch('kutim-b', [synced(1, 5)]), DAY0 + MS_PER_DAY);
      await store.refreshRollups(100);
      const days = await store.siteDays(DAY0, DAY0 + 2 * MS_PER_DAY);
      expect(days).toEqual([
        {
          siteId: 'kutim-a',
          dayMs: DAY0,
          onlineMinutes: 10,
          activeMinutes: 10,
          clientBytes: 10 * (59_000 + 9_000),
          clientsMax: 3,
          received: 10,
          expected: 10,
        },
        {
          siteId: 'kutim-a',
          dayMs: DAY0 + MS_PER_DAY,
          onlineMinutes: 2,
          activeMinutes: 2,
          clientBytes: 2 * 68_000,
          clientsMax: 1,
          received: 2,
          expected: 4,
        },
        {
          siteId: 'kutim-b',
          dayMs: DAY0,
          onlineMinutes: 1,
          activeMinutes: 0,
          clientBytes: 0,
          clientsMax: null,
          received: 1,
          expected: 1,
        },
      ]);
      expect((await store.siteDays(DAY0 + MS_PER_DAY, DAY0 + 2 * MS_PER_DAY)).map((d) => d.siteId)).toEqual([
        'kutim-a',
      ]);
    });
  });
}

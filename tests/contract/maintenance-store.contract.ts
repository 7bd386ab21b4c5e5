import type { Store } from '@pantau/collector';
import { MS_PER_DAY, MS_PER_HOUR, type SampleInput } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { batch, DAY0, freshStoreEachTest, insert, MIN, seqBatch, synced } from './store-fixtures.js';

/** The maintenance role (MaintenanceStore): roll-ups of touched site-days, and retention. */
export function maintenanceStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`MaintenanceStore contract: ${name}`, () => {
    let store: Store;
    freshStoreEachTest(open, (s) => {
      store = s;
    });

    const usage = (rx: number, tx: number) => ({
      usage: { rxBytes: rx, txBytes: tx, agentRxBytes: 1000, agentTxBytes: 1000 },
    });
    const latency = (gateway: number, internet: number) => ({
      latency: {
        targets: [
          { role: 'gateway' as const, host: 'g', rttAvgMs: gateway },
          { role: 'internet' as const, host: 'i', rttAvgMs: internet },
        ],
      },
    });

    it('sums usage, counts online and active minutes, takes latency percentiles, battery, solar and clients', async () => {
      const samples: SampleInput[] = [];
      for (let m = 0; m < 20; m++) {
        samples.push(
          synced(m, m, {
            probes: {
              ...usage(m < 5 ? 50_000 : 2_000, 1_000),
              ...latency(1 + m, 40 + m),
              // Solar reported by the first ten samples only: 0, 10 … 90 W.
              power: { batteryVolts: 12 + m / 10, solarWatts: m < 10 ? 10 * m : null },
              clients: { clientsInterval: m % 7 },
            },
          }),
        );
      }
      // Two samples in minute 30 count one online minute.
      samples.push(synced(20, 30), { ...synced(21, 30), wallMs: DAY0 + 30 * MIN + 30_000 });
      await insert(store, batch('s1', samples), DAY0 + MS_PER_HOUR);
      expect(await store.refreshRollups(100)).toBe(1);
      const [hour] = await store.rollups('s1', 'hour', DAY0, DAY0 + MS_PER_DAY);
      expect(hour).toMatchObject({
        grain: 'hour',
        bucketMs: DAY0,
        samples: 22,
        onlineMinutes: 21,
        // Client traffic over 20 kB: minutes 0-4 only (50,000 + 1,000 - 2,000 agent bytes).
        activeMinutes: 5,
        rxBytes: 5 * 50_000 + 15 * 2_000,
        txBytes: 20 * 1_000,
        clientRxBytes: 5 * 49_000 + 15 * 1_000,
        clientTxBytes: 0,
        batteryMinVolts: 12,
        batteryMaxVolts: 13.9,
        // The mean over the samples that reported it, not over all 22.
        solarMeanWatts: 45,
        clientsMax: 6,
        received: 22,
        expected: 22,
      });
      // Nearest rank over 20 values 1..20: p50 = 10th, p95 = 19th.
      expect(hour?.latency).toEqual({
        gateway: { p50Ms: 10, p95Ms: 19, samples: 20 },
        internet: { p50Ms: 49, p95Ms: 58, samples: 20 },
      });
      const [day] = await store.rollups('s1', 'day', DAY0, DAY0 + MS_PER_DAY);
      expect(day).toMatchObject({
        grain: 'day',
        bucketMs: DAY0,
        samples: 22,
        onlineMinutes: 21,
        activeMinutes: 5,
        solarMeanWatts: 45,
      });
    });

    it('updates hours and days when late data arrives, and measures completeness per day', async () => {
      // Day 0: seqs 0-9 at minutes 0-9; day 1: seqs 20-29; seqs 10-19 missing.
      await insert(
        store,
        batch('s1', [
          ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => synced(s, s)),
          ...[20, 21, 22, 23, 24, 25, 26, 27, 28, 29].map((s) => synced(s, 1440 + s)),
        ]),
        DAY0 + 2 * MS_PER_DAY,
      );
      await store.refreshRollups(100);
      expect(await store.completeness('s1', DAY0, DAY0 + 2 * MS_PER_DAY)).toEqual([
        { siteId: 's1', dayMs: DAY0, received: 10, expected: 10, completeness: 1 },
        { siteId: 's1', dayMs: DAY0 + MS_PER_DAY, received: 10, expected: 20, completeness: 0.5 },
      ]);
      // The resend fills half of the hole, late, into day 1's first hour.
      await insert(
        store,
        batch(
          's1',
          [15, 16, 17, 18, 19].map((s) => synced(s, 1440 + s)),
        ),
        DAY0 + 3 * MS_PER_DAY,
      );
      expect(await store.refreshRollups(100)).toBe(1);
      expect(await store.completeness('s1', DAY0 + MS_PER_DAY, DAY0 + 2 * MS_PER_DAY)).toEqual([
        { siteId: 's1', dayMs: DAY0 + MS_PER_DAY, received: 15, expected: 20, completeness: 0.75 },
      ]);
      expect(await store.rollups('s1', 'hour', DAY0 + MS_PER_DAY, DAY0 + 2 * MS_PER_DAY)).toMatchObject([
        // No sample reported solar power.
        { bucketMs: DAY0 + MS_PER_DAY, samples: 15, onlineMinutes: 15, solarMeanWatts: null },
      ]);
      expect(await store.refreshRollups(100)).toBe(0);
    });

    it('prunes raw samples past retention and keeps their roll-ups', async () => {
      await insert(store, batch('s1', [synced(1, 1), synced(2, 2), synced(3, 1440 * 3)]), DAY0 + 4 * MS_PER_DAY);
      await store.refreshRollups(100);
      expect(await store.pruneSamples(DAY0 + MS_PER_DAY)).toBe(2);
      expect((await store.listSamples('s1')).map((s) => s.seq)).toEqual([3]);
      // A late sample for the pruned day does not shrink its roll-up to itself.
      await insert(store, batch('s1', [synced(0, 0)]), DAY0 + 4 * MS_PER_DAY);
      await store.refreshRollups(100);
      expect(await store.rollups('s1', 'day', DAY0, DAY0 + 5 * MS_PER_DAY)).toMatchObject([
        { bucketMs: DAY0, samples: 2 },
        { bucketMs: DAY0 + 3 * MS_PER_DAY, samples: 1 },
      ]);
    });

    it("keeps a silent site's latest sample past retention, so its last figures stay listed", async () => {
      await insert(store, seqBatch('s1', [1, 2]), DAY0);
      expect(await store.pruneSamples(DAY0 + 10 * MS_PER_DAY)).toBe(1);
      const [site] = await store.listSites();
      expect(site?.lastSample).toMatchObject({ seq: 2, figures: { systemUptimeMs: MS_PER_HOUR + 2 * MIN } });
    });

    it('forgets resend requests past retention: samples filling them later are not counted as recovered', async () => {
      await insert(store, seqBatch('s1', [1, 9]), DAY0);
      await store.recordResendRequest('s1', { fromSeq: 2, toSeq: 3 }, DAY0);
      await store.recordResendRequest('s1', { fromSeq: 4, toSeq: 5 }, DAY0 + 2 * MS_PER_DAY);
      await store.pruneSamples(DAY0 + MS_PER_DAY);
      await insert(store, seqBatch('s1', [2, 4]), DAY0 + 3 * MS_PER_DAY);
      expect((await store.counters()).recoveredSamples).toBe(1);
    });
  });
}

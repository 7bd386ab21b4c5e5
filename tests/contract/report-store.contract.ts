import { latencyBucket, type Store } from '@pantau/collector';
import { MS_PER_DAY } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { batch, DAY0, freshStoreEachTest, insert, MIN, seqBatch, synced } from './store-fixtures.js';

/** The reports role (ReportStore): what commands and reports read. */
export function reportStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`ReportStore contract: ${name}`, () => {
    let store: Store;
    freshStoreEachTest(open, (s) => {
      store = s;
    });

    it('reads nothing from an empty store', async () => {
      expect(await store.listSites()).toEqual([]);
      expect(await store.listSamples('s1')).toEqual([]);
      expect(await store.receivedRanges('s1')).toEqual([]);
      expect(await store.rollups('s1', 'day', 0, DAY0)).toEqual([]);
      expect(await store.completeness('s1', 0, DAY0)).toEqual([]);
      expect(await store.listRejects(10)).toEqual([]);
      expect(await store.counters()).toEqual({
        sites: 0,
        samples: 0,
        duplicates: 0,
        rejectsByReason: {},
        quarantined: 0,
        implausibleByField: {},
        resendRequests: 0,
        recoveredSamples: 0,
        goneSeqs: 0,
        staleStatuses: 0,
      });
    });

    it('lists sites in id order and samples in seq order, as stored', async () => {
      await insert(store, seqBatch('b-site', [5, 2]), DAY0 + 7);
      await insert(store, seqBatch('a-site', [1]), DAY0 + 3);
      expect((await store.listSites()).map((s) => [s.siteId, s.samples])).toEqual([
        ['a-site', 1],
        ['b-site', 2],
      ]);
      expect(await store.listSamples('b-site')).toEqual([
        {
          siteId: 'b-site',
          bootId: 'boot-1',
          seq: 2,
          wallMs: DAY0 + 2 * MIN,
          clockSynced: true,
          uptimeMs: 3_600_000 + 2 * MIN,
          effectiveMs: DAY0 + 2 * MIN,
          timeQuality: 'measured',
          receivedMs: DAY0 + 7,
        },
        expect.objectContaining({ seq: 5 }),
      ]);
      expect(await store.counters()).toMatchObject({ sites: 2, samples: 3 });
    });

    it('reads a figure that was not measured as null, and measured zero as zero', async () => {
      await insert(
        store,
        batch('s1', [
          synced(1, 1, {
            probes: { usage: { rxBytes: 0, txBytes: 0 }, power: { batteryVolts: null, underVoltageNow: false } },
          }),
        ]),
        DAY0 + MS_PER_DAY,
      );
      const figures = (await store.listSites())[0]?.lastSample?.figures;
      expect(figures).toMatchObject({
        rxBytes: 0,
        clientRxBytes: 0,
        batteryVolts: null,
        underVoltageNow: false,
        underVoltageSinceBoot: null,
        linkUp: null,
        systemUptimeMs: null,
        errors: null,
      });
    });

    it('reads the roll-ups of every site over a range at once, with latency buckets and throughput tests', async () => {
      const probes = (rtt: number) => ({
        latency: { targets: [{ role: 'internet' as const, host: 'i', rttAvgMs: rtt }] },
      });
      await insert(
        store,
        batch('b-site', [
          synced(1, 60, { probes: probes(40) }),
          synced(2, 61, {
            probes: { ...probes(80), throughput: { endpointHost: 'noc', downBitsPerSec: 2e7, upBitsPerSec: 5e6 } },
          }),
        ]),
        DAY0,
      );
      await insert(store, batch('a-site', [synced(1, 60 + MS_PER_DAY / MIN, { probes: probes(10) })]), DAY0);
      while ((await store.refreshRollups(100)) > 0) {
        // Until every touched site-day is rolled up.
      }
      const hours = await store.rollupsInRange('hour', DAY0, DAY0 + 2 * MS_PER_DAY, null);
      expect(hours.map((r) => [r.siteId, r.bucketMs])).toEqual([
        ['a-site', DAY0 + MS_PER_DAY + 3_600_000],
        ['b-site', DAY0 + 3_600_000],
      ]);
      const b = hours[1];
      expect(b?.throughput).toEqual([{ atMs: DAY0 + 61 * MIN, downBitsPerSec: 2e7, upBitsPerSec: 5e6 }]);
      expect(b?.latencyHistogram.internet).toEqual([
        [latencyBucket(40), 1],
        [latencyBucket(80), 1],
      ]);
      expect(await store.rollupsInRange('day', DAY0 + MS_PER_DAY, DAY0 + 2 * MS_PER_DAY, null)).toMatchObject([
        { siteId: 'a-site', bucketMs: DAY0 + MS_PER_DAY },
      ]);
      expect(
        (await store.rollupsInRange('hour', DAY0, DAY0 + 2 * MS_PER_DAY, ['b-site', 'x'])).map((r) => r.siteId),
      ).toEqual(['b-site']);
    });
  });
}

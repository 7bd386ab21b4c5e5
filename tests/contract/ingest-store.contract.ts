import type { Store } from '@pantau/collector';
import { MS_PER_DAY, MS_PER_HOUR, type SampleInput } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { batch, DAY0, freshStoreEachTest, insert, MIN, seqBatch, status, synced } from './store-fixtures.js';

/** The ingest role (IngestStore): batches, statuses and rejects, and the counters they keep. */
export function ingestStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`IngestStore contract: ${name}`, () => {
    let store: Store;
    freshStoreEachTest(open, (s) => {
      store = s;
    });

    it('stores each sample identity once and counts the duplicates', async () => {
      expect(await insert(store, seqBatch('s1', [1, 2, 3]), DAY0)).toEqual({ inserted: 3, duplicates: 0 });
      expect(await insert(store, seqBatch('s1', [2, 3, 4]), DAY0)).toEqual({ inserted: 1, duplicates: 2 });
      expect((await store.listSamples('s1')).map((s) => s.seq)).toEqual([1, 2, 3, 4]);
      expect(await store.counters()).toMatchObject({ sites: 1, samples: 4, duplicates: 2 });
    });

    it('keeps the same seq from another boot or another site apart', async () => {
      await insert(store, seqBatch('s1', [1]), DAY0);
      expect(await insert(store, seqBatch('s1', [1], 'boot-2'), DAY0)).toEqual({ inserted: 1, duplicates: 0 });
      expect(await insert(store, seqBatch('s2', [1]), DAY0)).toEqual({ inserted: 1, duplicates: 0 });
    });

    it('commits a group of batches in one call, results in order, the first of a repeated sample stored', async () => {
      const results = await store.insertBatches([
        { batch: seqBatch('s2', [1, 2]), receivedMs: DAY0 },
        { batch: seqBatch('s1', [1]), receivedMs: DAY0 },
        { batch: seqBatch('s2', [2, 3]), receivedMs: DAY0 },
      ]);
      expect(results).toEqual([
        { inserted: 2, duplicates: 0 },
        { inserted: 1, duplicates: 0 },
        { inserted: 1, duplicates: 1 },
      ]);
      expect((await store.counters()).duplicates).toBe(1);
    });

    it("keeps the latest sample's figures as the highest seq's, even after late backfill", async () => {
      const probes = {
        latency: {
          targets: [
            { role: 'gateway' as const, host: 'g', rttAvgMs: 2, lossPct: 0 },
            { role: 'internet' as const, host: 'a', rttAvgMs: 40, lossPct: 0 },
            { role: 'internet' as const, host: 'b', rttAvgMs: null, lossPct: 100, error: 'no_reply' },
          ],
        },
        uptime: { systemUptimeMs: 5000, linkUp: true, previousRunClean: false },
        usage: { rxBytes: 5000, txBytes: 1000, agentRxBytes: 100, agentTxBytes: 200 },
        clients: { clientsInterval: 7 },
        power: { batteryVolts: 12.5, solarWatts: 61.5, underVoltageNow: false, underVoltageSinceBoot: true },
        throughput: { endpointHost: 'noc', downBitsPerSec: 25e6, upBitsPerSec: 4.5e6 },
      };
      await insert(store, batch('s1', [synced(10, 10, { probes })]), DAY0 + HOURS(1));
      await insert(store, batch('s1', [synced(3, 3)]), DAY0 + HOURS(2));
      const [site] = await store.listSites();
      expect(site).toMatchObject({
        siteId: 's1',
        lastSeenMs: DAY0 + HOURS(2),
        samples: 2,
        lastSample: {
          seq: 10,
          bootId: 'boot-1',
          clockSynced: true,
          effectiveMs: DAY0 + 10 * MIN,
          timeQuality: 'measured',
          receivedMs: DAY0 + HOURS(1),
        },
      });
      expect(site?.lastSample?.figures).toEqual({
        rxBytes: 5000,
        txBytes: 1000,
        clientRxBytes: 4900,
        clientTxBytes: 800,
        clients: 7,
        batteryVolts: 12.5,
        solarWatts: 61.5,
        underVoltageNow: false,
        underVoltageSinceBoot: true,
        rttGatewayMs: 2,
        rttTerminalMs: null,
        rttInternetMs: 40,
        rttNocMs: null,
        lossGatewayPct: 0,
        lossTerminalPct: null,
        lossInternetPct: 50,
        lossNocPct: null,
        linkUp: true,
        previousRunClean: false,
        systemUptimeMs: 5000,
        errors: 'latency.internet:no_reply',
        throughputDownBitsPerSec: 25e6,
        throughputUpBitsPerSec: 4.5e6,
      });
    });

    it('applies statuses in epoch order, counts an older will as stale, and never moves the last sample', async () => {
      await insert(store, seqBatch('s1', [4]), DAY0);
      expect(await store.applyStatus(status('s1', 5, 'connected'), DAY0 + HOURS(1))).toBe('applied');
      expect(await store.applyStatus(status('s1', 4, 'connection_lost'), DAY0 + HOURS(2))).toBe('stale');
      let [site] = await store.listSites();
      expect(site?.status).toMatchObject({ state: 'online', epoch: 5 });
      expect(await store.applyStatus(status('s1', 5, 'connection_lost'), DAY0 + HOURS(3))).toBe('applied');
      [site] = await store.listSites();
      expect(site?.status).toMatchObject({ state: 'offline', reason: 'connection_lost', receivedMs: DAY0 + HOURS(3) });
      // The will arrived hours later; the site's last sample is still the one taken at minute 4.
      expect(site?.lastSample?.effectiveMs).toBe(DAY0 + 4 * MIN);
      expect((await store.counters()).staleStatuses).toBe(1);
      // A site heard only by its status has no sample yet.
      await store.applyStatus(status('s2', 1, 'connected'), DAY0);
      expect((await store.listSites())[1]).toMatchObject({ siteId: 's2', samples: 0, lastSample: null });
    });

    it('keeps the newest rejects, bounded, newest first, and counts every one by reason', async () => {
      for (let i = 0; i < 5; i++) {
        await store.recordReject(
          {
            reason: i < 4 ? 'invalid_json' : 'site_mismatch',
            detail: `d${i}`,
            topic: 't',
            firstBytesHex: 'ab',
            receivedMs: i,
          },
          3,
        );
      }
      expect((await store.listRejects(10)).map((r) => r.detail)).toEqual(['d4', 'd3', 'd2']);
      expect(await store.listRejects(1)).toEqual([
        { reason: 'site_mismatch', detail: 'd4', topic: 't', firstBytesHex: 'ab', receivedMs: 4 },
      ]);
      expect(await store.counters()).toMatchObject({
        rejectsByReason: { invalid_json: 4, site_mismatch: 1 },
        quarantined: 3,
      });
    });

    it('counts implausible figures of new samples only, by field', async () => {
      const b = seqBatch('s1', [1, 2]);
      const implausible = [
        { sample: 0, field: 'power.batteryVolts' },
        { sample: 1, field: 'power.batteryVolts' },
        { sample: 1, field: 'latency.rttAvgMs' },
      ];
      await insert(store, b, DAY0, { implausible });
      // Delivered again (a PUBACK lost to a crash): nothing new, nothing counted again.
      await insert(store, b, DAY0, { implausible });
      expect((await store.counters()).implausibleByField).toEqual({
        'latency.rttAvgMs': 1,
        'power.batteryVolts': 2,
      });
    });

    it('counts new samples that fill a range a resend request asked for as recovered', async () => {
      await insert(store, seqBatch('s1', [1, 9]), DAY0);
      await store.recordResendRequest('s1', { fromSeq: 2, toSeq: 5 }, DAY0);
      // Asked again (a retry): the range once, the request twice.
      await store.recordResendRequest('s1', { fromSeq: 2, toSeq: 5 }, DAY0 + HOURS(1));
      await insert(store, seqBatch('s1', [2, 3, 6]), DAY0 + HOURS(1));
      await insert(store, seqBatch('s1', [3, 4]), DAY0 + HOURS(1));
      // Another site's same seqs were not asked for.
      await insert(store, seqBatch('s2', [2, 3]), DAY0);
      expect(await store.counters()).toMatchObject({ resendRequests: 2, recoveredSamples: 3, duplicates: 1 });
    });

    describe('clock correction', () => {
      it('keeps a synchronised time as measured', async () => {
        await insert(store, batch('s1', [synced(1, 5)]), DAY0 + HOURS(2));
        expect((await store.listSamples('s1'))[0]).toMatchObject({
          effectiveMs: DAY0 + 5 * MIN,
          timeQuality: 'measured',
        });
      });

      it('estimates an unsynchronised time from receipt, re-bases the boot once a synced sample arrives', async () => {
        // Boot began at DAY0 + 1 h; the clock says 1970 until NTP syncs.
        const boot = DAY0 + MS_PER_HOUR;
        // Received 2 min after the newest was taken.
        await insert(store, batch('s1', [unsynced(1, 1), unsynced(2, 2)]), boot + 4 * MIN);
        let rows = await store.listSamples('s1');
        expect(rows.map((r) => [r.effectiveMs, r.timeQuality])).toEqual([
          [boot + 3 * MIN, 'estimated'],
          [boot + 4 * MIN, 'estimated'],
        ]);
        await insert(
          store,
          batch('s1', [{ seq: 3, bootId: 'b2', wallMs: boot + 10 * MIN, clockSynced: true, uptimeMs: 10 * MIN }]),
          boot + 11 * MIN,
        );
        await insert(store, batch('s1', [unsynced(4, 12)]), boot + 30 * MIN);
        rows = await store.listSamples('s1');
        expect(rows.map((r) => [r.seq, r.effectiveMs, r.timeQuality])).toEqual([
          [1, boot + MIN, 'corrected'],
          [2, boot + 2 * MIN, 'corrected'],
          [3, boot + 10 * MIN, 'measured'],
          [4, boot + 12 * MIN, 'corrected'],
        ]);
        expect(rows[0]).toMatchObject({ wallMs: MIN, clockSynced: false, uptimeMs: MIN });
      });

      it('re-bases within one group: an unsynchronised batch, then the synced one of its boot', async () => {
        const boot = DAY0 + MS_PER_HOUR;
        await store.insertBatches([
          { batch: batch('s1', [unsynced(1, 1)]), receivedMs: boot + 50 * MIN },
          {
            batch: batch('s1', [
              { seq: 2, bootId: 'b2', wallMs: boot + 2 * MIN, clockSynced: true, uptimeMs: 2 * MIN },
            ]),
            receivedMs: boot + 50 * MIN,
          },
        ]);
        expect((await store.listSamples('s1')).map((r) => [r.seq, r.effectiveMs, r.timeQuality])).toEqual([
          [1, boot + MIN, 'corrected'],
          [2, boot + 2 * MIN, 'measured'],
        ]);
      });

      it('moves roll-ups with a re-based boot', async () => {
        const lone: SampleInput = { seq: 1, bootId: 'b3', wallMs: 0, clockSynced: false, uptimeMs: 0 };
        await insert(store, batch('s1', [lone]), DAY0 + 5 * MS_PER_DAY);
        await store.refreshRollups(100);
        expect(await store.rollups('s1', 'day', DAY0 + 5 * MS_PER_DAY, DAY0 + 6 * MS_PER_DAY)).toHaveLength(1);
        // The boot really began on DAY0.
        await insert(
          store,
          batch('s1', [{ seq: 2, bootId: 'b3', wallMs: DAY0 + MIN, clockSynced: true, uptimeMs: MIN }]),
          DAY0 + 5 * MS_PER_DAY,
        );
        await store.refreshRollups(100);
        expect(await store.rollups('s1', 'day', DAY0 + 5 * MS_PER_DAY, DAY0 + 6 * MS_PER_DAY)).toHaveLength(0);
        expect(await store.rollups('s1', 'day', DAY0, DAY0 + MS_PER_DAY)).toMatchObject([{ samples: 2 }]);
      });
    });
  });
}

function unsynced(seq: number, uptimeMin: number): SampleInput {
  return { seq, bootId: 'b2', wallMs: uptimeMin * MIN, clockSynced: false, uptimeMs: uptimeMin * MIN };
}

function HOURS(n: number): number {
  return n * MS_PER_HOUR;
}

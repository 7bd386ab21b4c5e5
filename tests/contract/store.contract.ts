import type { Store } from '@pantau/collector';
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  type SampleInput,
  type SiteStatus,
  siteStatusSchema,
  type TelemetryBatch,
  telemetryBatchSchema,
} from '@pantau/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** 2026-11-23T00:00:00Z: a day boundary, so buckets are easy to read. */
export const DAY0 = Date.UTC(2026, 10, 23);
const MIN = 60_000;

export function batch(siteId: string, samples: SampleInput[]): TelemetryBatch {
  return telemetryBatchSchema.parse({ v: 1, siteId, agentVersion: '0.1.0', sentAtMs: DAY0, samples });
}

/** A synced sample taken `minute` minutes after DAY0, in boot `bootId` that began at DAY0 - 1 h. */
export function synced(seq: number, minute: number, extra: Partial<SampleInput> = {}, bootId = 'boot-1'): SampleInput {
  return {
    seq,
    bootId,
    wallMs: DAY0 + minute * MIN,
    clockSynced: true,
    uptimeMs: MS_PER_HOUR + minute * MIN,
    probes: { uptime: { systemUptimeMs: MS_PER_HOUR + minute * MIN, agentUptimeMs: 1 } },
    ...extra,
  };
}

const seqBatch = (siteId: string, seqs: number[], bootId = 'boot-1') =>
  batch(
    siteId,
    seqs.map((seq) => synced(seq, seq, {}, bootId)),
  );

function status(siteId: string, epoch: number, reason: SiteStatus['reason']): SiteStatus {
  const state = reason === 'connected' ? 'online' : 'offline';
  return siteStatusSchema.parse({ v: 1, siteId, state, reason, epoch, atMs: 0, bootId: 'b', agentVersion: '0.1.0' });
}

/**
 * The behaviour every Store must have. `open` gives a fresh, empty store; each implementation's
 * test file calls this once (SQLite in tests/unit, PostgreSQL in tests/integration).
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores each sample identity once and counts the duplicates', async () => {
      expect(await store.insertBatch(seqBatch('s1', [1, 2, 3]), DAY0)).toEqual({ inserted: 3, duplicates: 0 });
      expect(await store.insertBatch(seqBatch('s1', [2, 3, 4]), DAY0)).toEqual({ inserted: 1, duplicates: 2 });
      expect((await store.listSamples('s1')).map((s) => s.seq)).toEqual([1, 2, 3, 4]);
    });

    it('keeps the same seq from another boot or another site apart', async () => {
      await store.insertBatch(seqBatch('s1', [1]), DAY0);
      expect(await store.insertBatch(seqBatch('s1', [1], 'boot-2'), DAY0)).toEqual({ inserted: 1, duplicates: 0 });
      expect(await store.insertBatch(seqBatch('s2', [1]), DAY0)).toEqual({ inserted: 1, duplicates: 0 });
    });

    it('commits a group of batches in one call, results in order', async () => {
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
    });

    it('lists sites with last-seen time and the values of the highest seq, even after late backfill', async () => {
      await store.insertBatch(seqBatch('s1', [10]), DAY0 + 500);
      await store.insertBatch(seqBatch('s1', [3]), DAY0 + 700);
      const [site] = await store.listSites();
      expect(site).toMatchObject({
        siteId: 's1',
        lastSeenMs: DAY0 + 700,
        samples: 2,
        lastSample: { seq: 10, bootId: 'boot-1', clockSynced: true },
      });
      expect(site?.lastSample?.probes.uptime?.systemUptimeMs).toBe(MS_PER_HOUR + 10 * MIN);
    });

    it('applies statuses in epoch order and calls an older will stale', async () => {
      expect(await store.applyStatus(status('s1', 5, 'connected'), 1)).toBe('applied');
      expect(await store.applyStatus(status('s1', 4, 'connection_lost'), 2)).toBe('stale');
      expect((await store.listSites())[0]?.status).toMatchObject({ state: 'online', epoch: 5 });
      expect(await store.applyStatus(status('s1', 5, 'connection_lost'), 3)).toBe('applied');
      expect((await store.listSites())[0]?.status).toMatchObject({ state: 'offline', reason: 'connection_lost' });
    });

    describe('clock correction', () => {
      it('keeps a synchronised time as measured', async () => {
        await store.insertBatch(batch('s1', [synced(1, 5)]), DAY0 + HOURS(2));
        expect((await store.listSamples('s1'))[0]).toMatchObject({
          effectiveMs: DAY0 + 5 * MIN,
          timeQuality: 'measured',
        });
      });

      it('estimates an unsynchronised time from receipt, then re-bases the boot once a synced sample arrives', async () => {
        // Boot began at DAY0 + 1 h; the clock says 1970 until NTP syncs.
        const boot = DAY0 + MS_PER_HOUR;
        const unsynced = (seq: number, uptimeMin: number): SampleInput => ({
          seq,
          bootId: 'b2',
          wallMs: uptimeMin * MIN,
          clockSynced: false,
          uptimeMs: uptimeMin * MIN,
        });
        // Received 2 min after the newest was taken.
        await store.insertBatch(batch('s1', [unsynced(1, 1), unsynced(2, 2)]), boot + 4 * MIN);
        let rows = await store.listSamples('s1');
        expect(rows.map((r) => [r.effectiveMs, r.timeQuality])).toEqual([
          [boot + 3 * MIN, 'estimated'],
          [boot + 4 * MIN, 'estimated'],
        ]);
        await store.insertBatch(
          batch('s1', [{ seq: 3, bootId: 'b2', wallMs: boot + 10 * MIN, clockSynced: true, uptimeMs: 10 * MIN }]),
          boot + 11 * MIN,
        );
        await store.insertBatch(batch('s1', [unsynced(4, 12)]), boot + 30 * MIN);
        rows = await store.listSamples('s1');
        expect(rows.map((r) => [r.seq, r.effectiveMs, r.timeQuality])).toEqual([
          [1, boot + MIN, 'corrected'],
          [2, boot + 2 * MIN, 'corrected'],
          [3, boot + 10 * MIN, 'measured'],
          [4, boot + 12 * MIN, 'corrected'],
        ]);
        expect(rows[0]).toMatchObject({ wallMs: MIN, clockSynced: false, uptimeMs: MIN });
      });

      it('moves roll-ups with a re-based boot', async () => {
        const unsynced: SampleInput = { seq: 1, bootId: 'b3', wallMs: 0, clockSynced: false, uptimeMs: 0 };
        await store.insertBatch(batch('s1', [unsynced]), DAY0 + 5 * MS_PER_DAY);
        await store.refreshRollups(100);
        expect(await store.rollups('s1', 'day', DAY0 + 5 * MS_PER_DAY, DAY0 + 6 * MS_PER_DAY)).toHaveLength(1);
        // The boot really began on DAY0.
        await store.insertBatch(
          batch('s1', [{ seq: 2, bootId: 'b3', wallMs: DAY0 + MIN, clockSynced: true, uptimeMs: MIN }]),
          DAY0 + 5 * MS_PER_DAY,
        );
        await store.refreshRollups(100);
        expect(await store.rollups('s1', 'day', DAY0 + 5 * MS_PER_DAY, DAY0 + 6 * MS_PER_DAY)).toHaveLength(0);
        expect(await store.rollups('s1', 'day', DAY0, DAY0 + MS_PER_DAY)).toMatchObject([{ samples: 2 }]);
      });
    });

    it('keeps the newest rejects, bounded, newest first', async () => {
      for (let i = 0; i < 5; i++) {
        await store.recordReject(
          { reason: 'invalid_json', detail: `d${i}`, topic: 't', firstBytesHex: 'ab', receivedMs: i },
          3,
        );
      }
      expect((await store.listRejects(10)).map((r) => r.detail)).toEqual(['d4', 'd3', 'd2']);
      expect(await store.listRejects(1)).toEqual([
        { reason: 'invalid_json', detail: 'd4', topic: 't', firstBytesHex: 'ab', receivedMs: 4 },
      ]);
    });

    it('knows the received ranges and the holes, and stops listing holes the site says are gone', async () => {
      await store.insertBatch(seqBatch('s1', [0, 1, 2, 5, 6, 9, 20]), DAY0);
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
      await store.insertBatch(seqBatch('s1', [7, 8]), DAY0);
      expect(await store.missingRanges('s1', 10)).toEqual([{ fromSeq: 15, toSeq: 19 }]);
      expect(await store.missingRanges('nobody', 10)).toEqual([]);
    });

    it('looks for holes only near the latest seqs, so a scan stays bounded', async () => {
      await store.insertBatch(seqBatch('s1', [0, 1, 5, 40_000, 40_002]), DAY0);
      // 1..4 is far behind the window; the hole that reaches into it is still seen.
      expect(await store.missingRanges('s1', 10)).toEqual([
        { fromSeq: 6, toSeq: 39_999 },
        { fromSeq: 40_001, toSeq: 40_001 },
      ]);
    });

    describe('roll-ups', () => {
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

      it('sums usage, counts online and active minutes, takes latency percentiles, battery and clients', async () => {
        const samples: SampleInput[] = [];
        for (let m = 0; m < 20; m++) {
          samples.push(
            synced(m, m, {
              probes: {
                ...usage(m < 5 ? 50_000 : 2_000, 1_000),
                ...latency(1 + m, 40 + m),
                power: { batteryVolts: 12 + m / 10 },
                clients: { clientsInterval: m % 7 },
              },
            }),
          );
        }
        // Two samples in minute 30 count one online minute.
        samples.push(synced(20, 30), { ...synced(21, 30), wallMs: DAY0 + 30 * MIN + 30_000 });
        await store.insertBatch(batch('s1', samples), DAY0 + MS_PER_HOUR);
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
        expect(day).toMatchObject({ grain: 'day', bucketMs: DAY0, samples: 22, onlineMinutes: 21, activeMinutes: 5 });
      });

      it('updates hours and days when late data arrives, and measures completeness per day', async () => {
        // Day 0: seqs 0-9 at minutes 0-9; day 1: seqs 20-29; seqs 10-19 missing.
        await store.insertBatch(
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
        await store.insertBatch(
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
          { bucketMs: DAY0 + MS_PER_DAY, samples: 15, onlineMinutes: 15 },
        ]);
        expect(await store.refreshRollups(100)).toBe(0);
      });

      it('prunes raw samples past retention and keeps their roll-ups', async () => {
        await store.insertBatch(batch('s1', [synced(1, 1), synced(2, 2), synced(3, 1440 * 3)]), DAY0 + 4 * MS_PER_DAY);
        await store.refreshRollups(100);
        expect(await store.pruneSamples(DAY0 + MS_PER_DAY)).toBe(2);
        expect((await store.listSamples('s1')).map((s) => s.seq)).toEqual([3]);
        // A late sample for the pruned day does not shrink its roll-up to itself.
        await store.insertBatch(batch('s1', [synced(0, 0)]), DAY0 + 4 * MS_PER_DAY);
        await store.refreshRollups(100);
        expect(await store.rollups('s1', 'day', DAY0, DAY0 + 5 * MS_PER_DAY)).toMatchObject([
          { bucketMs: DAY0, samples: 2 },
          { bucketMs: DAY0 + 3 * MS_PER_DAY, samples: 1 },
        ]);
      });
    });
  });
}

function HOURS(n: number): number {
  return n * MS_PER_HOUR;
}

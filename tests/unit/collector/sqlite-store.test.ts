import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type Store } from '@pantau/collector';
import { type SiteStatus, siteStatusSchema, type TelemetryBatch, telemetryBatchSchema } from '@pantau/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

function batch(siteId: string, seqs: number[], bootId = 'boot-1'): TelemetryBatch {
  return telemetryBatchSchema.parse({
    v: 1,
    siteId,
    agentVersion: '0.1.0',
    sentAtMs: 1_795_392_000_000,
    samples: seqs.map((seq) => ({
      seq,
      bootId,
      wallMs: 1_795_392_000_000 + seq * 60_000,
      clockSynced: true,
      uptimeMs: seq * 60_000,
      probes: { uptime: { systemUptimeMs: seq * 60_000, agentUptimeMs: 1 } },
    })),
  });
}

function status(siteId: string, epoch: number, reason: SiteStatus['reason']): SiteStatus {
  const state = reason === 'connected' ? 'online' : 'offline';
  return siteStatusSchema.parse({ v: 1, siteId, state, reason, epoch, atMs: 0, bootId: 'b', agentVersion: '0.1.0' });
}

describe('SQLite store', () => {
  let store: Store;
  let path: string;
  beforeEach(() => {
    path = join(mkdtempSync(join(tmpdir(), 'pantau-store-')), 'pantau.sqlite');
    store = openSqliteStore(path);
  });
  afterEach(() => store.close());

  it('stores each sample identity once and counts the duplicates', async () => {
    expect(await store.insertBatch(batch('s1', [1, 2, 3]), 100)).toEqual({ inserted: 3, duplicates: 0 });
    expect(await store.insertBatch(batch('s1', [2, 3, 4]), 200)).toEqual({ inserted: 1, duplicates: 2 });
    expect((await store.listSamples('s1')).map((s) => s.seq)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the same seq from another boot or another site apart', async () => {
    await store.insertBatch(batch('s1', [1]), 100);
    expect(await store.insertBatch(batch('s1', [1], 'boot-2'), 100)).toEqual({ inserted: 1, duplicates: 0 });
    expect(await store.insertBatch(batch('s2', [1]), 100)).toEqual({ inserted: 1, duplicates: 0 });
  });

  it('lists sites with last-seen time and the values of the highest seq, even after late backfill', async () => {
    await store.insertBatch(batch('s1', [10]), 500);
    await store.insertBatch(batch('s1', [3]), 700);
    const [site] = await store.listSites();
    expect(site).toMatchObject({
      siteId: 's1',
      lastSeenMs: 700,
      samples: 2,
      lastSample: { seq: 10, bootId: 'boot-1' },
    });
    expect(site?.lastSample?.probes.uptime?.systemUptimeMs).toBe(600_000);
  });

  it('applies statuses in epoch order and calls an older will stale', async () => {
    expect(await store.applyStatus(status('s1', 5, 'connected'), 1)).toBe('applied');
    expect(await store.applyStatus(status('s1', 4, 'connection_lost'), 2)).toBe('stale');
    expect((await store.listSites())[0]?.status).toMatchObject({ state: 'online', epoch: 5 });
    expect(await store.applyStatus(status('s1', 5, 'connection_lost'), 3)).toBe('applied');
    expect((await store.listSites())[0]?.status).toMatchObject({ state: 'offline', reason: 'connection_lost' });
  });

  it('keeps its data and schema version across a reopen', async () => {
    await store.insertBatch(batch('s1', [1, 2]), 100);
    await store.close();
    store = openSqliteStore(path);
    expect(await store.insertBatch(batch('s1', [2, 3]), 100)).toEqual({ inserted: 1, duplicates: 1 });
  });
});

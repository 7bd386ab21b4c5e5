import {
  FencedWriteError,
  fencedEvaluatorStore,
  type HealthCommit,
  newNocState,
  newPool,
  openPgLockSession,
  openPostgresStore,
  postgresStoredEvents,
  type Store,
} from '@pantau/collector';
import { encodePayload } from '@pantau/shared';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../helpers/fakes.js';
import { type Postgres, startPostgres } from '../helpers/postgres.js';

const T0 = Date.UTC(2026, 11, 2, 8);
const emptyCommit = (savedAtMs: number): HealthCommit => ({
  sites: [],
  noc: newNocState(savedAtMs),
  alerts: [],
  incidents: [],
  transitions: [],
  outbox: [],
  savedAtMs,
});
const batchPayload = (siteId: string, seq: number) =>
  encodePayload('telemetry', {
    v: 1,
    siteId,
    agentVersion: 'test',
    sentAtMs: T0,
    samples: [{ seq, bootId: 'b1', wallMs: T0 + seq * 1000, clockSynced: true, uptimeMs: 60_000 + seq * 1000 }],
  });

describe('the health evaluator on a real PostgreSQL', () => {
  let postgres: Postgres;
  let url: string;
  let store: Store;
  let pool: pg.Pool;
  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase('evaluator');
    store = await openPostgresStore({ connectionString: url });
    pool = newPool(url, 3);
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await postgres?.stop();
  });

  it("an old epoch's writes are refused with code fenced, logged and counted, and nothing is written", async () => {
    const lock = (holder: string) =>
      openPgLockSession({ connectionString: url, holder, leaseMs: 5000, nowMs: Date.now });
    const first = await lock('col-a');
    const epoch = (await first.tryAcquire()) ?? 0;
    const { log, lines } = captureLogger('info');
    let told = 0;
    const old = fencedEvaluatorStore(store, pool, { epoch, leaseMs: 5000, onFenced: () => told++, log });
    await old.commit(emptyCommit(T0));
    await old.saveCursor('5:1');
    expect((await store.load()).savedAtMs).toBe(T0);

    // Another collector takes the lock (the first's session ended) and a newer epoch begins.
    await first.close();
    const second = await lock('col-b');
    const newer = await second.tryAcquire();
    expect(newer).toBe(epoch + 1);

    const refused = await old.commit(emptyCommit(T0 + 1000)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FencedWriteError);
    expect(refused).toMatchObject({ code: 'fenced', epoch, currentEpoch: newer });
    await expect(old.due('webhook', T0, 10)).rejects.toMatchObject({ code: 'fenced' });
    await expect(old.saveCursor('9:9')).rejects.toMatchObject({ code: 'fenced' });
    expect(told).toBe(3);
    expect((await store.load()).savedAtMs).toBe(T0);
    expect(await postgresStoredEvents(pool, log).startCursor()).toBe('5:1');
    const fencedLines = lines.filter((l) => l.event === 'write_fenced');
    expect(fencedLines.map((l) => l.write)).toEqual(['health_commit', 'outbox_due', 'feed_cursor']);
    expect(fencedLines.at(-1)).toMatchObject({ code: 'fenced', epoch, currentEpoch: newer, refused: 3 });

    const current = fencedEvaluatorStore(store, pool, {
      epoch: newer ?? 0,
      leaseMs: 5000,
      onFenced: () => told++,
      log,
    });
    await current.commit(emptyCommit(T0 + 2000));
    expect((await store.load()).savedAtMs).toBe(T0 + 2000);
    await second.close();
  });

  it('the feed never reads past a batch still being committed: a lower id committed later is not skipped', async () => {
    const { log } = captureLogger('info');
    const events = postgresStoredEvents(pool, log);
    const start = await events.startCursor();
    const insert = (db: Pick<pg.Pool, 'query'>, seq: number) =>
      db.query('INSERT INTO payloads (site_id, received_ms, payload) VALUES ($1, $2, $3)', [
        'feed-1',
        T0 + seq,
        Buffer.from(batchPayload('feed-1', seq)),
      ]);
    // A collector's commit in flight holds the lower id...
    const slow = await pool.connect();
    await slow.query('BEGIN');
    await insert(slow, 1);
    // ...while another collector's batch, with a higher id, commits first.
    await insert(pool, 2);
    const early = await events.batches(start, 10);
    expect(early.items).toEqual([]);
    expect(early.next).toBe(start);
    await slow.query('COMMIT');
    slow.release();
    const both = await events.batches(early.next, 10);
    expect(both.items.map((i) => i.batch.samples[0]?.seq).sort()).toEqual([1, 2]);
    expect(both.items.map((i) => i.receivedMs).sort()).toEqual([T0 + 1, T0 + 2]);
    expect((await events.batches(both.next, 10)).items).toEqual([]);
  });

  it('a first evaluator (no cursor saved) starts at the present: what was committed before is history', async () => {
    const freshUrl = await postgres.createDatabase('evaluator_first');
    const fresh = await openPostgresStore({ connectionString: freshUrl });
    const freshPool = newPool(freshUrl, 2);
    try {
      const insert = (seq: number) =>
        freshPool.query('INSERT INTO payloads (site_id, received_ms, payload) VALUES ($1, $2, $3)', [
          'first-1',
          T0 + seq,
          Buffer.from(batchPayload('first-1', seq)),
        ]);
      await insert(1);
      const events = postgresStoredEvents(freshPool, captureLogger('info').log);
      const start = await events.startCursor();
      await insert(2);
      const read = await events.batches(start, 10);
      expect(read.items.map((i) => i.batch.samples[0]?.seq)).toEqual([2]);
    } finally {
      await freshPool.end();
      await fresh.close();
    }
  });

  it("reads each site's applied status back, wills included", async () => {
    const { log } = captureLogger('info');
    const status = (state: 'online' | 'offline', epoch: number) => ({
      v: 1 as const,
      siteId: 'feed-2',
      state,
      reason: state === 'online' ? ('connected' as const) : ('connection_lost' as const),
      epoch,
      atMs: T0,
      bootId: 'b1',
      agentVersion: 'test',
      configHash: null,
      spoolDepth: null,
      droppedSamples: null,
      spoolFault: null,
      inventory: null,
    });
    await store.applyStatus(status('online', 2), T0 + 10);
    await store.applyStatus(status('offline', 2), T0 + 20);
    const read = await postgresStoredEvents(pool, log).statuses(T0);
    expect(read.filter((s) => s.status.siteId === 'feed-2')).toEqual([
      {
        status: expect.objectContaining({ siteId: 'feed-2', state: 'offline', reason: 'connection_lost', epoch: 2 }),
        receivedMs: T0 + 20,
      },
    ]);
    expect(await postgresStoredEvents(pool, log).statuses(T0 + 21)).toEqual([]);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, openSqliteStoreInWorker, sqliteMigrations } from '@pantau/collector';
import { encodePayload, MS_PER_DAY } from '@pantau/shared';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { batch, DAY0, storeContract, synced } from '../../contract/store.contract.js';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'pantau-store-')), 'pantau.sqlite');

storeContract('SQLite', async () => openSqliteStore(freshPath()));
storeContract('SQLite on a worker thread', () => openSqliteStoreInWorker(freshPath()));

describe('SQLite store on a worker thread', () => {
  it("fails to open with SQLite's reason, and answers nothing after close", async () => {
    await expect(openSqliteStoreInWorker(join(tmpdir(), 'no-such-dir-pantau', 'x.sqlite'))).rejects.toThrow(
      /directory does not exist|unable to open/,
    );
    const store = await openSqliteStoreInWorker(freshPath());
    await store.close();
    await store.close();
    await expect(store.listSites()).rejects.toThrow(/closed/);
  });
});

describe('SQLite store', () => {
  it('keeps its data and schema version across a reopen', async () => {
    const path = freshPath();
    let store = openSqliteStore(path);
    await store.insertBatch(batch('s1', [synced(1, 1), synced(2, 2)]), 100);
    await store.close();
    store = openSqliteStore(path);
    expect(await store.insertBatch(batch('s1', [synced(2, 2), synced(3, 3)]), 100)).toEqual({
      inserted: 1,
      duplicates: 1,
    });
    await store.close();
  });
});

describe('SQLite store: payloads', () => {
  /** Rows of the payloads table, read beside the store as an operator's sqlite3 would. */
  const payloadRows = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db
        .prepare<[], { site_id: string; received_ms: number }>('SELECT site_id, received_ms FROM payloads')
        .all();
    } finally {
      db.close();
    }
  };

  it('keeps each batch once as the payload the site sent, and reads the latest probes from it', async () => {
    const path = freshPath();
    const store = openSqliteStore(path);
    const sent = batch('kutim-01', [synced(1, 1), synced(2, 2)]);
    // Columnar, as agents send it: the payload names no site; the stored row's site decodes it.
    const payload = encodePayload('telemetry', sent, 'columnar');
    expect(await store.insertBatch(sent, DAY0, payload)).toEqual({ inserted: 2, duplicates: 0 });
    // Every sample a duplicate: nothing new to keep.
    expect(await store.insertBatch(sent, DAY0, payload)).toEqual({ inserted: 0, duplicates: 2 });
    expect(payloadRows(path)).toEqual([{ site_id: 'kutim-01', received_ms: DAY0 }]);
    const [site] = await store.listSites();
    expect(site?.lastSample?.probes).toEqual(sent.samples[1]?.probes);
    await store.close();
  });

  it('prunes payloads received well before the horizon, but never a site latest', async () => {
    const path = freshPath();
    const store = openSqliteStore(path);
    await store.insertBatch(batch('s1', [synced(1, 1)]), DAY0);
    await store.insertBatch(batch('s1', [synced(2, 1440 * 5)]), DAY0 + 5 * MS_PER_DAY);
    await store.insertBatch(batch('s2', [synced(1, 1)]), DAY0);
    // Horizon at DAY0 + 3 days: payloads received before DAY0 + 1 day may go (2 days' margin).
    expect(await store.pruneSamples(DAY0 + 3 * MS_PER_DAY)).toBe(2);
    // s1's first payload is gone; s2's only payload is its latest sample's, so it stays.
    expect(payloadRows(path).map((r) => [r.site_id, r.received_ms])).toEqual([
      ['s1', DAY0 + 5 * MS_PER_DAY],
      ['s2', DAY0],
    ]);
    expect((await store.listSites()).map((s) => s.lastSample?.probes.uptime?.agentUptimeMs)).toEqual([1, 1]);
    await store.close();
  });

  it('migrates a version 2 database: old samples keep their JSON probes until newer ones arrive', async () => {
    const path = freshPath();
    const old = new Database(path);
    for (const migration of sqliteMigrations.slice(0, 2)) old.exec(migration);
    old.pragma('user_version = 2');
    const probes = { uptime: { systemUptimeMs: 5, agentUptimeMs: 7 } };
    old
      .prepare(
        `INSERT INTO samples (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes,
           effective_ms, time_quality) VALUES ('s1', 'boot-1', 1, ?, 1, 1, ?, ?, ?, 'measured')`,
      )
      .run(DAY0, DAY0, JSON.stringify(probes), DAY0);
    old
      .prepare(
        `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms, samples, last_seq, last_boot_id, last_wall_ms,
           last_clock_synced, last_uptime_ms, last_probes) VALUES ('s1', ?, ?, 1, 1, 'boot-1', ?, 1, 1, ?)`,
      )
      .run(DAY0, DAY0, DAY0, JSON.stringify(probes));
    old.close();

    const store = openSqliteStore(path);
    expect((await store.listSites())[0]?.lastSample?.probes).toEqual(probes);
    expect(await store.insertBatch(batch('s1', [synced(1, 1), synced(2, 2)]), DAY0)).toEqual({
      inserted: 1,
      duplicates: 1,
    });
    const [site] = await store.listSites();
    expect(site?.lastSample).toMatchObject({ seq: 2, probes: { uptime: { agentUptimeMs: 1 } } });
    await store.close();
  });
});

import { join } from 'node:path';
import { openSqliteStore, openSqliteStoreInWorker, sqliteMigrations } from '@pantau/collector';
import { encodePayload, MS_PER_DAY } from '@pantau/shared';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContracts } from '../../contract/store-contracts.js';
import { batch, DAY0, insert, synced } from '../../contract/store-fixtures.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());
const freshPath = () => join(dirs.make('store'), 'pantau.sqlite');

storeContracts('SQLite', async () => openSqliteStore(freshPath()));
storeContracts('SQLite on a worker thread', () => openSqliteStoreInWorker(freshPath()));

describe('SQLite store on a worker thread', () => {
  it("fails to open with SQLite's reason, and answers nothing after close", async () => {
    await expect(openSqliteStoreInWorker(join(dirs.make('store'), 'no-such-dir', 'x.sqlite'))).rejects.toThrow(
      /directory does not exist|unable to open/,
    );
    const store = await openSqliteStoreInWorker(freshPath());
    await store.close();
    await store.close();
    await expect(store.listSites()).rejects.toThrow(/closed/);
  });
});

/** Rows of a table, read beside the store as an operator's sqlite3 would. */
function rows<T>(path: string, sql: string): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], T>(sql).all();
  } finally {
    db.close();
  }
}

describe('SQLite store', () => {
  it('keeps its data and schema version across a reopen', async () => {
    const path = freshPath();
    let store = openSqliteStore(path);
    await insert(store, batch('s1', [synced(1, 1), synced(2, 2)]), 100);
    await store.close();
    store = openSqliteStore(path);
    expect(await insert(store, batch('s1', [synced(2, 2), synced(3, 3)]), 100)).toEqual({
      inserted: 1,
      duplicates: 1,
    });
    expect(rows<{ user_version: number }>(path, 'PRAGMA user_version')).toEqual([
      { user_version: sqliteMigrations.length },
    ]);
    await store.close();
  });

  it('keeps each batch once as the payload the site sent, and none of a batch that was all duplicates', async () => {
    const path = freshPath();
    const store = openSqliteStore(path);
    const sent = batch('kutim-01', [synced(1, 1), synced(2, 2)]);
    const payload = encodePayload('telemetry', sent, 'columnar');
    expect(await insert(store, sent, DAY0, { payload })).toEqual({ inserted: 2, duplicates: 0 });
    expect(await insert(store, sent, DAY0, { payload })).toEqual({ inserted: 0, duplicates: 2 });
    expect(rows(path, 'SELECT site_id, received_ms, payload FROM payloads')).toEqual([
      { site_id: 'kutim-01', received_ms: DAY0, payload: Buffer.from(payload) },
    ]);
    expect(rows(path, 'SELECT DISTINCT payload_id FROM samples')).toEqual([{ payload_id: 1 }]);
    await store.close();
  });

  it('prunes payloads received well before the horizon', async () => {
    const path = freshPath();
    const store = openSqliteStore(path);
    await insert(store, batch('s1', [synced(1, 1)]), DAY0);
    await insert(store, batch('s1', [synced(2, 1440 * 5)]), DAY0 + 5 * MS_PER_DAY);
    // Horizon at DAY0 + 3 days: payloads received before DAY0 + 1 day may go (2 days' margin).
    await store.pruneSamples(DAY0 + 3 * MS_PER_DAY);
    expect(rows(path, 'SELECT received_ms FROM payloads')).toEqual([{ received_ms: DAY0 + 5 * MS_PER_DAY }]);
    await store.close();
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { batch, storeContract, synced } from '../../contract/store.contract.js';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'pantau-store-')), 'pantau.sqlite');

storeContract('SQLite', async () => openSqliteStore(freshPath()));

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

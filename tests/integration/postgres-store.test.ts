import { openPostgresStore, type Store } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, storeContract, synced } from '../contract/store.contract.js';
import { type Postgres, startPostgres } from '../helpers/postgres.js';

let postgres: Postgres;
let databases = 0;

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

/** A fresh database per test: the contract starts each test from an empty store. */
async function freshStore(): Promise<Store> {
  databases += 1;
  const url = await postgres.createDatabase(`pantau_contract_${databases}`);
  return openPostgresStore({ connectionString: url });
}

storeContract('PostgreSQL', freshStore);

describe('PostgreSQL store', () => {
  it('lets two stores (two collectors) migrate the same database at once and share it', async () => {
    const url = await postgres.createDatabase('pantau_shared');
    const [a, b] = await Promise.all([
      openPostgresStore({ connectionString: url }),
      openPostgresStore({ connectionString: url }),
    ]);
    await Promise.all([
      a.insertBatch(batch('s1', [synced(1, 1), synced(2, 2)]), 1),
      b.insertBatch(batch('s1', [synced(2, 2), synced(3, 3)]), 1),
    ]);
    expect((await a.listSamples('s1')).map((s) => s.seq)).toEqual([1, 2, 3]);
    expect((await b.listSites())[0]?.samples).toBe(3);
    await a.close();
    await b.close();
  });
});

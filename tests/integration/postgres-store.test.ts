import { createIngest, openPostgresStore, type RejectReason, type Store } from '@pantau/collector';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, storeContract, synced } from '../contract/store.contract.js';
import { silentLogger } from '../helpers/fakes.js';
import { badCase, FUZZ_MAX_BYTES, goodBatch, prng } from '../helpers/fuzz.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { type Postgres, startPostgres } from '../helpers/postgres.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

let postgres: Postgres;
let databases = 0;

beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
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

  it('two collectors on a shared subscription store every sample once in one PostgreSQL database', async () => {
    const url = await postgres.createDatabase('pantau_two_collectors');
    const mosquitto = await startMosquitto();
    const a = await startCollector(mosquitto.url, 'pg-a', {
      mqtt: { shareGroup: 'noc' },
      ingest: { connections: 2 },
      store: await openPostgresStore({ connectionString: url }),
    });
    const b = await startCollector(mosquitto.url, 'pg-b', {
      mqtt: { shareGroup: 'noc' },
      store: await openPostgresStore({ connectionString: url }),
    });
    try {
      const pub = await mqtt.connectAsync(mosquitto.url, { clientId: 'pg-load' });
      const now = Date.now();
      for (let i = 0; i < 300; i++) {
        const batch = goodBatch(`p${i % 30}`, Math.floor(i / 30), now);
        await pub.publishAsync(`pantau/v1/site/p${i % 30}/telemetry`, Buffer.from(JSON.stringify(batch)), {
          qos: 1,
        });
      }
      await pub.endAsync();
      await waitFor(
        'all 300 samples stored',
        () => a.ingest.counters().samplesStored + b.ingest.counters().samplesStored === 300,
      );
      expect(a.ingest.counters().messages + b.ingest.counters().messages).toBe(300);
      expect(a.ingest.counters().samplesStored + b.ingest.counters().samplesStored).toBe(300);
      expect(a.ingest.counters().samplesStored).toBeGreaterThan(0);
      expect(b.ingest.counters().samplesStored).toBeGreaterThan(0);
      const sites = await a.store.listSites();
      expect(sites).toHaveLength(30);
      expect(sites.every((s) => s.samples === 10 && s.lastSample?.seq === 9)).toBe(true);
    } finally {
      await a.stop();
      await b.stop();
      await mosquitto.stop();
    }
  });

  it('rejects fuzzed payloads with their reasons and stores no bad row', async () => {
    const store = await openPostgresStore({ connectionString: await postgres.createDatabase('pantau_fuzz') });
    const now = Date.UTC(2026, 10, 23, 12);
    const ingest = createIngest(
      { topicRoot: 'pantau/v1', maxPayloadBytes: FUZZ_MAX_BYTES, quarantineSize: 100 },
      { store, log: silentLogger(), nowMs: () => now },
    );
    const rand = prng(15);
    const expected: Partial<Record<RejectReason, number>> = {};
    let good = 0;
    for (let i = 0; i < 3000; i++) {
      const c = badCase(rand, now, i);
      if (c.reason !== null) expected[c.reason] = (expected[c.reason] ?? 0) + 1;
      await ingest.handle(c.topic, c.payload);
      if (i % 10 === 0) {
        const site = `f${good % 97}`;
        await ingest.handle(
          `pantau/v1/site/${site}/telemetry`,
          Buffer.from(JSON.stringify(goodBatch(site, good, now))),
        );
        good += 1;
      }
    }
    expect(ingest.counters()).toMatchObject({ rejected: 3000, samplesStored: good, quarantineWriteFailures: 0 });
    expect(ingest.counters().rejectsByReason).toEqual(expected);
    expect((await store.listSites()).reduce((n, s) => n + s.samples, 0)).toBe(good);
    expect(await store.listRejects(1000)).toHaveLength(100);
    await store.close();
  }, 300_000);
});

import { createIngest, openPostgresStore, pgMigrations, type RejectReason, type Store } from '@pantau/collector';
import { encodePayload, MS_PER_DAY, sampleSchema } from '@pantau/shared';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportBuildContract } from '../contract/report-build.contract.js';
import { reportMonthContract } from '../contract/report-month.contract.js';
import { storeContracts } from '../contract/store-contracts.js';
import { batch, DAY0, insert, synced } from '../contract/store-fixtures.js';
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

storeContracts('PostgreSQL', freshStore);
reportBuildContract('PostgreSQL', freshStore);
reportMonthContract('PostgreSQL', freshStore);

describe('PostgreSQL store', () => {
  it('lets two stores (two collectors) migrate the same database at once and share it', async () => {
    const url = await postgres.createDatabase('pantau_shared');
    const [a, b] = await Promise.all([
      openPostgresStore({ connectionString: url }),
      openPostgresStore({ connectionString: url }),
    ]);
    await Promise.all([
      insert(a, batch('s1', [synced(1, 1), synced(2, 2)]), 1),
      insert(b, batch('s1', [synced(2, 2), synced(3, 3)]), 1),
    ]);
    expect((await a.listSamples('s1')).map((s) => s.seq)).toEqual([1, 2, 3]);
    expect((await b.listSites())[0]?.samples).toBe(3);
    expect((await a.counters()).duplicates).toBe(1);
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

  it('keeps each batch once as the payload the site sent, and none of a batch that was all duplicates', async () => {
    const url = await postgres.createDatabase('pantau_payloads');
    const store = await openPostgresStore({ connectionString: url });
    const sent = batch('kutim-01', [synced(1, 1), synced(2, 2)]);
    const payload = encodePayload('telemetry', sent, 'columnar');
    expect(await insert(store, sent, DAY0, { payload })).toEqual({ inserted: 2, duplicates: 0 });
    expect(await insert(store, sent, DAY0, { payload })).toEqual({ inserted: 0, duplicates: 2 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const payloads = await client.query('SELECT id, site_id, payload FROM payloads');
      expect(payloads.rows).toEqual([{ id: expect.anything(), site_id: 'kutim-01', payload: Buffer.from(payload) }]);
      const named = await client.query('SELECT DISTINCT payload_id FROM samples');
      expect(named.rows).toEqual([{ payload_id: payloads.rows[0]?.id }]);
    } finally {
      await client.end();
    }
    await store.pruneSamples(DAY0 + 3 * MS_PER_DAY);
    await store.close();
  });

  it('upgrades a schema version 1 database: latest figures as columns, implausible figures nulled', async () => {
    const url = await postgres.createDatabase('pantau_upgrade');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const sample = sampleSchema.parse({
      ...synced(4, 4),
      probes: {
        uptime: { systemUptimeMs: 7000, linkUp: false },
        power: { batteryVolts: 1e300 },
        latency: { targets: [{ role: 'noc', host: 'n', rttAvgMs: 12, lossPct: 0 }] },
      },
    });
    try {
      await client.query(
        `CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_ms bigint NOT NULL);
         INSERT INTO schema_migrations VALUES (1, 0)`,
      );
      await client.query(pgMigrations[0] ?? '');
      await client.query(
        `INSERT INTO samples (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes,
           effective_ms, time_quality, battery_volts, rtt_noc_ms)
         VALUES ('s1', 'boot-1', 4, $1, true, $2, $3, $4, $1, 'measured', 1e300, 12)`,
        [sample.wallMs, sample.uptimeMs, DAY0, JSON.stringify(sample.probes)],
      );
      await client.query(
        `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms, samples, last_seq, last_boot_id, last_probes)
         VALUES ('s1', $1, $1, 1, 4, 'boot-1', $2)`,
        [DAY0, JSON.stringify(sample.probes)],
      );
    } finally {
      await client.end();
    }
    const store = await openPostgresStore({ connectionString: url });
    expect((await store.listSites())[0]?.lastSample).toMatchObject({
      seq: 4,
      effectiveMs: sample.wallMs,
      figures: { rttNocMs: 12, lossNocPct: 0, linkUp: false, systemUptimeMs: 7000, batteryVolts: null },
    });
    await store.refreshRollups(10);
    expect(await store.rollups('s1', 'day', DAY0, DAY0 + MS_PER_DAY)).toMatchObject([{ batteryMaxVolts: null }]);
    expect(await insert(store, batch('s1', [synced(4, 4), synced(5, 5)]), DAY0)).toEqual({
      inserted: 1,
      duplicates: 1,
    });
    await store.close();
  });
});

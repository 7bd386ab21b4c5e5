import { join } from 'node:path';
import { openSqliteStore, sqliteMigrations } from '@pantau/collector';
import { encodePayload, MS_PER_DAY, type Sample, sampleSchema } from '@pantau/shared';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { batch, DAY0, insert, MIN, synced } from '../../contract/store-fixtures.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const probes = {
  latency: { targets: [{ role: 'internet', host: 'a', rttAvgMs: 40, lossPct: 0 }] },
  uptime: { systemUptimeMs: 7000, linkUp: true, previousRunClean: true },
  power: { batteryVolts: 1e300, underVoltageNow: true },
};
const legacySample = (seq: number): Sample => sampleSchema.parse({ ...synced(seq, seq), probes });

/**
 * A database as the collector left it at schema version 3: one site whose samples carry their
 * probes as JSON (stored before payloads), one whose samples name their batch's payload; an
 * implausible battery reading stored as a figure, and the roll-up made from it.
 */
function version3Database(path: string): void {
  const db = new Database(path);
  for (const migration of sqliteMigrations.slice(0, 3)) db.exec(migration);
  db.pragma('user_version = 3');
  const insertSample = db.prepare(
    `INSERT INTO samples (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes, payload_id,
       effective_ms, time_quality, rtt_internet_ms, battery_volts)
     VALUES (?, 'boot-1', ?, ?, 1, ?, ?, ?, ?, ?, 'measured', 40, 1e300)`,
  );
  const sample = legacySample(1);
  insertSample.run(
    'json-site',
    1,
    sample.wallMs,
    sample.uptimeMs,
    DAY0,
    JSON.stringify(sample.probes),
    null,
    sample.wallMs,
  );
  const sent = batch('payload-site', [legacySample(1), legacySample(2)]);
  const payloadId = db
    .prepare('INSERT INTO payloads (site_id, received_ms, payload) VALUES (?, ?, ?)')
    .run('payload-site', DAY0, encodePayload('telemetry', sent, 'columnar')).lastInsertRowid;
  for (const s of sent.samples) {
    insertSample.run('payload-site', s.seq, s.wallMs, s.uptimeMs, DAY0, null, payloadId, s.wallMs);
  }
  const site = db.prepare(
    `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms, samples, last_seq, last_boot_id, last_wall_ms,
       last_clock_synced, last_uptime_ms, last_probes, last_payload_id)
     VALUES (?, ?, ?, ?, ?, 'boot-1', 0, 1, 0, ?, ?)`,
  );
  site.run('json-site', DAY0, DAY0, 1, 1, JSON.stringify(sample.probes), null);
  site.run('payload-site', DAY0, DAY0, 2, 2, null, payloadId);
  db.prepare(
    `INSERT INTO rollups VALUES ('json-site', 'day', ?, 1, 1, 0, 0, 0, 0, 0, '{}', 1e300, 1e300, NULL, 1, 1)`,
  ).run(DAY0);
  db.close();
}

describe('SQLite store: upgrade from schema version 3', () => {
  it("lists every site's latest figures without decoding, nulls implausible figures, and keeps working", async () => {
    const path = join(dirs.make('migrate'), 'pantau.sqlite');
    version3Database(path);
    const store = openSqliteStore(path);
    const sites = await store.listSites();
    expect(sites.map((s) => [s.siteId, s.samples, s.lastSample?.seq])).toEqual([
      ['json-site', 1, 1],
      ['payload-site', 2, 2],
    ]);
    for (const site of sites) {
      expect(site.lastSample?.figures).toMatchObject({
        rttInternetMs: 40,
        lossInternetPct: 0,
        linkUp: true,
        previousRunClean: true,
        systemUptimeMs: 7000,
        underVoltageNow: true,
        batteryVolts: null,
        errors: 'power:implausible_value',
      });
    }
    // The day whose roll-up held the implausible reading is recomputed without it.
    await store.refreshRollups(100);
    expect(await store.rollups('json-site', 'day', DAY0, DAY0 + MS_PER_DAY)).toMatchObject([
      { samples: 1, batteryMaxVolts: null, latency: { internet: { p50Ms: 40 } } },
    ]);
    // Stored identities still count as stored; new samples go on as before; counters start at zero.
    expect(await insert(store, batch('payload-site', [synced(2, 2), synced(3, 3)]), DAY0 + MIN)).toEqual({
      inserted: 1,
      duplicates: 1,
    });
    expect((await store.listSites())[1]?.lastSample).toMatchObject({ seq: 3, figures: { batteryVolts: null } });
    expect(await store.counters()).toMatchObject({ sites: 2, samples: 4, duplicates: 1, rejectsByReason: {} });
    await store.close();
  });

  it('upgrades a version 2 database (probes as JSON in every row) through every migration', async () => {
    const path = join(dirs.make('migrate'), 'pantau.sqlite');
    const db = new Database(path);
    for (const migration of sqliteMigrations.slice(0, 2)) db.exec(migration);
    db.pragma('user_version = 2');
    const sample = legacySample(5);
    db.prepare(
      `INSERT INTO samples (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes,
         effective_ms, time_quality) VALUES ('s1', 'boot-1', 5, ?, 1, ?, ?, ?, ?, 'measured')`,
    ).run(sample.wallMs, sample.uptimeMs, DAY0, JSON.stringify(sample.probes), sample.wallMs);
    db.prepare(
      `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms, samples, last_seq, last_boot_id, last_probes)
       VALUES ('s1', ?, ?, 1, 5, 'boot-1', ?)`,
    ).run(DAY0, DAY0, JSON.stringify(sample.probes));
    db.close();
    const store = openSqliteStore(path);
    expect((await store.listSites())[0]?.lastSample).toMatchObject({
      seq: 5,
      effectiveMs: DAY0 + 5 * MIN,
      figures: { linkUp: true, systemUptimeMs: 7000 },
    });
    await store.close();
  });
});

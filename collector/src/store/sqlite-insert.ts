import { MS_PER_DAY } from '@pantau/shared';
import type Database from 'better-sqlite3';
import { bootsOf, dayOf, fileSamples } from './batch-rows.js';
import { type PackedBatch, unpackSamples } from './packed-batch.js';
import type { InsertResult } from './store.js';

/**
 * One batch's insert into SQLite, its statements prepared once: the payload, each new sample's row,
 * the boot's offset and the re-basing it brings, the dirty site-days, the site row. The caller runs
 * it inside a transaction (a group of batches commits at once).
 */
export function prepareSqliteInsert(db: Database.Database): (packed: PackedBatch) => InsertResult {
  const insertSample = db.prepare(
    `INSERT INTO samples (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, payload_id,
       effective_ms, time_quality, rx_bytes, tx_bytes, client_rx_bytes, client_tx_bytes, clients, battery_volts,
       rtt_gateway_ms, rtt_terminal_ms, rtt_internet_ms, rtt_noc_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const insertPayload = db.prepare('INSERT INTO payloads (site_id, received_ms, payload) VALUES (?, ?, ?)');
  const deletePayload = db.prepare('DELETE FROM payloads WHERE id = ?');
  // One statement per batch for the site row: seen time, sample count and, since sequence numbers
  // only grow for a site (docs/protocol.md), the values of the highest seq as the latest sample. Its
  // probes are in the payload the row names; `last_probes` is for samples stored before payloads.
  const newer = 'excluded.last_seq IS NOT NULL AND (sites.last_seq IS NULL OR sites.last_seq < excluded.last_seq)';
  const upsertSite = db.prepare(
    `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms, samples, last_seq, last_boot_id, last_wall_ms,
       last_clock_synced, last_uptime_ms, last_payload_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (site_id) DO UPDATE SET
       last_seen_ms = max(sites.last_seen_ms, excluded.last_seen_ms),
       samples = sites.samples + excluded.samples,
       last_boot_id = CASE WHEN ${newer} THEN excluded.last_boot_id ELSE sites.last_boot_id END,
       last_wall_ms = CASE WHEN ${newer} THEN excluded.last_wall_ms ELSE sites.last_wall_ms END,
       last_clock_synced = CASE WHEN ${newer} THEN excluded.last_clock_synced ELSE sites.last_clock_synced END,
       last_uptime_ms = CASE WHEN ${newer} THEN excluded.last_uptime_ms ELSE sites.last_uptime_ms END,
       last_payload_id = CASE WHEN ${newer} THEN excluded.last_payload_id ELSE sites.last_payload_id END,
       last_probes = CASE WHEN ${newer} THEN NULL ELSE sites.last_probes END,
       last_seq = CASE WHEN ${newer} THEN excluded.last_seq ELSE sites.last_seq END`,
  );
  const getOffset = db.prepare<[string, string], { offset_ms: number }>(
    'SELECT offset_ms FROM boots WHERE site_id = ? AND boot_id = ?',
  );
  const putOffset = db.prepare(
    'INSERT INTO boots (site_id, boot_id, offset_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const bootDays = db.prepare<[string, string], { day: number }>(
    `SELECT DISTINCT (effective_ms / ${MS_PER_DAY}) * ${MS_PER_DAY} AS day FROM samples
     WHERE site_id = ? AND boot_id = ? AND time_quality = 'estimated'`,
  );
  const rebase = db.prepare(
    `UPDATE samples SET effective_ms = max(0, uptime_ms + ?), time_quality = 'corrected'
     WHERE site_id = ? AND boot_id = ? AND time_quality = 'estimated'`,
  );
  const correctedDays = db.prepare<[string, string], { day: number }>(
    `SELECT DISTINCT (effective_ms / ${MS_PER_DAY}) * ${MS_PER_DAY} AS day FROM samples
     WHERE site_id = ? AND boot_id = ? AND time_quality = 'corrected'`,
  );
  const markDirty = db.prepare('INSERT INTO dirty_days (site_id, day_ms) VALUES (?, ?) ON CONFLICT DO NOTHING');

  return (packed: PackedBatch): InsertResult => {
    const { siteId: site, receivedMs } = packed;
    const samples = unpackSamples(packed);
    // The payload first: its id goes into each sample row. Dropped again if every sample was a duplicate.
    const payloadId = Number(insertPayload.run(site, receivedMs, packed.payload).lastInsertRowid);
    const known = new Map<string, number>();
    for (const boot of bootsOf(samples)) {
      const row = getOffset.get(site, boot);
      if (row !== undefined) known.set(boot, row.offset_ms);
    }
    const { times, newOffsets } = fileSamples(samples, receivedMs, known);
    let inserted = 0;
    let latest: (typeof samples)[number] | undefined;
    const days = new Set<number>();
    for (let i = 0; i < samples.length; i++) {
      const r = samples[i] as (typeof samples)[number];
      const time = times[i] as (typeof times)[number];
      const f = r.facts;
      const changes = insertSample.run(
        site,
        r.bootId,
        r.seq,
        r.wallMs,
        r.clockSynced ? 1 : 0,
        r.uptimeMs,
        receivedMs,
        payloadId,
        time.effectiveMs,
        time.timeQuality,
        f.rxBytes,
        f.txBytes,
        f.clientRxBytes,
        f.clientTxBytes,
        f.clients,
        f.batteryVolts,
        f.rttGatewayMs,
        f.rttTerminalMs,
        f.rttInternetMs,
        f.rttNocMs,
      ).changes;
      if (changes === 0) continue;
      inserted += 1;
      days.add(dayOf(time.effectiveMs));
      if (latest === undefined || r.seq > latest.seq) latest = r;
    }
    for (const [boot, offset] of newOffsets) {
      putOffset.run(site, boot, offset);
      for (const { day } of bootDays.all(site, boot)) days.add(day);
      rebase.run(offset, site, boot);
      for (const { day } of correctedDays.all(site, boot)) days.add(day);
    }
    for (const day of days) markDirty.run(site, day);
    if (inserted === 0) deletePayload.run(payloadId);
    upsertSite.run(
      site,
      receivedMs,
      receivedMs,
      inserted,
      latest?.seq ?? null,
      latest?.bootId ?? null,
      latest?.wallMs ?? null,
      latest === undefined ? null : latest.clockSynced ? 1 : 0,
      latest?.uptimeMs ?? null,
      latest === undefined ? null : payloadId,
    );
    return { inserted, duplicates: samples.length - inserted };
  };
}
